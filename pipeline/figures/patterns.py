"""Building blocks of the figure rules: number patterns, candidates, the date anchor, the rule registry."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from ..numbers import CN_DIGIT_CHARS, CN_DIGITS, CN_UNIT_CHARS, english_amount, parse_chinese_integer, parse_number
from .vocabulary import COUNT_UNITS, CURRENCIES, CURRENCY_SYMBOLS, MEASURE_UNITS, RELATIVE_YEARS

# --------------------------------------------------------------------------- patterns

# Repetitions are bounded (real numerals are short): an unbounded run such as 万亿万亿… would be
# matched and backtracked from every position of it, quadratic in its length.
_CN_NUM = rf"[{CN_DIGIT_CHARS}{CN_UNIT_CHARS}]{{1,24}}(?:点[{CN_DIGIT_CHARS}]{{1,12}})?"
_AR_NUM = r"(?<![A-Za-z0-9.])\d+(?:,\d{3})*(?:\.\d+)?(?![.\d])"
# Digits with magnitudes may go on in digits or numerals: 3万2千5百, 200万五千, 6亿零5百万.
_MIXED_REST = rf"(?:零?(?:\d{{1,4}}(?![\d.])|[{CN_DIGIT_CHARS}])[十百千万亿]{{1,3}}){{0,4}}(?:(?<=万)\d{{4}}(?![\d.]))?"
_NUM = rf"(?:{_AR_NUM}\s?(?:[十百千万亿]{{1,4}}{_MIXED_REST})?|(?<![\d.第唯统之同单逐划专]){_CN_NUM})"
_VAGUE = r"[数几上](?:[十百千][万亿]?|[万亿])"  # 数千万, 几十亿, 上百万
_CUR_WORDS = "|".join(sorted(CURRENCIES, key=len, reverse=True))
_CUR_SYMBOLS = "|".join(re.escape(s) for s in sorted(CURRENCY_SYMBOLS, key=len, reverse=True))
_COUNT_WORDS = "|".join(sorted(COUNT_UNITS, key=len, reverse=True))
# 5千克 is 5 kg, not 5千 grams: a unit that has a 千 form of its own never follows 千.
_MEASURE_WORDS = "|".join(("(?<!千)" if "千" + unit in MEASURE_UNITS else "") + re.escape(unit)
                          for unit in sorted(MEASURE_UNITS, key=len, reverse=True))
# Doubled dashes (3万元--8万元, 5——6万) are one separator, never a minus sign.
# Counts and measures in one alternation, longest first: 10个小时 is hours, not a count of 个.
_UNIT_WORDS = "|".join(("(?<!千)" if "千" + unit in MEASURE_UNITS else "") + re.escape(unit)
                       for unit in sorted({*COUNT_UNITS, *MEASURE_UNITS}, key=len, reverse=True))
_RANGE_SEP = r"\s?(?:--|——|[-~～—–至到])\s?"
_REL_YEAR = "|".join(RELATIVE_YEARS)
_Q = r"(?P<q>[一二三四1-4])"
# A year written in numerals (二〇一九年), or in two digits before a month, quarter or half (19年5月).
CN_YEAR = "(?:一九|二[〇零○])[〇零○一二三四五六七八九]{2}"
_YEAR_PREFIX = (rf"(?:(?P<y>(?:19|20)\d{{2}})\s?年|(?P<yc>{CN_YEAR})年|(?<![\d.])(?P<yy>\d{{2}})年"
                rf"|(?P<rel>{_REL_YEAR}))?")  # 2023年 / 二〇二三年 / 23年 / 今年 before a date
_M = r"(?P<m>1[0-2]|0?[1-9]|十[一二]|(?<![一二三四五六七八九十])[一二三四五六七八九十])"
_CN_DAY = "三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九]"
_D = rf"(?P<d>3[01]|[12]\d|0?[1-9]|{_CN_DAY})"


def day_pattern(name: str) -> str:
    """A day of the month in digits or numerals, as the named group `name`."""
    return rf"(?P<{name}>3[01]|[12]\d|0?[1-9]|{_CN_DAY})"


def month_pattern(name: str) -> str:
    """A month in digits or numerals, as the named group `name` (一月 needs a year or 份 to be a month)."""
    return rf"(?P<{name}>1[0-2]|0?[1-9]|十[一二]|(?<![一二三四五六七八九十])[一二三四五六七八九十])"


def explicit_year(groups: dict[str, str | None], anchor_year: int | None) -> int | None:
    """The year a match states: 2023年, 二〇二三年, or 23年 (the century that puts it no later than
    ten years after the article)."""
    if groups.get("y"):
        return int(groups["y"])  # type: ignore[arg-type]
    if groups.get("yc"):
        return int("".join(str(CN_DIGITS[ch]) for ch in groups["yc"]))  # type: ignore[union-attr]
    if groups.get("yy"):
        two = int(groups["yy"])  # type: ignore[arg-type]
        limit = (anchor_year or datetime.now().year) + 10
        return 2000 + two if 2000 + two <= limit else 1900 + two
    return None

# Spans that hold no figures: book/report titles, URLs, e-mail, phone numbers, product codes.
_BLOCKED = re.compile(
    # e-mail: ASCII parts of bounded length, so text without spaces cannot make it backtrack
    r"《[^》]{0,80}》|https?://\S+|www\.\S+"
    r"|(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}"
    r"|(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-\d{7,8}|400-?\d{3}-?\d{4})(?!\d)"
    r"|(?<![A-Za-z0-9])(?!(?:Q[1-4]|H[12]|FY\d{2,4})(?![A-Za-z0-9]))[A-Za-z]+\d[A-Za-z0-9]*"
    r"|(?<![A-Za-z0-9.])\d+[A-Za-z]+(?<!GB)(?<!TB)(?![A-Za-z0-9])"
    r"|^\s*\d{1,2}[、.．](?!\d)",
    re.MULTILINE,
)


@dataclass
class Candidate:
    start: int
    end: int
    kind: str
    value: float | str | None
    priority: int = 0
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    english: str = ""
    approx: str | None = None
    info: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Anchor:
    """What relative dates are resolved against: the article's publish date, never today."""

    year: int | None
    month: int | None = None

    @classmethod
    def from_published(cls, published: datetime | None, precision: str | None) -> Anchor:
        if published is None:
            return cls(None)
        return cls(published.year, published.month if precision != "year" else None)


Rule = Callable[[re.Match[str], Anchor], Candidate | None]
_RULES: list[tuple[re.Pattern[str], re.Pattern[str], Rule]] = []
_WINDOW = 48  # characters either side of a trigger that a match may reach


def rule(pattern: str, trigger: str) -> Callable[[Rule], Rule]:
    """Register a figure rule. `trigger` matches something every match must contain; the rule's
    (slower) pattern then runs only in windows around trigger hits. This keeps extraction
    cheaper than jieba segmentation of the same text."""

    def register(func: Rule) -> Rule:
        _RULES.append((re.compile(pattern), re.compile(trigger), func))
        return func

    return register


def _span(m: re.Match[str]) -> tuple[int, int]:
    return m.start(), m.end()


def _num(text: str) -> float:
    return parse_number(text.replace(" ", ""))


def _cn_small(text: str) -> int:
    return int(text) if text.isdigit() else parse_chinese_integer(text)



def range_bounds(low_text: str, high_text: str) -> tuple[float, float] | None:
    """The ends of a range. An end written without the magnitude the other ends with shares it
    (二十至四十万: 200,000–400,000; 5-8亿; 三到五千; 二到三百万), unless that would put it above the other
    end (从6000到2万: 6,000–20,000). None where the low end is not below the high one."""
    low, high = _num(low_text), _num(high_text)
    if not re.search(r"[万亿]", low_text):
        big = re.search(r"[万亿]+$", high_text)
        shared = big.group(0) if big else ""
        core = high_text[:len(high_text) - len(shared)]
        # 三到五千, 二到三百万: a lone digit shares 百 or 千 too; never 十 (一至二十万 is 10,000 to 200,000:
        # nobody says 一十 for ten).
        if not re.search(r"[十百千]", low_text) and re.fullmatch(r"[一二两三四五六七八九\d][百千]", core):
            shared = core[-1] + shared
        if shared and _num(low_text + shared) < high:
            low = _num(low_text + shared)
    return (low, high) if low < high else None


def _vague_bounds(text: str) -> tuple[float, float]:
    """数千万 -> (1e7, 1e8): at least one unit of the magnitude, less than ten."""
    magnitude = 1.0
    for ch in text[1:]:
        magnitude *= {"十": 10, "百": 100, "千": 1000, "万": 1e4, "亿": 1e8}[ch]
    return magnitude, magnitude * 10


IMPLIED_ONE = {"十", "百", "千", "万", "亿", "十万", "百万", "千万", "十亿", "百亿", "千亿", "万亿"}


def _plausible_cn_number(text: str, *, implied_one: bool = False) -> bool:
    """Reject Chinese 'numbers' that are words: 千万 (by all means), 万一 (in case), 一 alone.

    Magnitudes with an implicit 一 (百亿元, 近万亿) count only where the caller allows them.
    """
    if not any(ch in CN_DIGITS or ch.isdigit() for ch in text):
        return implied_one and text in IMPLIED_ONE
    if text[0] in "万亿" or text in ("一", "两"):
        return False
    if all(ch in CN_DIGITS for ch in text) and len(text) > 1:
        return len(text) == 4 and any(ch in "〇零○" for ch in text)  # 二〇二三 is a year; 一一 is not a number
    return True



def _vague_english(low: float) -> str:
    words = {10: "dozens", 100: "hundreds", 1e3: "thousands", 1e4: "tens of thousands", 1e5: "hundreds of thousands",
             1e6: "millions", 1e7: "tens of millions", 1e8: "hundreds of millions", 1e9: "billions",
             1e10: "tens of billions", 1e11: "hundreds of billions"}
    return words.get(low, f"several times {english_amount(low)}")
