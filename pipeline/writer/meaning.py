"""Checks for meaning: what the English says of negation, direction, modality, coverage and attribution,
read against the Chinese sentence it translates.

The number checks guarantee the figures; the model turns round what they do not look at ("regulators
loosened the rules" for 监管层并未放松要求, "an 18% decline" for 增速由35%放缓至18%). Each check here
reads cues in both languages (corpus/lexicon/meaning_cues.tsv, compiled by pipeline/cues.py) and finds
an English that cannot be right: a negation of the source that the English lacks or one it adds, a
change turned round or a slowing of growth said as a fall, a possibility or plan said as fact (or a fact
as a possibility, a done deed as future, a pause as an end), a member of a listed set, the speaker of a
claim or the event reported left out, a claim given to someone who only learned of it. What the source
names comes from pipeline/writer/sentence_names.py.

Each check stays silent where the cues are unclear: its false alarms on correct pairs, the human
references of newstest2021, are measured by `newsbrief eval meaning` (each under 5%).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..cues import MeaningCues, chinese_matches, english_matches, load_cues, word_bounds
from ..resources import Resources, default_resources
from ..schema import Figure
from .checks import numbers_in, same_number
from .sentence_names import SentenceNames

CHECKS = ("polarity", "direction", "modality", "coverage", "attribution", "qualifier")
# An English cue negated just before ('did not rise', 'no longer falling'): it says no such change.
_ENGLISH_NEGATED = re.compile(r"\b(?:not|n't|no|never|neither|nor|without)\W+(?:\w+\W+){0,2}$", re.I)
_CHINESE_NEGATED = re.compile(r"(?:不|未|没|没有|无|并未|尚未|从未|未能|不再)$")
_NEGATIVE_PREFIX = re.compile(r"^(?:un|non|in|im|ir|il|dis)-?([a-z]{4,})$")


@dataclass
class SentencePair:
    """A Chinese source and the English that says it, with what the source names and its figures."""

    source: str
    english: str
    names: SentenceNames = field(default_factory=SentenceNames)
    past_date: bool = False  # a date of the source lies before the article's publish date
    figures: Sequence[Figure] = ()  # the source's own figures (a change's 'from' end)
    headline: bool = False  # a headline (or a clause of one): every organisation and person it names is said


def meaning_problems(pair: SentencePair, resources: Resources | None = None,
                     checks: Iterable[str] = CHECKS) -> list[str]:
    """What the English turns round or leaves out of its source's meaning, each problem prefixed with
    the check that found it ('polarity: …')."""
    resources = resources or default_resources()
    cues = load_cues(resources)
    words, bounds = word_bounds(pair.source, resources)
    problems: list[str] = []
    for check in checks:
        found = _CHECKS[check](pair, cues, words, bounds)
        problems += [f"{check}: {p}" for p in found]
    return problems


def polarity(pair: SentencePair, cues: MeaningCues, words: list[str], bounds: frozenset[int]) -> list[str]:
    """Every negation of the source has one in the English; the English adds none."""
    # 便宜不便宜 'whether cheap or not': A不A asks, it does not negate.
    negators = [w for i, w in enumerate(words) if w in cues.negators
                and not (0 < i < len(words) - 1 and words[i - 1] == words[i + 1])]
    said = english_matches(cues, "en_negation", pair.english, unless="en_not_negation")
    if negators and not said and not _negative_word(pair.english):
        return [f"the negation of the source ({negators[0]}) is not in the English"]
    if said and not cues.patterns["zh_negation_any"].search(pair.source):
        return [f"the English adds a negation ('{said[0].group(0)}') the source does not have"]
    return []


def _negative_word(english: str) -> bool:
    """An English word that negates by its form: unstable, irreversible, non-graduates, endless."""
    from ..dictionary import load_dictionary

    ordinary = load_dictionary().ordinary_words
    for word in re.findall(r"[A-Za-z][a-z-]+", english):
        word = word.lower()
        stem = _NEGATIVE_PREFIX.match(word)
        if (stem and stem.group(1) in ordinary) or (word.endswith("less") and word[:-4] in ordinary):
            return True
    return False


def directions(pair: SentencePair, cues: MeaningCues, bounds: frozenset[int]) -> tuple[set[str], set[str]]:
    """Which ways the source and the English say things change: 'up', 'down', 'slowing' (of growth)."""
    source: set[str] = set()
    taken: list[tuple[int, int]] = []
    for kind, name in (("slowing", "zh_slowing"), ("down", "zh_down"), ("up", "zh_up")):
        for m in chinese_matches(cues.patterns[name], pair.source, bounds):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            if not _CHINESE_NEGATED.search(pair.source[:m.start()]):
                source.add(kind)
    english: set[str] = set()
    for kind, name in (("up", "en_up"), ("down", "en_down")):
        for m in english_matches(cues, name, pair.english, unless="en_not_direction"):
            if not _ENGLISH_NEGATED.search(pair.english[:m.start()]):
                english.add(kind)
    if english_matches(cues, "en_slowing", pair.english, unless="en_not_direction"):
        english.add("slowing")
    return source, english


def direction(pair: SentencePair, cues: MeaningCues, words: list[str], bounds: frozenset[int]) -> list[str]:
    """Each change keeps its way: no fall for 增长, no rise for 下降, and a slowing of growth (增速放缓)
    is said as a slowing, never as a fall."""
    if (start := _unstated_start(pair)) is not None:
        return [f"the English says a change from {start}, which is no starting point the source gives"]
    source, english = directions(pair, cues, bounds)
    if "slowing" in source:
        if "down" in english and not english & {"up", "slowing"}:
            return ["a slowing of growth is said as a fall"]
        return []
    if source == {"up"} and "down" in english and "up" not in english:
        return ["the source says a rise, the English a fall"]
    if source == {"down"} and "up" in english and "down" not in english:
        return ["the source says a fall, the English a rise"]
    return []


_CHANGE_FROM = re.compile(r"\b(?:up|down|increas\w*|ris(?:e|es|en|ing)|rose|gr[eo]w\w*|fell|fall\w*|drop\w*|declin\w*|"
                          r"decreas\w*|jump\w*|climb\w*|surg\w*|shr[iau]nk\w*|narrow\w*|widen\w*|doubl\w*)\s+"
                          r"(?:\w+\s+){0,2}?from\s+(?:a\s|an\s|the\s)?(?P<number>\D{0,4}\d[\d.,]*"
                          r"(?:\s?(?:trillion|billion|million|thousand|bn|mn))?)", re.I)
_START_MARK = re.compile(r"(?:从|由|较|比|相比|同比|环比|去年同期|上年同期)[^，。；]{0,10}$")  # 从1994年的461种


def _unstated_start(pair: SentencePair) -> str | None:
    """A number the English makes the start of a change ('up from RMB 12 billion') that the source gives
    as no start (no change from it, no 从/由/较 before it): the target said as the base."""
    for m in _CHANGE_FROM.finditer(pair.english):
        said = numbers_in(m.group("number"))
        if not said or 1900 <= said[0] <= 2100:  # 'from 2019': a year, not an amount
            continue
        meant = [f for f in pair.figures if isinstance(f.value, int | float) and same_number(float(f.value), said[0])]
        if not meant:
            continue  # no figure of the sentence: the number checks speak for it
        if any(f.change and f.change.from_value is not None and same_number(f.change.from_value, said[0])
               for f in pair.figures):
            continue
        if any((at := pair.source.find(f.text)) >= 0 and _START_MARK.search(pair.source[max(0, at - 14):at])
               for f in meant):
            continue
        return m.group("number").strip()
    return None


def modality(pair: SentencePair, cues: MeaningCues, words: list[str], bounds: frozenset[int]) -> list[str]:
    """Possibilities, plans and forecasts stay so; facts stay facts; a done deed is not 'will'; a
    pause is not an end."""
    source, english, patterns = pair.source, pair.english, cues.patterns
    possible = chinese_matches(patterns["zh_possibility"], source, bounds)
    if possible and not english_matches(cues, "en_possibility", english):
        return [f"the source's {possible[0].group(0)} (a possibility or forecast) is said as a fact"]
    planned = chinese_matches(patterns["zh_plan"], source, bounds)
    if planned and not english_matches(cues, "en_hedge", english):
        return [f"the source's {planned[0].group(0)} (a plan or the future) is said as done"]
    for part_source, part_english in _aligned_parts(source, english):  # a headline's 'A: B' part by part
        added = patterns["en_possibility_cased"].search(part_english) \
            or english_matches(cues, "en_future", part_english)
        if added and not patterns["zh_any_modality"].search(part_source):
            said = added.group(0) if isinstance(added, re.Match) else added[0].group(0)
            return [f"the English adds '{said}' where the source states a fact"]
    past = pair.past_date or chinese_matches(patterns["zh_past"], source, bounds)
    future = english_matches(cues, "en_future", english)
    if past and future and not chinese_matches(patterns["zh_future"], source, bounds) and not planned:
        return [f"a done deed is said as future ('{future[0].group(0)}')"]
    if chinese_matches(patterns["zh_pause"], source, bounds) and (end := english_matches(cues, "en_end", english)) \
            and not english_matches(cues, "en_pause", english):
        return [f"a pause is said as an end ('{end[0].group(0)}')"]
    return []


_PART_BREAK = {"zh": re.compile(r"[：；]|:(?!\d)"), "en": re.compile(r"[;]|:(?!\d)")}


def _aligned_parts(source: str, english: str) -> list[tuple[str, str]]:
    """The source and its English as pairs of parts where both break into as many at colons and
    semicolons (杀入…：TikTok小店再添三国 / 'ByteDance …: TikTok Shop will add …'), else the whole pair."""
    sources, englishes = _PART_BREAK["zh"].split(source), _PART_BREAK["en"].split(english)
    if len(sources) == len(englishes) > 1:
        return [*zip(sources, englishes, strict=True), (source, english)]
    return [(source, english)]


def coverage(pair: SentencePair, cues: MeaningCues, words: list[str], bounds: frozenset[int]) -> list[str]:
    """Every member of a list the source names (A、B和C; 京津冀) is in the English, and so are the
    speaker of a claim and the event it reports (关闭: closed, shut)."""
    lists = [list(members) for members in pair.names.lists]
    lists += [list(members) for word, members in cues.contracted  # as a word: not 日韩 in 今日韩国
              if any(m.start() in bounds and m.end() in bounds for m in re.finditer(word, pair.source))]
    missing = [named for members in lists for named in members if named.checked and not named.said_in(pair.english)]
    problems = [f"'{named.name}' ({named.chinese}) of a list the source names is not in the English"
                for named in {named.chinese: named for named in missing}.values()]
    problems += [f"the speaker '{s.name}' ({s.chinese}) is not in the English" for s in pair.names.speakers
                 if not s.said_in(pair.english) and not _PRONOUN.search(pair.english)]
    if pair.headline:  # 蜜雪冰城港交所上市 said as 'Hong Kong Stock Exchange listings' has lost who listed
        problems += [f"'{named.name}' ({named.chinese}), whom the headline names, is not in the English"
                     for named in pair.names.actors if named.checked and not named.said_in(pair.english)]
    squeezed = re.sub(r"[\s-]", "", pair.english).casefold()  # EU-Startups, EU startups
    problems += [f"'{name}', which the source writes in Latin letters, is not in the English"
                 for name in pair.names.latin if re.sub(r"[\s-]", "", name).casefold() not in squeezed]
    for chinese, english in cues.events:  # 关闭 'close': the event the sentence reports
        found = chinese_matches(chinese, pair.source, bounds)
        if found and not english.search(pair.english):
            problems.append(f"the event the source reports ({found[0].group(0)}) is not in the English")
    return problems


# A claim said to be a pronoun's is still attributed ('he said'): the name is in an earlier sentence.
_PRONOUN = re.compile(r"\b(?:he|she|they|it)\b", re.I)


# Words a headline of names alone may have between them: 'the Shanghai International Film Festival'.
_NAME_GLUE = frozenset({"the", "of", "and", "in", "for", "on", "at", "&", "-", "–", "—", ":"})


def names_only(title: str, names: Iterable[str]) -> bool:
    """A title made of the article's names alone (`names`: the words of its entities' English), which
    says who but nothing of what happened ('Shanghai International Film Festival')."""
    known = {n.casefold() for n in names} | _NAME_GLUE
    words = re.findall(r"[\w'’&–—:-]+", title)
    return bool(words) and all(re.sub(r"['’]s$", "", w).casefold() in known for w in words)


# The English makes someone the speaker of the sentence: 'BOUNDLESS announced', '36Kr has announced'.
_SAID_BY = re.compile(r"((?:[A-Z0-9][\w.&'’-]*)(?:\s(?:of\s|the\s|and\s)?[A-Z0-9][\w.&'’-]*)*)\s+"
                      r"(?:has\s|have\s|had\s)?(?:announced|said|says|stated|revealed|claimed|disclosed|told|confirmed)\b")


def attribution(pair: SentencePair, cues: MeaningCues, words: list[str], bounds: frozenset[int]) -> list[str]:
    """A claim the English gives to a name the source does not make its speaker: one that only learned of
    the news ('36Kr has announced' for 36氪获悉, where the brand announced it), or a name of the article
    this sentence does not name. Names are matched whole (their English or Latin form)."""
    for m in _SAID_BY.finditer(pair.english):
        said = m.group(1)
        if any(s.said_in(said) for s in pair.names.speakers):
            continue
        if pair.names.learned and m.start() == 0:  # '36Kr has announced' for 36氪出海获悉
            return [f"the English makes '{said}' the speaker, where the source says it learned of the news"]
        for other in (*pair.names.receivers, *pair.names.elsewhere):
            if other.name and len(other.name) > 2 and re.search(rf"(?<![\w-]){re.escape(other.name)}(?![\w-])", said):
                return [f"the English makes '{other.name}' ({other.chinese}) the speaker, the source does not"]
    return []


_CLAUSE = re.compile(r"[^，,。；;：:！!？?]+")
_DIGIT = re.compile(r"[0-9０-９]")


def qualifier(pair: SentencePair, cues: MeaningCues, words: list[str], bounds: frozenset[int]) -> list[str]:
    """When, what and where a figure counts: in each clause of the source whose figure the English carries,
    the English says its time frame (单日 'in a day', 上半年 'the first half'), what it counts (下载量
    'downloads', not users; 毛利润 'gross profit', not margin) and the places named up to it (在印尼，超过70%…)."""
    said = numbers_in(pair.english)
    if not said:
        return []
    problems: list[str] = []
    for clause in _CLAUSE.finditer(pair.source):
        if not _carried(clause.group(0), pair.figures, said):
            continue
        for chinese, english in cues.qualifiers:
            found = [m for m in chinese_matches(chinese, pair.source, bounds)
                     if clause.start() <= m.start() < clause.end()]
            if found and not english.search(pair.english):
                problems.append(f"what or when the figure counts, '{_gloss(english)}' ({found[0].group(0)}), "
                                "is not in the English")
        problems += [f"the place of the figure, '{place.name}' ({place.chinese}), is not in the English"
                     for place in pair.names.places
                     if place.checked and _named_by_word(place.chinese, pair.source, clause.end(), bounds)
                     and not place.said_in(pair.english)]
    return list(dict.fromkeys(problems))


def _named_by_word(name: str, source: str, end: int, bounds: frozenset[int]) -> bool:
    """Whether the source names `name` as whole words before `end` (在印尼，超过70%…; not 海地 in 沿海地区)."""
    return bool(chinese_matches(re.compile(re.escape(name)), source[:end], bounds))


def _gloss(english: re.Pattern[str]) -> str:
    """A cue's first English form, for the retry's note: 'download' of download\\w*|…"""
    first = english.pattern.split("(?:", 1)[1].rsplit(")(?!", 1)[0].split("|", 1)[0]
    return re.sub(r"\\w\*|[\\()?*+]", "", first).rstrip(")")


def _carried(clause: str, figures: Sequence[Figure], said: list[float]) -> bool:
    """Whether the clause holds a figure (not a date) whose number the English says; without the source's
    figures, whether it holds a digit."""
    if not figures:
        return bool(_DIGIT.search(clause))
    return any(f.text in clause and f.kind != "date" and isinstance(f.value, int | float)
               and any(same_number(float(f.value), n) for n in said) for f in figures)


_CHECKS = {"polarity": polarity, "direction": direction, "modality": modality, "coverage": coverage,
           "attribution": attribution, "qualifier": qualifier}
