"""What the model is given: key sentences, with figures, names and glossary terms already in English."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..figures import core_english
from ..resources import Resources, read_lines
from ..schema import Brief, Entity, Figure
from .checks import HAN, numbers_in

Kind = Literal["title", "sentence", "subject", "name"]


@dataclass
class Segment:
    """One piece of Chinese to put into English."""

    brief: int
    kind: Kind
    ref: int  # sentence index, figure index or entity index
    source: str
    prepared: str
    allowed: list[float]
    figures: list[str]  # English renderings inside, for the retry note
    output: str = ""
    status: Literal["ok", "repaired", "replaced", "dropped", "flagged"] = "ok"
    numbers_checked: int = 0


# Names the model does not know (周受资, ThredUp) are replaced by their English; places it renders
# well itself, and reads badly replaced ("TikTok United States"). Pinyin names stay Chinese: on
# WMT21 (eval mt, 200 sentences) replacing them and the places too lowered chrF from 45.5 to 43.4.
SUBSTITUTED_TYPES = ("ORG", "PERSON", "PRODUCT", "EVENT")
_BRACKETED = re.compile(r"《[^《》]{1,40}》|「[^「」]{1,40}」|『[^『』]{1,40}』")


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
            found = [(m.start(), m.end()) for form in {m.text for m in e.mentions if HAN.search(m.text)}
                     for m in re.finditer(re.escape(form), text)]
        else:
            found = [(m.start - offset, m.end - offset) for m in e.mentions
                     if offset <= m.start and m.end <= offset + len(text) and HAN.search(m.text)]
        names += found
        if e.type in SUBSTITUTED_TYPES and e.english_source != "pinyin":
            spans += [(start, end, e.english) for start, end in found]
    # Titles of publications and names the writer brackets (《出海日报》, 「客优云」) are names too.
    names += [(m.start(), m.end()) for m in _BRACKETED.finditer(text)]
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
        left = text[start - 1] if start else ""
        right = text[end] if end < len(text) else ""
        out.append((" " if _joins(left) else "") + english + (" " if _joins(right) else ""))
        position = end
    out.append(text[position:])
    return "".join(out), rendered


def _joins(neighbour: str) -> bool:
    """English put in next to this character needs a space between (Chinese, a letter or a digit:
    `RMB 50 million A轮`, not `millionA轮`); punctuation and spaces need none."""
    return bool(neighbour) and (bool(HAN.match(neighbour)) or neighbour.isalnum())


def allowed_numbers(brief: Brief, extra_text: str = "") -> list[float]:
    """Numbers the English may contain: every figure of the fact sheet (value, bounds, English
    rendering), the publish year, and digits already in Latin text (TT123, Q2)."""
    values: list[float] = []
    for f in brief.figures:
        values += [v for v in (f.value, f.low, f.high) if isinstance(v, float | int)]
        if f.kind in ("fraction",) and isinstance(f.value, float):
            values.append(f.value * 100)
        values += numbers_in(f.english) + numbers_in(core_english(f))
        if isinstance(f.value, str):
            values += numbers_in(f.value.replace("-", " "))
    if brief.meta.published:
        values += [brief.meta.published.year, brief.meta.published.day]
    values += numbers_in(extra_text)
    return values


def select_sentences(brief: Brief, count: int) -> list[int]:
    """Key sentences: lead, figure and entity density, keyword overlap; no near-duplicates."""
    keywords = {k.word for k in brief.keywords}
    scored: list[tuple[float, int]] = []
    for s in brief.sentences:
        if len(s.text) < 12 or len(s.text) > 220 or (not re.search(r"[。！？!?；;]$", s.text) and len(s.text) < 25):
            continue
        figures = [f for f in brief.figures if s.start <= f.start < s.end and f.kind not in ("date", "period")]
        mentions = sum(1 for e in brief.entities for m in e.mentions if s.start <= m.start < s.end)
        score = 2.0 * len(figures) + sum(f.salience for f in figures) / 5 + 0.7 * mentions
        score += sum(1 for k in keywords if k in s.text) * 0.5
        score += 3.0 if s.index == 0 else (1.5 if s.index < 3 else 0)
        scored.append((score, s.index))
    chosen: list[int] = []
    for _, index in sorted(scored, reverse=True):
        text = brief.sentences[index].text
        if any(_similarity(text, brief.sentences[i].text) > 0.6 for i in chosen):
            continue
        chosen.append(index)
        if len(chosen) == count:
            break
    return sorted(chosen)


def _similarity(a: str, b: str) -> float:
    grams_a = {a[i:i + 2] for i in range(len(a) - 1)}
    grams_b = {b[i:i + 2] for i in range(len(b) - 1)}
    return len(grams_a & grams_b) / max(1, len(grams_a | grams_b))



def load_glossary(resources: Resources) -> dict[str, str]:
    """Domain terms with the English the writer must use (corpus/lexicon/glossary.tsv)."""
    if not resources.glossary.is_file():
        return {}
    pairs = (line.split("\t") for line in read_lines(resources.glossary))
    return {chinese.strip(): english.strip() for chinese, english, *_ in pairs}
