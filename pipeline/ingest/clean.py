"""Cleaning: title, byline, boilerplate lines, trailing source tags; the Chinese-text check."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from ..errors import InputError
from ..files import display_name
from ..resources import Resources, read_lines
from ..schema import DatePrecision, SourceFormat
from .article import Article

MIN_CJK_CHARS = 20
MIN_ARTICLE_CHARS = 30
MIN_CJK_SHARE = 0.30  # of letters (CJK + Latin); the seed article with its English names is ~0.9

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


# Bidirectional overrides and isolates: they reorder what a terminal shows (a spoofed file name).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_field(value: str | None) -> str | None:
    """A one-line metadata value (title, source) without control characters: text from a file's
    front matter or a caller is data, and must not reach a terminal as escape sequences."""
    if value is None:
        return None
    value = display_name(value)  # a lone surrogate cannot be written out
    kept = "".join(" " if unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS else ch for ch in value)
    return " ".join(kept.split()) or None


def _normalise_line(line: str) -> str:
    # Full-width and no-break spaces are layout, not content.
    line = line.replace("\u3000", " ").replace("\xa0", " ")
    # Control and format characters go (zero-width spaces and joiners, U+2060, soft hyphens, byte-order
    # marks, bidi controls): inside a number (1\u2060741亿美元) they would split it in two.
    line = "".join(ch for ch in line if ch in "\t" or unicodedata.category(ch) not in ("Cc", "Cf"))
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


# A publish date this far past the clock is no publish date (a byline dated 2099).
FUTURE_DAYS = 2


def plausible_date(when: datetime) -> bool:
    return when <= datetime.now() + timedelta(days=FUTURE_DAYS)


def parse_byline(line: str) -> tuple[str, datetime | None, DatePrecision | None] | None:
    """Recognise `TT123跨境电商 2023-08-15 15:41` or `36氪 2021-06-03` (source + date). A byline whose
    date is impossible (2024-02-30) or in the future keeps its source, with no date."""
    if len(line) > 80:
        return None
    for pattern in (_BYLINE_SOURCE_FIRST, _BYLINE_DATE_FIRST):
        m = pattern.fullmatch(line)
        if m:
            parsed = parse_date(m)
            if parsed and plausible_date(parsed[0]):
                return m.group("source").strip(), parsed[0], parsed[1]
            return m.group("source").strip(), None, None
    return None


_PRECISION_RANK = {"year": 0, "month": 1, "day": 2, "minute": 3, "second": 4}


_TAG_SEPARATOR = r"\s*[|｜]\s*"
_SUFFIX_SEPARATOR = r"\s*[-—–_|｜]\s*"


def split_title_tags(title: str, source: str | None) -> tuple[str, list[str]]:
    """The title without the outlet's own tags, and the tags: `36氪独家 | TikTok电商…` and
    `APEC…复苏-新华网` name their publisher, which the byline names too. Only a tag that starts with
    the source's name (or one of its words) is taken, and never the whole title."""
    names = [n for n in dict.fromkeys([source or "", *(source or "").split()]) if len(n) >= 2]
    if not names:
        return title, []
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    tags: list[str] = []
    prefix = re.match(rf"(?P<tag>(?:{alternatives})[^|｜\s]{{0,8}}){_TAG_SEPARATOR}(?P<rest>.+)$", title)
    if prefix and len(prefix.group("rest").strip()) >= 4:
        tags.append(prefix.group("tag"))
        title = prefix.group("rest").strip()
    suffix = re.match(rf"(?P<rest>.+?){_SUFFIX_SEPARATOR}(?P<tag>{alternatives})$", title)
    if suffix and len(suffix.group("rest").strip()) >= 4:
        tags.append(suffix.group("tag"))
        title = suffix.group("rest").strip()
    return title, tags


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
            found_source, (when, precision) = secondary.group("source"), parsed or (None, None)
            notes.append(f"original source: {found_source}")
            found_source = source or found_source
        source = source or found_source
        if when is None or precision is None or not plausible_date(when):
            notes.append(f"byline date not used (impossible or in the future): {line[:80]}")
            continue
        # A more precise date that agrees with the one we have refines it (2020-07 -> 2020-07-26 07:01).
        if published is None or (
            _PRECISION_RANK[precision] > _PRECISION_RANK[published[1]]
            and when.strftime("%Y-%m") == published[0].strftime("%Y-%m")
        ):
            published = (when, precision)

    if title is None:
        notes.append("no title line found; using the first sentence")
        title = re.split(r"(?<=[。！？!?])", lines[0])[0][:60] if lines else ""

    title, title_tags = split_title_tags(title, source)

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
        title_tags=title_tags,
        published=published[0] if published else None,
        published_precision=published[1] if published else None,
        file=display_name(str(path)) if path is not None else None,
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


