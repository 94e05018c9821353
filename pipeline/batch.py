"""Batch a news folder: brief every article, resumably, with a cache, a digest and a CSV.

Layout of an output folder::

    OUT/<slug>.json, OUT/<slug>.md   one brief per article
    OUT/digest.md                    all briefs, newest first, with a table of contents
    OUT/figures.csv                  one row per figure across all articles
    OUT/index.json                   one entry per input file: hash, status, outputs, error
    OUT/.newsbrief.lock              held while a run writes to OUT

Every file is written atomically (temporary file + rename) and index.json is rewritten after
each article, so a run killed at any point leaves complete files; the next run skips what is
done (same content hash, options and model) and finishes the rest.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from filelock import FileLock, Timeout

from .errors import InputError, NewsbriefError
from .files import romanise, sha256_bytes, slugify, write_atomic
from .ingest import ARTICLE_SUFFIXES, DEFAULT_MAX_BYTES
from .schema import Brief

INDEX_VERSION = 1
LOCK_NAME = ".newsbrief.lock"
BATCH_SUFFIXES = {s for s in ARTICLE_SUFFIXES if s}  # .txt .md .html …: no extension-less files

Status = Literal["ok", "cached", "failed"]


@dataclass
class BatchOptions:
    """What changes the output; a cached brief is reused only when these are unchanged."""

    summary: bool = True
    max_bytes: int = DEFAULT_MAX_BYTES
    model_checksum: str | None = None

    def key(self) -> str:
        return sha256_bytes(json.dumps(
            {"summary": self.summary, "max_bytes": self.max_bytes, "model": self.model_checksum,
             "index": INDEX_VERSION}, sort_keys=True).encode())[:16]


@dataclass
class ArticleResult:
    path: str
    status: Status
    content_sha256: str | None = None
    slug: str | None = None
    outputs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    def index_entry(self, options_key: str) -> dict:
        return {"path": self.path, "content_sha256": self.content_sha256, "options": options_key,
                "status": "ok" if self.status == "cached" else self.status, "slug": self.slug,
                "outputs": self.outputs, "warnings": self.warnings, "error": self.error}


@dataclass
class BatchReport:
    results: list[ArticleResult]
    out: Path
    seconds: float

    def count(self, status: Status) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> list[ArticleResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def exit_code(self) -> int:
        return 2 if self.failed else 0


class OutputLocked(NewsbriefError):
    """Another run holds the output folder's lock."""


# --------------------------------------------------------------------------- discovery


def find_articles(root: Path, pattern: str | None = None, exclude: Path | None = None) -> list[Path]:
    """Article files under `root`, recursively, sorted; hidden files and the output folder skipped."""
    root = Path(root)
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise InputError(root, "no such folder")
    exclude = exclude.resolve() if exclude else None
    found = []
    for path in root.rglob(pattern or "*"):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if exclude and (path.resolve() == exclude or exclude in path.resolve().parents):
            continue
        if path.is_file() and path.suffix.lower() in BATCH_SUFFIXES:
            found.append(path)
    return sorted(found)


def article_slug(brief: Brief, content_sha256: str, taken: set[str]) -> str:
    """`2023-08-15-tiktok-…-9da769`: date, English (or pinyin) title, a hash for uniqueness."""
    meta = brief.meta
    date = meta.published.strftime("%Y-%m-%d") if meta.published else "undated"
    words = slugify(meta.title_en or romanise(meta.title), max_chars=60)
    slug = f"{date}-{words}-{content_sha256[:6]}"
    n = 2
    unique = slug
    while unique in taken:
        unique = f"{slug}-{n}"
        n += 1
    return unique


def index_key(path: Path) -> str:
    """Index entries are keyed by absolute path, so a run from another folder finds them."""
    return str(Path(path).resolve())


# --------------------------------------------------------------------------- workers

_worker_pipeline = None


def _init_worker(pipeline) -> None:
    global _worker_pipeline
    _worker_pipeline = pipeline


def _brief_one(path: str, max_bytes: int) -> tuple[str, Brief | None, str | None, str | None]:
    """Runs in a worker: (path, brief, content hash of the bytes, error)."""
    from .ingest import ingest_bytes, read_article_bytes

    try:
        data = read_article_bytes(Path(path), max_bytes=max_bytes)
        nlp = _worker_pipeline
        return path, nlp(ingest_bytes(data, path, resources=nlp.resources)), sha256_bytes(data), None
    except NewsbriefError as exc:
        return path, None, None, str(exc)
    except Exception as exc:  # one bad file must not stop the folder
        return path, None, None, f"{path}: internal error ({type(exc).__name__}: {exc})"


# --------------------------------------------------------------------------- the run


class BatchRun:
    """One run over a folder into an output folder. Use :func:`brief_folder` for the common case."""

    def __init__(self, out: Path, *, options: BatchOptions | None = None, pipeline=None,
                 workers: int = 1, writer=None, writer_batch: int = 8) -> None:
        from .brief import Pipeline

        self.out = Path(out)
        self.options = options or BatchOptions()
        self.workers = max(1, workers)
        self.writer = writer  # pipeline.writer.Writer, or None for fact sheets only
        self.writer_batch = max(1, writer_batch)
        # Built (and jieba's dictionary loaded) here, before any worker starts.
        self.pipeline = pipeline or Pipeline(max_bytes=self.options.max_bytes)
        self.index_path = self.out / "index.json"
        self.index: dict = {"version": INDEX_VERSION, "files": {}}
        self.lock = FileLock(str(self.out / LOCK_NAME))

    # -- lock and index

    def __enter__(self) -> BatchRun:
        self.out.mkdir(parents=True, exist_ok=True)
        try:
            self.lock.acquire(timeout=0)
        except Timeout:
            raise OutputLocked(f"{self.out}: another newsbrief run is writing here "
                               f"(lock {self.out / LOCK_NAME}); wait for it or choose another --out") from None
        self.index = self._read_index()
        # Temporary files of a run that was killed mid-write (we hold the lock: nobody else writes).
        for stale in self.out.glob(".*.tmp"):
            stale.unlink(missing_ok=True)
        return self

    def __exit__(self, *exc_info) -> None:
        self.lock.release()

    def _read_index(self) -> dict:
        if not self.index_path.is_file():
            return {"version": INDEX_VERSION, "files": {}}
        try:
            data = json.loads(self.index_path.read_text(encoding="utf-8"))
            if data.get("version") == INDEX_VERSION and isinstance(data.get("files"), dict):
                return data
        except ValueError:
            pass
        return {"version": INDEX_VERSION, "files": {}}  # unreadable: rebuild (outputs are redone)

    def _write_index(self) -> None:
        write_atomic(self.index_path, json.dumps(self.index, ensure_ascii=False, indent=1) + "\n")

    # -- cache

    def cached(self, path: Path, data_hash: str) -> ArticleResult | None:
        entry = self.index["files"].get(index_key(path))
        if not entry or entry.get("status") != "ok" or entry.get("content_sha256") != data_hash \
                or entry.get("options") != self.options.key():
            return None
        if not all((self.out / name).is_file() for name in entry.get("outputs", [])):
            return None
        return ArticleResult(str(path), "cached", data_hash, entry.get("slug"), entry.get("outputs", []),
                             entry.get("warnings", []))

    # -- processing

    def run(self, paths: list[Path], on_result: Callable[[ArticleResult, int, int], None] | None = None
            ) -> BatchReport:
        started = time.perf_counter()
        results: list[ArticleResult] = []
        todo: list[Path] = []
        for path in paths:
            hit = self._cache_hit(path)
            if hit is not None:
                results.append(hit)
                if on_result:
                    on_result(hit, len(results), len(paths))
            else:
                todo.append(path)
        chunk: list[tuple] = []
        for raw in self._process(todo):
            chunk.append(raw)
            if len(chunk) >= (self.writer_batch if self.writer else 1):
                self._finish_chunk(chunk, results, len(paths), on_result)
                chunk = []
        if chunk:
            self._finish_chunk(chunk, results, len(paths), on_result)
        self.write_collections()
        return BatchReport(results, self.out, time.perf_counter() - started)

    def _finish_chunk(self, chunk: list[tuple], results: list[ArticleResult], total: int,
                      on_result: Callable[[ArticleResult, int, int], None] | None) -> None:
        """The writer batches its generation across the articles of a chunk, then each is saved."""
        briefs = [raw[1] for raw in chunk if raw[1] is not None]
        if self.writer and briefs:
            self.writer.write(briefs)
        for raw in chunk:
            result = self._finish(*raw)
            self._record(result)
            results.append(result)
            if on_result:
                on_result(result, len(results), total)

    def _cache_hit(self, path: Path) -> ArticleResult | None:
        try:
            if path.stat().st_size > self.options.max_bytes:
                return None
            return self.cached(path, sha256_bytes(path.read_bytes()))
        except OSError:
            return None

    def _process(self, paths: list[Path]) -> Iterator[tuple[str, Brief | None, str | None, str | None]]:
        """The deterministic stages, in worker processes when asked: (path, brief, hash, error)."""
        if not paths:
            return
        if self.workers == 1 or len(paths) == 1:
            _init_worker(self.pipeline)
            for path in paths:
                yield _brief_one(str(path), self.options.max_bytes)
            return
        context = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
        with ProcessPoolExecutor(self.workers, mp_context=context, initializer=_init_worker,
                                 initargs=(self.pipeline,)) as pool:
            futures: list[Future] = [pool.submit(_brief_one, str(p), self.options.max_bytes) for p in paths]
            for future in futures:
                yield future.result()

    def _finish(self, path: str, brief: Brief | None, data_hash: str | None, error: str | None) -> ArticleResult:
        if brief is None:
            return ArticleResult(path, "failed", data_hash, error=error)
        taken = {e.get("slug") for p, e in self.index["files"].items() if p != index_key(Path(path))}
        slug = article_slug(brief, data_hash or brief.meta.content_sha256, taken)
        from .render import to_json, to_markdown

        # Outputs first, index last: a kill in between only costs redoing this article.
        write_atomic(self.out / f"{slug}.json", to_json(brief))
        write_atomic(self.out / f"{slug}.md", to_markdown(brief))
        return ArticleResult(path, "ok", data_hash, slug, [f"{slug}.json", f"{slug}.md"],
                             [f"{w.code}: {w.message}" for w in brief.warnings])

    def _record(self, result: ArticleResult) -> None:
        self.index["files"][index_key(Path(result.path))] = result.index_entry(self.options.key())
        self._write_index()

    # -- digest and CSV

    def load_briefs(self) -> list[tuple[str, Brief]]:
        briefs = []
        for entry in self.index["files"].values():
            if entry.get("status") != "ok" or not entry.get("slug"):
                continue
            path = self.out / f"{entry['slug']}.json"
            try:
                briefs.append((entry["slug"], Brief.model_validate_json(path.read_text(encoding="utf-8"))))
            except (OSError, ValueError):
                continue
        return briefs

    def write_collections(self) -> None:
        from .render import digest_markdown

        briefs = self.load_briefs()
        write_atomic(self.out / "digest.md", digest_markdown(briefs))
        write_atomic(self.out / "figures.csv", figures_csv(briefs))


FIGURE_COLUMNS = ["article", "title", "published", "figure", "kind", "value", "low", "high", "unit", "period",
                  "english", "subject", "approx", "change", "comparison", "forecast", "salience"]


def figures_csv(briefs: list[tuple[str, Brief]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(FIGURE_COLUMNS)
    for slug, brief in briefs:
        published = brief.meta.published.isoformat() if brief.meta.published else ""
        for f in brief.figures:
            writer.writerow([
                slug, brief.meta.title_en or brief.meta.title, published, f.text, f.kind,
                "" if f.value is None else f.value, "" if f.low is None else f.low, "" if f.high is None else f.high,
                f.unit or "", f.period or "", f.english, f.subject_en or f.subject or "", f.approx or "",
                f.change.direction if f.change and f.change.direction else "", f.comparison or "",
                "yes" if f.forecast else "", f.salience,
            ])
    return buffer.getvalue()


def brief_folder(
    folder: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    workers: int = 1,
    summary: bool = True,
    pattern: str | None = None,
    pipeline=None,
    writer=None,
    on_result: Callable[[ArticleResult, int, int], None] | None = None,
) -> BatchReport:
    """Brief every article under `folder` into `out` (see the module docstring for the layout).

    With `summary` the English is written by `writer` (default: the default model's writer).
    """
    out_path = Path(out)
    paths = find_articles(Path(folder), pattern, exclude=out_path)
    if summary and writer is None:
        from .writer import default_writer

        writer = default_writer()
    options = BatchOptions(summary=summary, model_checksum=writer.generator.checksum if summary else None)
    with BatchRun(out_path, options=options, pipeline=pipeline, workers=workers,
                  writer=writer if summary else None) as run:
        return run.run(paths, on_result)
