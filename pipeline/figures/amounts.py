"""Figure rules for amounts: money, percentages, percentage points, multiples, fractions, counts, quantities."""

from __future__ import annotations

import math
import re

from ..numbers import CN_DIGIT_CHARS, english_amount, english_fraction, format_decimal, ordinal
from .patterns import (
    _AR_NUM,
    _CN_NUM,
    _COUNT_WORDS,
    _CUR_SYMBOLS,
    _CUR_WORDS,
    _MEASURE_WORDS,
    _NUM,
    _RANGE_SEP,
    _UNIT_WORDS,
    _VAGUE,
    Anchor,
    Candidate,
    _cn_small,
    _num,
    _plausible_cn_number,
    _span,
    _vague_bounds,
    _vague_english,
    range_bounds,
    rule,
)
from .vocabulary import (
    COUNT_UNITS,
    CURRENCIES,
    CURRENCY_ENGLISH,
    CURRENCY_NAMES,
    CURRENCY_SYMBOLS,
    DURATION_UNITS,
    MEASURE_UNITS,
    UNIT_ALIASES,
)

# ---- money

# A currency named before the number (人民币300万元, 美元5亿元): it decides what 元 is.
_CURRENCY_FIRST = r"(?:(?P<pre>人民币|美元|港币|港元|新台币|台币|日元|韩元|欧元|英镑|澳元|加元)\s?)?"


def _currency(m: re.Match[str]) -> str:
    """The currency of a matched amount: its word's (亿元, 美元), or, for a bare 元, the one named first."""
    unit = CURRENCIES[m.group("cur")]
    return CURRENCIES.get(m.group("pre"), unit) if m.group("pre") and m.group("cur") == "元" else unit


@rule(rf"(?P<sym>{_CUR_SYMBOLS})\s?(?P<n>\d+(?:,\d{{3}})*(?:\.\d+)?)\s?(?P<mag>[十百千万亿]{{0,4}})"
      r"(?:\s?(?P<word>trillion|billion|million|bn|m)\b)?", r"[$¥￥€£]")
def _money_symbol(m: re.Match[str], anchor: Anchor) -> Candidate:
    value = _num(m.group("n") + m.group("mag"))
    value *= {"trillion": 1e12, "billion": 1e9, "bn": 1e9, "million": 1e6, "m": 1e6}.get(m.group("word") or "", 1)
    return Candidate(*_span(m), "money", value, 3, unit=CURRENCY_SYMBOLS[m.group("sym")])


@rule(rf"{_CURRENCY_FIRST}(?P<lo>{_NUM}|{_VAGUE})\s?(?:(?P<cur1>{_CUR_WORDS}))?{_RANGE_SEP}"
      rf"(?P<n>{_NUM})\s?(?P<cur>{_CUR_WORDS})(?![宇旦素首器老件])", rf"{_CUR_WORDS}")
def _money_range(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    if m.group("cur1") and CURRENCIES[m.group("cur1")] != CURRENCIES[m.group("cur")]:
        return None
    if m.group("lo")[0] in "数几上":
        return None
    bounds = range_bounds(m.group("lo"), m.group("n"))
    if bounds is None:
        return None
    low, high = bounds
    return Candidate(*_span(m), "money", None, 4, low=low, high=high, unit=CURRENCIES[m.group("cur")],
                     info={"range": True})


@rule(rf"{_CURRENCY_FIRST}(?P<n>{_NUM}|{_VAGUE})\s?(?P<cur>{_CUR_WORDS})(?![宇旦素首器老件])",
      _CUR_WORDS)
def _money(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    number, unit = m.group("n"), _currency(m)
    if number[0] in "数几上":
        low, high = _vague_bounds(number)
        english = f"{_vague_english(low)} of {CURRENCY_NAMES.get(unit, unit)}"
        return Candidate(*_span(m), "money", None, 3, low=low, high=high, unit=unit, english=english)
    if not _plausible_cn_number(number, implied_one=number not in ("万", "千万")):
        return None
    return Candidate(*_span(m), "money", _num(number), 3, unit=unit)


# 1300余万元, 8万多元, 2亿多美元: more than the amount, less than the next step of its last digit.
@rule(rf"{_CURRENCY_FIRST}(?P<n>{_NUM})(?P<more>余|多)(?P<mag>[十百千万亿]{{0,2}})"
      rf"\s?(?P<cur>{_CUR_WORDS})(?![宇旦素首器老件])", r"[余多]")
def _money_more(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    number, magnitude = m.group("n"), m.group("mag")
    # 六百多万元 is 6 to 7 million; 300万多 has no second magnitude to take.
    if not _plausible_cn_number(number, implied_one=True) or (magnitude and re.search(r"[万亿]$", number)):
        return None
    unit = _currency(m)
    low, high = _more_bounds(_num(number), magnitude)
    return Candidate(*_span(m), "money", None, 4, low=low, high=high, unit=unit,
                     english=f"{CURRENCY_ENGLISH.get(unit, unit + ' ')}{english_amount(low)}", approx="over")


# ---- percentages, percentage points, multiples, fractions


@rule(rf"(?P<lo>{_NUM})%?{_RANGE_SEP}(?P<n>{_NUM})\s?%", r"%")
def _percent_range(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    low, high = _num(m.group("lo")), _num(m.group("n"))
    if not low < high:
        return None
    return Candidate(*_span(m), "percent", None, 4, low=low, high=high, info={"range": True})


@rule(rf"(?P<n>{_NUM})\s?%", r"%")
def _percent(m: re.Match[str], anchor: Anchor) -> Candidate:
    return Candidate(*_span(m), "percent", _num(m.group("n")), 3)


@rule(rf"百分之(?P<n>{_CN_NUM}|\d+(?:\.\d+)?)", r"百分之")
def _percent_chinese(m: re.Match[str], anchor: Anchor) -> Candidate:
    return Candidate(*_span(m), "percent", _num(m.group("n")), 3)


@rule(rf"(?P<n>{_NUM})\s?个?百分点", r"百分点")
def _percentage_point(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    if not _plausible_cn_number(m.group("n")) and not m.group("n")[0].isdigit():
        return None
    return Candidate(*_span(m), "percentage_point", _num(m.group("n")), 3)


@rule(r"翻了?(?:接近|将近|近|约)?(?P<n>一|1)(?:倍|番)", r"翻")
def _doubled(m: re.Match[str], anchor: Anchor) -> Candidate:
    return Candidate(*_span(m), "multiple", 2.0, 4, english="doubled")


@rule(rf"(?P<n>{_NUM})\s?倍", r"倍")
def _multiple(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    if not m.group("n")[0].isdigit() and m.group("n") not in ("一", "两") and not _plausible_cn_number(m.group("n")):
        return None
    return Candidate(*_span(m), "multiple", 2.0 if m.group("n") == "两" else _num(m.group("n")), 3)


@rule(rf"(?P<d>[{CN_DIGIT_CHARS}十百千万]{{1,12}}|\d+)分之"
      rf"(?P<n>[{CN_DIGIT_CHARS}十百千]{{1,12}}(?:点[{CN_DIGIT_CHARS}]{{1,6}})?|\d+(?:\.\d+)?)", r"分之")
def _fraction(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    denominator, numerator = _cn_small(m.group("d")), _num(m.group("n"))
    if denominator == 0 or denominator == 100:  # 百分之 is a percentage, handled above
        return None
    if denominator >= 1000:  # 千分之三, 万分之五: a rate per thousand, per ten thousand
        english = f"{format_decimal(numerator)} per {english_amount(denominator).replace('.0', '')}"
    elif numerator.is_integer():
        english = english_fraction(int(numerator), denominator)
    else:
        english = f"{format_decimal(numerator)}/{denominator}"
    return Candidate(*_span(m), "fraction", round(numerator / denominator, 6), 3, english=english)


# ---- counts and measured quantities

_KIND_UNITS = ("种", "类")  # 两种模式, 三类商家: a few kinds is wording; 178种 is a count



@rule(rf"(?<!从)(?P<lo>{_NUM})(?P<unit1>{_UNIT_WORDS})?{_RANGE_SEP}(?P<n>{_NUM})\s?(?P<unit>{_UNIT_WORDS})",
      _RANGE_SEP)
def _count_range(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    unit = UNIT_ALIASES.get(m.group("unit"), m.group("unit"))
    if m.group("unit1") not in (None, m.group("unit")):  # 16岁至24岁: the unit may repeat
        return None
    lo, hi = m.group("lo"), m.group("n")
    for end in (lo, hi):  # 两到三周: a lone 一 or 两 is a number at one end of a range
        if not end[0].isdigit() and end not in ("一", "两") and \
                not _plausible_cn_number(end, implied_one=end[0] in "十百千"):
            return None
    bounds = range_bounds(lo, hi)
    if bounds is None:
        return None
    english = COUNT_UNITS.get(unit, MEASURE_UNITS.get(unit, ""))
    if not hi[0].isdigit() and bounds[1] < 10 and (not english or unit in _KIND_UNITS):
        return None  # 一到两个, 两三种: wording
    kind = "count" if unit in COUNT_UNITS else "quantity"
    return Candidate(*_span(m), kind, None, 4, low=bounds[0], high=bounds[1], unit=unit, info={"range": True})


@rule(rf"(?P<n>{_NUM}|{_VAGUE}|两)(?:(?P<more>余|多)(?P<mag>[万亿]?))?\s?(?P<unit>{_COUNT_WORDS})",
      r"[0-9一二三四五六七八九十百千万亿两]")
def _count(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    number, unit, more = m.group("n"), UNIT_ALIASES.get(m.group("unit"), m.group("unit")), m.group("more")
    if number[0] in "数几上":
        low, high = _vague_bounds(number)
        english = f"{_vague_english(low)} of {COUNT_UNITS[unit]}" if COUNT_UNITS[unit] else _vague_english(low)
        return Candidate(*_span(m), "count", None, 2, low=low, high=high, unit=unit, english=english)
    if number != "两" and not _plausible_cn_number(number, implied_one=bool(more)):  # 十余家: ten-odd
        return None
    if unit == "次" and number == "二":
        return None  # 二次 is "secondary" (二次元, 二次创业); twice is 两次
    value = 2.0 if number == "两" else _num(number)
    # A small Chinese numeral is a figure with a unit that counts something (两名, 三次, 六家), but
    # wording with one (一家公司) or with a bare measure word (两个, 一条).
    if not number[0].isdigit() and value < 10 and (value < 2 or not COUNT_UNITS[unit] or unit in _KIND_UNITS
                                                   or m.group("unit").startswith("个")):
        return None
    # 2021年 and 3月 are dates; 10个月 is a duration (a quantity).
    if more:  # 十余家, 100多家, 300多万用户: more than the number, less than the next step of its last digit
        return _scaled(_more_than(m, "count", value, unit, COUNT_UNITS[unit]), m.group("mag"), value, COUNT_UNITS[unit])
    return Candidate(*_span(m), "count", value, 2, unit=unit)


def _next_step(value: float) -> float:
    """The place of the last significant digit: 30多 is 30 to 40, 1500多 1,500 to 1,600, 2亿多 2 to 3亿."""
    if value < 1 or value != int(value):
        return 10 ** math.floor(math.log10(value)) if value >= 1 else 1
    step, rest = 1, int(value)
    while rest % 10 == 0:
        step, rest = step * 10, rest // 10
    return step


def _more_than(m: re.Match[str], kind: str, value: float, unit: str, unit_english: str) -> Candidate:
    step = _next_step(value)
    english = f"{english_amount(value)} {unit_english}".strip()  # "over" comes from approx
    return Candidate(*_span(m), kind, None, 3, low=value, high=value + step, unit=unit, english=english,
                     approx="over")


def _more_bounds(value: float, magnitude: str | None) -> tuple[float, float]:
    """The bounds of 'more than' a number with a magnitude after 多/余: 300多万 is 3 to 4 million."""
    scale = _num("1" + magnitude) if magnitude else 1.0
    return value * scale, (value + _next_step(value)) * scale


def _scaled(candidate: Candidate, magnitude: str | None, value: float, unit_english: str) -> Candidate:
    """A 'more than' figure whose magnitude follows 多/余 (300多万 is over three million)."""
    if magnitude:
        candidate.low, candidate.high = _more_bounds(value, magnitude)
        candidate.english = f"{english_amount(candidate.low)} {unit_english}".strip()
    return candidate


# Durations in Chinese numerals (六天, 一个月, 三周) and in years, which need context to be told from
# dates: 3年长期, 为期两年, 过去十年. A two-digit number of 年 with no such context (21年) is
# left alone: colloquially it is a year.
_DURATION_NUMBER = r"(?P<n>[1-9]\d?(?:\.\d+)?|[一二两三四五六七八九十百]{1,4})(?P<more>余|多)?\s?"


@rule(rf"(?<![\d.一二两三四五六七八九十百千万亿第]){_DURATION_NUMBER}(?P<unit>个月|天(?!猫)|周(?![年岁])|小时|分钟|个多月|个多小时)",
      r"个月|天|周|小时|分钟|个多")
def _duration(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    return _duration_candidate(m)


# What marks a number of 年 as a length of time: 为期三年, 三年来 (not 前: 1年前 is "a year ago").
_YEARS_BEFORE = (r"(?P<pre>(?<=为期|长达|连续|未来|过去|最近|超过|满了|历时|耗时|用时|历经|持续|已有|需要)"
                 r"|(?<=近|逾|满|需)|(?<=持续了|已经有))?")
_YEARS_AFTER = r"(?P<post>(?=长期|期|内|来|以来|间|后|之久|时间|计划|合同|左右|历史))?"
_YEAR_COUNT = r"[1-9]\d?|[一二两三四五六七八九十]{1,3}"


@rule(rf"{_YEARS_BEFORE}(?<![\d.一二两三四五六七八九十百千万亿第年])(?P<lo>{_YEAR_COUNT})年?{_RANGE_SEP}"
      rf"(?P<n>{_YEAR_COUNT})个?年(?![级代度底末初])(?!多){_YEARS_AFTER}", r"年")
def _duration_year_range(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    """为期3至5年, 三到五年: a range of years; digits need a sign of a length of time (21-23年 may be years)."""
    if m.group("pre") is None and m.group("post") is None and m.group("n")[0].isdigit():
        return None
    low, high = (2.0 if end == "两" else _num(end) for end in (m.group("lo"), m.group("n")))
    if not low < high:
        return None
    return Candidate(*_span(m), "quantity", None, 4, low=low, high=high, unit="年", info={"range": True},
                     english=f"{format_decimal(low)}–{format_decimal(high)} years")


@rule(rf"{_YEARS_BEFORE}(?<![\d.一二两三四五六七八九十百千万亿第年]){_DURATION_NUMBER}个?年(?P<more2>多)?"
      rf"{_YEARS_AFTER}", r"年")
def _duration_years(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    more = m.group("more") or m.group("more2")
    if m.group("pre") is None and m.group("post") is None and not more:
        return None  # no sign of a length of time: 21年 may be a year (二十余年, 20余年 and 两年多 are not)
    return _duration_candidate(m, unit="年")


def _duration_candidate(m: re.Match[str], unit: str | None = None) -> Candidate | None:
    number, unit = m.group("n"), unit or m.group("unit")
    more_inside = unit.startswith("个多")  # 三个多月, 两个多小时
    unit = {"个多月": "个月", "个多小时": "小时"}.get(unit, unit)
    if number[0].isdigit() and unit != "年" and not more_inside:
        return None  # 10天, 3个月: the quantity rule's
    value = _num(number) if number[0].isdigit() else (2.0 if number == "两" else _cn_small(number))
    if not value:
        return None
    if m.group("more") or m.groupdict().get("more2") or more_inside:
        return _more_than(m, "quantity", value, unit, DURATION_UNITS[unit])
    unit_english = DURATION_UNITS[unit][:-1] if value == 1 else DURATION_UNITS[unit]
    return Candidate(*_span(m), "quantity", value, 2, unit=unit, english=f"{format_decimal(value)} {unit_english}")


@rule(rf"(?P<n>{_NUM})(?:(?P<more>余|多)(?P<mag>[万亿]?))?\s?(?P<unit>{_MEASURE_WORDS})(?![价钱])",
      r"[0-9十百千万亿]")
def _measure(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    number, years = m.group("n"), m.group("unit") in ("周年", "周岁")
    if not number[0].isdigit() and not _plausible_cn_number(number, implied_one=bool(m.group("more")) or years):
        return None
    if not number[0].isdigit() and _num(number) < 10:
        return None  # 三周年庆典, 两吨重: a small numeral is wording
    value = _num(number) * (1e4 if m.group("unit") == "万平方米" else 1)
    unit = "平方米" if m.group("unit") == "万平方米" else UNIT_ALIASES.get(m.group("unit"), m.group("unit"))
    if unit == "周年":  # 三十周年: the 30th anniversary
        return Candidate(*_span(m), "quantity", value, 2, unit=unit, english=f"{ordinal(int(value))} anniversary") \
            if value.is_integer() and value >= 1 else None
    if m.group("more"):  # 60多亩, 2300余平方米, 600多万吨
        return _scaled(_more_than(m, "quantity", value, unit, MEASURE_UNITS[unit]), m.group("mag"), value,
                       MEASURE_UNITS[unit])
    return Candidate(*_span(m), "quantity", value, 1, unit=unit)


@rule(rf"(?<!从)(?P<lo>{_NUM}){_RANGE_SEP}(?P<n>{_NUM})(?![\d{CN_DIGIT_CHARS}])", r"[万亿]")
def _bare_range(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    """三到五亿, 5——6万 with no unit after them: a range, not its high end alone."""
    lo, hi = m.group("lo"), m.group("n")
    if not re.search(r"[万亿]$", hi) or any(not end[0].isdigit() and end not in ("一", "两")
                                           and not _plausible_cn_number(end) for end in (lo, hi)):
        return None
    bounds = range_bounds(lo, hi)
    if bounds is None:
        return None
    return Candidate(*_span(m), "quantity", None, 2, low=bounds[0], high=bounds[1], info={"range": True, "bare": True})


_APPROX_LEAD = re.compile(r"(近|约|超|逾|达|突破|将近|接近|超过)$")


@rule(rf"(?P<n>{_AR_NUM}\s?[百千万亿]{{1,4}}|(?<![第{CN_DIGIT_CHARS}十百千]){_CN_NUM})", r"[百千万亿]")
def _bare_magnitude(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    number = m.group("n")
    # 近万亿 (nearly a trillion) is a figure; 千万 and 万亿 alone are usually wording.
    implied = bool(_APPROX_LEAD.search(m.string[max(0, m.start() - 4):m.start()])) and number in ("万亿", "千亿", "亿")
    if not re.search(r"[万亿千百]", number) or not _plausible_cn_number(number, implied_one=implied):
        return None
    if not number[0].isdigit() and not re.search("[万亿]", number):
        return None  # 三千 alone is too often wording
    return Candidate(*_span(m), "quantity", _num(number), 1, info={"bare": True})


