"""Which files of a folder are articles."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError, OutputError
from ..ingest import ARTICLE_SUFFIXES

BATCH_SUFFIXES = {s for s in ARTICLE_SUFFIXES if s}  # .txt .md .html …: no extension-less files


def find_articles(root: Path, pattern: str | None = None, exclude: Path | None = None) -> list[Path]:
    """Article files under `root`, recursively, sorted; hidden files and the output folder skipped."""
    root = Path(root)
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise InputError(root, "no such folder")
    exclude = safe_resolve(exclude) if exclude else None
    found = []
    for path in root.rglob(pattern or "*"):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts) or path.suffix.lower() not in BATCH_SUFFIXES:
            continue
        resolved = safe_resolve(path)
        if resolved is None:
            continue  # a symlink loop or a broken link: not an article
        if exclude and (resolved == exclude or exclude in resolved.parents):
            continue
        if path.is_file():
            found.append(path)
    return sorted(found)


_HAN = re.compile(r"[\u4e00-\u9fff]")


def url_list(path: Path) -> list[str] | None:
    """The URLs of a text file that lists web pages, one a line ('#' comments), else None."""
    from ..sources.web import is_url

    try:
        if not path.is_file() or path.stat().st_size > 10 * 1024 * 1024:
            return None
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
    except (OSError, UnicodeDecodeError):
        return None
    urls = [ln for ln in lines if ln and not ln.startswith("#")]
    # A list of links with a typo in one (htp://…) is still a list of links: the bad line fails alone.
    if not urls or any(" " in u or _HAN.search(u) for u in urls) or 2 * sum(map(is_url, urls)) < len(urls):
        return None
    return urls


def safe_resolve(path: Path) -> Path | None:
    """The real path, or None for a symlink loop or an unreadable link (never raises)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: "Symlink loop" before Python 3.13
        return None


def check_output_folder(folder: Path, out: Path) -> None:
    """Outputs never go into the very folder being briefed (they would be mixed with the articles)."""
    if folder.is_dir() and safe_resolve(folder) == safe_resolve(out):
        raise OutputError(out, "is the folder being briefed; choose another --out")


def is_remote(name: str) -> bool:
    """A web page's URL or a filesystem URI (s3://…): named as given, never resolved as a path."""
    from ..sources.filesystems import is_fs_uri
    from ..sources.web import is_url

    return is_url(name) or is_fs_uri(name)


def batch_inputs(source: str | Path, out: Path, pattern: str | None = None
                 ) -> tuple[list[Path] | list[str], dict[str, list[int]]]:
    """What `batch` briefs into `out`: the articles of a folder, the pages of a URL list, or the
    articles under a filesystem URI, with the size and modification time of each of the last
    (listed at once, so an unchanged object is served from the cache without being read)."""
    from ..sources.filesystems import is_fs_uri, list_articles

    name = str(source)
    if is_fs_uri(name):
        listed = list_articles(name, BATCH_SUFFIXES, pattern)
        return [f.uri for f in listed], {f.uri: f.stat for f in listed}
    check_output_folder(Path(source), out)
    return url_list(Path(source)) or find_articles(Path(source), pattern, exclude=out), {}
