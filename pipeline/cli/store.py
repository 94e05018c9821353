"""`newsbrief search` and `newsbrief figures`: questions over an output folder's store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, get_args

import typer

from ..errors import NewsbriefError
from ..output.terminal import make_console
from .app import app
from .common import fail

StoreFolder = Annotated[Path, typer.Option("--out", "-o", help="The output folder a batch or watch wrote.")]


class ResultFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOption = Annotated[ResultFormat, typer.Option("--format", "-f", help="table (the terminal), json or csv.")]


def show_records(records: list, kind: type, format: ResultFormat, table: Callable[[], object]) -> None:
    """Query results on stdout in the chosen format: the one place search and figures choose it."""
    from ..output.results import records_csv, records_json

    if format is ResultFormat.json:
        typer.echo(records_json(records), nl=False)
    elif format is ResultFormat.csv:
        typer.echo(records_csv(records, kind), nl=False)
    else:
        make_console().print(table())


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find (all of them), in Chinese or English.")],
    out: StoreFolder,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="At most this many briefs.")] = 20,
    format: FormatOption = ResultFormat.table,
) -> None:
    """Briefs in OUT whose Chinese title or text, or English title, bullets, key facts or names, contain
    every word of QUERY (Traditional and Simplified alike), best match first."""
    from ..output.results import search_table
    from ..store.query import SearchHit, search_briefs

    try:
        hits = search_briefs(out, query, limit=limit)
    except NewsbriefError as exc:
        raise fail(str(exc)) from None
    show_records(hits, SearchHit, format, lambda: search_table(query, hits))


@app.command()
def figures(
    out: StoreFolder,
    entity: Annotated[str | None, typer.Option(help="Only figures in a sentence naming this company, person or "
                                                      "place (English or Chinese: Temu, 拼多多).")] = None,
    kind: Annotated[str | None, typer.Option(help="Only this kind: money, percent, count, date …")] = None,
    since: Annotated[str | None, typer.Option(help="Only articles published on or after this day (YYYY-MM-DD).")]
    = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many figures.")] = None,
    format: FormatOption = ResultFormat.table,
) -> None:
    """Figures in OUT's briefs, newest article first, with their English, what they measure and their
    article: every figure about Temu since March is `figures --out OUT --entity Temu --since 2025-03-01`."""
    from ..output.results import figures_table
    from ..schema import FigureKind
    from ..store.query import FigureHit, query_figures

    kinds = get_args(FigureKind)
    if kind is not None and kind not in kinds:
        raise fail(f"--kind {kind!r}: expected one of {', '.join(kinds)}")
    try:
        day = date.fromisoformat(since) if since is not None else None
    except ValueError:
        raise fail(f"--since {since!r}: expected a day as YYYY-MM-DD") from None
    try:
        hits = query_figures(out, entity=entity, kind=kind, since=day, limit=limit)
    except NewsbriefError as exc:
        raise fail(str(exc)) from None
    what = " ".join(part for part in (f"of kind {kind}" if kind else "", f"about {entity}" if entity else "",
                                      f"since {since}" if since else "") if part)
    show_records(hits, FigureHit, format, lambda: figures_table(what or "in every brief", hits))
