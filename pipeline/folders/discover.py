"""Which files of a folder are articles."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..ingest import ARTICLE_SUFFIXES

BATCH_SUFFIXES = {s for s in ARTICLE_SUFFIXES if s}  # .txt .md .html …: no extension-less files


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
