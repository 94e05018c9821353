"""Ingest: read an article file (text, Markdown or HTML), decode it, find its title,
source and publish date, and strip scraping boilerplate while keeping every body sentence.

Rooms: ``read`` (bytes and encodings), ``formats`` (Markdown, HTML), ``clean`` (title, byline,
boilerplate), ``article`` (the result).

Bad input, and time bounded

Bad input (empty, binary, undecodable, over `--max-mb` (5 MB) or `--max-chars` (300,000 characters after
decoding), a folder, a missing path, a symlink loop, not Chinese, HTML without an article) gets one line on
stderr naming the file and the reason; the other files are still briefed and the exit status is 1. So does
an output that cannot be written (a read-only place, a file where a folder should be, `--out` equal to the
folder being briefed); two inputs with the same name go to `name.json` and `name-2.json`; a file name that
is not UTF-8 (GBK bytes from a Windows zip) is briefed and written as `\\xb2\\xe2.txt`. Numbers and dates a
reader cannot see or believe are not read as figures: invisible format characters inside a number
(U+200B–U+200D, U+2060, soft hyphens) are removed at ingest, full-width digits and thousands separators read
as ASCII ones, a number beyond 10^17 is refused with a warning, and a byline dated in the future or
impossibly (2024-02-30) keeps its source and loses only its date, with a warning. A web page's character
limit counts the article extracted from it, not its markup. A `NEWSBRIEF_HOME` that is a file or a symlink
loop, or a resource file under `NEWSBRIEF_CORPUS` that is not UTF-8, is one line naming it; so is a bad
option value (`--interval`, `--settle`, `--max-mb`). `--debug` shows tracebacks. Encodings: UTF-8,
GB18030/GBK, Big5, UTF-16 and UTF-32 with or without a byte-order mark.

Time is bounded: every stage is linear in the length of the article (`benchmarks/bench_hostile.py` measures
it on inputs up to 200,000 characters and on pathological ones), so the character limit bounds time and
memory (13 s and 0.54 GB peak for a 299,000-character article, measured). Text is never interpreted: control
characters and bidirectional overrides are dropped from titles and sources and shown as visible symbols (ESC
as ␛) in the terminal, the Markdown and the CSV; article text and file names are escaped in Markdown;
`figures.csv` cells that a spreadsheet would run as formulas (`=`, `+`, `-`, `@`) start with an apostrophe.
A damaged generation cache is moved aside and rebuilt, with a note.

The stage in full

ingest (`pipeline/ingest/` (`read`, `formats`, `clean`, `article`)): size/binary checks, encoding detection
    (UTF-8, BOM, GB18030/GBK, Big5, UTF-16 via charset-normalizer), HTML article extraction (trafilatura,
    htmldate), Markdown, title and byline (`TT123跨境电商 2023-08-15 15:41`), the outlet's tags taken off
    the title into `meta.title_tags` when they name the byline's source (`36氪独家
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
