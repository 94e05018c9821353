"""Watch a folder that a scraper fills: brief each new or changed article once it is complete.

A file counts as complete when its size and modification time have not changed for
`settle` seconds; each version (content hash) is briefed once, thanks to the batch index.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ..nlp import Pipeline
from ..settings import Settings
from .batch import ArticleResult, BatchRun
from .discover import BATCH_SUFFIXES, check_output_folder, find_articles, safe_resolve

DEFAULT_SETTLE_SECONDS = 2.0

log = logging.getLogger("newsbrief")


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def watch_folder(
    folder: str | Path,
    out: str | Path,
    *,
    settle: float = DEFAULT_SETTLE_SECONDS,
    summary: bool = True,
    pipeline: Pipeline | None = None,
    writer=None,
    settings: Settings | None = None,
    stop: threading.Event | None = None,
    on_result: Callable[[ArticleResult], None] | None = None,
    on_ready: Callable[[], None] | None = None,
) -> int:
    """Brief what is already in `folder`, then each article as it appears or changes, until
    `stop` is set (or Ctrl-C). Returns the number of articles briefed (not served from cache)."""
    import watchfiles
    from watchfiles._rust_notify import WatchfilesRustInternalError as RustInternalError

    folder, out = Path(folder), Path(out)
    check_output_folder(folder, out)
    out_resolved = safe_resolve(out)
    stop = stop or threading.Event()
    briefed = 0
    if summary and writer is None:
        from ..writer import default_writer

        writer = default_writer(settings=settings)
    with BatchRun(out, pipeline=pipeline, writer=writer if summary else None, settings=settings,
                  full_exports="at close") as run:

        def process(paths: list[Path]) -> None:
            nonlocal briefed

            def report(result: ArticleResult, done: int, total: int) -> None:
                nonlocal briefed
                if result.status != "cached":
                    briefed += 1
                    if on_result:
                        on_result(result)

            run.run(paths, report)  # rewrites the digest's pages of the days it changed

        process(find_articles(folder, exclude=out))
        pending: dict[Path, tuple[tuple[int, int] | None, float]] = {}
        if on_ready:
            on_ready()
        while not stop.is_set():
            try:
                for changes in watchfiles.watch(folder, stop_event=stop, debounce=200, step=50,
                                                rust_timeout=200, yield_on_timeout=True, raise_interrupt=False):
                    now = time.monotonic()
                    for _, changed in changes:
                        path = Path(changed)
                        resolved = safe_resolve(path)
                        if path.suffix.lower() in BATCH_SUFFIXES and not path.name.startswith(".") \
                                and resolved is not None and out_resolved not in resolved.parents:
                            pending[path] = (_signature(path), now)
                    ready = []
                    for path, (signature, since) in list(pending.items()):
                        current = _signature(path)
                        if current is None:
                            del pending[path]  # deleted before it settled
                        elif current != signature:
                            pending[path] = (current, now)  # still being written
                        elif now - since >= settle:
                            ready.append(path)
                            del pending[path]
                    if ready:
                        process(sorted(ready))
                break  # the watch ended: stop was set
            except RustInternalError as exc:
                # A name the watcher cannot decode (GBK bytes from a Windows zip) stops its iterator:
                # say so once, brief what the folder holds now, and watch again.
                log.info("%s: the watcher could not read a file name (%s); the folder is read again", folder, exc)
                process(find_articles(folder, exclude=out))
    return briefed
