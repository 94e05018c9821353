"""Key figures: find every number an analyst would quote, normalise it, anchor it to the
article's own date, and render it in English deterministically.

Numbers are pulled from the raw cleaned text with rules (not from tokens): jieba splits
1741亿美元 and 9月12日 into pieces. Every figure keeps its exact source span and offsets.
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from .numbers import (
    CN_DIGIT_CHARS,
    CN_DIGITS,
    CN_UNIT_CHARS,
    ascii_digits,
    english_amount,
    english_fraction,
    format_decimal,
    parse_chinese_integer,
    parse_number,
)
from .schema import Figure, FigureChange, Sentence

# --------------------------------------------------------------------------- vocabulary

CURRENCIES: dict[str, str] = {
    "元人民币": "CNY", "人民币": "CNY", "元": "CNY", "块钱": "CNY", "美元": "USD", "美金": "USD",
    "港元": "HKD", "港币": "HKD", "欧元": "EUR", "日元": "JPY", "英镑": "GBP", "韩元": "KRW",
    "新台币": "TWD", "台币": "TWD", "卢比": "INR", "泰铢": "THB", "越南盾": "VND", "印尼盾": "IDR",
    "林吉特": "MYR", "新加坡元": "SGD", "新元": "SGD", "澳元": "AUD", "加元": "CAD", "卢布": "RUB",
    "雷亚尔": "BRL", "比索": "MXN", "瑞郎": "CHF", "菲律宾比索": "PHP",
}
CURRENCY_SYMBOLS: dict[str, str] = {
    "US$": "USD", "HK$": "HKD", "S$": "SGD", "A$": "AUD", "C$": "CAD", "$": "USD", "¥": "CNY", "￥": "CNY",
    "€": "EUR", "£": "GBP",
}
CURRENCY_ENGLISH: dict[str, str] = {
    "USD": "US$", "CNY": "RMB ", "HKD": "HK$", "EUR": "€", "GBP": "£", "SGD": "S$", "AUD": "A$", "CAD": "C$",
}

# Count units: the noun or measure word right after a number, with its English plural.
COUNT_UNITS: dict[str, str] = {
    "活跃用户": "active users", "月活跃用户": "monthly active users", "日活跃用户": "daily active users",
    "付费用户": "paying users", "用户": "users", "活跃买家": "active buyers", "买家": "buyers", "卖家": "sellers",
    "商家": "merchants", "会员": "members", "粉丝": "followers", "消费者": "consumers", "员工": "employees",
    "人次": "person-times", "人": "people", "名": "people", "位": "people", "户": "households",
    "家": "companies", "订单": "orders", "单": "orders", "笔": "transactions", "件": "items", "款": "products",
    "个": "", "只": "", "台": "units", "辆": "vehicles", "座": "", "所": "", "项": "projects", "条": "",
    "次": "times", "场": "events", "部": "", "张": "", "套": "sets", "支": "", "间": "rooms", "个国家": "countries",
    "国家": "countries", "站点": "sites", "门店": "stores", "店铺": "stores", "城市": "cities",
}
MEASURE_UNITS: dict[str, str] = {
    "万平方米": "", "平方米": "square metres", "平方公里": "square kilometres", "平米": "square metres",
    "公里": "km", "千米": "km", "米": "metres", "公顷": "hectares", "亩": "mu", "吨": "tonnes",
    "公斤": "kg", "千克": "kg", "千瓦时": "kWh", "千瓦": "kW", "兆瓦": "MW", "升": "litres", "TB": "TB",
    "GB": "GB", "小时": "hours", "分钟": "minutes", "天": "days", "周": "weeks", "个月": "months",
    "岁": "years old", "周岁": "years old",
}
_COUNT_CONTEXT = re.compile(
    r"(数量|人数|用户|买家|卖家|商家|订单|人次|粉丝|会员|下载量|销量|件数|数目|数)"
    r"(达到?|为|超过|约|近|突破|增至|增长至|至|了)*$"
)

APPROX_BEFORE: tuple[tuple[str, str], ...] = (
    ("不低于", "at_least"), ("不超过", "up_to"), ("至少", "at_least"), ("最少", "at_least"), ("最高", "up_to"),
    ("最多", "up_to"), ("多达", "up_to"), ("大约", "about"), ("约", "about"), ("将近", "nearly"),
    ("接近", "nearly"), ("近", "nearly"), ("超过", "over"), ("超", "over"), ("逾", "over"), ("高于", "over"),
    ("不到", "under"), ("不足", "under"), ("低于", "under"),
)
APPROX_AFTER: tuple[tuple[str, str], ...] = (
    ("左右", "about"), ("上下", "about"), ("以上", "over"), ("之多", "over"), ("多", "over"), ("余", "over"),
    ("以下", "under"), ("以内", "up_to"),
)
APPROX_ENGLISH = {"about": "about ", "nearly": "nearly ", "over": "over ", "at_least": "at least ",
                  "under": "under ", "up_to": "up to "}

UP_VERBS = ("增长", "上升", "提升", "提高", "增加", "上涨", "攀升", "扩大", "猛增", "增", "涨", "升")
DOWN_VERBS = ("下降", "下滑", "减少", "缩减", "降低", "下跌", "缩小", "萎缩", "收窄", "减", "降", "跌")
FORECAST_WORDS = ("预计", "预测", "预期", "有望", "目标", "计划", "估计", "或将", "将达", "将")

MONTHS = ["", "January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
VAGUE_ENGLISH = {
    "十": "dozens", "百": "hundreds", "千": "thousands", "万": "tens of thousands", "十万": "hundreds of thousands",
    "百万": "millions", "千万": "tens of millions", "亿": "hundreds of millions", "十亿": "billions",
    "百亿": "tens of billions", "千亿": "hundreds of billions",
}
RELATIVE_YEARS = {"今年": 0, "本年": 0, "当年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1, "后年": 2}

# --------------------------------------------------------------------------- patterns

_CN_NUM = rf"[{CN_DIGIT_CHARS}{CN_UNIT_CHARS}]+(?:点[{CN_DIGIT_CHARS}]+)?"
_AR_NUM = r"(?<![A-Za-z0-9.])\d+(?:,\d{3})*(?:\.\d+)?(?![.\d])"
_NUM = rf"(?:{_AR_NUM}\s?[十百千万亿]*|(?<![第唯统之同单逐划专]){_CN_NUM})"
_VAGUE = r"[数几上](?:[十百千][万亿]?|[万亿])"  # 数千万, 几十亿, 上百万
_CUR_WORDS = "|".join(sorted(CURRENCIES, key=len, reverse=True))
_CUR_SYMBOLS = "|".join(re.escape(s) for s in sorted(CURRENCY_SYMBOLS, key=len, reverse=True))
_COUNT_WORDS = "|".join(sorted(COUNT_UNITS, key=len, reverse=True))
_MEASURE_WORDS = "|".join(sorted(MEASURE_UNITS, key=len, reverse=True))
_RANGE_SEP = r"\s?[-~～—–至到]\s?"
_REL_YEAR = "|".join(RELATIVE_YEARS)
_Q = r"(?P<q>[一二三四1-4])"
_YEAR_PREFIX = rf"(?:(?P<y>(?:19|20)\d{{2}})\s?年|(?P<rel>{_REL_YEAR}))?"  # 2023年 / 今年 before a date
_M = r"(?P<m>1[0-2]|0?[1-9]|十[一二]|(?<![一二三四五六七八九十])[一二三四五六七八九十])"
_D = r"(?P<d>3[01]|[12]\d|0?[1-9])"

# Spans that hold no figures: book/report titles, URLs, e-mail, phone numbers, product codes.
_BLOCKED = re.compile(
    r"《[^》]{0,80}》|https?://\S+|www\.\S+|\S+@\S+\.\w+|(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-\d{7,8}|400-?\d{3}-?\d{4})(?!\d)"
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


# ---- money


@rule(rf"(?P<sym>{_CUR_SYMBOLS})\s?(?P<n>\d+(?:,\d{{3}})*(?:\.\d+)?)\s?(?P<mag>[十百千万亿]*)"
      r"(?:\s?(?P<word>trillion|billion|million|bn|m)\b)?", r"[$¥￥€£]")
def _money_symbol(m: re.Match[str], anchor: Anchor) -> Candidate:
    value = _num(m.group("n") + m.group("mag"))
    value *= {"trillion": 1e12, "billion": 1e9, "bn": 1e9, "million": 1e6, "m": 1e6}.get(m.group("word") or "", 1)
    return Candidate(*_span(m), "money", value, 3, unit=CURRENCY_SYMBOLS[m.group("sym")])


@rule(rf"(?:(?P<pre>人民币|美元|港币)\s?)?(?P<lo>{_NUM}|{_VAGUE})\s?(?:(?P<cur1>{_CUR_WORDS}))?{_RANGE_SEP}"
      rf"(?P<n>{_NUM})\s?(?P<cur>{_CUR_WORDS})(?![宇旦素首器老件])", rf"{_CUR_WORDS}")
def _money_range(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    if m.group("cur1") and CURRENCIES[m.group("cur1")] != CURRENCIES[m.group("cur")]:
        return None
    low, high = _num(m.group("lo")), _num(m.group("n"))
    if not low < high:
        return None
    return Candidate(*_span(m), "money", None, 4, low=low, high=high, unit=CURRENCIES[m.group("cur")],
                     info={"range": True})


@rule(rf"(?:(?P<pre>人民币|美元|港币)\s?)?(?P<n>{_NUM}|{_VAGUE})\s?(?P<cur>{_CUR_WORDS})(?![宇旦素首器老件])",
      _CUR_WORDS)
def _money(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    number = m.group("n")
    unit = CURRENCIES[m.group("cur")] if m.group("cur") != "人民币" or not m.group("pre") else "CNY"
    if m.group("pre") and m.group("cur") in ("元",):
        unit = CURRENCIES.get(m.group("pre"), unit) if m.group("pre") != "人民币" else "CNY"
    if number[0] in "数几上":
        low, high = _vague_bounds(number)
        english = f"{CURRENCY_ENGLISH.get(unit, unit + ' ')}{_vague_english(low)}"
        return Candidate(*_span(m), "money", None, 3, low=low, high=high, unit=unit, english=english)
    if not _plausible_cn_number(number, implied_one=number not in ("万", "千万")):
        return None
    return Candidate(*_span(m), "money", _num(number), 3, unit=unit)


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
    if not m.group("n")[0].isdigit() and m.group("n") not in ("一",) and not _plausible_cn_number(m.group("n")):
        return None
    return Candidate(*_span(m), "multiple", _num(m.group("n")), 3)


@rule(rf"(?P<d>[{CN_DIGIT_CHARS}十百千]+|\d+)分之(?P<n>[{CN_DIGIT_CHARS}十百千]+|\d+(?:\.\d+)?)", r"分之")
def _fraction(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    denominator, numerator = _cn_small(m.group("d")), _num(m.group("n"))
    if denominator == 0 or denominator == 100:  # 百分之 is a percentage, handled above
        return None
    english = english_fraction(int(numerator), denominator) if numerator.is_integer() else \
        f"{format_decimal(numerator)}/{denominator}"
    return Candidate(*_span(m), "fraction", round(numerator / denominator, 6), 3, english=english)


@rule(r"(?<![\d一二三四五六七八九十])(?P<n>[一二三四五六七八九十]|[1-9])成(?![员立功为交本长果绩熟型人年])", r"成")
def _tenths(m: re.Match[str], anchor: Anchor) -> Candidate:
    tenths = _cn_small(m.group("n"))
    return Candidate(*_span(m), "fraction", tenths / 10, 3, english=f"{tenths * 10}%")


# ---- counts and measured quantities


@rule(rf"(?<!从)(?P<lo>{_AR_NUM}){_RANGE_SEP}(?P<n>{_AR_NUM})\s?(?P<unit>{_COUNT_WORDS}|{_MEASURE_WORDS})", r"[0-9]")
def _count_range(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    low, high = _num(m.group("lo")), _num(m.group("n"))
    if not low < high:
        return None
    kind = "count" if m.group("unit") in COUNT_UNITS else "quantity"
    return Candidate(*_span(m), kind, None, 4, low=low, high=high, unit=m.group("unit"), info={"range": True})


@rule(rf"(?P<n>{_NUM}|{_VAGUE})\s?(?P<unit>{_COUNT_WORDS})", r"[0-9十百千万亿]")
def _count(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    number, unit = m.group("n"), m.group("unit")
    if number[0] in "数几上":
        low, high = _vague_bounds(number)
        english = f"{_vague_english(low)} of {COUNT_UNITS[unit]}" if COUNT_UNITS[unit] else _vague_english(low)
        return Candidate(*_span(m), "count", None, 2, low=low, high=high, unit=unit, english=english)
    if not _plausible_cn_number(number):
        return None
    value = _num(number)
    # Small Chinese numerals with measure words are wording, not figures: 两家平台, 一个经理.
    if not number[0].isdigit() and value < 10:
        return None
    # 2021年 and 3月 are dates; 10个月 is a duration (handled as a quantity).
    return Candidate(*_span(m), "count", value, 2, unit=unit)


@rule(rf"(?P<n>{_NUM})\s?(?P<unit>{_MEASURE_WORDS})(?![\u4e00-\u9fff]{{0}}[价钱])", r"[0-9十百千万亿]")
def _measure(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    number = m.group("n")
    if not number[0].isdigit() and not _plausible_cn_number(number):
        return None
    if not number[0].isdigit() and _num(number) < 10:
        return None
    value = _num(number) * (1e4 if m.group("unit") == "万平方米" else 1)
    unit = "平方米" if m.group("unit") == "万平方米" else m.group("unit")
    return Candidate(*_span(m), "quantity", value, 1, unit=unit)


_APPROX_LEAD = re.compile(r"(近|约|超|逾|达|突破|将近|接近|超过)$")


@rule(rf"(?P<n>{_AR_NUM}\s?[百千万亿]+|(?<![第{CN_DIGIT_CHARS}十百千]){_CN_NUM})", r"[百千万亿]")
def _bare_magnitude(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    number = m.group("n")
    # 近万亿 (nearly a trillion) is a figure; 千万 and 万亿 alone are usually wording.
    implied = bool(_APPROX_LEAD.search(m.string[max(0, m.start() - 4):m.start()])) and number in ("万亿", "千亿", "亿")
    if not re.search(r"[万亿千百]", number) or not _plausible_cn_number(number, implied_one=implied):
        return None
    if not number[0].isdigit() and not re.search("[万亿]", number):
        return None  # 三千 alone is too often wording
    return Candidate(*_span(m), "quantity", _num(number), 1, info={"bare": True})


# ---- dates


def _year_from(m: re.Match[str], anchor: Anchor) -> int | None:
    groups = m.groupdict()
    if groups.get("y"):
        return int(groups["y"])
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
    year, month, day = _year_from(m, anchor), _cn_small(m.group("m")), int(m.group("d"))
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


@rule(rf"(?:(?P<y>(?:19|20)\d{{2}})\s?年|(?P<rel>{_REL_YEAR}))(?P<part>底|末|初|年底|年末|年初)", r"年")
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


@rule(rf"{_YEAR_PREFIX}{_M}\s?月份?(?![\d日号底末初中上下份])", r"月")
def _month(m: re.Match[str], anchor: Anchor) -> Candidate | None:
    month_text = m.group("m")
    # 一月份 is January, but 一月 alone is too often wording (一个月, 一月一次); need 份 or a year.
    if not month_text[0].isdigit() and not (m.group(0).endswith("份") or m.group("y") or m.group("rel")):
        return None
    year, month = _year_from(m, anchor), _cn_small(month_text)
    value = f"{year:04d}-{month:02d}" if year else f"--{month:02d}"
    return Candidate(*_span(m), "period", value, 4, english=f"{MONTHS[month]} {year}" if year else MONTHS[month])


@rule(r"(?<![\d.])(?P<y>(?:19|20)\d{2})\s?年(?![\d代度初底末中])", r"年")
def _year(m: re.Match[str], anchor: Anchor) -> Candidate:
    return Candidate(*_span(m), "period", m.group("y"), 3, english=m.group("y"))


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


# --------------------------------------------------------------------------- extraction


def _blocked_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _BLOCKED.finditer(text)]


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def _matches_near_triggers(pattern: re.Pattern[str], trigger: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    windows: list[list[int]] = []
    for hit in trigger.finditer(text):
        start, end = max(0, hit.start() - _WINDOW), hit.end() + _WINDOW
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    last_end = -1
    for start, end in windows:
        # Lookbehind still sees the text before `start`, so window edges do not change matches.
        for m in pattern.finditer(text, start, min(end, len(text))):
            if m.start() >= last_end:
                last_end = m.end()
                yield m


def find_candidates(text: str, anchor: Anchor) -> list[Candidate]:
    """All rule matches, then the best non-overlapping set (longest span first, then priority)."""
    norm = ascii_digits(text)
    blocked = _blocked_spans(norm)
    found: list[Candidate] = []
    for pattern, trigger, make in _RULES:
        for m in _matches_near_triggers(pattern, trigger, norm):
            if m.end() == m.start():
                continue
            candidate = make(m, anchor)
            if candidate is None or _overlaps(candidate.start, candidate.end, blocked):
                continue
            groups = m.groupdict()
            if groups.get("y"):
                candidate.info["explicit_year"] = int(groups["y"])
            elif "y" in groups and not groups.get("rel") and not groups.get("fy"):
                candidate.info["year_rule"] = (make, m)  # year taken from the anchor; context may know better
            # Trim leading spaces the optional groups may have eaten.
            while candidate.start < candidate.end and norm[candidate.start].isspace():
                candidate.start += 1
            found.append(candidate)
    found.sort(key=lambda c: (-(c.end - c.start), -c.priority, c.start))
    chosen: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    for candidate in found:
        if not _overlaps(candidate.start, candidate.end, taken):
            chosen.append(candidate)
            taken.append((candidate.start, candidate.end))
    chosen.sort(key=lambda c: c.start)
    return chosen


_PARENTHETICAL = re.compile(r"（[^（）]*）|\([^()]*\)")
_CLAUSE_BREAK = re.compile(r"[，,；;：:。！？!?\n]")


def _clause_bounds(text: str, start: int, end: int, sentence: Sentence) -> tuple[int, int]:
    left = sentence.start
    for m in _CLAUSE_BREAK.finditer(text, sentence.start, start):
        left = m.end()
    m = _CLAUSE_BREAK.search(text, end, sentence.end)
    return left, (m.start() if m else sentence.end)


_TRAILING_FILLER = re.compile(r"(了|约|大约|近|将近|接近|达到?|为|是|超过|超|逾|至|到|共|合计|总计|仅|只有|高达|多达|"
                              r"最高|最多|至少|不到|不足|低于|高于|同比|环比|增长|下降|增加|减少|提升|提高|上升|下滑|"
                              r"缩减|降低|下跌|上涨|拥有|有|获得|完成|实现|突破|占比?|的|在|将|预计|可能|或)$")
_SUBJECT_START = re.compile(
    r"^(而|但|并|且|其|另外|此外|同时|其中|据|数据显示|显示|报告显示|目前|今年|去年|此前|截至)+"
)


def _subject(text: str, clause_start: int, fig_start: int, previous_end: int) -> str | None:
    """What the figure measures: the noun phrase before it in its clause, fillers stripped."""
    left = max(clause_start, previous_end)
    phrase = _PARENTHETICAL.sub("", text[left:fig_start]).strip()
    phrase = re.split(r"[（(「“]", phrase)[-1]  # an unclosed bracket opens the phrase
    phrase = phrase.split("从")[0] if "从" in phrase[1:] else phrase  # 净亏损从1年前的… -> 净亏损
    for _ in range(6):
        stripped = _TRAILING_FILLER.sub("", phrase).rstrip()
        if stripped == phrase:
            break
        phrase = stripped
    phrase = _SUBJECT_START.sub("", phrase).strip(" 的")
    if len(phrase) < 2 or not re.search(r"[\u4e00-\u9fffA-Za-z]", phrase):
        return None
    if len(phrase) > 16:
        cuts = [m.end() for m in re.finditer(r"[和与及、，]", phrase) if len(phrase) - m.end() >= 2]
        phrase = phrase[cuts[-1]:] if cuts else phrase[-16:]
        phrase = re.sub(r"^[A-Za-z]+(?=[^A-Za-z])", "", phrase) if not cuts else phrase  # no half Latin words
    return phrase.strip() or None


def _approx(before: str, after: str) -> str | None:
    for word, kind in APPROX_BEFORE:
        if re.search(rf"{word}(了|达到?|为)?$", before):
            return kind
    for word, kind in APPROX_AFTER:
        if after.startswith(word):
            return kind
    return None


def _direction(before: str) -> str | None:
    tail = re.sub(r"(了|约|近|达|为|到|超过|逾|大约)+$", "", before)
    if tail.endswith(UP_VERBS):
        return "up"
    if tail.endswith(DOWN_VERBS):
        return "down"
    return None


def _comparison(before: str) -> str | None:
    for word, kind in (("同比", "yoy"), ("较去年同期", "yoy"), ("环比", "qoq"), ("较上月", "mom"), ("月环比", "mom")):
        if word in before[-12:]:
            return kind if word != "环比" or "月" not in before[-14:-12] else "mom"
    return None


@dataclass
class FigureExtractor:
    """Finds, qualifies, renders and ranks the figures of one article."""

    max_figures: int | None = None

    def __call__(
        self,
        text: str,
        sentences: list[Sentence],
        *,
        published: datetime | None = None,
        precision: str | None = None,
        title: str = "",
        entity_spans: list[tuple[int, int]] | None = None,
    ) -> list[Figure]:
        anchor = Anchor.from_published(published, precision)
        candidates = find_candidates(text, anchor)
        starts = [s.start for s in sentences]
        candidates = self._years_from_context(candidates, starts, anchor)
        figures: list[Figure] = []
        previous_end_in_sentence: dict[int, int] = {}
        for candidate in candidates:
            index = max(0, bisect.bisect_right(starts, candidate.start) - 1) if sentences else 0
            sentence = sentences[index] if sentences else Sentence(index=0, paragraph=0, start=0, end=len(text),
                                                                    text=text)
            clause_start, clause_end = _clause_bounds(text, candidate.start, candidate.end, sentence)
            before = text[clause_start:candidate.start]
            after = text[candidate.end:clause_end]
            figure = self._qualify(candidate, text, before, after, sentence, index, anchor,
                                   previous_end_in_sentence.get(index, sentence.start), clause_start)
            previous_end_in_sentence[index] = candidate.end
            # 收入增长8.2%至8270万美元: the second figure measures what the first one does.
            if figure.subject is None and figure.kind not in ("date", "period") and figures:
                last = figures[-1]
                if last.sentence == index and last.start >= clause_start and last.subject:
                    figure.subject = last.subject
            figures.append(figure)
        self._link_changes(text, figures)
        self._assign_periods(text, figures, sentences, anchor)
        for figure in figures:
            figure.english = self._english(figure)
            figure.salience = self._salience(figure, title, sentences, entity_spans or [])
        if self.max_figures is not None:
            keep = {id(f) for f in sorted(figures, key=lambda f: -f.salience)[: self.max_figures]}
            figures = [f for f in figures if id(f) in keep]
        return figures

    @staticmethod
    def _years_from_context(candidates: list[Candidate], starts: list[int], anchor: Anchor) -> list[Candidate]:
        """2021年4月……从6月开始: a month without a year takes the year stated earlier in its sentence."""
        resolved: list[Candidate] = []
        year_by_sentence: dict[int, int] = {}
        for candidate in candidates:
            index = bisect.bisect_right(starts, candidate.start) - 1
            if "explicit_year" in candidate.info:
                year_by_sentence[index] = candidate.info["explicit_year"]
            elif "year_rule" in candidate.info and index in year_by_sentence:
                make, match = candidate.info["year_rule"]
                redone = make(match, Anchor(year_by_sentence[index], anchor.month))
                if redone is not None:
                    redone.start, redone.end = candidate.start, candidate.end
                    candidate = redone
            resolved.append(candidate)
        return resolved

    # -- qualifiers

    def _qualify(self, c: Candidate, text: str, before: str, after: str, sentence: Sentence, index: int,
                 anchor: Anchor, previous_end: int, clause_start: int) -> Figure:
        kind, unit = c.kind, c.unit
        # 170万 after 活跃买家数量为 is a count; 近60亿 of GMV stays a plain quantity.
        lead = _PARENTHETICAL.sub("", before).replace(" ", "")
        if c.info.get("bare") and (_COUNT_CONTEXT.search(lead) or re.match(rf"({_COUNT_WORDS})", after)):
            kind = "count"
        approx = c.approx or _approx(before, after)
        direction = _direction(before) if kind in ("percent", "percentage_point", "multiple", "money", "count",
                                                   "quantity", "fraction") else None
        comparison = _comparison(before) if direction else None
        forecast = kind not in ("date", "period") and any(w in before for w in FORECAST_WORDS)
        subject = _subject(text, clause_start, c.start, previous_end) if kind not in ("date", "period") else None
        return Figure(
            text=text[c.start:c.end], start=c.start, end=c.end, sentence=index, kind=kind, value=c.value,
            low=c.low, high=c.high, unit=unit, approx=approx,  # type: ignore[arg-type]
            change=FigureChange(direction=direction) if direction else None,  # type: ignore[arg-type]
            comparison=comparison, forecast=forecast, subject=subject, english=c.english or "",
        )

    @staticmethod
    def _link_changes(text: str, figures: list[Figure]) -> None:
        """从A缩减至B and 增长8.2%至B: one change, both values on both figures."""
        for i, figure in enumerate(figures):
            gap_start = figures[i - 1].end if i else 0
            before = text[gap_start:figure.start]
            m = re.search(r"(?P<verb>" + "|".join(UP_VERBS + DOWN_VERBS) + r")了?(至|到)$", before)
            if m is None and not (i and re.fullmatch(r"\s?(至|到)", before) and figures[i - 1].change):
                continue
            direction = ("up" if m.group("verb") in UP_VERBS else "down") if m else \
                figures[i - 1].change.direction  # type: ignore[union-attr]
            origin = None
            for previous in reversed(figures[max(0, i - 3):i]):
                lead = text[max(0, previous.start - 8):previous.start]
                if previous.sentence == figure.sentence and previous.kind == figure.kind and "从" in lead:
                    origin = previous
                    break
            change = FigureChange(direction=direction, from_value=origin.value if origin else None,
                                  to_value=figure.value if isinstance(figure.value, float) else None)
            if origin is not None and isinstance(origin.value, float):
                origin.change = change
            figure.change = change

    @staticmethod
    def _assign_periods(text: str, figures: list[Figure], sentences: list[Sentence], anchor: Anchor) -> None:
        for figure in figures:
            if figure.kind in ("date", "period"):
                continue
            same = [f for f in figures if f.sentence == figure.sentence and f.kind in ("date", "period")]
            earlier = [f for f in same if f.end <= figure.start]
            if earlier:
                figure.period = str(earlier[-1].value)
                continue
            if sentences:
                sentence = sentences[figure.sentence]
                m = re.search(_REL_YEAR, text[sentence.start:figure.start])
                if m and anchor.year is not None:
                    figure.period = str(anchor.year + RELATIVE_YEARS[m.group(0)])

    # -- English

    @staticmethod
    def _english(f: Figure) -> str:
        approx = APPROX_ENGLISH.get(f.approx or "", "")
        if f.english and f.kind in ("date", "period"):
            return f.english if f.kind == "period" or not f.approx or f.english.startswith(("end", "early", "mid",
                                                                                             "late", "start")) \
                else approx + f.english
        core = f.english or _core_english(f)
        if f.kind in ("percent", "percentage_point") and f.change and f.change.direction and f.change.to_value is None:
            core = f"{'up' if f.change.direction == 'up' else 'down'} {approx}{core}"
            if f.comparison:
                core += {"yoy": " year on year", "qoq": " quarter on quarter", "mom": " month on month"}[f.comparison]
            return core
        return approx + core

    @staticmethod
    def _salience(f: Figure, title: str, sentences: list[Sentence], entity_spans: list[tuple[int, int]]) -> float:
        weight = {"money": 5.0, "percent": 3.5, "percentage_point": 3.5, "multiple": 3.0, "count": 3.0,
                  "fraction": 2.5, "quantity": 2.0, "date": 1.5, "period": 1.0}[f.kind]
        if f.text in title:
            weight += 3
        if f.sentence <= 2:
            weight += 1.5
        if sentences:
            sentence = sentences[f.sentence]
            if any(sentence.start <= s < sentence.end for s, _ in entity_spans):
                weight += 1
        if f.subject:
            weight += 0.5
        if f.change or f.forecast:
            weight += 0.5
        # Earlier figures first among equals.
        return round(weight - 0.001 * f.sentence, 4)


_DECORATION = re.compile(r"^(?:up |down )?(?:about |nearly |over |at least |under |up to )?|"
                         r" (?:year|quarter|month) on (?:year|quarter|month)$")


def core_english(f: Figure) -> str:
    """The English of the value alone, without the qualifiers that the Chinese around the span
    already says (约, 同比增长): what replaces the span before translation."""
    if f.kind in ("date", "period"):
        return f.english
    return _DECORATION.sub("", f.english) or _core_english(f)


def _core_english(f: Figure) -> str:
    if f.kind == "money":
        prefix = CURRENCY_ENGLISH.get(f.unit or "", f"{f.unit} " if f.unit else "")
        if f.value is None and f.low is not None and f.high is not None:
            return f"{prefix}{english_amount(f.low)}–{prefix}{english_amount(f.high)}"
        return f"{prefix}{english_amount(float(f.value))}"  # type: ignore[arg-type]
    if f.kind == "percent":
        if f.value is None and f.low is not None:
            return f"{format_decimal(f.low)}%–{format_decimal(f.high or 0)}%"
        return f"{format_decimal(float(f.value))}%"  # type: ignore[arg-type]
    if f.kind == "percentage_point":
        value = float(f.value)  # type: ignore[arg-type]
        return f"{format_decimal(value)} percentage point{'s' if value != 1 else ''}"
    if f.kind == "multiple":
        return f"{format_decimal(float(f.value))} times"  # type: ignore[arg-type]
    if f.kind == "fraction":
        return f"{format_decimal(float(f.value) * 100)}%"  # type: ignore[arg-type]
    if f.kind in ("count", "quantity"):
        unit_en = COUNT_UNITS.get(f.unit or "", MEASURE_UNITS.get(f.unit or "", ""))
        if f.value is None and f.low is not None and f.high is not None:
            amount = f"{english_amount(f.low)}–{english_amount(f.high)}"
        else:
            amount = english_amount(float(f.value))  # type: ignore[arg-type]
            if f.value == 1 and unit_en.endswith("s") and unit_en != "years old":
                unit_en = unit_en[:-1]
        return f"{amount} {unit_en}".strip()
    return f.text


def _vague_english(low: float) -> str:
    words = {10: "dozens", 100: "hundreds", 1e3: "thousands", 1e4: "tens of thousands", 1e5: "hundreds of thousands",
             1e6: "millions", 1e7: "tens of millions", 1e8: "hundreds of millions", 1e9: "billions",
             1e10: "tens of billions", 1e11: "hundreds of billions"}
    return words.get(low, f"several times {english_amount(low)}")
