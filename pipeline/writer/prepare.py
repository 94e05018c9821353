"""What the model is given: key sentences, with figures, names and glossary terms already in English."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from ..figures import core_english
from ..resources import Resources
from ..schema import Brief, Entity, Figure
from .checks import HAN, numbers_in, numbers_spelt, numbers_written
from .dateline import find_dateline
from .sentence_names import PINYIN_SUBSTITUTED_LENGTH, SentenceNames, named_in

Kind = Literal["title", "sentence", "subject", "role", "keyword", "name", "person"]
NAME_KINDS = ("name", "person")  # an organisation's or brand's English name; a transliterated person's
# Short phrases of the fact sheet (a figure's subject, a role, a keyword): all English, or none.
PHRASE_KINDS = ("subject", "role", "keyword")


@dataclass
class Segment:
    """One piece of Chinese to put into English."""

    brief: int
    kind: Kind
    ref: int  # sentence index, figure index, entity index or keyword index
    source: str
    prepared: str
    allowed: list[float]
    figures: list[str]  # English renderings inside, for the retry note
    output: str = ""
    status: Literal["ok", "repaired", "replaced", "dropped"] = "ok"
    numbers_checked: int = 0
    own_figures: list[Figure] = field(default_factory=list)  # the source sentence's: their relations are checked
    also: list[int] = field(default_factory=list)  # further figures with the same subject
    problems: list[str] = field(default_factory=list)  # what the checks found in `output`
    pinyin: str = ""  # for a name: its pinyin English, which the model's answer may use
    untraced: list[str] = field(default_factory=list)  # names in `output` that trace to nothing in the source
    hints: list[tuple[str, str]] = field(default_factory=list)  # rare words with their English, for the prompt
    lead: str = ""  # English set before the output, made by rule (a wire dateline): not the model's, not checked
    cut: bool = False  # the answer filled its token budget: it stops mid-sentence, or ran on
    # What the meaning checks read beside the source (writer.meaning): what it names (lists, speakers,
    # Latin names) and whether it dates what it says before the publish date (a done deed, never 'will').
    names: SentenceNames = field(default_factory=SentenceNames)
    past_date: bool = False
    body: str = ""  # the source without its dateline (what the answer says), where that differs
    first_problems: list[str] = field(default_factory=list)  # the first answer's, before any retry


# Names the model does not know (周受资, ThredUp) are replaced by their English; places it renders
# well itself, and reads badly replaced ("TikTok United States"). Names known only in pinyin are
# replaced too when they are people or short brands: left in Chinese, the model invents an English
# for them (客优云 -> "Guesty", 王海松 -> "Wang Haosheng") that the names check must then drop with
# its sentence. Longer pinyin names are descriptive (参展商联盟, 公共卫生防疫专委会): the model
# translates their words better than pinyin reads ("Canzhanshang Lianmeng"), and the names check
# traces that English to the dictionary's words of the source.
SUBSTITUTED_TYPES = ("ORG", "PERSON", "PRODUCT", "EVENT")
# Two classes of budget, so that a title and the sentences share a batch, and every short phrase another:
# a batch costs about as much for one prompt as for eight (bench_writer), and the title alone was one.
MAX_NEW_TOKENS = {"title": 96, "sentence": 96, "subject": 16, "role": 16, "keyword": 16, "name": 16, "person": 16}
# A long sentence may need more than 96 tokens: at 96, 4 of the first 200 newstest2021 answers lost
# their end ("... and had evaded tax by approximately RMB"). English takes at most about one token per
# character of the prepared text (0.67 median, 1.0 at the 95th percentile, less for long sentences).
TOKENS_PER_CHARACTER = 1.25
MAX_SENTENCE_TOKENS = 256
_BRACKETED = re.compile(r"《[^《》]{1,40}》|「[^「」]{1,40}」|『[^『』]{1,40}』")
# A publication named without brackets (出海日报获悉): its words are its name, not glossary terms.
_PUBLICATION = re.compile(r"[\u4e00-\u9fff]{1,4}?(?:日报|晚报|早报|时报|周刊|周报|月刊|杂志)")


def substitute(
    text: str,
    offset: int,
    figures: Sequence[Figure],
    entities: Sequence[Entity],
    *,
    by_search: bool = False,
    glossary: dict[str, str] | None = None,
) -> tuple[str, list[str]]:
    """Replace figure spans by their English and known entity names by theirs.

    Mentions are placed by their offsets into the article (`offset` is where `text` starts);
    with `by_search`, entity names are found by searching `text` (for the title and subjects).
    """
    spans: list[tuple[int, int, str]] = []
    rendered: list[str] = []
    for f in figures:
        if offset <= f.start and f.end <= offset + len(text):
            english = core_english(f)
            spans.append((f.start - offset, f.end - offset, english))
            rendered.append(english)
    names: list[tuple[int, int]] = []  # every name's place: no glossary term is rewritten inside one
    for e in entities:
        if by_search:
            found = _places({m.text for m in e.mentions if HAN.search(m.text)}, text)
        else:
            found = [(m.start - offset, m.end - offset) for m in e.mentions
                     if offset <= m.start and m.end <= offset + len(text) and HAN.search(m.text)]
            # The name again where the recogniser missed it (「客优云」完成, 客优云已与): left in Chinese, the
            # model invents an English for it. Forms of three characters or more: shorter ones (京东)
            # turn up inside other words (北京东路).
            found += _places({m.text for m in e.mentions if len(HAN.findall(m.text)) >= 3}, text)
        names += found
        if e.type in SUBSTITUTED_TYPES and (e.english_source != "pinyin" or e.type == "PERSON"
                                            or len(HAN.findall(e.text)) <= PINYIN_SUBSTITUTED_LENGTH):
            spans += [(start, end, e.english) for start, end in found]
    # Titles of publications and names the writer brackets (《出海日报》, 出海日报获悉, 「客优云」) are names too.
    names += [(m.start(), m.end()) for m in (*_BRACKETED.finditer(text), *_PUBLICATION.finditer(text))]
    for term in sorted(glossary or {}, key=len, reverse=True):
        spans += [(m.start(), m.end(), glossary[term]) for m in re.finditer(re.escape(term), text)  # type: ignore[index]
                  if not any(start < m.end() and m.start() < end for start, end in names)]
    # Earlier first; at the same place the longer; figures and names (added first) before glossary terms.
    order = {id(span): i for i, span in enumerate(spans)}
    spans.sort(key=lambda span: (span[0], -(span[1] - span[0]), order[id(span)]))
    out, position = [], 0
    for start, end, english in spans:
        if start < position:
            continue  # overlaps an earlier replacement
        out.append(text[position:start])
        out.append(spaced(text, start, end, english))
        position = end
    out.append(text[position:])
    return "".join(out), rendered


def _places(forms: set[str], text: str) -> list[tuple[int, int]]:
    """Where each of these forms of a name occurs in `text`."""
    return [(m.start(), m.end()) for form in forms for m in re.finditer(re.escape(form), text)]


def sentence_segment(index: int, ref: int, text: str, offset: int, own: list[Figure], brief: Brief,
                     glossary: dict[str, str], resources: Resources, *, substituted: bool = True) -> Segment:
    """A sentence to translate: its wire dateline (if any) set apart in English as the lead, figures
    and names of the rest put into English (unless not `substituted`), and the numbers it may say."""
    dateline = find_dateline(text, offset, own, brief.entities, resources)
    cut = dateline.end if dateline else 0
    body = text[cut:]
    prepared, rendered = substitute(body, offset + cut, own, brief.entities, glossary=glossary) \
        if substituted else (body, [])
    names = named_in(body, brief.entities, resources)  # the dateline's reporters are the lead's
    return Segment(index, "sentence", ref, text, prepared, allowed_numbers(brief, prepared, own), rendered,
                   own_figures=own, lead=dateline.english if dateline else "", names=names,
                   past_date=dated_before(own, brief), body=body)


def dated_before(figures: Sequence[Figure], brief: Brief) -> bool:
    """Whether a sentence dates what it says before the article's publish date (a day, not a period)."""
    published = brief.meta.published
    days = [f.value for f in figures if f.kind == "date" and isinstance(f.value, str) and len(f.value) == 10]
    return bool(published and days and all(day < published.strftime("%Y-%m-%d") for day in days))


def spaced(text: str, start: int, end: int, english: str) -> str:
    """`english`, to take the place of `text[start:end]`, with the spaces its neighbours need."""
    left = text[start - 1] if start else ""
    right = text[end] if end < len(text) else ""
    return (" " if needs_space(left) else "") + english + (" " if needs_space(right) else "")


def needs_space(neighbour: str) -> bool:
    """English put in next to this character needs a space between (Chinese, a letter or a digit:
    `RMB 50 million A轮`, not `millionA轮`); punctuation and spaces need none."""
    return bool(neighbour) and (bool(HAN.match(neighbour)) or neighbour.isalnum())


def figure_numbers(figures: Sequence[Figure]) -> list[float]:
    """The numbers that stand for these figures in English: value, bounds, English renderings."""
    values: list[float] = []
    for f in figures:
        values += [v for v in (f.value, f.low, f.high) if isinstance(v, float | int)]
        if f.kind in ("fraction",) and isinstance(f.value, float):
            values.append(f.value * 100)
        values += numbers_in(f.english) + numbers_in(core_english(f))
        if isinstance(f.value, str):
            values += numbers_in(f.value.replace("-", " "))
    return values


def allowed_numbers(brief: Brief, extra_text: str = "", figures: Sequence[Figure] | None = None) -> list[float]:
    """Numbers the English may contain: the figures' (by default every figure of the fact sheet; a
    bullet passes its own sentence's), the publish year, and digits already in Latin text (TT123, Q2) or
    a clock time (16时: '16:00'), and number words the glossary put into it (三国 'three countries')."""
    values = figure_numbers(brief.figures if figures is None else figures)
    if brief.meta.published:
        values += [brief.meta.published.year, brief.meta.published.day]
    values += numbers_written(extra_text) + [float(value) for value, _, _ in numbers_spelt(extra_text)]
    return values


def select_sentences(brief: Brief, count: int) -> list[int]:
    """Key sentences: the lead, then the sentence that best repeats the headline (the share of the
    title's Chinese character pairs it has, Edmundson's title method: the headline is the editor's
    own summary, so its news is told even where that sentence has no figures), then by figure and
    entity density and keyword overlap; no near-duplicates."""
    keywords = {k.word for k in brief.keywords}
    title_pairs = _han_pairs(brief.meta.title)
    scored: list[tuple[float, int]] = []
    for s in brief.sentences:
        if len(s.text) < 12 or len(s.text) > 220 or (not re.search(r"[。！？!?；;]$", s.text) and len(s.text) < 25):
            continue
        if title_pairs and _similarity(s.text, brief.meta.title) > 0.6:
            continue  # the headline again (a sub-headline, a scraped title line): the English title says it
        if _CAPTION.search(s.text):
            continue  # a photo caption: it shows the news, it does not tell it
        figures = [f for f in brief.figures if s.start <= f.start < s.end and f.kind not in ("date", "period")]
        mentions = sum(1 for e in brief.entities for m in e.mentions if s.start <= m.start < s.end)
        score = 2.0 * len(figures) + sum(f.salience for f in figures) / 5 + 0.7 * mentions
        score += sum(1 for k in keywords if k in s.text) * 0.5
        score += 3.0 if s.index == 0 else (1.5 if s.index < 3 else 0)
        # Long sentences of many clauses come back garbled or with a relation turned round far more often
        # (the reading set: every bullet of 100 characters or more was unfaithful, most under 60 faithful).
        score -= max(0, len(s.text) - PLAIN_LENGTH) / 10
        scored.append((score, s.index))
    # The lead (the first whole sentence of the body) says the news: it is always the first bullet.
    # A line without a sentence's end before it (a date and source line) is no lead.
    whole = [index for _, index in scored if _SENTENCE_END.search(brief.sentences[index].text)]
    chosen: list[int] = [min(whole or [index for _, index in scored])] if scored else []
    if title_pairs and count > 1:
        overlap = {i: len(title_pairs & _han_pairs(brief.sentences[i].text)) / len(title_pairs) for _, i in scored}
        best = max(overlap, key=lambda i: (overlap[i], -i), default=None)
        if best is not None and overlap[best] >= TITLE_OVERLAP and best not in chosen \
                and not any(_similarity(brief.sentences[best].text, brief.sentences[i].text) > 0.6 for i in chosen):
            chosen.append(best)
    for _, index in sorted(scored, reverse=True):
        if len(chosen) >= count:
            break
        text = brief.sentences[index].text
        if index in chosen or any(_similarity(text, brief.sentences[i].text) > 0.6 for i in chosen) \
                or len(text) > MAX_BULLET_LENGTH:  # the lead and the headline's sentence may be longer
            continue
        chosen.append(index)
    return sorted(chosen)


_SENTENCE_END = re.compile(r"[。！？!?][”’」』）)]?$")
PLAIN_LENGTH = 60  # characters: a sentence longer than this is chosen only for more figures or names
MAX_BULLET_LENGTH = 100  # characters of a sentence chosen for its figures and names (not the lead)
# A photo caption (7月26日在上海拍摄的…现场, 图为…, 新华社记者王某摄).
_CAPTION = re.compile(r"拍摄的|^图为|^（?图：|图片来源|记者\S{2,4}摄|[（(]\S{0,12}摄[)）]|摄影：")
TITLE_OVERLAP = 0.25  # of the headline's character pairs: less is a shared word or two, not its news


def _han_pairs(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1) if HAN.match(text[i]) and HAN.match(text[i + 1])}


def char_pairs(text: str) -> set[str]:
    """Every pair of neighbouring characters of a text."""
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _similarity(a: str, b: str) -> float:
    grams_a, grams_b = char_pairs(a), char_pairs(b)
    return len(grams_a & grams_b) / max(1, len(grams_a | grams_b))


def token_budget(seg: Segment) -> int:
    """The tokens the model may write for a segment: its kind's budget, more for a long sentence."""
    budget = MAX_NEW_TOKENS[seg.kind]
    if seg.kind in ("title", "sentence"):
        budget = max(budget, min(MAX_SENTENCE_TOKENS, math.ceil(len(seg.prepared) * TOKENS_PER_CHARACTER)))
    return budget



# Where a headline breaks into clauses (跨境物流的数字化转型，北风将收购Lumen; 进军东南亚：再添三国; 线下精简 线上热烈):
# its commas, colons, semicolons and bars, after a question or exclamation mark, and at spaces that are not
# between Latin words (TikTok Shop). Asked whole, the model invents relations between a headline's clauses
# ('the transformation … will be completed by acquiring'); asked clause by clause, it has none to invent.
_TITLE_BREAK = re.compile(r"[，,；;｜|]|[：:](?!\d)|(?<=[！？!?])(?=\S)|(?<![A-Za-z0-9])\s+|\s+(?![A-Za-z0-9])")
# A clause of fewer words than this (a Chinese character, or a run of Latin letters or digits, is one word)
# is a name or a topic, not a clause (北风，值不值…; TikTok电商 2021年…): it joins the clause after it.
MIN_TITLE_CLAUSE = 5


def title_parts(title: str) -> list[tuple[str, str]]:
    """A headline's clauses, each with the English set before its translation: '; ', ': ' after a colon,
    ' ' after a question mark; '' for the first. A clause too short to be one joins the next (the last
    joins the one before)."""
    title = title.strip()
    pieces: list[tuple[int, int, str]] = []  # (start, end, joiner)
    start, joiner = 0, ""
    for m in _TITLE_BREAK.finditer(title):
        if title[start:m.start()].strip():
            pieces.append((start, m.start(), joiner))
            mark = title[m.start() - 1] if m.start() else ""
            joiner = ": " if m.group(0).strip() in ("：", ":") else " " if mark in "！？!?" else "; "
        start = max(start, m.end())
    if title[start:].strip():
        pieces.append((start, len(title), joiner))
    parts: list[tuple[int, int, str]] = []
    for piece in pieces:
        if parts and _title_words(title[parts[-1][0]:parts[-1][1]]) < MIN_TITLE_CLAUSE:
            parts[-1] = (parts[-1][0], piece[1], parts[-1][2])
        else:
            parts.append(piece)
    if len(parts) > 1 and _title_words(title[parts[-1][0]:parts[-1][1]]) < MIN_TITLE_CLAUSE:
        last = parts.pop()
        parts[-1] = (parts[-1][0], last[1], parts[-1][2])
    return [(title[s:e].strip(), joiner if i else "") for i, (s, e, joiner) in enumerate(parts)]


def _title_words(text: str) -> int:
    return len(HAN.findall(text)) + len(re.findall(r"[A-Za-z0-9]+", text))
