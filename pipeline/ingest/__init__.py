"""Ingest: read an article file (text, Markdown or HTML), decode it, find its title,
source and publish date, and strip scraping boilerplate while keeping every body sentence.

Rooms: ``read`` (bytes and encodings), ``formats`` (Markdown, HTML), ``clean`` (title, byline,
boilerplate), ``article`` (the result).
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

from ..errors import InputError
from ..resources import Resources, default_resources
from ..schema import DatePrecision, SourceFormat
from ..settings import DEFAULT_MAX_BYTES, DEFAULT_MAX_CHARS
from .article import Article
from .clean import _DATE_RE, Boilerplate, check_chinese, clean_field, clean_lines, parse_byline, parse_date
from .formats import ARTICLE_SUFFIXES, _html_article, _markdown_lines, detect_format
from .read import decode_bytes, read_article_bytes

_SURROGATE = re.compile("[\ud800-\udfff]")

__all__ = [
    "ARTICLE_SUFFIXES",
    "DEFAULT_MAX_BYTES",
    "Article",
    "decode_bytes",
    "ingest_bytes",
    "ingest_file",
    "ingest_text",
    "parse_byline",
    "read_article_bytes",
]


def ingest_text(
    text: str,
    *,
    path: Path | str | None = None,
    fmt: SourceFormat | None = None,
    encoding: str | None = None,
    title: str | None = None,
    source: str | None = None,
    published: datetime | None = None,
    resources: Resources | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Article:
    """Ingest already-decoded article text (at most `max_chars` characters)."""
    if len(text) > max_chars:
        raise InputError(path, f"too long: {len(text):,} characters after decoding; the limit is {max_chars:,}")
    resources = resources or default_resources()
    boilerplate = Boilerplate.from_resources(resources)
    # Lone surrogates (only a str can hold them) cannot be written out as UTF-8 anywhere later.
    text = _SURROGATE.sub("\ufffd", text).replace("\r\n", "\n").replace("\r", "\n")
    title, source = clean_field(title), clean_field(source)
    fmt = fmt or detect_format(Path(path) if path else None, text)
    known_date: tuple[datetime, DatePrecision] | None = (published, "minute") if published else None
    if fmt == "html":
        lines, html_title, sitename, html_date = _html_article(text, path)
        title, source = title or clean_field(html_title), source or clean_field(sitename)
        known_date = known_date or html_date
    elif fmt == "markdown":
        lines, front = _markdown_lines(text)
        title = title or clean_field(front.get("title"))
        source = source or clean_field(front.get("source") or front.get("author"))
        if not known_date and front.get("date"):
            m = re.match(_DATE_RE, front["date"])
            known_date = parse_date(m) if m else None
    else:
        lines = text.split("\n")
    article = clean_lines(
        lines, boilerplate=boilerplate, path=path, title=title, source=source,
        published=known_date, fmt=fmt, encoding=encoding,
    )
    check_chinese(article, path)
    return article


def ingest_file(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_chars: int = DEFAULT_MAX_CHARS,
    resources: Resources | None = None,
) -> Article:
    """Read, decode and clean one article file. Raises :class:`InputError` on bad input."""
    path = Path(path)
    return ingest_bytes(read_article_bytes(path, max_bytes=max_bytes), path, resources=resources,
                        max_chars=max_chars)


def ingest_bytes(
    data: bytes, path: Path | str | None, *, resources: Resources | None = None, max_chars: int = DEFAULT_MAX_CHARS
) -> Article:
    """Decode and clean the bytes of an article already read (`path` names it in errors)."""
    if len(data) > 4 * max_chars:  # no encoding takes more than 4 bytes a character: too long before decoding
        raise InputError(path, f"too long: {len(data):,} bytes is over {max_chars:,} characters, the limit")
    text, encoding = decode_bytes(data, path)
    return ingest_text(text, path=path, encoding=encoding, resources=resources, max_chars=max_chars)
