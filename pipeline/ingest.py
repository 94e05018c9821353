"""Ingest: read an article file (text, Markdown or HTML), decode it, find its title,
source and publish date, and strip scraping boilerplate while keeping every body sentence.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .errors import InputError
from .resources import Resources, default_resources, read_lines
from .schema import ArticleMeta, DatePrecision, SourceFormat

DEFAULT_MAX_BYTES = 5 * 1024 * 1024  # far above any news article; keeps memory bounded
MIN_CJK_CHARS = 20
MIN_ARTICLE_CHARS = 30
MIN_CJK_SHARE = 0.30  # of letters (CJK + Latin); the seed article with its English names is ~0.9

TEXT_SUFFIXES = {".txt", ".text", ""}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
ARTICLE_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES

# Encodings a Chinese news file realistically comes in, after UTF-8 has been tried.
_CHINESE_CODECS = ["gb18030", "big5", "big5hkscs", "utf_16", "utf_32"]

_BINARY_MAGIC = {
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"%PDF": "PDF document",
    b"PK\x03\x04": "ZIP archive (or docx/xlsx)",
    b"\x1f\x8b": "gzip archive",
    b"\x7fELF": "executable",
    b"RIFF": "RIFF media file",
}

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_HTML_SNIFF = re.compile(r"^\s*(<!doctype html|<html|<head|<body|<article|<div|<p[ >])", re.IGNORECASE)


@dataclass
class Article:
    """An ingested article: cleaned body text with its metadata.

    ``text`` is the reference for every character offset later stages produce.
    """

    text: str
    title: str
    source: str | None = None
    published: datetime | None = None
    published_precision: DatePrecision | None = None
    file: str | None = None
    format: SourceFormat = "text"
    encoding: str | None = None
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    removed_lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def content_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def meta(self) -> ArticleMeta:
        return ArticleMeta(
            title=self.title,
            source=self.source,
            published=self.published,
            published_precision=self.published_precision,
            file=self.file,
            format=self.format,
            encoding=self.encoding,
            content_sha256=self.content_sha256,
            char_count=len(self.text),
        )


# --------------------------------------------------------------------------- reading


def read_article_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a file after checking it exists, is a regular file, and is not too large."""
    if not path.exists():
        raise InputError(path, "no such file")
    if path.is_dir():
        raise InputError(path, "is a directory, not an article file")
    if not path.is_file():
        raise InputError(path, "not a regular file")
    size = path.stat().st_size
    if size == 0:
        raise InputError(path, "empty file")
    if size > max_bytes:
        raise InputError(path, f"file too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.1f} MB)")
    try:
        return path.read_bytes()
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror or exc})") from None


def decode_bytes(data: bytes, path: Path | str | None = None) -> tuple[str, str]:
    """Decode article bytes; returns (text, encoding name)."""
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise InputError(path, f"binary file ({what}), not text")
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                      (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                raise InputError(path, f"invalid {name} text despite its byte-order mark") from None
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            raise InputError(path, "invalid UTF-8 text despite its byte-order mark") from None
    if b"\x00" in data[:65536]:
        raise InputError(path, "binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    import charset_normalizer

    best = charset_normalizer.from_bytes(data, cp_isolation=_CHINESE_CODECS).best()
    if best is not None:
        name = "gb18030" if best.encoding in ("gb2312", "gbk", "gb18030") else best.encoding
        return str(best), name
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise InputError(path, "cannot detect the text encoding (binary or corrupted file?)")
    return str(best), best.encoding


# --------------------------------------------------------------------------- cleaning


def _normalise_line(line: str) -> str:
    # Full-width and no-break spaces are layout, not content.
    line = line.replace("\u3000", " ").replace("\xa0", " ").replace("\u200b", "").replace("\ufeff", "")
    line = "".join(ch for ch in line if ch in "\t" or unicodedata.category(ch) != "Cc")
    return re.sub(r"[ \t]+", " ", line).strip()


@dataclass(frozen=True)
class Boilerplate:
    """Line patterns that are scraping furniture, not article text."""

    patterns: tuple[re.Pattern[str], ...]

    @classmethod
    def from_resources(cls, resources: Resources) -> Boilerplate:
        lines = read_lines(resources.require(resources.boilerplate))
        return cls(tuple(re.compile(p) for p in lines))

    def matches(self, line: str) -> bool:
        return any(p.fullmatch(line) for p in self.patterns)


_DATE_RE = (
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})"
    r"(?:\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?)?月?"
    r"(?:[ T]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?"
)
_BYLINE_SOURCE_FIRST = re.compile(rf"(?P<source>[^\s。，！？].{{0,40}}?)\s+{_DATE_RE}")
_BYLINE_DATE_FIRST = re.compile(rf"{_DATE_RE}\s+(?:来源[:：]\s*)?(?P<source>[^\s。，！？][^。，！？]{{0,40}}?)")
_SOURCE_LINE = re.compile(rf"{_DATE_RE}\s+来源[:：]\s*(?P<source>\S+).*")


def parse_date(match: re.Match[str]) -> tuple[datetime, DatePrecision] | None:
    g = match.groupdict()
    try:
        year, month = int(g["y"]), int(g["m"])
        if g.get("d") is None:
            return datetime(year, month, 1), "month"
        day = int(g["d"])
        if g.get("H") is None:
            return datetime(year, month, day), "day"
        when = datetime(year, month, day, int(g["H"]), int(g["M"]), int(g.get("S") or 0))
        return when, ("second" if g.get("S") else "minute")
    except ValueError:
        return None


def parse_byline(line: str) -> tuple[str, datetime, DatePrecision] | None:
    """Recognise `TT123跨境电商 2023-08-15 15:41` or `36氪 2021-06-03` (source + date)."""
    if len(line) > 80:
        return None
    for pattern in (_BYLINE_SOURCE_FIRST, _BYLINE_DATE_FIRST):
        m = pattern.fullmatch(line)
        if m:
            parsed = parse_date(m)
            if parsed:
                return m.group("source").strip(), parsed[0], parsed[1]
    return None


_PRECISION_RANK = {"year": 0, "month": 1, "day": 2, "minute": 3, "second": 4}


def _looks_like_title(line: str) -> bool:
    return 2 <= len(line) <= 100 and not line.endswith(("。", "：", ":"))


def clean_lines(
    raw_lines: list[str],
    *,
    boilerplate: Boilerplate,
    path: Path | str | None,
    title: str | None = None,
    source: str | None = None,
    published: tuple[datetime, DatePrecision] | None = None,
    fmt: SourceFormat = "text",
    encoding: str | None = None,
) -> Article:
    """Turn raw lines into an :class:`Article`: title, byline, boilerplate, trailing tags."""
    removed: list[str] = []
    notes: list[str] = []
    lines: list[str] = []
    for raw in raw_lines:
        line = _normalise_line(raw)
        if not line:
            continue
        if boilerplate.matches(line):
            removed.append(line)
            continue
        lines.append(line)

    # Title: the first short line, unless the caller (HTML metadata) already knows it.
    if title is None and lines and _looks_like_title(lines[0]) and parse_byline(lines[0]) is None:
        title = lines.pop(0)
    elif title is not None and lines and lines[0] == title:
        lines.pop(0)

    # Byline(s) among the first lines: `source date` and `date 来源：source 作者：...`.
    for _ in range(3):
        if not lines:
            break
        secondary = _SOURCE_LINE.fullmatch(lines[0])
        byline = parse_byline(lines[0]) if secondary is None else None
        if byline is None and secondary is None:
            break
        line = lines.pop(0)
        removed.append(line)
        if byline:
            found_source, when, precision = byline
        else:
            assert secondary is not None
            parsed = parse_date(secondary)
            if parsed is None:
                continue
            found_source, (when, precision) = secondary.group("source"), parsed
            notes.append(f"original source: {found_source}")
            found_source = source or found_source
        source = source or found_source
        # A more precise date that agrees with the one we have refines it (2020-07 -> 2020-07-26 07:01).
        if published is None or (
            _PRECISION_RANK[precision] > _PRECISION_RANK[published[1]]
            and when.strftime("%Y-%m") == published[0].strftime("%Y-%m")
        ):
            published = (when, precision)

    if title is None:
        notes.append("no title line found; using the first sentence")
        title = re.split(r"(?<=[。！？!?])", lines[0])[0][:60] if lines else ""

    # A trailing source tag such as `(TT123跨境电商)` or `（完）` on the last paragraph.
    if lines:
        tag_words = {w for w in ("完", source, *(source.split() if source else [])) if w}
        m = re.search(r"\s*[（(]\s*([^（）()]{1,30})\s*[)）]$", lines[-1])
        if m and (m.group(1) in tag_words or re.fullmatch(r"(责任)?编辑[:：].*|责编[:：].*", m.group(1))):
            removed.append(m.group(0).strip())
            lines[-1] = lines[-1][: m.start()].rstrip()
            if not lines[-1]:
                lines.pop()

    text = "\n".join(lines)
    if not text.strip():
        raise InputError(path, "no article text found (nothing but title, byline or boilerplate)")
    paragraphs, pos = [], 0
    for line in lines:
        paragraphs.append((pos, pos + len(line)))
        pos += len(line) + 1

    return Article(
        text=text,
        title=title,
        source=source,
        published=published[0] if published else None,
        published_precision=published[1] if published else None,
        file=str(path) if path is not None else None,
        format=fmt,
        encoding=encoding,
        paragraphs=paragraphs,
        removed_lines=removed,
        notes=notes,
    )


def check_chinese(article: Article, path: Path | str | None) -> None:
    if len(article.text) < MIN_ARTICLE_CHARS:
        raise InputError(path, f"too little article text ({len(article.text)} characters)")
    cjk = len(_CJK.findall(article.text))
    latin = len(_LATIN.findall(article.text))
    share = cjk / max(1, cjk + latin)
    if cjk < MIN_CJK_CHARS or share < MIN_CJK_SHARE:
        raise InputError(path, f"not Chinese text ({cjk} Chinese characters, {share:.0%} of letters)")


# --------------------------------------------------------------------------- formats


_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(.+?)\1")
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


def _markdown_lines(text: str) -> tuple[list[str], dict[str, str]]:
    front: dict[str, str] = {}
    m = _FRONT_MATTER.match(text)
    if m:
        for ln in m.group(1).splitlines():
            key, sep, value = ln.partition(":")
            if sep:
                front[key.strip().lower()] = value.strip().strip("'\"")
        text = text[m.end():]
    lines = []
    for ln in text.splitlines():
        ln = _MD_IMAGE.sub("", ln)
        ln = _MD_LINK.sub(r"\1", ln)
        ln = _MD_EMPHASIS.sub(r"\2", ln)
        ln = re.sub(r"^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+(?=\S))", "", ln)
        if re.fullmatch(r"\s*([-*_]\s*){3,}", ln):  # horizontal rule
            continue
        lines.append(ln)
    return lines, front


def _html_article(html: str, path: Path | str | None) -> tuple[list[str], str | None, str | None, tuple | None]:
    import htmldate
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=True, include_images=False
    )
    if doc is None or not (doc.text or "").strip():
        raise InputError(path, "no article text found in the HTML page")
    published = None
    # htmldate (trafilatura's own date finder) keeps the time of day when the page has it.
    found = htmldate.find_date(html, outputformat="%Y-%m-%dT%H:%M", original_date=True, extensive_search=False)
    found = found or doc.date
    if found:
        try:
            when = datetime.fromisoformat(found)
            precision: DatePrecision = "minute" if "T" in found and not found.endswith("T00:00") else "day"
            published = (when, precision)
        except ValueError:
            published = None
    return doc.text.splitlines(), doc.title, doc.sitename, published


def detect_format(path: Path | None, text: str) -> SourceFormat:
    suffix = path.suffix.lower() if path else ""
    if suffix in HTML_SUFFIXES or _HTML_SNIFF.match(text[:2000]):
        return "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    return "text"


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
) -> Article:
    """Ingest already-decoded article text."""
    resources = resources or default_resources()
    boilerplate = Boilerplate.from_resources(resources)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    fmt = fmt or detect_format(Path(path) if path else None, text)
    known_date: tuple[datetime, DatePrecision] | None = (published, "minute") if published else None
    if fmt == "html":
        lines, html_title, sitename, html_date = _html_article(text, path)
        title, source, known_date = title or html_title, source or sitename, known_date or html_date
    elif fmt == "markdown":
        lines, front = _markdown_lines(text)
        title = title or front.get("title")
        source = source or front.get("source") or front.get("author")
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
    resources: Resources | None = None,
) -> Article:
    """Read, decode and clean one article file. Raises :class:`InputError` on bad input."""
    path = Path(path)
    return ingest_bytes(read_article_bytes(path, max_bytes=max_bytes), path, resources=resources)


def ingest_bytes(data: bytes, path: Path | str | None, *, resources: Resources | None = None) -> Article:
    """Decode and clean the bytes of an article already read (`path` names it in errors)."""
    text, encoding = decode_bytes(data, path)
    return ingest_text(text, path=path, encoding=encoding, resources=resources)
