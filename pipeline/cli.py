"""The `newsbrief` command: a thin layer over the library API."""

from __future__ import annotations

import io
import json
import os
import sys
import traceback
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from .errors import NewsbriefError
from .files import write_atomic

app = typer.Typer(
    name="newsbrief",
    help="English briefs and fact sheets from Chinese cross-border e-commerce news.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_err = Console(stderr=True, highlight=False, soft_wrap=True)


class OutputFormat(StrEnum):
    rich = "rich"
    json = "json"
    md = "md"


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a one-line error (never markup-interpreted) and return the exit to raise."""
    _err.print(f"newsbrief: error: {message}", markup=False)
    return typer.Exit(code)


def _version_callback(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"newsbrief {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version_callback, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """newsbrief: English briefs from Chinese news."""


def _render(brief, fmt: OutputFormat, width: int | None = None) -> str:
    from .render import BriefView, to_json, to_markdown

    if fmt is OutputFormat.json:
        return to_json(brief)
    if fmt is OutputFormat.md:
        return to_markdown(brief)
    buffer = io.StringIO()
    Console(file=buffer, width=width or 120, force_terminal=False, highlight=False).print(BriefView(brief))
    return buffer.getvalue()


_SUFFIX = {OutputFormat.json: ".json", OutputFormat.md: ".md", OutputFormat.rich: ".txt"}


@app.command()
def brief(
    files: Annotated[list[Path], typer.Argument(help="Article files (.txt, .md, .html).", show_default=False)],
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.rich,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write to this file (one input) or folder (several inputs)."),
    ] = None,
    max_mb: Annotated[float, typer.Option(help="Refuse input files larger than this many MB.")] = 5.0,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
) -> None:
    """Brief Chinese article files: title, source, date, keywords, figures and entities.

    Exit status: 0 when every file was briefed, 1 when any failed (the others are still written).
    """
    from .brief import Pipeline

    try:
        nlp = Pipeline(max_bytes=int(max_mb * 1024 * 1024))
    except NewsbriefError as exc:
        raise fail(str(exc)) from None
    several = len(files) > 1
    failures = 0
    json_items: list[str] = []
    for path in files:
        try:
            result = nlp.brief_file(path)
        except NewsbriefError as exc:
            failures += 1
            if debug:
                traceback.print_exc()
            _err.print(f"newsbrief: error: {exc}", markup=False)
            continue
        except Exception as exc:  # a bug, not bad input: still one line unless --debug
            failures += 1
            if debug:
                traceback.print_exc()
            _err.print(f"newsbrief: error: {path}: internal error ({type(exc).__name__}: {exc})", markup=False)
            continue
        if out is not None:
            target = out / (path.stem + _SUFFIX[fmt]) if several else out
            write_atomic(target, _render(result, fmt))
            _err.print(f"wrote {target}", markup=False, highlight=False)
        elif fmt is OutputFormat.rich:
            Console(highlight=False).print(_view(result))
        elif fmt is OutputFormat.json and several:
            json_items.append(_render(result, fmt))
        else:
            sys.stdout.write(_render(result, fmt))
    if json_items:
        sys.stdout.write("[\n" + ",\n".join(item.rstrip("\n") for item in json_items) + "\n]\n")
    if failures:
        raise typer.Exit(1)


def _view(result):
    from .render import BriefView

    return BriefView(result)


@app.command()
def schema() -> None:
    """Print the JSON Schema of a brief."""
    from .render import schema_json

    sys.stdout.write(schema_json())


@app.command()
def components() -> None:
    """List the registered pipeline components."""
    from .brief import registered_components

    typer.echo(json.dumps(registered_components()))


eval_app = typer.Typer(help="Score extraction against gold annotations.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


def _print_report(report, show_errors: bool) -> None:
    from .render import report_table

    console = Console(highlight=False)
    console.print(report_table(report))
    if show_errors:
        for title, items in (("missed", report.missed), ("spurious", report.spurious)):
            for item in items:
                console.print(f"{title}: {item}", markup=False)


def _eval_gold(gold_files: list[Path], errors: bool, scorer_name: str) -> None:
    from . import evaluate
    from .brief import Pipeline

    nlp = Pipeline()
    try:
        golds = [evaluate.load_gold(path) for path in gold_files]
        pairs = [(nlp.brief_file(g.article), g.data) for g in golds]
    except NewsbriefError as exc:
        raise fail(str(exc)) from None
    _print_report(getattr(evaluate, scorer_name)(pairs), errors)


GoldFiles = Annotated[list[Path], typer.Argument(help="Gold JSON files (format of ../shared/gold/).")]
ShowErrors = Annotated[bool, typer.Option("--errors", help="List what was missed and what is spurious.")]


@eval_app.command("figures")
def eval_figures(gold_files: GoldFiles, errors: ShowErrors = False) -> None:
    """Precision, recall and F1 of figure extraction, per kind and overall."""
    _eval_gold(gold_files, errors, "score_figures")


@eval_app.command("entities")
def eval_entities(gold_files: GoldFiles, errors: ShowErrors = False) -> None:
    """Precision, recall and F1 of entities (type and English name must agree), per type."""
    _eval_gold(gold_files, errors, "score_entities")


@eval_app.command("ner")
def eval_ner(
    bio_file: Annotated[Path, typer.Argument(help="Char-level BIO file (MSRA format: char TAB tag).")],
    limit: Annotated[int | None, typer.Option(help="Only the first N sentences.")] = None,
    errors: Annotated[bool, typer.Option("--errors", help="List some missed and spurious spans.")] = False,
) -> None:
    """Span-level P/R/F1 of the entity stage on a general-news NER test set (PER/LOC/ORG)."""
    from rich.progress import Progress

    from .entities import EntityExtractor
    from .evaluate import NER_TYPE_MAP, read_bio, score_ner
    from .resources import default_resources

    if not bio_file.is_file():
        raise fail(f"{bio_file}: no such file")
    sentences = read_bio(bio_file)[:limit]
    extractor = EntityExtractor(default_resources())
    predicted = []
    with Progress(console=_err, transient=True) as progress:
        task = progress.add_task("tagging", total=len(sentences))
        for sentence, _ in sentences:
            spans = []
            for entity in extractor(sentence):
                label = NER_TYPE_MAP.get(entity.type)
                if label:
                    spans.extend((m.start, m.end, label) for m in entity.mentions)
            predicted.append(spans)
            progress.advance(task)
    _print_report(score_ner(sentences, predicted), errors)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        _err.print("newsbrief: interrupted", markup=False)
        sys.exit(130)


if __name__ == "__main__":
    main()
