"""`newsbrief batch` and `newsbrief watch`: whole folders, with progress."""

from __future__ import annotations

import time
import traceback
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from ..errors import NewsbriefError
from ..output.terminal import make_console
from .app import app
from .common import Debug, MaxChars, MaxMb, ModelOption, NoSummary, OutFolder, fail, load_writer, settings_for


class ArticlesPerMinute(ProgressColumn):
    """Articles per minute so far (rich's own speed columns assume bytes)."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0
        rate = task.completed / elapsed * 60 if elapsed > 0 else 0
        return Text(f"{rate:,.0f} articles/min", style="newsbrief.rate")


def _batch_summary(report) -> Table:
    table = Table(title=f"newsbrief batch: {report.out}", title_justify="left")
    table.add_column("result")
    table.add_column("articles", justify="right")
    table.add_row("briefed", str(report.count("ok")))
    table.add_row("served from cache", str(report.count("cached")))
    table.add_row("failed", str(report.count("failed")), style="newsbrief.error" if report.failed else "")
    warned = sum(1 for r in report.results if r.warnings)
    table.add_row("with warnings", str(warned))
    table.add_row("seconds", f"{report.seconds:.1f}")
    return table


@app.command()
def batch(
    folder: Annotated[Path, typer.Argument(help="Folder of articles (searched recursively).")],
    out: OutFolder,
    workers: Annotated[int, typer.Option(help="Worker processes for the deterministic stages.")] = 1,
    no_summary: NoSummary = False,
    pattern: Annotated[str | None, typer.Option("--glob", help="Only files matching this pattern.")] = None,
    model: ModelOption = None,
    max_mb: MaxMb = 5.0,
    max_chars: MaxChars = None,
    debug: Debug = False,
) -> None:
    """Brief every article in a folder: OUT/<slug>.json and .md, digest.md, figures.csv, index.json.

    Articles already briefed with the same content, code, lexicons and options are served from the
    cache, so an interrupted run picks up where it stopped. Exit status: 0 when every article
    succeeded, 2 when some failed (listed in the summary and in index.json), 1 when the run could
    not start.
    """
    from ..folders import BatchRun, find_articles
    from ..folders.discover import check_output_folder
    from ..nlp import Pipeline

    settings = settings_for(max_mb, max_chars)
    try:
        check_output_folder(folder, out)
        paths = find_articles(folder, pattern, exclude=out)
        writer = load_writer(no_summary, model, settings)
        run = BatchRun(out, pipeline=Pipeline(settings=settings), workers=workers, writer=writer)
        with run:
            console = make_console(stderr=True, soft_wrap=True)
            if console.is_terminal:
                progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                                    MofNCompleteColumn(), ArticlesPerMinute(), TimeRemainingColumn(),
                                    TextColumn("{task.fields[current]}", markup=False), console=console)
                with progress:
                    task = progress.add_task("briefing", total=len(paths), current="")

                    def advance(result, done: int, total: int) -> None:
                        progress.update(task, completed=done, current=Path(result.path).name)

                    report = run.run(paths, advance)
            else:
                def log(result, done: int, total: int) -> None:
                    detail = result.error if result.error else result.path
                    console.print(f"[{done}/{total}] {result.status} {detail}", markup=False)

                report = run.run(paths, log)
    except NewsbriefError as exc:
        if debug:
            traceback.print_exc()
        raise fail(str(exc)) from None
    out_console = make_console()
    out_console.print(_batch_summary(report))
    for result in report.failed:
        out_console.print(f"failed: {result.error}", markup=False, style="newsbrief.error")
    raise typer.Exit(report.exit_code)


@app.command()
def watch(
    folder: Annotated[Path, typer.Argument(help="Folder to watch (recursively).")],
    out: OutFolder,
    settle: Annotated[float, typer.Option(help="Seconds a file must stay unchanged before it is read.")] = 2.0,
    no_summary: NoSummary = False,
    model: ModelOption = None,
    max_mb: MaxMb = 5.0,
    max_chars: MaxChars = None,
) -> None:
    """Brief articles as they appear or change in FOLDER, keeping OUT/digest.md up to date. Ctrl-C stops."""
    from ..folders import watch_folder
    from ..nlp import Pipeline

    if not folder.is_dir():
        raise fail(f"{folder}: no such folder")
    settings = settings_for(max_mb, max_chars)
    console = make_console(stderr=True, soft_wrap=True)

    def show(result) -> None:
        detail = result.error if result.error else result.path
        console.print(f"{time.strftime('%H:%M:%S')} {result.status} {detail}", markup=False)

    try:
        writer = load_writer(no_summary, model, settings)
        count = watch_folder(folder, out, settle=settle, summary=not no_summary, writer=writer, on_result=show,
                             pipeline=Pipeline(settings=settings), settings=settings,
                             on_ready=lambda: console.print(f"watching {folder} (Ctrl-C to stop)", markup=False))
    except NewsbriefError as exc:
        raise fail(str(exc)) from None
    except KeyboardInterrupt:
        count = None
    console.print(f"stopped{f' after briefing {count} article(s)' if count is not None else ''}", markup=False)
