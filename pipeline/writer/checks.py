"""Checks on the model's English: numbers it writes, names it writes, Chinese it leaves."""

from __future__ import annotations

import re
from functools import cache

from ..figures import core_english
from ..figures.vocabulary import MEASURE_UNITS
from ..ingest.clean import BIDI_CONTROLS
from ..numbers import CN_DIGIT_CHARS, CN_UNIT_CHARS, english_number_words, number_word_value, parse_chinese_integer
from ..resources import HAN, Resources, default_resources, read_lines
from ..schema import Brief, Figure
from .nationality import peoples_of
from .sounds import name_skeletons, sounds_like

HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_NUMBER = re.compile(  # not after a letter, nor a letter and a hyphen (COVID-19, TT123)
    r"(?<![A-Za-z0-9.])(?<![A-Za-z]-)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s?(trillion|billion|million|thousand|bn|mn|m|k)\b)?"
)
_SCALE = {"trillion": 1e12, "billion": 1e9, "bn": 1e9, "million": 1e6, "mn": 1e6, "m": 1e6, "thousand": 1e3,
          "k": 1e3}
_LATIN_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9&'\-]*")
_CAPITALISED = re.compile(r"(?<![A-Za-z0-9.])[A-Z][A-Za-z&'\-]+(?:\s[A-Z][A-Za-z&'\-]+)*")


@cache
def load_common_words(resources: Resources) -> frozenset[str]:
    """Capitalised words that are not names (corpus/lexicon/common_capitalised.txt)."""
    return frozenset(read_lines(resources.require(resources.lexicon / "common_capitalised.txt")))


def numbers_in(text: str) -> list[float]:
    """Every number written in English text, scaled: 'US$174.1 billion' -> 174.1e9."""
    values = []
    for m in _NUMBER.finditer(text):
        value = float(m.group(1).replace(",", "") + (m.group(2) or ""))
        values.append(value * _SCALE.get((m.group(3) or "").lower(), 1.0))
    return values


# 'two' is mostly a pair the source names without a numeral (中美: 'the two countries'); 'second-hand' (二手
# in the glossary), 'the second half' (下半年) and 'third-party' are no figures.
_NO_NUMBER_AFTER = re.compile(r"[- ](?:hand|half|part(?:y|ies))\b")


def numbers_spelt(text: str) -> list[tuple[int, int, int]]:
    """(value, start, end) of the numbers English spells in words that the checks read, as they read
    digits: 'five million' for 500万, 'the second edition' for 第二十三届 (a wrong number)."""
    return [(value, start, end) for value, start, end in english_number_words(text)
            if text[start:end] != "two" and not (value in (2, 3) and _NO_NUMBER_AFTER.match(text, end))]


def numbers_said(text: str) -> list[float]:
    """Every number the English says that must be a figure of its source: in digits, then in words."""
    return numbers_in(text) + [float(value) for value, _, _ in numbers_spelt(text)]


# A clock time in Chinese (16时, 9点半, 9点15分): its English writes minutes the digits do not ('16:00', '9:30').
_CLOCK = re.compile(r"(\d{1,2})\s*[时点](?:\s*(\d{1,2})\s*分|(半))?")


# A clock time in digits (17:34, 17:34:48): its English may read it on a 12-hour clock ('5:34 p.m.').
_DIGITAL_CLOCK = re.compile(r"(?<![\d:])(\d{1,2}):\d{2}(?::\d{2})?(?![\d:])")


# A small number in Chinese numerals, which no figure rule keeps (国家二级保护动物, 三河镇, 两次): English
# may write it in digits ('grade 2'). 一 only before a measure word: alone it is mostly 'a' or 'one'.
_NUMERAL_CHARS = CN_DIGIT_CHARS + CN_UNIT_CHARS
_SMALL_NUMERAL = re.compile(rf"(?<![{_NUMERAL_CHARS}])(?:[二三四五六七八九十两][一二三四五六七八九十]{{0,2}}"
                            rf"|一(?=[级等号期次名个种类]))(?![{_NUMERAL_CHARS}])")


def numbers_written(text: str) -> list[float]:
    """The numbers a source text writes in digits (:func:`numbers_in`) or as small Chinese numerals,
    the minutes of its clock times, which an English clock time writes, and the hour of an afternoon
    time on a 12-hour clock (17时 or 17:34: '5 p.m.'): what the English may say beside the figures."""
    clocks = list(_CLOCK.finditer(text))
    hours = [int(m.group(1)) for m in (*clocks, *_DIGITAL_CLOCK.finditer(text))]
    small = []
    for m in _SMALL_NUMERAL.finditer(text):
        try:
            small.append(float(parse_chinese_integer(m.group(0).replace("两", "二"))))
        except ValueError:
            continue
    return (numbers_in(text) + small + [30.0 if m.group(3) else float(m.group(2) or 0) for m in clocks]
            + [float(hour - 12) for hour in hours if 13 <= hour <= 23])


def same_number(a: float, b: float) -> bool:  # within rounding: 1.74 for 1.741
    return abs(a - b) <= 0.005 * max(abs(a), abs(b)) or abs(a - b) < 1e-9


# Control characters (XOFF, ESC ...) and bidirectional overrides: never part of an English sentence.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS)) + "]")


# An answer that opens by announcing itself ('Here is the English translation of the text:').
_PREAMBLE = re.compile(r"^\s*(?:here is|here's|below is)\b[^\n:]{0,100}\btranslat\w*[^\n:]{0,60}:\s*", re.I)
# An answer that explains instead of translating: 'The Chinese word "黑龙江农垦" translates to "…" in English.'
_EXPLAINED = re.compile(r"^the chinese (?:word|phrase|term|text|name)s?\b.{0,80}?\b(?:translates?|is translated|means)"
                        r"\s+(?:to|as|into)?\s*[\"“'‘](?P<english>[^\"”'’]+)[\"”'’]", re.I | re.S)
# A source sentence that is one quotation (“希望水早点退吧。”): its English is quoted too.
_QUOTATION = re.compile(r"^\s*[“\"「『][^“”\"「」『』]+[”\"」』][。！？.!?]?\s*$")


def is_quotation(text: str) -> bool:
    return bool(_QUOTATION.match(text))


def clean_output(text: str, *, quoted: bool = False) -> str:
    """First paragraph of the model's answer, without a preamble, quotes, a 'Translation:' label or
    control characters; in quotation marks when the source is one quotation (`quoted`), whose marks
    the model tends to drop."""
    text = _PREAMBLE.sub("", _CONTROL.sub("", text)).strip().split("\n\n")[0].strip()
    explained = _EXPLAINED.match(text)
    text = explained.group("english") if explained else text
    text = re.sub(r"^(English|Translation|Title)\s*[:：]\s*", "", text, flags=re.IGNORECASE)
    if len(text) >= 2 and text[0] in "\"“'" and text[-1] in "\"”'":
        text = text[1:-1].strip()
    text = _TWICE_A_DAY.sub(r"\1", " ".join(text.split()))
    return f"“{text}”" if quoted and text else text


# A 24-hour time with a 12-hour mark ('15:30 PM'): the hour says it already.
_TWICE_A_DAY = re.compile(r"\b((?:1[3-9]|2[0-3]):[0-5]\d)\s*(?:[ap]\.m\.|[AP]M|[ap]m)(?=\W|$)")


def latin_words(text: str) -> list[str]:
    """The words of a name in Latin script, without its punctuation: 'Co., Ltd.' -> ['Co', 'Ltd']."""
    return _LATIN_WORD.findall(text)


class KnownNames(set[str]):
    """The words of an article's names (:func:`known_names`), and `sounds`: the consonant skeletons of
    the names it has only in pinyin, against which the model's usual English for a transliteration
    is checked (``sounds.sounds_like``: 博索纳罗 'Bo Suonaluo' may be Bolsonaro)."""

    sounds: frozenset[str] = frozenset()


def known_names(brief: Brief, resources: Resources | None = None) -> KnownNames:
    """The words of the entities' English names and Latin mentions, the initials of the longer names
    (CIIE for China International Import Expo), and the people of the places named (Dutch for 荷兰)."""
    names = KnownNames(peoples_of(brief.entities, resources or default_resources()))
    names.sounds = frozenset(s for e in brief.entities if e.english_source == "pinyin" and HAN.search(e.text)
                             for s in name_skeletons(e.text))
    for e in brief.entities:
        words = latin_words(e.english)
        names.update(words)
        names.update(m.text for m in e.mentions if not HAN.search(m.text))
        capitals = [w[0] for w in words if w[:1].isupper()]
        if len(capitals) >= 2:
            names.add("".join(capitals))
    return names


def unknown_names(text: str, known: set[str], source: str, common: frozenset[str],
                  vocabulary: frozenset[str] = frozenset(), ordinary: frozenset[str] = frozenset()) -> list[str]:
    """Capitalised names in the English that trace to nothing in the source (not a sentence start).

    A word traces when an entity's English or a Latin mention has it, the source writes it, or it is
    in `vocabulary`, the English of the source's dictionary words (足球场 'football field', 国家统计局
    'National Bureau of Statistics'): a name the model translated is kept, one it made up is not.
    With `known` from :func:`known_names`, a word also traces when it sounds like a name the article
    has only in pinyin (Bolsonaro for 博索纳罗, `KnownNames.sounds`). Case is ignored (SHEIN, Shein).
    The first word of a sentence is no name when it is an ordinary English word (`ordinary`:
    'Additionally', 'Meanwhile')."""
    known_lower = {k.lower() for k in known}
    sounds = getattr(known, "sounds", frozenset())
    source_lower = source.lower()

    def traces(word: str) -> bool:
        if _traces(word.lower(), known_lower, source_lower, vocabulary) \
                or any(sounds_like(word, skeleton) for skeleton in sounds):
            return True
        parts = [p for p in word.split("-") if p]  # American-based, Vice-Chairman: each part on its own
        return len(parts) > 1 and all(p in common or p.islower() or traces(p) for p in parts)

    found = []
    for m in _CAPITALISED.finditer(text):
        words = [re.sub(r"'s?$|’s?$|-$", "", w) for w in m.group(0).split()]
        if words and words[0].lower() in ordinary and re.search(r"(?:^|[.!?:]\s+|[\"“‘(]\s*)$", text[:m.start()]):
            words = words[1:]  # a capital because it starts a sentence
        if _expands_an_acronym(words, source):
            continue
        words = [w for w in words if w and w not in common]
        if not words or (m.start() == 0 and len(words) == 1):
            continue
        if not all(traces(w) for w in words):
            found.append(" ".join(words))
    return found


def _expands_an_acronym(words: list[str], source: str) -> bool:
    """Whether the words spell out an acronym the source writes: Consumer Price Index for CPI."""
    initials = "".join(w[0] for w in words if w).upper()
    return len(words) >= 2 and bool(re.search(rf"(?<![A-Za-z]){re.escape(initials)}(?![A-Za-z])", source))


def source_vocabulary(text: str) -> frozenset[str]:
    """What a faithful English of `text` may name (lower case): the English of its CC-CEDICT words and
    the pinyin of its runs of up to four characters (王海松 'wanghaisong', 'haisong'; 执势 'zhishi'):
    a transliteration traces, a made-up spelling (Haosheng) does not."""
    from pypinyin import Style, lazy_pinyin

    from ..dictionary import load_dictionary

    words = set(load_dictionary().english_words(text))
    for run in HAN_RUN.findall(text):
        syllables = [p.replace("ü", "u").replace("v", "u") for p in lazy_pinyin(run, style=Style.NORMAL)]
        for start in range(len(syllables)):
            for end in range(start + 1, min(len(syllables), start + 4) + 1):
                words.add("".join(syllables[start:end]))
    return frozenset(words)


def _traces(word: str, known: set[str], source: str, vocabulary: frozenset[str]) -> bool:
    if word in known or word in source:
        return True
    if (number := number_word_value(word)) is not None:  # Third (第三届) where the source writes it, First for 首
        return any(same_number(number, n) for n in numbers_written(source)) or (number == 1 and "首" in source)
    word = word.replace("ü", "u")
    stems = [word, word[:-1] if word.endswith("s") else "", word[:-2] if word.endswith("es") else "",
             word[:-3] + "y" if word.endswith("ies") else "", word[:-3] if word.endswith("ern") else "",
             re.sub(r"(?:or|er)s?$", "", word), word[:-1] if word.endswith("ed") else "",
             word[:-2] if word.endswith("ed") else "", word[:-3] if word.endswith("ing") else "",
             word[:-3] + "e" if word.endswith("ing") else "", word[:-4] if word.endswith("ship") else "",
             word[:-1] if word.endswith("an") else "", word[:-3] + "a" if word.endswith("ian") else ""]
    # sports: sport; eastern: east; exhibitor: exhibit; building: build; leadership: leader; Korean: Korea
    return any(stem and stem in vocabulary for stem in stems)


# Words that say which way a figure moved, and how it is compared: read around the number in the English.
_UP = re.compile(r"\b(?:up|increas\w*|ris(?:e|es|en|ing)|rose|gr[eo]w\w*|higher|gain\w*|jump\w*|surg\w*|climb\w*|"
                 r"expand\w*|boost\w*|soar\w*|doubl\w*|tripl\w*|more)\b", re.I)
_DOWN = re.compile(r"\b(?:down|decreas\w*|declin\w*|f[ae]ll\w*|drop\w*|lower\w*|reduc\w*|shr[iau]nk\w*|"
                   r"narrow\w*|cut\w*|slump\w*|plung\w*|contract\w*|slid\w*|less|fewer)\b", re.I)
COMPARED = {
    "yoy": re.compile(r"year[- ](?:on|over)[- ]year|\by-?o-?y\b|(?:a|the previous|last|prior) year|same period"
                      r"|annual|from a year", re.I),
}
# 环比 compares with the period before, a month or a quarter as the text's periods are: either English is right.
COMPARED["qoq"] = COMPARED["mom"] = re.compile(
    r"(?:quarter|month)[- ](?:on|over)[- ](?:quarter|month)|\b[qm]-?o-?[qm]\b|(?:previous|last|prior|preceding|"
    r"earlier) (?:quarter|month|period)|sequential|from the month before|from a month earlier", re.I)
_CLAUSE = re.compile(r"[;:]|,\s|\.\s|\.$| and | while | whereas | but ")
# A year-on-year figure said against the period before ('a 3.2 times increase from Q3 2023' for a Q4 2023
# 同比增长3.2倍): a quarter or month of the figure's own year, or 'the previous quarter'.
_AGAINST = r"\b(?:from|compared (?:with|to)|against|over|than|versus)\s+(?:the\s+)?"
_PREVIOUS_PERIOD = re.compile(_AGAINST + r"(?:previous|last|prior|preceding) (?:quarter|month)\b", re.I)
_QUARTER_OF_YEAR = re.compile(_AGAINST + r"(?:Q[1-4]|(?:first|second|third|fourth) quarter(?: of)?)\s+((?:19|20)\d\d)",
                              re.I)


def _clause_around(text: str, start: int, end: int) -> str:
    """The clause of the English a number stands in: between the punctuation (or 'and') around it."""
    before = [m.end() for m in _CLAUSE.finditer(text, 0, start)]
    after = _CLAUSE.search(text, end)
    return text[before[-1] if before else 0: after.start() if after else len(text)]


def number_places(text: str, value: float) -> list[tuple[int, int]]:
    """Where the English says the value, in digits or in words ('three years' for 3年)."""
    places = [(m.start(), m.end()) for m in _NUMBER.finditer(text) if same_number(numbers_in(m.group(0))[0], value)]
    return sorted(places + [(start, end) for number, start, end in english_number_words(text) if number == value])


# 'reduced by US$380 million … to US$270 million' for 从3.8亿美元缩减至2.7亿美元: neither end is the amount.
BY_BEFORE = re.compile(r"\bby\s+(?:[^\s\d]{1,4}\s?)?$")


def broken_relations(text: str, figures: list[Figure]) -> list[str]:
    """What the English breaks of the figures its source sentence states: a figure left out, a change
    turned the other way ('fell' for 增长), a 'from … to …' that lost one end or its order, a
    year-on-year figure no longer said to be year on year."""
    broken: list[str] = []
    for f in figures:
        if f.kind in ("date", "period") or not isinstance(f.value, int | float):
            continue
        phrase = core_english(f)
        wanted = numbers_in(phrase)
        if not wanted:
            continue
        places = number_places(text, wanted[0])
        if not places:
            broken.append(f"{phrase} left out")
            continue
        clause = _clause_around(text, *places[0])
        change = f.change
        if change and change.from_value is not None and change.to_value is not None:
            other = change.to_value if same_number(float(f.value), change.from_value) else change.from_value
            other_places = number_places(text, other)
            if not other_places:
                broken.append(f"{phrase}: the other end of its change is missing")
            else:
                is_from = other == change.to_value
                from_at, to_at = (places[0], other_places[0]) if is_from else (other_places[0], places[0])
                said_from = re.search(r"\bfrom\s+(?:\S+\s+)?\S*$", text[:to_at[0]][-24:])
                said_to = re.search(r"\bto\s+(?:\S+\s+)?\S*$", text[:from_at[0]][-24:])
                if said_from or said_to or (from_at[0] > to_at[0] and "from" not in text[to_at[1]:from_at[0]]):
                    broken.append(f"{phrase}: 'from' and 'to' swapped")
                elif any(BY_BEFORE.search(text, max(0, at - 12), at) for at, _ in (from_at, to_at)):
                    broken.append(f"{phrase}: an end said as the size of the change ('by')")
        if change and change.direction in ("up", "down"):
            same, opposite = (_UP, _DOWN) if change.direction == "up" else (_DOWN, _UP)
            if opposite.search(clause) and not same.search(clause):
                broken.append(f"{phrase}: said to go {'down' if change.direction == 'up' else 'up'}")
        against = [int(m.group(1)) for m in _QUARTER_OF_YEAR.finditer(clause)]
        own_year = int(f.period[:4]) if f.period and f.period[:4].isdigit() else None
        if f.comparison in COMPARED and not COMPARED[f.comparison].search(text) \
                and not (f.comparison == "yoy" and own_year and own_year - 1 in against):  # 'against Q2 2023'
            broken.append(f"{phrase}: no longer compared {f.comparison}")
        elif f.comparison == "yoy" and (_PREVIOUS_PERIOD.search(clause) or own_year in against):
            broken.append(f"{phrase}: compared with the period before, not year on year")
    return broken


# Units of measure in English, each with the unit it is a spelling of. The model converts and invents
# units: 60多亩 came back as '60 acres', 1000多斤 as '1000 kilograms', 16条 (sixteen routes) as '16-mile'.
_UNIT_SPELLINGS = {
    "mu": "mu", "acre": "acre", "hectare": "ha", "jin": "jin", "catty": "jin", "catties": "jin", "gram": "g",
    "kg": "kg", "kilogram": "kg", "kilo": "kg", "pound": "lb", "lb": "lb", "lbs": "lb", "ton": "t", "tonne": "t",
    "km": "km", "kilometre": "km", "kilometer": "km", "mile": "mile", "metre": "m", "meter": "m", "foot": "ft",
    "feet": "ft", "cm": "cm", "centimetre": "cm", "centimeter": "cm", "mm": "mm", "millimetre": "mm",
    "millimeter": "mm", "litre": "l", "liter": "l", "ml": "ml", "millilitre": "ml", "milliliter": "ml",
    "carat": "carat", "kw": "kw", "kilowatt": "kw", "mw": "mw", "megawatt": "mw", "kwh": "kwh",
}
_UNIT_AFTER = re.compile(r"^(?:\s|-)(?:(square|cubic)[\s-])?([A-Za-z]+)\b")


def _unit(words: str) -> str | None:
    """The unit an English unit phrase spells ('square metres' -> 'square m'), or None."""
    *dimension, word = words.lower().split()
    unit = _UNIT_SPELLINGS.get(word) or _UNIT_SPELLINGS.get(word.removesuffix("s"))
    return " ".join([*dimension, unit]) if unit else None


def changed_units(text: str, figures: list[Figure]) -> list[str]:
    """Numbers of the English followed by a unit of measure that the figure they stand for does not
    have: '60 acres' for 60多亩 (over 60 mu), '16-mile route' for 16条."""
    changed = []
    for m in _NUMBER.finditer(text):
        after = _UNIT_AFTER.match(text[m.end():])
        if not after or (said := _unit(" ".join(w for w in after.groups() if w))) is None:
            continue
        value = numbers_in(m.group(0))[0]
        meant = [f for f in figures if any(isinstance(v, float | int) and same_number(value, v)
                                           for v in (f.value, f.low, f.high))]
        units = {_unit(english) for f in meant if (english := MEASURE_UNITS.get(f.unit or ""))}
        if meant and said not in units:
            changed.append(f"{core_english(meant[0])}: said as '{m.group(0)}{after.group(0)}'")
    return changed


def relation_phrase(figure: Figure, figures: list[Figure]) -> str:
    """The figure as the fact sheet states it, relation included: 'down from US$53.2 million to
    US$41.3 million', 'up 6% year on year'."""
    change = figure.change
    if change and change.from_value is not None and change.to_value is not None:
        ends = {f.value: core_english(f) for f in figures if f.change == change}
        if change.from_value in ends and change.to_value in ends:
            way = f"{change.direction} " if change.direction in ("up", "down") else ""
            return f"{way}from {ends[change.from_value]} to {ends[change.to_value]}"
    return figure.english


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_CHINESE_MONTHS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
                   "十一": 11, "十二": 12, "正": 1, "腊": 12}
_MONTH_IN_CHINESE = re.compile(r"(?<![0-9])(1[0-2]|0?[1-9])\s*月"
                               r"|(?<![一二三四五六七八九十])(十[一二]|[一二三四五六七八九十正腊])月")
_NUMERIC_DATE = re.compile(r"(?<![0-9])(?:19|20)\d{2}[-/.年](1[0-2]|0?[1-9])(?:[-/.月]|$)")
_WEEKDAY_IN_CHINESE = re.compile(r"(?:星期|礼拜|周)([一二三四五六日天])")
# 'May' and 'March' are also words: a capital one opening a sentence is no month.
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|[\"“‘(]\s*)$")


def invented_dates(output: str, source: str, prepared: str) -> list[str]:
    """Month and weekday names in the English that neither the Chinese source nor the English put
    into it say: the model's guesses ('December 26th' for 26日 of a July article, 'on Monday' for
    本星期早些时候 'earlier this week'). Measured on 100 WMT21 sentences (lines 1001-1100), 3
    outputs had a month and one a weekday of their own."""
    said = prepared.casefold()
    months = {int(m.group(1)) if m.group(1) else _CHINESE_MONTHS[m.group(2)]
              for m in _MONTH_IN_CHINESE.finditer(source)}
    months |= {int(m.group(1)) for m in _NUMERIC_DATE.finditer(source)}
    days = {"一二三四五六".find(d) if d in "一二三四五六" else 6 for d in _WEEKDAY_IN_CHINESE.findall(source)}
    invented = []
    for number, name in enumerate(MONTHS, 1):
        for m in re.finditer(rf"\b{name}\b", output):
            if number not in months and name.casefold() not in said and not (
                    name in ("May", "March") and _SENTENCE_START.search(output[:m.start()])):
                invented.append(name)
                break
    invented += [name for day, name in enumerate(WEEKDAYS)
                 if re.search(rf"\b{name}\b", output) and day not in days and name.casefold() not in said]
    return invented
