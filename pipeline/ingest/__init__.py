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
from ..files import LONE_SURROGATE
from ..resources import Resources, default_resources
from ..schema import DatePrecision, SourceFormat
from ..settings import DEFAULT_MAX_BYTES, DEFAULT_MAX_CHARS
from .article import Article
from .clean import (
    _DATE_RE,
    Boilerplate,
    check_chinese,
    clean_field,
    clean_lines,
    parse_byline,
    parse_date,
    plausible_date,
)
from .formats import ARTICLE_SUFFIXES, _html_article, _markdown_lines, detect_format
from .read import decode_bytes, read_article_bytes

# A web page's markup may be this many times its text: the character limit counts the extracted article.
HTML_MARKUP_FACTOR = 10

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
    """Ingest already-decoded article text (at most `max_chars` characters: of a web page, of the
    article extracted from it, since markup is not text; the byte limit guards the download)."""
    fmt = fmt or detect_format(Path(path) if path else None, text)
    if len(text) > (HTML_MARKUP_FACTOR * max_chars if fmt == "html" else max_chars):
        raise InputError(path, f"too long: {len(text):,} characters after decoding; the limit is {max_chars:,}")
    resources = resources or default_resources()
    boilerplate = Boilerplate.from_resources(resources)
    # Lone surrogates (only a str can hold them) cannot be written out as UTF-8 anywhere later.
    text = LONE_SURROGATE.sub("\ufffd", text).replace("\r\n", "\n").replace("\r", "\n")
    title, source = clean_field(title), clean_field(source)
    known_date: tuple[datetime, DatePrecision] | None = (published, "minute") if published else None
    if fmt == "html":
        lines, html_title, sitename, html_date = _html_article(text, path)
        extracted = sum(len(line) + 1 for line in lines)
        if extracted > max_chars:
            raise InputError(path, f"too long: the page's article is {extracted:,} characters; the limit is "
                             f"{max_chars:,}")
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
    found_in_page = known_date is not None and not published
    future = found_in_page and not plausible_date(known_date[0])  # type: ignore[index]
    article = clean_lines(
        lines, boilerplate=boilerplate, path=path, title=title, source=source,
        published=None if future else known_date, fmt=fmt, encoding=encoding,
    )
    if future:  # a page's own metadata dated 2099: no publish date, and say so
        article.notes.append(f"publish date {known_date[0]:%Y-%m-%d} is in the future; not used")  # type: ignore[index]
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
    # No encoding takes more than 4 bytes a character: too long before decoding (a page's markup may be
    # many times its text).
    if len(data) > 4 * HTML_MARKUP_FACTOR * max_chars:
        raise InputError(path, f"too long: {len(data):,} bytes is over {max_chars:,} characters, the limit")
    text, encoding = decode_bytes(data, path)
    return ingest_text(text, path=path, encoding=encoding, resources=resources, max_chars=max_chars)
