"""Figure rules for spans of dates: day ranges (6月3-9日), the end or start of this month or year said
alone (月底, 年初), decades (70年代)."""

from __future__ import annotations

import calendar
import re

from .dates import _iso_date, _year_from
from .patterns import (
    _RANGE_SEP,
    _YEAR_PREFIX,
    CN_YEAR,
    Anchor,
    Candidate,
    _cn_small,
    _span,
    day_pattern,
    month_pattern,
    rule,
)
from .vocabulary import MONTHS


@rule(rf"{_YEAR_PREFIX}{month_pattern('m')}\s?月{day_pattern('d')}\s?[日号]?{_RANGE_SEP}"
      rf"(?:{month_pattern('m2')}\s?月)?{day_pattern('d2')}\s?[日号]", r"[日号]")
def _day_range(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    """6月3-9日, 6月3日至9日, 9月1日至10月31日: a span of days."""
    year = _year_from(m, anchor)
    first_month, last_month = _cn_small(m.group("m")), _cn_small(m.group("m2") or m.group("m"))
    first_day, last_day = _cn_small(m.group("d")), _cn_small(m.group("d2"))
    # 12月30日至1月2日: the end falls in the next year.
    end_year = year + 1 if year and m.group("m2") and last_month < first_month else year
    start, end = _iso_date(year, first_month, first_day), _iso_date(end_year, last_month, last_day)
    if start is None or end is None or (end_year == year and (last_month, last_day) <= (first_month, first_day)):
        return None
    if end_year != year:
        english = f"{first_day} {MONTHS[first_month]} {year} – {last_day} {MONTHS[last_month]} {end_year}"
        return Candidate(*_span(m), "period", f"{start}/{end}", 6, english=english, info={"range": True})
    if last_month == first_month:
        english = f"{first_day}–{last_day} {MONTHS[first_month]}"
    else:
        english = f"{first_day} {MONTHS[first_month]} – {last_day} {MONTHS[last_month]}"
    return Candidate(*_span(m), "period", f"{start}/{end}", 6, english=f"{english} {year}" if year else english,
                     info={"range": True})


@rule(rf"(?<![\d.])(?P<y1>(?:19|20)\d{{2}})\s?年{month_pattern('m1')}\s?月{_RANGE_SEP}"
      rf"(?P<y2>(?:19|20)\d{{2}})\s?年{month_pattern('m2')}\s?月(?![\d日号底末初中])", r"月")
def _month_range_across_years(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    """2022年11月至2023年2月: months of two years."""
    y1, y2 = int(m.group("y1")), int(m.group("y2"))
    m1, m2 = _cn_small(m.group("m1")), _cn_small(m.group("m2"))
    if not (y1, m1) < (y2, m2):
        return None
    return Candidate(*_span(m), "period", f"{y1:04d}-{m1:02d}/{y2:04d}-{m2:02d}", 6, info={"range": True},
                     english=f"{MONTHS[m1]} {y1} – {MONTHS[m2]} {y2}")


_MONTH_SHIFT = {"本": 0, "当": 0, "这个": 0, "上": -1, "上个": -1, "下": 1, "下个": 1}
_PART_WORDS = {"底": "end of", "末": "end of", "初": "early"}


@rule(r"(?<![\d一二三四五六七八九十年岁每])(?P<shift>本|当|这个|上个|下个|上|下)?月(?P<part>底|末|初)", r"月[底末初]")
def _this_month_part(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    """月底 is the end of the article's month, 上月底 of the month before, 下月初 early next month."""
    if anchor.year is None or anchor.month is None:
        return None
    months = anchor.year * 12 + anchor.month - 1 + _MONTH_SHIFT.get(m.group("shift") or "本", 0)
    year, month = divmod(months, 12)
    month += 1
    end = m.group("part") in ("底", "末")
    day = calendar.monthrange(year, month)[1] if end else 1
    english = f"{_PART_WORDS[m.group('part')]} {MONTHS[month]} {year}"
    return Candidate(*_span(m), "date", _iso_date(year, month, day), 5, english=english, approx="about")


@rule(r"(?<![\d一二三四五六七八九十〇零年每半])(?P<part>年底|年末|年初)(?!至今)", r"年[底末初]")
def _this_year_part(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    """年底 alone is the end of the article's year (每年年底, every year's, is no date)."""
    if anchor.year is None:
        return None
    end = m.group("part") != "年初"
    return Candidate(*_span(m), "date", f"{anchor.year:04d}-12-31" if end else f"{anchor.year:04d}-01-01", 5,
                     english=f"{'end' if end else 'start'} of {anchor.year}", approx="about")


_CENTURY = {"上世纪": 1900, "上个世纪": 1900, "本世纪": 2000}
_CENTURY_NUMBER = r"(?P<cn>1[5-9]|2[01]|十[五六七八九]|二十一?)世纪"


@rule(rf"(?:(?:(?P<century>{'|'.join(sorted(_CENTURY, key=len, reverse=True))})|{_CENTURY_NUMBER})的?)?"
      rf"(?:(?P<full>(?:19|20)\d0)|(?P<cn_full>{CN_YEAR})|(?<![\d.])(?P<two>[1-9]0|00)"
      r"|(?<![一二三四五六七八九十〇零])(?P<cn_two>[一二三四五六七八九]十))\s?年代", r"年代")
def _decade(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    """70年代 and 上世纪七十年代 are the 1970s, 2010年代 the 2010s. 10年代 or 20年代 without a century
    may be either: flagged."""
    uncertain = None
    if m.group("full") or m.group("cn_full"):
        start = int(m.group("full")) if m.group("full") else _cn_small(m.group("cn_full"))
        if start % 10:
            return None
    else:
        two = int(m.group("two")) if m.group("two") else _cn_small(m.group("cn_two"))
        if m.group("century") or m.group("cn"):
            # 19世纪80年代 is the 1880s: the nth century's years begin (n - 1) hundred.
            base = _CENTURY[m.group("century")] if m.group("century") else (_cn_small(m.group("cn")) - 1) * 100
            start = base + two
        else:
            start = 1900 + two if two >= 30 else 2000 + two
            if two < 30:
                uncertain = f"{two:02d}年代 without a century may be the {1900 + two}s or the {2000 + two}s"
    english = f"the {start}s" + (f" (or the {start - 100}s)" if uncertain else "")
    candidate = Candidate(*_span(m), "period", f"{start}/{start + 9}", 5, english=english, info={"range": True})
    if uncertain:
        candidate.info["uncertain"] = uncertain
    return candidate
