"""The words figure rules read: currencies, unit nouns, qualifiers, relative years."""

from __future__ import annotations

import re

CURRENCIES: dict[str, str] = {
    "元人民币": "CNY", "人民币": "CNY", "元": "CNY", "块钱": "CNY", "美元": "USD", "美金": "USD",
    "港元": "HKD", "港币": "HKD", "欧元": "EUR", "日元": "JPY", "英镑": "GBP", "韩元": "KRW",
    "新台币": "TWD", "台币": "TWD", "卢比": "INR", "泰铢": "THB", "越南盾": "VND", "印尼盾": "IDR",
    "林吉特": "MYR", "新加坡元": "SGD", "新元": "SGD", "澳元": "AUD", "加元": "CAD", "卢布": "RUB",
    "雷亚尔": "BRL", "比索": "MXN", "瑞郎": "CHF", "瑞士法郎": "CHF", "菲律宾比索": "PHP",
    "圆": "CNY", "美圆": "USD", "日圆": "JPY",  # the formal spelling (人民币壹万圆整)
}
CURRENCY_SYMBOLS: dict[str, str] = {
    "US$": "USD", "HK$": "HKD", "S$": "SGD", "A$": "AUD", "C$": "CAD", "$": "USD", "¥": "CNY", "￥": "CNY",
    "€": "EUR", "£": "GBP",
}
CURRENCY_ENGLISH: dict[str, str] = {
    "USD": "US$", "CNY": "RMB ", "HKD": "HK$", "TWD": "NT$", "EUR": "€", "GBP": "£", "SGD": "S$", "AUD": "A$",
    "CAD": "C$",  # others as ISO codes: JPY 1.2 billion, KRW …, IDR …, VND …, THB …
}
# A currency by name, for amounts without a number: "millions of US dollars", never "US$millions".
CURRENCY_NAMES: dict[str, str] = {
    "USD": "US dollars", "CNY": "yuan", "HKD": "Hong Kong dollars", "TWD": "New Taiwan dollars", "EUR": "euros",
    "GBP": "pounds", "SGD": "Singapore dollars", "AUD": "Australian dollars", "CAD": "Canadian dollars",
    "JPY": "yen", "KRW": "won",
}

# Count units: the noun or measure word right after a number, with its English plural.
COUNT_UNITS: dict[str, str] = {
    "活跃用户": "active users", "月活跃用户": "monthly active users", "日活跃用户": "daily active users",
    "付费用户": "paying users", "用户": "users", "活跃买家": "active buyers", "买家": "buyers", "卖家": "sellers",
    "商家": "merchants", "会员": "members", "粉丝": "followers", "消费者": "consumers", "员工": "employees",
    "人次": "visits", "人": "people", "名": "people", "位": "people", "户": "households",
    "家": "companies", "订单": "orders", "单": "orders", "笔": "transactions", "件": "items", "款": "products",
    "个": "", "只": "", "台": "units", "辆": "vehicles", "座": "", "所": "", "项": "projects", "条": "",
    "次": "times", "场": "events", "部": "", "张": "", "套": "sets", "支": "", "间": "rooms", "个国家": "countries",
    "国家": "countries", "站点": "sites", "门店": "stores", "店铺": "stores", "城市": "cities",
    "个站点": "sites", "个城市": "cities", "个国家和地区": "countries and regions",
    "宗": "cases", "种": "kinds", "类": "categories", "起": "cases", "例": "cases", "批": "batches",
    "轮": "rounds", "篇": "articles", "份": "copies", "股": "shares", "颗": "",
}
MEASURE_UNITS: dict[str, str] = {
    "万平方米": "", "平方米": "square metres", "平方公里": "square kilometres", "平米": "square metres",
    "公里": "km", "千米": "km", "米": "metres", "公顷": "hectares", "亩": "mu", "吨": "tonnes",
    "公斤": "kg", "千克": "kg", "千瓦时": "kWh", "千瓦": "kW", "兆瓦": "MW", "升": "litres", "TB": "TB",
    "斤": "jin", "克": "grams", "克拉": "carats", "厘米": "cm", "毫米": "mm", "毫升": "ml", "英里": "miles",
    "英尺": "feet", "立方米": "cubic metres", "GB": "GB",
    "小时": "hours", "个小时": "hours", "分钟": "minutes", "天": "days", "周": "weeks", "个月": "months",
    "个工作日": "working days", "工作日": "working days",
    "岁": "years old", "周岁": "years old", "周年": "anniversary",
}
# Units said two ways, kept as one: 10个小时 and 10小时 are both 小时.
UNIT_ALIASES = {"个小时": "小时", "个站点": "站点", "个城市": "城市"}
# English plurals whose singular is not the plural less its s.
_SINGULARS = {"people": "person", "companies": "company", "countries": "country", "cities": "city",
              "categories": "category", "batches": "batch", "copies": "copy", "countries and regions":
              "country or region", "properties": "property"}


def singular(plural: str) -> str:
    """'companies' -> 'company', 'people' -> 'person', 'orders' -> 'order'."""
    if plural in _SINGULARS:
        return _SINGULARS[plural]
    return plural[:-1] if plural.endswith("s") and not plural.endswith("ss") else plural
_COUNT_CONTEXT = re.compile(
    r"(数量|人数|用户|买家|卖家|商家|订单|人次|粉丝|会员|下载量|销量|件数|数目|数|病例|患者|游客|员工|人口)"
    r"(已经?|累计|达到?|为|超过|约|近|突破|增至|增长至|至|了)*$"
)

APPROX_BEFORE: tuple[tuple[str, str], ...] = (
    ("不低于", "at_least"), ("不超过", "up_to"), ("至少", "at_least"), ("最少", "at_least"), ("最高", "up_to"),
    ("最多", "up_to"), ("多达", "up_to"), ("大约", "about"), ("约有", "about"), ("约", "about"), ("将近", "nearly"),
    ("接近", "nearly"), ("近", "nearly"), ("超过", "over"), ("超", "over"), ("逾", "over"), ("高于", "over"),
    ("不到", "under"), ("不足", "under"), ("低于", "under"),
)
APPROX_AFTER: tuple[tuple[str, str], ...] = (
    ("左右", "about"), ("上下", "about"), ("以上", "over"), ("之多", "over"), ("多", "over"), ("余", "over"),
    ("以下", "under"), ("以内", "up_to"),
)
# How a figure's comparison reads in English (同比, 环比 of a quarter, of a month).
COMPARISON_ENGLISH = {"yoy": "year on year", "qoq": "quarter on quarter", "mom": "month on month"}
APPROX_ENGLISH = {"about": "about ", "nearly": "nearly ", "over": "over ", "at_least": "at least ",
                  "under": "under ", "up_to": "up to "}

UP_VERBS = ("增长", "上升", "提升", "提高", "增加", "上涨", "攀升", "扩大", "猛增", "增", "涨", "升")
DOWN_VERBS = ("下降", "下滑", "减少", "缩减", "降低", "下跌", "缩小", "萎缩", "收窄", "亏损", "减", "降", "跌")
# Durations: a number of these is a length of time (六天, 一个月, 3年长期…), never a date.
DURATION_UNITS: dict[str, str] = {"天": "days", "周": "weeks", "个月": "months", "小时": "hours", "分钟": "minutes",
                                  "年": "years"}
# Agent nouns end so: a bare number before such a noun counts people (2100万造型师, 300万卖家).
PERSON_NOUN_ENDINGS = ("师", "者", "员", "户", "商", "家", "人", "生", "手", "客", "民", "工")
FORECAST_WORDS = ("预计", "预测", "预期", "有望", "目标", "计划", "估计", "或将", "将达", "将")

MONTHS = ["", "January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
VAGUE_ENGLISH = {
    "十": "dozens", "百": "hundreds", "千": "thousands", "万": "tens of thousands", "十万": "hundreds of thousands",
    "百万": "millions", "千万": "tens of millions", "亿": "hundreds of millions", "十亿": "billions",
    "百亿": "tens of billions", "千亿": "hundreds of billions",
}
RELATIVE_YEARS = {"今年": 0, "本年": 0, "当年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1, "后年": 2}

