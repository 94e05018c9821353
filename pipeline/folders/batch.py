"""Batch a news folder: brief every article, resumably, with a cache, a digest and a CSV.

Layout of an output folder::

    OUT/<slug>.json, OUT/<slug>.md   one brief per article
    OUT/digest.md                    all briefs, newest first, with a table of contents
    OUT/figures.csv                  one row per figure across all articles
    OUT/index.json                   one entry per input file: hash, status, outputs, error
    OUT/.newsbrief.lock              held while a run writes to OUT

Every file is written atomically (temporary file + rename) and index.json is rewritten after
each article, so a run killed at any point leaves complete files; the next run skips what is
done (same content hash and the same fingerprint: code, lexicons, settings, model) and
finishes the rest.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from filelock import FileLock, Timeout

from ..api import FileResult, brief_files
from ..errors import NewsbriefError, OutputError, os_reason
from ..files import display_name, romanise, sha256_bytes, slugify, write_atomic
from ..nlp import Pipeline
from ..output import digest_markdown, figures_csv, to_json, to_markdown
from ..schema import Brief
from ..settings import Settings
from ..sources.filesystems import is_fs_uri
from ..sources.web import is_url, redact_url
from .discover import batch_inputs, is_remote

if TYPE_CHECKING:
    from ..writer import Writer
    from .ray_engine import RayEngine

INDEX_VERSION = 1
LOCK_NAME = ".newsbrief.lock"

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


class OutputLocked(NewsbriefError):
    """Another run holds the output folder's lock."""


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


def index_key(path: Path | str) -> str:
    """Index entries are keyed by absolute path, so a run from another folder finds them (a web
    page by its URL, an object by its URI)."""
    if is_url(str(path)):
        return redact_url(str(path))  # a password in a URL is never written, not even in the index
    return str(path) if is_remote(str(path)) else display_name(str(Path(path).resolve()))


# --------------------------------------------------------------------------- the run


class BatchRun:
    """One run over a folder into an output folder. Use :func:`brief_folder` for the common case."""

    def __init__(self, out: Path, *, pipeline: Pipeline | None = None, workers: int = 1, writer: Writer | None = None,
                 writer_batch: int = 8, settings: Settings | None = None, engine: RayEngine | None = None,
                 remote_stats: dict[str, list[int]] | None = None) -> None:
        self.out = Path(out)
        self.workers = max(1, workers)
        self.writer = writer  # None for fact sheets only (or when the engine's workers load it)
        self.writer_batch = max(1, writer_batch)
        self.engine = engine  # None: this machine's worker processes; else Ray (see ray_engine)
        # Built (and jieba's dictionary loaded) here, before any worker starts.
        self.pipeline = pipeline or Pipeline(settings=settings)
        # A cached brief is reused only when everything that changes a brief is unchanged.
        model = engine.writer_description(self.pipeline.settings) if engine else writer.describe() if writer else None
        self.cache_key = self.pipeline.fingerprint(model=model)
        self.index_path = self.out / "index.json"
        self.index: dict = {"version": INDEX_VERSION, "files": {}}
        self.lock = FileLock(str(self.out / LOCK_NAME))
        self._loaded: dict[str, Brief] = {}  # slug -> brief read or written in this run
        self._keys_by_content: dict[str, list[str]] = {}  # content sha256 -> index keys (checked on use)
        self.remote_stats = remote_stats or {}  # URI -> [size, mtime_ns] as listed (see batch_inputs)

    # -- lock and index

    def __enter__(self) -> BatchRun:
        if self.out.exists() and not self.out.is_dir():
            raise OutputError(self.out, "is a file, not a folder; choose another --out")
        try:
            self.out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(self.out, f"cannot create the output folder ({os_reason(exc)})") from None
        for name in (LOCK_NAME, "index.json"):
            if (self.out / name).is_dir():
                raise OutputError(self.out / name, "is a folder where newsbrief keeps a file; move it away")
        try:
            self.lock.acquire(timeout=0)
        except Timeout:
            raise OutputLocked(f"{self.out}: another newsbrief run is writing here "
                               f"(lock {self.out / LOCK_NAME}); wait for it or choose another --out") from None
        except OSError as exc:
            raise OutputError(self.out / LOCK_NAME, f"cannot take the lock ({os_reason(exc)}); "
                              "is the folder writable?") from None
        self.index = self._read_index()
        for key, entry in self.index["files"].items():
            self._note_content(key, entry.get("content_sha256"))
        # Temporary files of a run that was killed mid-write (we hold the lock: nobody else writes).
        for stale in self.out.glob(".*.tmp"):
            stale.unlink(missing_ok=True)
        return self

    def __exit__(self, *exc_info) -> None:
        self.lock.release()

    def _read_index(self) -> dict:
        """The index, keeping only well-formed entries: anything else is rebuilt (outputs redone)."""
        fresh = {"version": INDEX_VERSION, "files": {}}
        try:
            data = json.loads(self.index_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return fresh
        files = data.get("files") if isinstance(data, dict) and data.get("version") == INDEX_VERSION else None
        if not isinstance(files, dict):
            return fresh
        return {"version": INDEX_VERSION, "files": {key: entry for key, entry in files.items() if _well_formed(entry)}}

    def _write_index(self) -> None:
        write_atomic(self.index_path, json.dumps(self.index, ensure_ascii=False, indent=1) + "\n")

    # -- cache

    def cached(self, path: Path | str, data_hash: str | None) -> ArticleResult | None:
        """The article's earlier result, if its content and fingerprint are unchanged and its outputs
        are still whole (a truncated or deleted output is briefed again)."""
        entry = self.index["files"].get(index_key(path))
        if not entry or entry.get("status") != "ok" or entry.get("content_sha256") != data_hash \
                or entry.get("options") != self.cache_key or not entry.get("slug"):
            return None
        try:
            brief = Brief.model_validate_json((self.out / f"{entry['slug']}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not all((self.out / name).is_file() and (self.out / name).stat().st_size for name in entry["outputs"]):
            return None
        self._loaded[entry["slug"]] = brief  # the digest needs it again
        return ArticleResult(str(path), "cached", data_hash, entry.get("slug"), entry.get("outputs", []),
                             entry.get("warnings", []))

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
                result = self._finish(briefed)
                self._record(result)
                results.append(result)
                if on_result:
                    on_result(result, len(results), len(paths))
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
            entry = self.index["files"].get(str(path)) or {}
            unchanged = entry.get("stat") is not None and entry.get("stat") == self.remote_stats.get(str(path))
            return self.cached(path, entry.get("content_sha256")) if unchanged else None
        path = Path(path)
        try:
            if path.stat().st_size > self.pipeline.max_bytes:
                return None
            return self.cached(path, sha256_bytes(path.read_bytes()))
        except OSError:
            return None

    def _finish(self, briefed: FileResult) -> ArticleResult:
        path, brief, data_hash = briefed.path, briefed.brief, briefed.content_sha256
        if brief is None:
            return ArticleResult(path, "failed", data_hash, error=briefed.error)
        if briefed.english_error:  # not cached: the next run writes the English again
            return ArticleResult(path, "failed", data_hash,
                                 error=f"{path}: the English could not be written: {briefed.english_error}")
        twin = self._same_content(index_key(path), data_hash)
        if twin is not None:  # the same article under another name or link: briefed once
            return ArticleResult(path, "cached", data_hash, twin["slug"], list(twin["outputs"]),
                                 list(twin.get("warnings", [])))
        taken = {e.get("slug") for p, e in self.index["files"].items() if p != index_key(path)}
        slug = article_slug(brief, data_hash or brief.meta.content_sha256, taken)
        # Outputs first, index last: a kill in between only costs redoing this article.
        write_atomic(self.out / f"{slug}.json", to_json(brief))
        write_atomic(self.out / f"{slug}.md", to_markdown(brief))
        self._loaded[slug] = brief
        return ArticleResult(path, "ok", data_hash, slug, [f"{slug}.json", f"{slug}.md"],
                             [f"{w.code}: {w.message}" for w in brief.warnings])

    def _same_content(self, key: str, data_hash: str | None) -> dict | None:
        """An entry of another input with the same bytes, briefed under the same fingerprint."""
        for other in self._keys_by_content.get(data_hash or "", []):
            entry = self.index["files"].get(other)
            if other != key and entry and entry.get("status") == "ok" and entry.get("content_sha256") == data_hash \
                    and entry.get("options") == self.cache_key and entry.get("slug") \
                    and all((self.out / name).is_file() for name in entry.get("outputs", [])):
                return entry
        return None

    def _note_content(self, key: str, data_hash: str | None) -> None:
        keys = self._keys_by_content.setdefault(data_hash, []) if data_hash else None
        if keys is not None and key not in keys:
            keys.append(key)

    def _record(self, result: ArticleResult) -> None:
        key = index_key(result.path)
        previous = self.index["files"].get(key)
        self.index["files"][key] = result.index_entry(self.cache_key)
        if key in self.remote_stats:
            self.index["files"][key]["stat"] = self.remote_stats[key]
        self._note_content(key, result.content_sha256)
        self._write_index()
        if previous:  # an earlier version's outputs (another slug: new content, English title)
            self._remove_outputs(previous, keep=set(result.outputs))

    def _forget_deleted_inputs(self) -> None:
        """Inputs that no longer exist leave the index, the digest and the CSV, outputs and all."""
        gone = {key: entry for key, entry in self.index["files"].items()
                if not is_remote(key) and not os.path.lexists(key)}
        if not gone:
            return
        for key in gone:
            del self.index["files"][key]
        # A twin of a deleted input shares its brief, which names the deleted file: brief it again.
        slugs = {entry.get("slug") for entry in gone.values()} - {None}
        for key in [k for k, e in self.index["files"].items() if e.get("slug") in slugs]:
            del self.index["files"][key]
        self._write_index()
        for entry in gone.values():
            self._remove_outputs(entry)

    def _remove_outputs(self, entry: dict, keep: frozenset[str] | set[str] = frozenset()) -> None:
        doomed = [name for name in entry.get("outputs", []) if name not in keep]
        if not doomed:
            return  # the usual re-brief: same outputs; no need to look at the whole index
        in_use = {name for e in self.index["files"].values() for name in e.get("outputs", [])}
        for name in doomed:
            if name not in in_use:
                (self.out / name).unlink(missing_ok=True)

    # -- digest and CSV

    def load_briefs(self) -> list[tuple[str, Brief]]:
        briefs = []
        listed: set[str] = set()
        for entry in self.index["files"].values():
            if entry.get("status") != "ok" or not entry.get("slug") or entry["slug"] in listed:
                continue  # one article under two names or links is listed once
            slug = entry["slug"]
            listed.add(slug)
            if slug not in self._loaded:
                try:
                    self._loaded[slug] = Brief.model_validate_json(
                        (self.out / f"{slug}.json").read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    continue
            briefs.append((slug, self._loaded[slug]))
        return briefs

    def write_collections(self) -> None:
        briefs = self.load_briefs()
        write_atomic(self.out / "digest.md", digest_markdown(briefs))
        write_atomic(self.out / "figures.csv", figures_csv(briefs))


def _safe_name(name: object) -> bool:
    """An output named in index.json: a plain file name in the output folder, never a path."""
    return isinstance(name, str) and name == Path(name).name and not name.startswith(".") and name not in ("", "..")


def _well_formed(entry: object) -> bool:
    return (isinstance(entry, dict) and isinstance(entry.get("outputs", []), list)
            and all(_safe_name(n) for n in entry.get("outputs", []))
            and (entry.get("slug") is None or _safe_name(entry.get("slug"))))


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
