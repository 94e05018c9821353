"""Key figures: find every number an analyst would quote, normalise it, anchor it to the
article's own date, and render it in English deterministically.

Numbers are pulled from the raw cleaned text with rules (not from tokens): jieba splits
1741亿美元 and 9月12日 into pieces. Every figure keeps its exact source span and offsets.

Rooms: ``vocabulary`` (words the rules read), ``patterns`` (number patterns, the rule registry),
``amounts`` and ``dates`` (the rules), ``candidates`` (running them), ``extractor`` (qualifiers,
subjects, periods, salience) and ``english`` (the value in English).

The stage in full

figures (`pipeline/figures/` (`vocabulary`, `patterns`, `amounts`, `colloquial`, `dates`, `date_spans`,
    `candidates`, `subjects`, `extractor`, `english`), `pipeline/numbers.py`): every figure an analyst would
    quote, from the raw text: money (1741亿美元 → US$174.1 billion), percent, percentage points, multiples,
    fractions (三分之一, 成 as tenths: 3.5成 35%, 七成半 75%; 万分之五 "5 per 10,000", 1‰), counts with unit
    nouns (also in Chinese numerals: 两名, 三次, 289宗; 1家 is "1 company", 人次 "visits"), durations (六天,
    一个月, 3年长期, 三年半, 半个小时, 二十余年, 三个多月, 两年多, 5~8个月), dates and periods (cumulative
    ones too: 前三季度, 1-9月, 首季度, 年初至今; in numerals: 二〇一九年十月; day and month ranges:
    6月3-9日, 12月30日至1月2日; 年底, 上月底; decades: 70年代 the 1970s; two-digit years: 19年5月 is May
    2019); values normalised (亿 = 1e8, Chinese numerals formal, 大写 and colloquial: 四万二 is 42,000,
    一千零三 1,003; mixed: 3万2千5百, 200万五千; Traditional 億/萬/兩; signs: -8.65亿元, 负2.1%; ranges
    whose ends share a magnitude: 二十至四十万元 is 200,000–400,000, 六七千 6,000–7,000, 3万元--8万元;
    数千万, 十余家, 100多家, 1300余万元, 2亿多美元, 60多亩 as bounds to the next step of the last digit:
    1500多人 is 1,500 to 1,600; 块, 毛, 角, 分: 二十块八 RMB 20.8, 一毛五 RMB 0.15; 圆, 美圆, 瑞士法郎; a
    wording that reads two ways, 20年代, carries `uncertain` and says so in its English), measures (亩 mu,
    斤 jin, 公斤, 克, 平方米, 立方米, 公里 …; 5千克 is 5 kg), currencies (RMB, US$, HK$, NT$, €, £, JPY …),
    qualifiers (约/约有/近/超过; a bound outranks 约 beside it: 最高约60亿元 is up to, 约70%以上 over;
    同比/环比 (month or quarter as the text names its periods), 从A缩减至B, 下降/亏损 as direction down,
    forecasts, shown as "(forecast)" in the fact sheet), periods anchored to the article's publish date
    (never today), subject (what the figure measures, from the sentence's structure: the noun after a count
    or amount by jieba's tags, 3000名员工 → 员工, 12%的股份 → 股份; the phrase before it with the predicate
    cut off, 全年实现销售额 → 销售额; a share's owner, 深圳卖家占…的三成 → 深圳卖家; none rather than a
    guess), deterministic English, salience ranking
"""

from .english import core_english
from .extractor import FigureExtractor
from .patterns import Anchor
from .vocabulary import COMPARISON_ENGLISH, COUNT_UNITS, CURRENCIES, MEASURE_UNITS

__all__ = ["COMPARISON_ENGLISH", "COUNT_UNITS", "CURRENCIES", "MEASURE_UNITS", "Anchor", "FigureExtractor",
           "core_english"]
