"""Batch a news folder: brief every article, resumably, with a cache, a digest and a CSV.

Layout of an output folder::

    OUT/newsbrief.db                 the store (SQLite): inputs, briefs, figures, entities, search indexes
    OUT/<slug>.json, OUT/<slug>.md   one brief per article (exports)
    OUT/digest.md                    the days, newest first, each linking to OUT/digest/<day>.md
    OUT/figures.csv                  one row per figure across all articles
    OUT/index.json                   one entry per input (hash, status, outputs, error), written at the end of a run

The store is the source of truth for the cache and resume: an article's files are written, then its row and its
brief's rows commit in one transaction, so a run killed at any point leaves every committed article whole and
the next run skips it (same content hash and the same fingerprint: code, lexicons, settings, model). Several
runs may write one folder at once (batch and watch); each input keeps exactly one row. A folder of an older
newsbrief (index.json, no store) is migrated on its next run: its entries and briefs go into the store.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..api import FileResult, brief_files
from ..errors import OutputError, os_reason
from ..files import sha256_bytes, write_atomic
from ..nlp import Pipeline
from ..output import to_json, to_markdown
from ..schema import Brief
from ..settings import Settings
from ..sources.filesystems import is_fs_uri
from ..sources.web import is_url
from ..store import STORE_NAME, Store, brief_rows
from ..store.rows import brief_day
from ..stories.lexicon import StoryLexicon, story_lexicon
from .collections import DIGEST_FOLDER, collections_missing, migrate_index, write_collections
from .discover import batch_inputs, is_remote
from .names import TakenSlugs, article_slug, index_key, safe_name

if TYPE_CHECKING:
    from ..writer import Writer
    from .ray_engine import RayEngine

STALE_TEMP_SECONDS = 600  # a temporary file this old belongs to a killed run, not to a writer at work

Status = Literal["ok", "cached", "failed"]


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


class BatchRun:
    """One run over a folder into an output folder. Use :func:`brief_folder` for the common case."""

    def __init__(self, out: Path, *, pipeline: Pipeline | None = None, workers: int = 1, writer: Writer | None = None,
                 writer_batch: int = 8, settings: Settings | None = None, engine: RayEngine | None = None,
                 remote_stats: dict[str, list[int]] | None = None,
                 full_exports: Literal["each run", "at close"] = "each run") -> None:
        self.out = Path(out)
        # figures.csv and index.json cover the whole archive: "each run" writes them at the end of every run, "at
        # close" (watch: a run per file that lands) when the run is closed, so an article costs no whole export.
        self.full_exports = full_exports
        self.workers = max(1, workers)
        self.writer = writer  # None for fact sheets only (or when the engine's workers load it)
        self.writer_batch = max(1, writer_batch)
        self.engine = engine  # None: this machine's worker processes; else Ray (see ray_engine)
        # Built (and jieba's dictionary loaded) here, before any worker starts.
        self.pipeline = pipeline or Pipeline(settings=settings)
        # A cached brief is reused only when everything that changes a brief is unchanged.
        model = engine.writer_description(self.pipeline.settings) if engine else writer.describe() if writer else None
        self.cache_key = self.pipeline.fingerprint(model=model)
        self.remote_stats = remote_stats or {}  # URI -> [size, mtime_ns] as listed (see batch_inputs)
        self._store: Store | None = None
        self._touched: set[str] = set()  # days whose digest page changed in this run
        self._changed = False  # a row changed: the index.json export (and digest, CSV) are written again

    @property
    def store(self) -> Store:
        if self._store is None:
            raise RuntimeError("use BatchRun as a context manager: `with BatchRun(out) as run: ...`")
        return self._store

    # -- store

    def __enter__(self) -> BatchRun:
        if self.out.exists() and not self.out.is_dir():
            raise OutputError(self.out, "is a file, not a folder; choose another --out")
        try:
            self.out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(self.out, f"cannot create the output folder ({os_reason(exc)})") from None
        for name in ("index.json", "digest.md", "figures.csv"):
            if (self.out / name).is_dir():
                raise OutputError(self.out / name, "is a folder where newsbrief keeps a file; move it away")
        self._store = Store.open(self.out / STORE_NAME)
        if self._store.created and migrate_index(self.out, self._store, self._lexicon()):
            self._touched.update(day for day, _ in self._store.days())
        # Temporary files of a run killed mid-write (young ones may be another run's, at work).
        for folder in (self.out, self.out / DIGEST_FOLDER):
            for stale in folder.glob(".*.tmp"):
                try:
                    if time.time() - stale.stat().st_mtime > STALE_TEMP_SECONDS:
                        stale.unlink()
                except OSError:
                    pass
        return self

    def __exit__(self, *exc_info) -> None:
        if self._store is not None:
            try:
                if self.full_exports == "at close" and (self._changed or collections_missing(self.out)):
                    write_collections(self.out, self.store, set(), full=True)
            finally:
                self._store.close()
            self._store = None

    def _lexicon(self) -> StoryLexicon:
        """What the store's rows read of the lexicons (folding, measure cues, company words)."""
        return story_lexicon(self.pipeline.resources)

    # -- cache

    def cached(self, path: Path | str, data_hash: str | None) -> ArticleResult | None:
        """The article's earlier result, if its content and fingerprint are unchanged. A deleted or truncated
        export is written again from the store."""
        entry = self.store.entry(index_key(path))
        if not entry or entry.get("status") != "ok" or entry.get("content_sha256") != data_hash \
                or entry.get("options") != self.cache_key or not entry.get("slug"):
            return None
        if not self._whole(entry):
            brief = self.store.brief(entry["slug"])
            if brief is None:
                return None
            self._export(entry["slug"], brief)
        return ArticleResult(str(path), "cached", data_hash, entry["slug"], entry["outputs"], entry["warnings"])

    def _whole(self, entry: dict) -> bool:
        """Whether an entry's exports are there at the size they were written (a truncated one is not)."""
        sizes = entry.get("sizes") or [None] * len(entry["outputs"])
        for name, size in zip(entry["outputs"], sizes, strict=False):
            try:
                actual = (self.out / name).stat().st_size
            except OSError:
                return False
            if not actual or (size is not None and actual != size):
                return False
        return True

    # -- processing

    def run(self, paths: list[Path] | list[str], on_result: Callable[[ArticleResult, int, int], None] | None = None
            ) -> BatchReport:
        started = time.perf_counter()
        self._forget_deleted_inputs()
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
        if todo:
            for briefed in self._brief(todo):
                result = self._settle(briefed)
                results.append(result)
                if on_result:
                    on_result(result, len(results), len(paths))
        if self._changed or self._touched or collections_missing(self.out):
            self.write_collections()
        return BatchReport(results, self.out, time.perf_counter() - started)

    def _brief(self, paths: list[Path]) -> Iterator[FileResult]:
        if self.engine is not None:
            return self.engine.results([str(p) for p in paths], self.pipeline, self.cache_key)
        return brief_files(paths, pipeline=self.pipeline, workers=self.workers, writer=self.writer,
                           summary=self.writer is not None, writer_batch=self.writer_batch)

    def _cache_hit(self, path: Path | str) -> ArticleResult | None:
        if is_url(str(path)):
            return None  # a page is fetched to know whether it changed; feeds keep their own state
        if is_fs_uri(str(path)):  # an object unchanged since it was briefed, by its listing: not read
            entry = self.store.entry(str(path)) or {}
            unchanged = entry.get("stat") is not None and entry.get("stat") == self.remote_stats.get(str(path))
            return self.cached(path, entry.get("content_sha256")) if unchanged else None
        path = Path(path)
        try:
            if path.stat().st_size > self.pipeline.max_bytes:
                return None
            return self.cached(path, sha256_bytes(path.read_bytes()))
        except OSError:
            return None

    def _settle(self, briefed: FileResult) -> ArticleResult:
        """Write a briefed article's files and commit its row with its brief's rows."""
        path, brief, data_hash = briefed.path, briefed.brief, briefed.content_sha256
        key = index_key(path)
        if brief is None:
            return self._record(ArticleResult(path, "failed", data_hash, error=briefed.error))
        if briefed.english_error:  # not cached: the next run writes the English again
            return self._record(ArticleResult(path, "failed", data_hash,
                                              error=f"{path}: the English could not be written: "
                                                    f"{briefed.english_error}"))
        twin = self._same_content(key, data_hash)
        if twin is not None:  # the same article under another name or link: briefed once
            return self._record(ArticleResult(path, "cached", data_hash, twin["slug"], list(twin["outputs"]),
                                              list(twin.get("warnings", []))), twin.get("sizes"))
        with self.store.transaction():  # the slug is chosen, the files written and the rows put as one
            slug = article_slug(brief, data_hash or brief.meta.content_sha256, TakenSlugs(self.store, key))
            sizes = self._export(slug, brief)
            result = ArticleResult(path, "ok", data_hash, slug, [f"{slug}.json", f"{slug}.md"],
                                   [f"{w.code}: {w.message}" for w in brief.warnings])
            previous = self._put(result, brief_rows(slug, brief, self._lexicon()), sizes)
        self._touched.add(brief_day(brief))
        self._after_replacing(previous, result)
        return result

    def _record(self, result: ArticleResult, sizes: list[int] | None = None) -> ArticleResult:
        with self.store.transaction():
            previous = self._put(result, None, sizes)
        self._after_replacing(previous, result)
        return result

    def _put(self, result: ArticleResult, rows, sizes: list[int] | None = None) -> dict | None:
        entry = result.index_entry(self.cache_key)
        entry["path"] = key = index_key(result.path)
        if sizes is not None:
            entry["sizes"] = sizes
        if key in self.remote_stats:
            entry["stat"] = self.remote_stats[key]
        previous = self.store.entry(key)
        if previous and previous.get("slug") and previous["slug"] != result.slug:
            previous["day"] = self.store.day_of(previous["slug"])
        self.store.put(entry, rows)
        self._changed = True
        return previous

    def _after_replacing(self, previous: dict | None, result: ArticleResult) -> None:
        """An earlier version's outputs (another slug: new content, an English title) leave with it."""
        if previous and previous.get("slug") and previous["slug"] != result.slug:
            if previous.get("day"):
                self._touched.add(previous["day"])
            self._remove_outputs(previous)

    def _export(self, slug: str, brief: Brief) -> list[int]:
        """Write a brief's JSON and Markdown; returns their sizes in bytes (how a truncated one is told)."""
        sizes = []
        for suffix, text in ((".json", to_json(brief)), (".md", to_markdown(brief))):
            data = text.encode("utf-8")
            write_atomic(self.out / f"{slug}{suffix}", data)
            sizes.append(len(data))
        return sizes

    def _same_content(self, key: str, data_hash: str | None) -> dict | None:
        """An entry of another input with the same bytes, briefed under the same fingerprint."""
        for entry in self.store.with_content(data_hash or "", self.cache_key):
            if entry["path"] != key and all((self.out / name).is_file() for name in entry["outputs"]):
                return entry
        return None

    def _forget_deleted_inputs(self) -> None:
        """Inputs that no longer exist leave the store, the digest and the CSV, outputs and all."""
        gone = [key for key in self.store.input_keys() if not is_remote(key) and not os.path.lexists(key)]
        if not gone:
            return
        removed = self.store.remove(gone)
        # A twin of a deleted input shares its brief, which names the deleted file: brief it again.
        slugs = {entry.get("slug") for entry in removed} - {None}
        twins = [key for key, entry in self.store.entries().items() if entry.get("slug") in slugs]
        removed += self.store.remove(twins)
        for entry in removed:
            self._remove_outputs(entry)
        self._changed = True
        self._touched.add("")  # some day lost a brief: every page is checked (see write_collections)

    def _remove_outputs(self, entry: dict) -> None:
        slug = entry.get("slug")
        if not slug or self.store.slug_taken(slug, ""):
            return  # another input (a twin) still shows this brief
        for name in entry.get("outputs", []):
            if safe_name(name):
                (self.out / name).unlink(missing_ok=True)

    # -- digest and CSV

    def write_collections(self) -> None:
        """The digest's pages of the days this run changed (every page after inputs were deleted), the digest's
        index, figures.csv and the index.json export."""
        days = None if "" in self._touched or not (self.out / "digest.md").is_file() else set(self._touched)
        full = self.full_exports == "each run"
        write_collections(self.out, self.store, days, full=full)
        self._touched.clear()
        self._changed = self._changed and not full


def brief_folder(
    folder: str | os.PathLike[str],  # a folder, a text file of page URLs, or a filesystem URI (s3://…)
    out: str | os.PathLike[str],
    *,
    workers: int = 1,
    summary: bool = True,
    pattern: str | None = None,
    pipeline: Pipeline | None = None,
    writer: Writer | None = None,
    settings: Settings | None = None,
    engine: RayEngine | None = None,
    on_result: Callable[[ArticleResult, int, int], None] | None = None,
) -> BatchReport:
    """Brief every article under `folder` (or every page of a text file listing URLs) into `out`
    (see the module docstring for the layout).

    With `summary` the English is written by `writer` (default: the default model's writer).
    With `engine` (a :class:`~pipeline.folders.ray_engine.RayEngine`) the articles are briefed on
    Ray, and the English by the engine's workers (its `writer` spec; default: the default model).
    """
    out_path = Path(out)
    paths, stats = batch_inputs(folder, out_path, pattern)
    if engine is not None:
        from .ray_engine import WriterSpec

        writer = None
        engine = replace(engine, writer=(engine.writer or WriterSpec()) if summary else None)
    elif summary and writer is None:
        from ..writer import default_writer

        writer = default_writer(settings=settings)
    with BatchRun(out_path, pipeline=pipeline, workers=workers, writer=writer if summary else None,
                  settings=settings, engine=engine, remote_stats=stats) as run:
        return run.run(paths, on_result)
