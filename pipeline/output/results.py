"""Query results (search hits, figures) as a rich table, JSON or CSV: the formats chosen in one place."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import asdict, fields

from rich.table import Table
from rich.text import Text

from ..store.query import FigureHit, SearchHit
from .data import csv_cell
from .fields import printable

RESULT_FORMATS = ("table", "json", "csv")


def records_json(records: Sequence[SearchHit | FigureHit]) -> str:
    return json.dumps([asdict(r) for r in records], ensure_ascii=False, indent=2) + "\n"


def records_csv(records: Sequence[SearchHit | FigureHit], kind: type) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    names = [f.name for f in fields(kind)]
    writer.writerow(names)
    for record in records:
        writer.writerow(csv_cell("" if getattr(record, n) is None else getattr(record, n)) for n in names)
    return buffer.getvalue()


def _text(value: str | None) -> Text:  # article text is data: never read as console markup
    return Text(printable(value or ""))


def _day(published: str | None) -> str:
    return (published or "")[:10] or "undated"


def search_table(query: str, hits: Sequence[SearchHit]) -> Table:
    table = Table(title=f"{len(hits)} brief(s) for {printable(query)!r}", title_justify="left", expand=True)
    table.add_column("date", style="newsbrief.date", no_wrap=True)
    table.add_column("title", ratio=2)
    table.add_column("source", style="newsbrief.source", ratio=1)
    table.add_column("found in context", ratio=3)
    for hit in hits:
        table.add_row(_day(hit.published), _text(hit.title_en or hit.title), _text(hit.source), _text(hit.snippet))
    return table


def figures_table(title: str, hits: Sequence[FigureHit]) -> Table:
    table = Table(title=f"{len(hits)} figure(s) {printable(title)}", title_justify="left", expand=True)
    table.add_column("date", style="newsbrief.date", no_wrap=True)
    table.add_column("English", ratio=2)
    table.add_column("figure", ratio=1)
    table.add_column("measures", ratio=1)
    table.add_column("article", ratio=2)
    for hit in hits:
        table.add_row(_day(hit.published), _text(hit.english), _text(hit.figure), _text(hit.subject_en),
                      _text(hit.title))
    return table
