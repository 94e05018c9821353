"""The library API: what the CLI, ``batch``, ``watch`` and the server call, and what a Python user calls.

    from pipeline import brief_files
    for result in brief_files(["a.txt", "b.html"], summary=True):
        print(result.path, result.error or result.brief.meta.title_en)

:func:`brief_path` is the one function that turns a path into a Brief; :func:`brief_result` wraps
it into a per-file result with a one-line error; :func:`brief_files` briefs many files with the
warm server or locally (in worker processes if asked), writes their English in batches, and
yields one :class:`FileResult` per input, in order.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError, NewsbriefError
from .files import display_name
from .ingest import ingest_bytes, ingest_text, read_article_bytes
from .nlp import Pipeline
from .schema import Brief, BriefWarning
from .settings import ServerMode, Settings
from .sources.filesystems import is_fs_uri
from .sources.filesystems import read_bytes as read_uri_bytes
from .sources.web import fetch_page, is_url, redact_url

if TYPE_CHECKING:
    from .writer import Writer

WRITER_BATCH = 8  # briefs whose English is generated together


@dataclass
class FileResult:
    """One input's outcome: a brief, or the one-line error naming the file."""

    path: str  # as the caller named it
    brief: Brief | None = None
    error: str | None = None
    content_sha256: str | None = None  # of the input bytes (None when they could not be read)
    english_error: str | None = None  # the fact sheet is there, its English could not be written

    @property
    def ok(self) -> bool:
        return self.brief is not None


def brief_path(
    path: str | os.PathLike[str],
    nlp: Pipeline,
    *,
    name: str | None = None,
    max_bytes: int | None = None,
    max_chars: int | None = None,
) -> tuple[Brief, str]:
    """Read, decode, clean and brief one file (a path, a filesystem URI such as s3://…, or a web
    page's URL); returns the brief and the sha256 of its bytes.

    `name` is how errors and the brief name the file (the server reads a caller's relative path
    from the caller's folder); `max_bytes` and `max_chars` override the pipeline's limits (the
    server applies its caller's). Raises :class:`InputError` for bad input.
    """
    display = name if name is not None else os.fspath(path)
    if is_url(display):
        return _brief_url(display, nlp, max_bytes=max_bytes, max_chars=max_chars)
    if _SCHEME.match(display) and not is_fs_uri(display):  # htp://…, ftp://…: a link, but not one we fetch
        raise InputError(redact_url(display), "not an http or https URL")
    try:
        if is_fs_uri(os.fspath(path)):  # s3://, gs://, file://: read through pyarrow's filesystems
            data = read_uri_bytes(os.fspath(path), max_bytes or nlp.max_bytes)
        else:
            data = read_article_bytes(Path(path), max_bytes=max_bytes or nlp.max_bytes)
    except InputError as exc:
        raise InputError(display_name(display), exc.reason) from None
    brief = nlp(ingest_bytes(data, display, resources=nlp.resources, max_chars=max_chars or nlp.max_chars))
    return brief, hashlib.sha256(data).hexdigest()


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{1,15}://")


def _brief_url(url: str, nlp: Pipeline, *, max_bytes: int | None, max_chars: int | None) -> tuple[Brief, str]:
    """A web page, fetched and briefed like a local HTML file; the URL and fetch time go into the
    metadata, the publish date still comes from the page."""
    page = fetch_page(url, max_bytes=max_bytes or nlp.max_bytes)
    article = ingest_text(page.text, path=redact_url(url), fmt="html", encoding=page.encoding, resources=nlp.resources,
                          max_chars=max_chars or nlp.max_chars)
    article.url, article.fetched = page.url, page.fetched
    return nlp(article), hashlib.sha256(page.body).hexdigest()


def brief_result(
    path: str | os.PathLike[str],
    nlp: Pipeline,
    *,
    name: str | None = None,
    max_bytes: int | None = None,
    max_chars: int | None = None,
) -> FileResult:
    """:func:`brief_path`, with any failure turned into the result's one-line error."""
    display = name if name is not None else os.fspath(path)
    shown = redact_url(display) if is_url(display) else display_name(display)  # no password, no surrogate
    try:
        brief, digest = brief_path(path, nlp, name=display, max_bytes=max_bytes, max_chars=max_chars)
    except NewsbriefError as exc:
        return FileResult(shown, error=str(exc))
    except Exception as exc:  # a bug, not bad input: one file must not stop the others
        return FileResult(shown, error=f"{shown}: internal error ({type(exc).__name__}: {exc})")
    return FileResult(shown, brief, content_sha256=digest)


# --------------------------------------------------------------------------- worker processes

_worker_pipeline: Pipeline | None = None  # set in each worker process by _init_worker


def _init_worker(nlp: Pipeline, parent: int) -> None:
    global _worker_pipeline
    _worker_pipeline = nlp
    # The workers are the parallelism: numpy's BLAS threads in each (the entity recogniser's
    # matrices) would only fight over the same cores (2 workers ran no faster than 1, measured).
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    # A worker must not outlive the run that started it (`kill -9` of batch would leave it waiting
    # for work forever): it exits as soon as its parent process is gone.
    threading.Thread(target=_exit_with_parent, args=(parent,), name="newsbrief-parent-watch", daemon=True).start()


def _exit_with_parent(parent: int, every: float = 0.5) -> None:
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(1)


def _brief_in_worker(path: str) -> FileResult:
    assert _worker_pipeline is not None
    return brief_result(path, _worker_pipeline)


def _init_helper(settings: Settings, parent: int) -> None:
    _init_worker(Pipeline(settings=settings), parent)


def _helper_results(paths: list[str], settings: Settings) -> Iterator[FileResult]:
    """Fact sheets made in a helper process while this one loads the model. Both are CPU work in
    Python, which two threads would only take turns at (the GIL: a thread gained nothing, measured),
    and the machine has a core for each. Spawned, not forked: the model's loading thread runs."""
    done = 0
    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=_init_helper,
                                 initargs=(settings, os.getpid())) as pool:
            for result in pool.map(_brief_in_worker, paths):
                done += 1
                yield result
    except BrokenProcessPool:  # the helper died (killed, out of memory): the rest are briefed here
        nlp = Pipeline(settings=settings)
        for path in paths[done:]:
            yield brief_result(path, nlp)


def _local_results(paths: list[str], nlp: Pipeline, workers: int) -> Iterator[FileResult]:
    if workers <= 1 or len(paths) <= 1:
        for path in paths:
            yield brief_result(path, nlp)
        return
    # Fork after the pipeline is built: jieba's dictionary (global state) is loaded once, shared.
    context = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                             initargs=(nlp, os.getpid())) as pool:
        yield from pool.map(_brief_in_worker, paths)


# --------------------------------------------------------------------------- many files


def _served_results(paths: list[str], settings: Settings, autostart: bool,
                    on_note: Callable[[str], None] | None) -> Iterator[FileResult]:
    """Answers of a running server for `paths`, in order. Stops early, leaving the rest to brief
    locally, when there is no server or it is stale or goes away; then, with `autostart`, a fresh
    server is started in the background for the next call."""
    from .server.client import ServerClient, ServerUnavailable, autostart_server

    try:
        for served in ServerClient(settings=settings).brief(paths, max_bytes=settings.max_bytes,
                                                            max_chars=settings.max_chars):
            yield FileResult(served.path, served.brief, served.error, served.content_sha256)
    except ServerUnavailable as exc:
        if autostart and exc.reason in ("absent", "stale"):
            autostart_server(exc.reason, settings)
        elif exc.reason == "stale" and on_note:
            on_note("the running server has other code, lexicons or settings, so this ran without it; "
                    "restart it with `newsbrief server start --restart`")


def brief_files(
    paths: Iterable[str | os.PathLike[str]],
    *,
    summary: bool = False,
    writer: Writer | None = None,
    model: str | None = None,
    settings: Settings | None = None,
    pipeline: Pipeline | None = None,
    server: ServerMode | None = None,
    workers: int = 1,
    writer_batch: int = WRITER_BATCH,
    on_note: Callable[[str], None] | None = None,
    helper: bool = False,
) -> Iterator[FileResult]:
    """Brief files; yields one :class:`FileResult` per path, in order.

    - Fact sheets come from the warm pipeline server when `server` (default: the settings'
      NEWSBRIEF_SERVER) allows it and the default pipeline is wanted; "auto" with no summary
      also starts one for the next call. Otherwise they are briefed here, in `workers` processes.
    - With `summary`, the English is written by `writer` (default: the default model's writer,
      loaded before any file is read, so a missing model fails fast), `writer_batch` briefs at a
      time; if it fails, the fact sheets are still yielded with `english_error` set.
    - With `helper`, a `writer` whose model is still loading in the background (``default_writer(...,
      background=True)``) and the default pipeline briefed here, the fact sheets are made in a spawned
      helper process meanwhile (as with any spawned process, a script must guard its main code with
      ``if __name__ == "__main__":``); the `newsbrief brief` command does this.
    """
    settings = settings or Settings.from_env()
    names = [os.fspath(p) for p in paths]
    if summary and writer is None:
        from .writer import default_writer

        writer = default_writer(model, settings=settings)
    mode = server or settings.server_mode
    if pipeline is not None or workers > 1 or any(is_url(name) or is_fs_uri(name) for name in names):
        mode = "off"  # the server runs the default pipeline on local files, one at a time
    # While the writer's model loads in the background, the fact sheets may be made in a helper process.
    beside = helper and summary and writer is not None and pipeline is None and workers <= 1 \
        and not getattr(writer.generator, "ready", True)
    fact_sheets = _fact_sheets(names, settings, pipeline, mode, workers, summary, on_note, beside)
    if not summary or writer is None:
        yield from fact_sheets
        return
    chunk: list[FileResult] = []
    for result in fact_sheets:
        chunk.append(result)
        if len(chunk) >= writer_batch:
            yield from write_english(chunk, writer)
            chunk = []
    if chunk:
        yield from write_english(chunk, writer)


def _fact_sheets(names: list[str], settings: Settings, pipeline: Pipeline | None, mode: ServerMode, workers: int,
                 summary: bool, on_note: Callable[[str], None] | None, beside: bool = False
                 ) -> Iterator[FileResult]:
    remaining = list(names)
    if mode != "off":
        for result in _served_results(remaining, settings, autostart=mode == "auto" and not summary,
                                      on_note=on_note):
            remaining.pop(0)
            yield result
    if remaining and beside:
        yield from _helper_results(remaining, settings)
    elif remaining:
        nlp = pipeline or Pipeline(settings=settings)
        yield from _local_results(remaining, nlp, workers)


def write_english(results: list[FileResult], writer: Writer) -> list[FileResult]:
    """One writer call for a chunk: generation is batched across its articles."""
    briefs = [r.brief for r in results if r.brief is not None]
    if briefs:
        try:
            writer.write(briefs)
        except NewsbriefError as exc:
            for result in results:
                if result.brief is not None:
                    result.english_error = str(exc)
                    result.brief.warnings.append(BriefWarning(code="writer-failed", message=str(exc)))
    return results


# --------------------------------------------------------------------------- one article


_default_pipeline: Pipeline | None = None


def default_pipeline() -> Pipeline:
    """The default pipeline, built once (an explicit cache: building loads jieba's dictionary)."""
    global _default_pipeline
    if _default_pipeline is None:
        _default_pipeline = Pipeline()
    return _default_pipeline


def brief_file(path: str | os.PathLike[str], *, pipeline: Pipeline | None = None) -> Brief:
    """Brief one article file (fact sheet only) with the default (or given) pipeline; raises on bad input."""
    return brief_path(path, pipeline or default_pipeline())[0]


def brief_text(
    text: str,
    *,
    title: str | None = None,
    source: str | None = None,
    published: datetime | None = None,
    pipeline: Pipeline | None = None,
) -> Brief:
    """Brief article text given as a string (title/byline lines are recognised as in files)."""
    return (pipeline or default_pipeline()).brief_text(text, title=title, source=source, published=published)
