"""Key facts: the fact sheet's figures and lead entities stated in English by rule, with no model output.

A bullet is the model's English and may be wrong in ways no check sees; a key fact is put together
from parts the fact sheet has verified: a figure's deterministic English (value, unit, qualifier,
direction, comparison), the English of what it measures where the glossary, the business terms or the
dictionary give it (never the model's), the period it refers to, and the entity its clause names:

    Revenue (ThredUp, Q2 2023): US$82.7 million, up 8.2%
    Net loss: down from US$53.2 million to US$41.3 million
    Who: TikTok; The RealReal; Sandie Hawkins, general manager of TikTok's US e-commerce business

So these lines are what an analyst can quote; the model's bullets tell the story around them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from .figures.vocabulary import MONTHS
from .resources import HAN, Resources, read_lines, read_tsv
from .schema import Entity, Figure, KeyFact, Sentence

STATED_KINDS = ("money", "percent", "percentage_point", "multiple", "fraction", "count", "quantity")
MAX_SUBJECT_WORDS = 7
LEAD_SHARE = 0.4  # of the text: where the entities of the 'Who' line are first named
MAX_SUBJECT_CHARS = 12  # of the Chinese subject: a longer one is a clause, not what a figure measures
# A subject that opens with a verb or a preposition is a clause the subject rule cut badly (是零售业预测增长率).
_CLAUSE_OPENING = re.compile(r"^(?:是|为|在|的|和|与|及|对|将|把|被|从|到|至|由|比|较|占|达|约|共|同比|环比)")
_CLAUSE_BREAK = re.compile(r"[，,；;：:。！？!?]")
_QUARTER = re.compile(r"^(\d{4})-(Q[1-4]|H[12])$")
# A figure that describes a noun rather than states a fact: 售价低于100美元的寄售商品, 26岁以下的年轻人.
_ATTRIBUTIVE = re.compile(r"(?:以下|以上|以内|左右|上下|之内)?的")
# A percentage of something else (电商销售额只占零售总额的20%): the subject is not what the 20% measures.
_SHARE = re.compile(r"占")
SHARE_REACH = 200  # characters before the figure where its clause's 占 is looked for
_ASIDE = re.compile(r"[（(][^（）()]{0,40}[）)]")  # a bracketed aside: a byline, a stock code, an alias
_REPORTED = re.compile(r"报道|据悉|消息称|援引|传出|据了解|知情人士")


@dataclass(frozen=True)
class KeyFactSettings:
    max_figures: int = 5  # figure lines
    max_names: int = 4  # names on the 'Who' line


@dataclass(frozen=True)
class KeyFactRules:
    """What the project's lexicons say about key facts: the words a figure's subject may end in (what a
    figure measures: corpus/lexicon/metric_heads.txt), the news agencies, who report and are no lead, and
    the words of a possibility or forecast (the meaning checks' zh_possibility: 预计, 或达)."""

    metric_heads: frozenset[str]
    agencies: frozenset[str]
    possibility: re.Pattern[str]
    plan: re.Pattern[str]  # a plan or target (计划, 目标, 力争): its figure is no fact yet


@cache
def load_key_fact_rules(resources: Resources) -> KeyFactRules:
    from .cues import load_cues

    agencies = frozenset(row["name"] for row in read_tsv(resources.require(resources.news_agencies)))
    return KeyFactRules(frozenset(read_lines(resources.require(resources.lexicon / "metric_heads.txt"))), agencies,
                        load_cues(resources).patterns["zh_possibility"], load_cues(resources).patterns["zh_plan"])


def key_facts(figures: Sequence[Figure], entities: Sequence[Entity], sentences: Sequence[Sentence], text: str,
              title: str, rules: KeyFactRules, settings: KeyFactSettings = KeyFactSettings()) -> list[KeyFact]:
    """The key facts of a fact sheet: the most salient figures whose subject is a measure with English,
    grouped by sentence and subject, then who the article is about."""
    groups: dict[tuple[int, str], list[int]] = {}
    for i, f in enumerate(figures):
        if f.kind in STATED_KINDS and _quotable(f, rules.metric_heads) and not _ATTRIBUTIVE.match(text, f.end) \
                and not _share_of_other(f, text):
            groups.setdefault((f.sentence, f.subject or ""), []).append(i)
    ranked = sorted(groups.values(), key=lambda members: -max(figures[i].salience for i in members))
    facts: list[KeyFact] = []
    for members in ranked:
        if _clause_has_others(members, figures, text):
            continue  # 约有90%的用户是26岁以下: the 26 alone would say all of them are
        fact = _figure_fact(members, figures, entities, sentences, text, rules)
        if fact and all(fact.text != other.text for other in facts):
            facts.append(fact)
        if len(facts) >= settings.max_figures:
            break
    who = _who(entities, title, text, rules.agencies, settings.max_names)
    return facts + ([who] if who else [])


def _quotable(f: Figure, heads: frozenset[str]) -> bool:
    """A figure whose subject is a short phrase naming a measure (收入, 活跃买家数量), with English of its own."""
    subject, english = f.subject or "", f.subject_en or ""
    return bool(subject and english) and len(subject) <= MAX_SUBJECT_CHARS and not _CLAUSE_OPENING.match(subject) \
        and any(subject.endswith(head) for head in heads) \
        and len(english.split()) <= MAX_SUBJECT_WORDS and not HAN.search(english)


def _share_of_other(f: Figure, text: str) -> bool:
    """A percentage its clause gives as a share (占) of something else than its subject."""
    if f.kind != "percent":
        return False
    return _SHARE.search(text, _clause_start(text, f.start, f.start - SHARE_REACH), f.start) is not None


def _clause_start(text: str, at: int, floor: int = 0) -> int:
    """Where the clause holding offset `at` begins, looked for back to `floor` (and `floor` if no break)."""
    floor = max(0, floor)
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text, floor, at)]
    return breaks[-1] if breaks else floor


def _clause_has_others(members: list[int], figures: Sequence[Figure], text: str) -> bool:
    """Whether a figure of the group shares its clause with another figure (not a date) outside the group:
    said alone, the group's figure would lose what the other qualifies it by."""
    spans = []
    for i in members:
        f = figures[i]
        after = _CLAUSE_BREAK.search(text, f.end)
        spans.append((_clause_start(text, f.start), after.start() if after else len(text)))
    return any(start <= g.start and g.end <= end for j, g in enumerate(figures) if j not in members
               and g.kind in STATED_KINDS for start, end in spans)


def _figure_fact(members: list[int], figures: Sequence[Figure], entities: Sequence[Entity],
                 sentences: Sequence[Sentence], text: str, rules: KeyFactRules) -> KeyFact | None:
    group = [figures[i] for i in members]
    first = group[0]
    values: list[str] = []
    said: set[int] = set()
    # The level first (an amount, a count), then the change (up 8.2%), then the rest.
    order = sorted(range(len(group)), key=lambda k: (group[k].kind in ("percent", "percentage_point", "multiple"), k))
    for k in order:
        f = group[k]
        if k in said:
            continue
        change = f.change
        if change and change.from_value is not None and change.to_value is not None:
            ends = {g.value: (j, g) for j, g in enumerate(group) if g.change == change}
            if change.from_value in ends and change.to_value in ends:
                way = f"{change.direction} " if change.direction in ("up", "down") else ""
                values.append(f"{way}from {ends[change.from_value][1].english} to {ends[change.to_value][1].english}")
                said |= {ends[change.from_value][0], ends[change.to_value][0]}
                continue
        values.append(f.english)
        said.add(k)
    if not values:
        return None
    subject = first.subject_en or ""
    owner = _owner(first, entities, sentences, text, rules.agencies)
    if owner is None and not any(len(e.english) > 1 and re.search(rf"\b{re.escape(e.english)}\b", subject, re.I)
                                 for e in entities):
        return None  # whose figure it is, the fact sheet cannot say: 'Net loss: …' alone misleads
    found = next((s for s in sentences if s.index == first.sentence), None)
    sentence = found.text if found else ""
    hedge = _hedge(sentence, rules, text[found.start:max(f.end for f in group)] if found else "")
    context = [part for part in (owner.english if owner and owner.english.casefold() not in subject.casefold()
                                 else None, _period_english(first, figures),
                                 "forecast" if any(f.forecast for f in group) else hedge) if part]
    label = subject[:1].upper() + subject[1:] + (f" ({', '.join(context)})" if context else "")
    entity_index = [entities.index(owner)] if owner else []
    return KeyFact(text=f"{label}: {', '.join(values)}", figures=members, entities=entity_index)


def _hedge(sentence: str, rules: KeyFactRules, leading: str) -> str | None:
    """'estimate' where the sentence forecasts or hedges (预计, 或达, 有望), 'target' where it plans (计划,
    目标) before the figure (`leading`: the sentence up to it; 营收为12亿元，计划明年上市 plans no revenue),
    'reported' where it cites reports."""
    if rules.possibility.search(sentence):
        return "estimate"
    if rules.plan.search(leading):
        return "target"
    return "reported" if _REPORTED.search(sentence) else None


def _owner(f: Figure, entities: Sequence[Entity], sentences: Sequence[Sentence], text: str,
           agencies: frozenset[str] = frozenset()) -> Entity | None:
    """Whose figure it is: the organisation or person its sentence names last before it (ThredUp for 收入 in
    ThredUp的毛利润同比增长了6%,收入增长8.2%), else a place its own clause names; never a news agency or
    a name in a bracketed aside (新华社上海7月25日电（记者王海松）: who reports it)."""
    sentence = next((s for s in sentences if s.index == f.sentence), None)
    if sentence is None:
        return None
    clause_start = _clause_start(text, f.start, sentence.start)
    asides = [m.span() for m in _ASIDE.finditer(text, sentence.start, f.start)]  # （记者王海松）: a byline
    named = [(m.start, e) for e in entities for m in e.mentions if sentence.start <= m.start and m.end <= f.start
             and not (f.subject or "").endswith(e.text)  # 日活用户 (DAU) is the measure, not whose
             and not any(a <= m.start < b for a, b in asides) and e.text not in agencies]
    found = sorted((start, i) for i, (start, e) in enumerate(named) if e.type in ("ORG", "PERSON", "PRODUCT"))
    if found:
        return named[found[-1][1]][1]
    places = sorted((start, i) for i, (start, e) in enumerate(named)
                    if e.type in ("GPE", "LOC") and start >= clause_start)
    return named[places[-1][1]][1] if places else None


def _period_english(f: Figure, figures: Sequence[Figure]) -> str | None:
    """The English of the period a figure refers to, as the fact sheet says it (Q2 2023, 2022–2031)."""
    if not f.period:
        return None
    named = next((g.english for g in figures if g.kind in ("date", "period") and str(g.value) == f.period
                  and g.sentence == f.sentence), None)
    if named:
        return named
    if m := _QUARTER.match(f.period):
        return f"{m.group(2)} {m.group(1)}"
    if re.fullmatch(r"\d{4}-\d{2}", f.period):
        return f"{MONTHS[int(f.period[5:])]} {f.period[:4]}"
    return f.period.replace("/", "–") if re.fullmatch(r"[\d/-]+", f.period) else None


def _who(entities: Sequence[Entity], title: str, text: str, agencies: frozenset[str], count: int) -> KeyFact | None:
    """The organisations and people the article is most about (named in its headline, or at least twice
    and first in its opening part; no news agency), by their English names (and roles)."""
    early = len(text) * LEAD_SHARE  # an article's own news comes first; a story appended after it does not
    lead = sorted((i for i, e in enumerate(entities) if e.type in ("ORG", "PERSON") and e.english_source != "pinyin"
                   and e.text not in agencies and (any(m.text in title for m in e.mentions)
                                                   or (e.count >= 2 and min(m.start for m in e.mentions) < early))),
                  key=lambda i: -entities[i].salience)[:count]
    if not lead:
        return None
    names = [entities[i].english + (f", {entities[i].role_en}" if entities[i].role_en else "") for i in lead]
    return KeyFact(text="Who: " + "; ".join(names), kind="who", entities=lead)
