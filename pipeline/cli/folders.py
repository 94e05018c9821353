"""`newsbrief batch` and `newsbrief watch`: whole folders, with progress."""

from __future__ import annotations

import re
import time
import traceback
from enum import StrEnum
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


class Engine(StrEnum):
    local = "local"
    ray = "ray"


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
    folder: Annotated[str, typer.Argument(help="Folder of articles (searched recursively), a text file "
                                              "listing web page URLs, one a line, or a filesystem URI "
                                              "(s3://bucket/news/, gs://…, file:///…; needs pyarrow).")],
    out: OutFolder,
    workers: Annotated[int | None, typer.Option(
        help="Worker processes (local engine; default 1), or Ray workers (default: one per CPU of the cluster).",
        min=1)] = None,
    no_summary: NoSummary = False,
    pattern: Annotated[str | None, typer.Option("--glob", help="Only files matching this pattern.")] = None,
    model: ModelOption = None,
    max_mb: MaxMb = 5.0,
    max_chars: MaxChars = None,
    engine: Annotated[Engine, typer.Option(help="local: this machine's processes; ray: a Ray cluster "
                                                "(the ray extra).")] = Engine.local,
    address: Annotated[str | None, typer.Option(
        help="With --engine ray: 'auto' (the running cluster) or HOST:PORT; default: start a Ray for this "
             "run on this machine.")] = None,
    debug: Debug = False,
) -> None:
    """Brief every article in a folder into OUT: the store (newsbrief.db), <slug>.json and .md, digest.md
    with a page per day in digest/, figures.csv and index.json.

    Articles already briefed with the same content, code, lexicons and options are served from the
    cache, so an interrupted run picks up where it stopped. Exit status: 0 when every article
    succeeded, 2 when some failed (listed in the summary, the store and index.json), 1 when the run could
    not start.

    With --engine ray the articles are briefed by Ray workers (each builds the pipeline and loads
    the model once) and this process writes the outputs, the index, the digest and the CSV as the
    results arrive: the same outputs, cache and resume as the local engine.
    """
    from ..folders import BatchRun
    from ..folders.discover import batch_inputs
    from ..nlp import Pipeline

    settings = settings_for(max_mb, max_chars)
    if address is not None and engine is not Engine.ray:
        raise fail("--address is for --engine ray")
    try:
        paths, stats = batch_inputs(folder, out, pattern)
        ray_engine = None
        if engine is Engine.ray:
            from ..folders.ray_engine import RayEngine, WriterSpec, require_ray

            require_ray()
            writer = None  # each Ray worker loads the model itself
            ray_engine = RayEngine(address=address, workers=workers,
                                   writer=None if no_summary else WriterSpec(model))
        else:
            writer = load_writer(no_summary, model, settings)
        run = BatchRun(out, pipeline=Pipeline(settings=settings), workers=workers or 1, writer=writer,
                       engine=ray_engine, remote_stats=stats)
        with run:
            console = make_console(stderr=True, soft_wrap=True)
            if console.is_terminal:
                progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                                    MofNCompleteColumn(), ArticlesPerMinute(), TimeRemainingColumn(),
                                    TextColumn("{task.fields[current]}", markup=False), console=console)
                with progress:
                    # Ray takes seconds to start its workers (each builds the pipeline) before the first result.
                    task = progress.add_task("starting Ray" if ray_engine else "briefing", total=len(paths),
                                             current="")

                    def advance(result, done: int, total: int) -> None:
                        progress.update(task, completed=done, current=Path(result.path).name, description="briefing")

                    report = run.run(paths, advance)
            else:
                if ray_engine:
                    console.print(f"briefing {len(paths)} article(s) on Ray "
                                  f"({ray_engine.address or 'a Ray started for this run'})", markup=False)

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


MAX_INTERVAL_SECONDS = 30 * 86400


def parse_interval(text: str) -> float:
    """'15m', '90s', '1h' or a number of seconds."""
    match = re.fullmatch(r"\s*(\d{1,12}(?:\.\d{1,6})?)\s*([smh]?)\s*", text)
    seconds = float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)] if match else 0.0
    if not 0 < seconds <= MAX_INTERVAL_SECONDS:
        raise fail(f"--interval {text!r}: expected a duration such as 15m, 90s or 1h, at most 30 days")
    return seconds


@app.command()
def watch(
    out: OutFolder,
    folder: Annotated[Path | None, typer.Argument(help="Folder to watch (recursively); or give feeds.")] = None,
    feed: Annotated[list[str] | None, typer.Option("--feed", help="An RSS or Atom feed URL (repeatable).")] = None,
    opml: Annotated[Path | None, typer.Option(help="An OPML file of feeds.")] = None,
    interval: Annotated[str, typer.Option(help="Feeds: time between polls (15m, 90s, 1h).")] = "15m",
    once: Annotated[bool, typer.Option("--once", help="Feeds: poll every feed once, then exit (for cron).")]
    = False,
    settle: Annotated[float, typer.Option(help="Seconds a file must stay unchanged before it is read.")] = 2.0,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="Feeds: fetch items that lead to private or local addresses (refused by default).")]
    = False,
    max_items: Annotated[int, typer.Option(
        "--max-items", min=1, max=10_000, help="Feeds: items taken per feed and poll, newest first.")] = 50,
    no_summary: NoSummary = False,
    model: ModelOption = None,
    max_mb: MaxMb = 5.0,
    max_chars: MaxChars = None,
) -> None:
    """Brief articles as they appear or change in FOLDER, or as new items appear in feeds, keeping
    OUT's store, digest, figures.csv and index.json up to date (a batch may write the same OUT at the same
    time). Ctrl-C stops.

    Feeds are polled politely: conditional requests, a back-off for a feed that fails, one request
    at a time, nothing fetched but the feeds and their items. Their state is kept in OUT/feeds.json,
    so a restart never briefs an old item again."""
    from ..folders import BatchRun, watch_folder
    from ..nlp import Pipeline
    from ..sources.feeds import read_opml, watch_feeds

    console = make_console(stderr=True, soft_wrap=True)

    def show(result) -> None:
        detail = result.error if result.error else result.path
        console.print(f"{time.strftime('%H:%M:%S')} {result.status} {detail}", markup=False)

    failures: list[str] = []

    def show_error(message: str) -> None:
        failures.append(message)
        console.print(f"{time.strftime('%H:%M:%S')} failed {message}", markup=False)

    def show_result(result) -> None:
        if result.status == "failed":
            failures.append(result.error or result.path)
        show(result)

    if not 0 <= settle <= 3600:  # nan fails this too
        raise fail(f"--settle {settle}: expected seconds from 0 to 3600")
    settings = settings_for(max_mb, max_chars)
    try:
        feeds = list(feed or []) + (read_opml(opml) if opml else [])
    except NewsbriefError as exc:
        raise fail(str(exc)) from None
    if feeds and folder is not None:
        raise fail("give a folder or feeds (--feed, --opml), not both")
    if not feeds and (folder is None or not folder.is_dir()):
        raise fail(f"{folder}: no such folder" if folder is not None else "give a folder to watch, or --feed/--opml")
    seconds = parse_interval(interval)
    count: int | None = None
    try:
        writer = load_writer(no_summary, model, settings)
        pipeline = Pipeline(settings=settings)
        if feeds:
            with BatchRun(out, pipeline=pipeline, writer=writer) as run:
                if not once:
                    console.print(f"polling {len(feeds)} feed(s) every {interval} (Ctrl-C to stop)", markup=False)
                count = watch_feeds(feeds, out, run=run, interval=seconds, once=once, on_result=show_result,
                                    on_error=show_error, allow_private=allow_private, max_items=max_items,
                                    on_note=lambda message: console.print(f"note: {message}", markup=False))
        else:
            count = watch_folder(folder, out, settle=settle, summary=not no_summary, writer=writer, on_result=show,
                                 pipeline=pipeline, settings=settings,
                                 on_ready=lambda: console.print(f"watching {folder} (Ctrl-C to stop)", markup=False))
    except NewsbriefError as exc:
        raise fail(str(exc)) from None
    except KeyboardInterrupt:
        count = None
    console.print(f"stopped{f' after briefing {count} article(s)' if count is not None else ''}", markup=False)
    if once and failures:
        raise typer.Exit(2)  # like batch: some feeds or items failed, the rest was briefed
