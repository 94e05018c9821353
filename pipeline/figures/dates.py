"""Figure rules for dates and periods, anchored to the article's publish date."""

from __future__ import annotations

import calendar
import re
from datetime import date

from .patterns import (
    _D,
    _M,
    _Q,
    _RANGE_SEP,
    _REL_YEAR,
    _YEAR_PREFIX,
    CN_YEAR,
    Anchor,
    Candidate,
    _cn_small,
    _span,
    explicit_year,
    month_pattern,
    rule,
)
from .vocabulary import MONTHS, RELATIVE_YEARS

# ---- dates


def _year_from(m: re.Match[str], anchor: Anchor) -> int | None:
    groups = m.groupdict()
    stated = explicit_year(groups, anchor.year)
    if stated is not None:
        return stated
    if groups.get("rel") and anchor.year is not None:
        return anchor.year + RELATIVE_YEARS[groups["rel"]]
    return anchor.year


def _iso_date(year: int | None, month: int, day: int) -> str | None:
    try:
        date(year or 2000, month, day)  # 2000 is a leap year: 2月29日 without a year stays valid
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


def _english_date(year: int | None, month: int, day: int | None = None, part: str | None = None) -> str:
    text = f"{day} {MONTHS[month]}" if day else MONTHS[month]
    if part:
        text = f"{part} {MONTHS[month]}"
    return f"{text} {year}" if year else text


@rule(rf"{_YEAR_PREFIX}{_M}\s?月{_D}\s?[日号]", r"[日号]")
def _full_date(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    year, month, day = _year_from(m, anchor), _cn_small(m.group("m")), _cn_small(m.group("d"))
    iso = _iso_date(year, month, day)
    if iso is None:
        return None
    return Candidate(*_span(m), "date", iso, 5, english=_english_date(year, month, day))


@rule(r"(?<![\d.])(?P<y>(?:19|20)\d{2})[-/.](?P<m>1[0-2]|0[1-9])[-/.](?P<d>3[01]|[12]\d|0[1-9])(?![\d])",
      r"\d{4}[-/.]\d")
def _iso_like_date(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    year, month, day = int(m.group("y")), int(m.group("m")), int(m.group("d"))
    iso = _iso_date(year, month, day)
    return Candidate(*_span(m), "date", iso, 5, english=_english_date(year, month, day)) if iso else None


_MONTH_PARTS = {"底": ("end of", -1), "末": ("end of", -1), "初": ("early", 1), "上旬": ("early", 5),
                "中旬": ("mid-", 15), "中": ("mid-", 15), "下旬": ("late", 25)}


@rule(rf"{_YEAR_PREFIX}{_M}\s?月(?:份)?(?P<part>底|末|初|上旬|中旬|下旬)", r"月")
def _month_part(m: re.Match[str], anchor: Anchor) -> Candidate:
    year, month = _year_from(m, anchor), _cn_small(m.group("m"))
    words, day = _MONTH_PARTS[m.group("part")]
    if day == -1:
        day = calendar.monthrange(year or 2001, month)[1]
    english = f"{words} {MONTHS[month]}" + (f" {year}" if year else "")
    english = english.replace("- ", "-")
    return Candidate(*_span(m), "date", _iso_date(year, month, day), 5, english=english, approx="about")


@rule(rf"(?:(?P<y>(?:19|20)\d{{2}})\s?年|(?<![\d.])(?P<yy>\d{{2}})年|(?P<rel>{_REL_YEAR}))(?P<part>底|末|初|年底|年末|年初)",
      r"年")
def _year_part(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    year = _year_from(m, anchor)
    if year is None:
        return None
    end = m.group("part") in ("底", "末", "年底", "年末")
    iso = f"{year:04d}-12-31" if end else f"{year:04d}-01-01"
    return Candidate(*_span(m), "date", iso, 5, english=f"{'end' if end else 'start'} of {year}", approx="about")


@rule(r"(?<![\d月年])(?P<d>3[01]|[12]\d|[1-9])\s?日(?![本元报内起前后常益子均])", r"日")
def _day_of_month(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    # Wire copy (新华社上海7月25日电 ... 24日) gives the day alone: it is in the article's month.
    if anchor.month is None:
        return None
    day = int(m.group("d"))
    iso = _iso_date(anchor.year, anchor.month, day)
    return Candidate(*_span(m), "date", iso, 2, english=_english_date(anchor.year, anchor.month, day)) if iso \
        else None


# ---- periods


@rule(rf"截至(?P<y>(?:19|20)\d{{2}})\s?年{_M}\s?月{_D}\s?日(?:止)?的?"
      r"(?P<span>三个月|季度|财季|财年|年度|六个月|半年)", r"截至")
def _period_ended(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    year, month, day = int(m.group("y")), _cn_small(m.group("m")), int(m.group("d"))
    end = _iso_date(year, month, day)
    months = {"三个月": 3, "季度": 3, "财季": 3, "六个月": 6, "半年": 6, "财年": 12, "年度": 12}[m.group("span")]
    if end is None:
        return None
    start_month = (month - months) % 12 + 1
    start_year = year if start_month <= month else year - 1
    label = {3: "quarter", 6: "six months", 12: "year"}[months]
    return Candidate(*_span(m), "period", f"{start_year:04d}-{start_month:02d}-01/{end}", 6,
                     english=f"the {label} ended {_english_date(year, month, day)}")


@rule(r"(?<![\d.])(?P<y1>(?:19|20)\d{2})\s?年?\s?[-~～—–至到]\s?(?P<y2>(?:19|20)\d{2})\s?年(?![\d月])", r"年")
def _year_range(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    y1, y2 = int(m.group("y1")), int(m.group("y2"))
    if not y1 < y2:
        return None
    return Candidate(*_span(m), "period", f"{y1}/{y2}", 5, english=f"{y1}–{y2}", info={"range": True})


@rule(rf"{_YEAR_PREFIX}{_M}\s?月份?(?![\d日号底末初中份]|上旬|下旬)", r"月")
def _month(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    month_text = m.group("m")
    # 一月份 is January, but 一月 alone is too often wording (一个月, 一月一次); need 份 or a year.
    if not month_text[0].isdigit() and not (m.group(0).endswith("份") or m.group("y") or m.group("yc")
                                            or m.group("yy") or m.group("rel")):
        return None
    year, month = _year_from(m, anchor), _cn_small(month_text)
    value = f"{year:04d}-{month:02d}" if year else f"--{month:02d}"
    return Candidate(*_span(m), "period", value, 4, english=f"{MONTHS[month]} {year}" if year else MONTHS[month])


@rule(r"(?<![\d.])(?P<y>(?:19|20)\d{2})\s?年(?![\d代度初底末中])", r"年")
def _year(m: re.Match[str], anchor: Anchor) -> Candidate:
    return Candidate(*_span(m), "period", m.group("y"), 3, english=m.group("y"))


@rule(rf"(?P<yc>{CN_YEAR})年(?![代度初底末中])", r"年")
def _year_in_numerals(m: re.Match[str], anchor: Anchor) -> Candidate:
    """二〇一九年, 一九九八年: a year written digit by digit in numerals."""
    year = explicit_year(m.groupdict(), anchor.year)
    return Candidate(*_span(m), "period", f"{year:04d}", 3, english=str(year))


@rule(rf"{_YEAR_PREFIX}(?:(?P<fy>(?:19|20)\d{{2}})\s?财年)?"
      rf"(?:第\s?)?{_Q}\s?季度", r"季度")
def _quarter(m: re.Match[str], anchor: Anchor) -> Candidate:
    quarter = _cn_small(m.group("q"))
    if m.group("fy"):
        return Candidate(*_span(m), "period", f"FY{m.group('fy')}-Q{quarter}", 5,
                         english=f"Q{quarter} of fiscal {m.group('fy')}")
    year = _year_from(m, anchor)
    return Candidate(*_span(m), "period", f"{year}-Q{quarter}" if year else f"Q{quarter}", 5,
                     english=f"Q{quarter} {year}" if year else f"Q{quarter}")


@rule(r"(?<![A-Za-z0-9])(?:(?P<fy>FY\s?(?:19|20)?\d{2})\s?|(?P<y>(?:19|20)\d{2})\s?年?\s?)?"
      r"Q(?P<q>[1-4])(?![A-Za-z0-9])", r"Q")
def _quarter_latin(m: re.Match[str], anchor: Anchor) -> Candidate:
    quarter = int(m.group("q"))
    if m.group("fy"):
        fy = m.group("fy").replace(" ", "").removeprefix("FY")
        fy = f"20{fy}" if len(fy) == 2 else fy
        return Candidate(*_span(m), "period", f"FY{fy}-Q{quarter}", 5, english=f"Q{quarter} of fiscal {fy}")
    year = _year_from(m, anchor)
    return Candidate(*_span(m), "period", f"{year}-Q{quarter}" if year else f"Q{quarter}", 4,
                     english=f"Q{quarter} {year}" if year else f"Q{quarter}")


@rule(r"(?P<fy>(?:19|20)\d{2})\s?财年(?!第|[一二三四1-4]季度)", r"财年")
def _fiscal_year(m: re.Match[str], anchor: Anchor) -> Candidate:
    return Candidate(*_span(m), "period", f"FY{m.group('fy')}", 4, english=f"fiscal {m.group('fy')}")


@rule(rf"{_YEAR_PREFIX}(?P<h>上|下)半年", r"半年")
def _half(m: re.Match[str], anchor: Anchor) -> Candidate:
    year, half = _year_from(m, anchor), 1 if m.group("h") == "上" else 2
    return Candidate(*_span(m), "period", f"{year}-H{half}" if year else f"H{half}", 4,
                     english=f"H{half} {year}" if year else f"the {'first' if half == 1 else 'second'} half")


@rule(rf"{_YEAR_PREFIX}前(?P<n>1[0-2]|[1-9]|[一二两三四五六七八九十]|十[一二])个?月", r"前")
def _first_months(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    year, months = _year_from(m, anchor), _cn_small(m.group("n"))
    if not 1 <= months <= 12 or year is None:
        return None
    english = f"January–{MONTHS[months]} {year}" if months > 1 else f"January {year}"
    return Candidate(*_span(m), "period", f"{year}-01/{year}-{months:02d}", 4, english=english)


# ---- cumulative periods: 前三季度, 1-9月, 首季度, 年初至今


@rule(rf"{_YEAR_PREFIX}前(?P<n>[一二两三四1-4])个?季度", r"季度")
def _first_quarters(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    """2025年前三季度: January to September (Q1–Q3), not Q3."""
    year, quarters = _year_from(m, anchor), _cn_small(m.group("n"))
    if year is None or not 1 <= quarters <= 4:
        return None
    english = f"Q1 {year}" if quarters == 1 else f"Q1–Q{quarters} {year}"
    value = f"{year}-Q1" if quarters == 1 else f"{year}-01/{year}-{3 * quarters:02d}"
    return Candidate(*_span(m), "period", value, 6, english=english)


@rule(rf"{_YEAR_PREFIX}{month_pattern('m1')}\s?月?{_RANGE_SEP}{month_pattern('m2')}\s?月份?"
      r"(?![\d日号底末初中]|上旬|下旬)", r"月")
def _month_range(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    """1-9月, 3月至5月, 五月至七月: a span of months of one year."""
    year, first, last = _year_from(m, anchor), _cn_small(m.group("m1")), _cn_small(m.group("m2"))
    if year is None or not first < last:
        return None
    return Candidate(*_span(m), "period", f"{year}-{first:02d}/{year}-{last:02d}", 6,
                     english=f"{MONTHS[first]}–{MONTHS[last]} {year}", info={"range": True})


@rule(rf"{_YEAR_PREFIX}首季度?", r"首季")
def _first_quarter(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    year = _year_from(m, anchor)
    return Candidate(*_span(m), "period", f"{year}-Q1" if year else "Q1", 5,
                     english=f"Q1 {year}" if year else "Q1")


@rule(r"(?:(?P<y>(?:19|20)\d{2})\s?年|(?P<rel>今年|本年))?年初至今", r"年初至今")
def _year_to_date(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    """年初至今: from January to the article's month (its publish date anchors it)."""
    year = _year_from(m, anchor)
    if year is None or anchor.month is None or year != anchor.year:
        return None
    return Candidate(*_span(m), "period", f"{year}-01/{year}-{anchor.month:02d}", 6,
                     english=f"January–{MONTHS[anchor.month]} {year} (year to date)")
