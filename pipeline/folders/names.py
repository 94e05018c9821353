"""Names in an output folder: a brief's slug, an input's key in the store, and what the store may name."""

from __future__ import annotations

from collections.abc import Container
from pathlib import Path

from ..files import display_name, romanise, slugify
from ..schema import Brief
from ..sources.web import is_url, redact_url
from ..store import Store
from .discover import is_remote


def article_slug(brief: Brief, content_sha256: str, taken: Container[str]) -> str:
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


class TakenSlugs:
    """The slugs other inputs hold, asked of the store one at a time (no set of every slug per article)."""

    def __init__(self, store: Store, key: str) -> None:
        self.store, self.key = store, key

    def __contains__(self, slug: object) -> bool:
        return isinstance(slug, str) and self.store.slug_taken(slug, self.key)


def safe_name(name: object) -> bool:
    """An output named in index.json: a plain file name in the output folder, never a path."""
    return isinstance(name, str) and name == Path(name).name and not name.startswith(".") and name not in ("", "..")


def well_formed(entry: object) -> bool:
    return (isinstance(entry, dict) and isinstance(entry.get("outputs", []), list)
            and all(safe_name(n) for n in entry.get("outputs", []))
            and (entry.get("slug") is None or safe_name(entry.get("slug"))))
