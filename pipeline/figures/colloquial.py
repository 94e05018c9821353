"""Figure rules for spoken forms: tenths (成), neighbouring digits as a range (六七千), halves (三年半),
money in 块, 毛 and 角."""

from __future__ import annotations

import re

from ..numbers import CN_DIGITS, format_decimal
from .patterns import (
    _CUR_WORDS,
    _NUM,
    _RANGE_SEP,
    _UNIT_WORDS,
    Anchor,
    Candidate,
    _cn_small,
    _num,
    _plausible_cn_number,
    _span,
    rule,
)
from .vocabulary import COUNT_UNITS, CURRENCIES, DURATION_UNITS, MEASURE_UNITS, UNIT_ALIASES

_ONE_DIGIT = "[一二三四五六七八九]"

# ---- 成: tenths


_TENTHS = r"\d(?:\.\d)?|[一二两三四五六七八九十]"
_NOT_TENTHS_AFTER = r"(?![员立功为交本长果绩熟型人年群不])"


def _tenths_value(text: str) -> float:
    return 0.5 if text == "半" else float(text) if text[0].isdigit() else float(_cn_small(text))


@rule(rf"(?<![\d.一二两三四五六七八九十])(?P<n>{_TENTHS}|半)成"
      rf"(?P<rest>半|多|[一二三四五六七八九](?![十百千万亿成]))?{_NOT_TENTHS_AFTER}", r"成")
def _tenths(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    """3.5成 is 35%, 七成半 75%, 九成五 95%, 半成 5%, 四成多 over 40%; 一成不变 and 三五成群 are wording."""
    number, rest = m.group("n"), m.group("rest")
    tenths = _tenths_value(number)
    if number == "半" and rest:
        return None
    if rest == "多":  # 四成多: more than 40%, under 50%
        low = tenths / 10
        return Candidate(*_span(m), "fraction", None, 3, low=low, high=low + 0.1, approx="over",
                         english=f"{format_decimal(low * 100)}%")
    value = tenths / 10 + (0.05 if rest == "半" else CN_DIGITS[rest] / 100 if rest else 0.0)
    if not 0 < value <= 1:
        return None
    return Candidate(*_span(m), "fraction", round(value, 6), 3, english=f"{format_decimal(value * 100)}%")


@rule(rf"(?<![\d.一二两三四五六七八九十])(?P<lo>{_TENTHS})成?(?:{_RANGE_SEP}|(?=[两二三四五六七八九]成))"
      rf"(?P<hi>{_TENTHS})成{_NOT_TENTHS_AFTER}", r"成")
def _tenths_range(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    """三至四成 is 30–40%, 两三成 20–30%."""
    low, high = _tenths_value(m.group("lo")) / 10, _tenths_value(m.group("hi")) / 10
    if not 0 < low < high <= 1:
        return None
    return Candidate(*_span(m), "fraction", None, 4, low=round(low, 6), high=round(high, 6), info={"range": True},
                     english=f"{format_decimal(low * 100)}–{format_decimal(high * 100)}%")


@rule(r"(?P<n>\d+(?:\.\d+)?)\s?(?P<sign>‰|‱)", r"[‰‱]")
def _per_mille_sign(m: re.Match[str], anchor: Anchor) -> Candidate:
    """1‰ is one per thousand, 5‱ five per ten thousand."""
    per = 1000 if m.group("sign") == "‰" else 10_000
    value = float(m.group("n"))
    return Candidate(*_span(m), "fraction", round(value / per, 9), 3,
                     english=f"{format_decimal(value)} per {per:,}")


# ---- neighbouring digits: a range of one magnitude


@rule(rf"(?<![一二两三四五六七八九十百千万亿第〇零])(?P<pre>{_ONE_DIGIT}?十)?(?P<a>[一两二三四五六七八])"
      rf"(?P<b>[两二三四五六七八九])(?P<mag>[十百千万亿]{{0,3}})\s?(?P<unit>{_CUR_WORDS}|{_UNIT_WORDS}|个?年)?",
      r"[一两二三四五六七八][两二三四五六七八九]")
def _neighbour_range(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    """六七千元 is 6,000–7,000 yuan, 五六十家 50–60, 十七八万 170,000–180,000, 三五千 3,000–5,000,
    两三天 2–3 days."""
    pre, a, b, magnitude, unit = m.group("pre") or "", m.group("a"), m.group("b"), m.group("mag"), m.group("unit")
    if not 0 < CN_DIGITS[b] - CN_DIGITS[a] <= 2:
        return None
    if not (magnitude or pre):  # 两三天, 三五年: a unit that names what is counted, never 一两个
        if unit is None or not (unit.endswith("年") or MEASURE_UNITS.get(unit) or COUNT_UNITS.get(unit)):
            return None
        if unit.endswith("年"):
            return Candidate(*_span(m), "quantity", None, 4, low=float(CN_DIGITS[a]), high=float(CN_DIGITS[b]),
                             unit="年", info={"range": True},
                             english=f"{CN_DIGITS[a]}–{CN_DIGITS[b]} years")
    if unit is None and not re.search("[万亿]", magnitude):
        return None  # 六七十 alone is too often wording
    low, high = _num(pre + a + magnitude), _num(pre + b + magnitude)
    if unit in CURRENCIES:
        return Candidate(*_span(m), "money", None, 4, low=low, high=high, unit=CURRENCIES[unit], info={"range": True})
    if unit is None:
        return Candidate(*_span(m), "quantity", None, 3, low=low, high=high, info={"range": True, "bare": True})
    unit = UNIT_ALIASES.get(unit, unit)
    kind = "count" if unit in COUNT_UNITS else "quantity"
    return Candidate(*_span(m), kind, None, 4, low=low, high=high, unit=unit, info={"range": True})


# ---- 半: a half


_HALF_UNITS = {"年": "年", "天": "天", "吨": "吨", "公斤": "公斤", "小时": "小时", "周": "周", "个月": "个月",
               "分钟": "分钟", "斤": "斤", "米": "米", "公里": "公里"}
_HALF_AFTER_GE = {"月": "个月", "小时": "小时", "钟头": "小时", "星期": "周"}


@rule(rf"(?<![\d.一二两三四五六七八九十百千万亿第])(?P<n>\d{{1,4}}|[一二两三四五六七八九十百]{{1,4}})"
      rf"(?:(?P<unit>{'|'.join(sorted(_HALF_UNITS, key=len, reverse=True))})半|个半(?P<ge>月|小时|钟头|星期))"
      r"(?![年月日])", r"半")
def _and_a_half(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    """三年半 is 3.5 years, 两吨半 2.5 tonnes, 一个半月 1.5 months, 8个半小时 8.5 hours."""
    number = m.group("n")
    if not number[0].isdigit() and number not in ("一", "两") and not _plausible_cn_number(number):
        return None
    whole = 2.0 if number == "两" else _num(number)
    unit = _HALF_UNITS[m.group("unit")] if m.group("unit") else _HALF_AFTER_GE[m.group("ge")]
    value = whole + 0.5
    english = f"{format_decimal(value)} {MEASURE_UNITS.get(unit) or DURATION_UNITS[unit]}"
    return Candidate(*_span(m), "quantity", value, 3, unit=unit, english=english)


_HALF_ENGLISH = {"小时": "half an hour", "个月": "half a month", "年": "half a year", "吨": "half a tonne",
                 "公斤": "half a kilogram"}


@rule(r"(?<![大多一两三四五六七八九十个年])半(?:个?(?P<ge>小时|月|钟头)|(?P<unit>年|吨|公斤))(?![薪报度刊])",
      r"半")
def _half_unit(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    """半个小时 and 半小时 are half an hour, 半个月 half a month, 过去半年 half a year (上半年 is H1)."""
    if m.group("ge") == "月" and "个" not in m.group(0):
        return None  # 半月 alone: 半月谈, semi-monthly
    if m.group("unit") == "年" and m.start() and m.string[m.start() - 1] in "上下前后":
        return None
    unit = _HALF_AFTER_GE[m.group("ge")] if m.group("ge") else m.group("unit")
    return Candidate(*_span(m), "quantity", 0.5, 3, unit=unit, english=_HALF_ENGLISH[unit])


# ---- money in 块, 毛, 角 and 分

_SUB_DIGIT = r"[一二两三四五六七八九]"
# What may follow a price said without its last unit (两块五。, 两块五一瓶, 五角一个): the clause ends, or
# a price per piece begins.
_PRICE_END = r"[的钱，。！？；、,.!?;）)\s]|$|一[个只件瓶斤张袋盒杯份套台双本支条包箱次位碗]"
_PRICE_BEFORE = "卖价收要付花值仅只是为"


def _digit(text: str | None) -> float:
    return float(_cn_small(text)) if text else 0.0


@rule(rf"(?P<n>{_NUM})(?P<yuan>元|块)(?:(?P<j>{_SUB_DIGIT}|\d)(?P<ju>角|毛)(?:(?P<f>{_SUB_DIGIT}|\d)分?)?"
      rf"|零(?P<f2>{_SUB_DIGIT}|\d)分|(?P<half>半)"
      rf"|(?P<j2>{_SUB_DIGIT})(?={_PRICE_END}))", r"[元块]")
def _yuan_and_tenths(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    """三元五角 is 3.5 yuan, 二十块八 20.8, 五块五毛 5.5, 1元2角5分 1.25, 两块五 2.5."""
    number = m.group("n")
    if not number[0].isdigit() and number not in ("一", "两") and not _plausible_cn_number(number, implied_one=True):
        return None
    if m.group("f") and not m.group("ju"):
        return None
    value = _num(number) + _digit(m.group("j") or m.group("j2")) / 10 + _digit(m.group("f") or m.group("f2")) / 100
    value += 0.5 if m.group("half") else 0.0  # 一块半 is 1.5 yuan
    return Candidate(*_span(m), "money", round(value, 2), 4, unit="CNY")


@rule(rf"(?<![\d.一二两三四五六七八九十百千万亿])(?P<j>{_SUB_DIGIT}|\d)(?P<ju>角|毛)"
      rf"(?:(?P<f>{_SUB_DIGIT}|\d)(?:(?P<fu>分)|(?={_PRICE_END}))|(?P<qian>钱)|(?P<bare>(?={_PRICE_END})))", r"[角毛]")
def _tenths_of_yuan(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    """一毛五 is 0.15 yuan, 八毛钱 0.8, 五角二分 0.52, 卖八毛 0.8. 三角洲 and 一毛不拔 are no money: a 角 or 毛
    needs 钱 or a digit after it, or a price before it (三毛 alone is a name)."""
    per_piece = re.match(_PRICE_END, m.string[m.end():m.end() + 2]) and m.string.startswith("一", m.end())
    if m.group("bare") is not None and not per_piece and not (m.start() and m.string[m.start() - 1] in _PRICE_BEFORE):
        return None
    value = _digit(m.group("j")) / 10 + _digit(m.group("f")) / 100
    return Candidate(*_span(m), "money", round(value, 2), 3, unit="CNY")


@rule(rf"(?P<n>{_NUM})块(?=钱|左右|多|[，。！？；、,.!?;）)\s]|$)", r"块")
def _kuai(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    """一万块 and 十八块 at the end of a clause are yuan; 三块手表 is three watches."""
    number = m.group("n")
    if not number[0].isdigit() and not _plausible_cn_number(number, implied_one=True):
        return None
    return Candidate(*_span(m), "money", _num(number), 3, unit="CNY")


@rule(r"(?<![\d.一二两三四五六七八九十])(?P<n>\d|[一二两三四五六七八九])分钱", r"分钱")
def _fen(m: re.Match[str], anchor: Anchor) -> Candidate:
    """5分钱 is 0.05 yuan."""
    return Candidate(*_span(m), "money", _digit(m.group("n")) / 100, 3, unit="CNY")
