"""FigureExtractor: find, qualify, render and rank the figures of one article."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import datetime

from ..schema import Figure, FigureChange, Sentence
from .candidates import find_candidates
from .english import _core_english
from .patterns import _COUNT_WORDS, _REL_YEAR, Anchor, Candidate
from .subjects import PosTags, TaggedWords, continues_subject, noun_after, restates_previous, subject_before
from .vocabulary import (
    _COUNT_CONTEXT,
    APPROX_AFTER,
    APPROX_BEFORE,
    APPROX_ENGLISH,
    COMPARISON_ENGLISH,
    DOWN_VERBS,
    DURATION_UNITS,
    FORECAST_WORDS,
    PERSON_NOUN_ENDINGS,
    RELATIVE_YEARS,
    UP_VERBS,
)

_PARENTHETICAL = re.compile(r"（[^（）]*）|\([^()]*\)")
_CLAUSE_BREAK = re.compile(r"[，,；;：:。！？!?\n]")


# Qualifiers and subjects are read from the clause around a figure. Real clauses are far shorter;
# a wall of text without punctuation is read no further than this either side (keeps it linear).
MAX_CLAUSE_CHARS = 200


def _clause_bounds(breaks: list[int], start: int, end: int, sentence: Sentence) -> tuple[int, int]:
    """The clause around [start, end): from after the last break before it to the next break after
    it, within the sentence and at most MAX_CLAUSE_CHARS either side. `breaks` are the sorted
    positions of _CLAUSE_BREAK in the text."""
    i = bisect.bisect_left(breaks, start)
    left = breaks[i - 1] + 1 if i and breaks[i - 1] >= sentence.start else sentence.start
    j = bisect.bisect_left(breaks, end)
    right = breaks[j] if j < len(breaks) and breaks[j] < sentence.end else sentence.end
    return max(left, start - MAX_CLAUSE_CHARS), min(right, end + MAX_CLAUSE_CHARS)


def _counts_people(after: str) -> bool:
    """2100万造型师, 20亿年轻人: the noun right after the number is an agent noun (…师, …者, …人)."""
    run = re.match(r"[\u4e00-\u9fff]{1,4}", after)
    return bool(run) and any(run.group(0)[:k].endswith(PERSON_NOUN_ENDINGS) for k in range(1, len(run.group(0)) + 1))


def _approx(before: str, after: str) -> str | None:
    """The figure's qualifier. A bound outranks 约 beside it (最高约60亿元: up to; 约70%以上: over): 'about'
    may go unsaid in English, a bound may not. 近 keeps 'nearly', which is a bound of its own (最高近60亿)."""
    found = next((kind for word, kind in APPROX_BEFORE if re.search(rf"{word}(了|达到?|为)?$", before)), None)
    if found == "about":
        bound = next((kind for word, kind in APPROX_BEFORE if kind not in ("about", "nearly") and re.search(
            rf"{word}(?:大约|约)(了|达到?|为)?$", before)), None)
        bound = bound or next((kind for word, kind in APPROX_AFTER if kind != "about" and after.startswith(word)), None)
        return bound or found
    return found or next((kind for word, kind in APPROX_AFTER if after.startswith(word)), None)


def _direction(before: str) -> str | None:
    tail = re.sub(r"(了|约|近|达|为|到|超过|逾|大约)+$", "", before)
    if tail.endswith(UP_VERBS):
        return "up"
    if tail.endswith(DOWN_VERBS):
        return "down"
    return None


# A month or quarter named as a period (3月, 上月, 第三季度, 一季度), not 月 in 月活跃用户 'monthly active users'.
_PERIOD_NAMED = r"(?:[0-9一二三四五六七八九十]|上|本|当|同|该|次)月|季度|[一二三四1-4]季"
_MONTH_OR_QUARTER = re.compile(rf"(?:{_PERIOD_NAMED})(?!.*(?:{_PERIOD_NAMED}))")


def _comparison(before: str, text_before: str = "") -> str | None:
    """同比 is year on year; 环比 compares with the period before, a month or a quarter as the text
    before it last names one (`text_before`, which may reach back past the clause: 3月、4月、5月…环比增长
    78%: month on month; 第二季度营收环比: quarter on quarter; a sentence cut at a semicolon still reads
    the months before it)."""
    for word, kind in (("同比", "yoy"), ("较去年同期", "yoy"), ("月环比", "mom"), ("环比", "qoq"), ("较上月", "mom")):
        if word in before[-12:]:
            if word != "环比":
                return kind
            lead = text_before or before
            last = _MONTH_OR_QUARTER.search(lead[: lead.rfind("环比")])
            return "mom" if last and last.group(0).endswith("月") else "qoq"
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
        pos_tags: PosTags | None = None,
        refused: list[str] | None = None,
    ) -> list[Figure]:
        """`pos_tags`, jieba's (word, tag) pairs of `text` where the segmenter has run, let a figure's
        subject be the noun after it (3000名员工); without them only the phrase before it is read.
        Numbers beyond any plausible amount are no figures: their spans are added to `refused`."""
        anchor = Anchor.from_published(published, precision)
        tagged = TaggedWords.of(text, pos_tags) if pos_tags else None
        candidates = find_candidates(text, anchor, refused)
        starts = [s.start for s in sentences]
        breaks = [m.start() for m in _CLAUSE_BREAK.finditer(text)]
        candidates = self._years_from_context(candidates, starts, anchor)
        figures: list[Figure] = []
        previous_end_in_sentence: dict[int, int] = {}
        for candidate in candidates:
            index = max(0, bisect.bisect_right(starts, candidate.start) - 1) if sentences else 0
            sentence = sentences[index] if sentences else Sentence(index=0, paragraph=0, start=0, end=len(text),
                                                                    text=text)
            clause_start, clause_end = _clause_bounds(breaks, candidate.start, candidate.end, sentence)
            before = text[clause_start:candidate.start]
            after = text[candidate.end:clause_end]
            figure = self._qualify(candidate, text, before, after, sentence, index, anchor,
                                   previous_end_in_sentence.get(index, sentence.start), clause_start, tagged)
            previous_end_in_sentence[index] = candidate.end
            # 收入增长8.2%至8270万美元: the second figure measures what the first one does.
            if figure.subject is None and figure.kind not in ("date", "period") and figures:
                last = figures[-1]
                if last.sentence == index and last.subject and (
                        last.start >= clause_start or continues_subject(text, clause_start, candidate.start)):
                    figure.subject = last.subject
            # （约合5.53亿港元）: the same amount in another currency measures what the one before does.
            if figures and figures[-1].sentence == index and figures[-1].kind == figure.kind \
                    and restates_previous(text, figures[-1].end, candidate.start):
                figure.subject = figures[-1].subject
            figures.append(figure)
        self._link_changes(text, figures)
        self._assign_periods(text, figures, sentences, anchor)
        with_entities = {bisect.bisect_right(starts, s) - 1 for s, _ in entity_spans or []}
        for figure in figures:
            figure.english = self._english(figure)
            figure.salience = self._salience(figure, title, figure.sentence in with_entities)
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
                 anchor: Anchor, previous_end: int, clause_start: int, tagged: TaggedWords | None = None) -> Figure:
        kind, unit = c.kind, c.unit
        # 170万 after 活跃买家数量为 is a count; 近60亿 of GMV stays a plain quantity.
        lead = _PARENTHETICAL.sub("", before).replace(" ", "")
        if c.info.get("bare") and (_COUNT_CONTEXT.search(lead) or re.match(rf"({_COUNT_WORDS})", after)
                                   or _counts_people(after)):
            kind = "count"
        approx = c.approx or _approx(before, after)
        direction = _direction(before) if kind in ("percent", "percentage_point", "multiple", "money", "count",
                                                   "quantity", "fraction") else None
        comparison = _comparison(before, text[max(0, c.start - 80):c.start]) if direction else None
        forecast = kind not in ("date", "period") and any(w in before for w in FORECAST_WORDS)
        subject = None if kind in ("date", "period") else (
            noun_after(text, c.end, kind, tagged, duration=unit in DURATION_UNITS or unit in ("岁", "周岁"))
            or subject_before(text, clause_start, c.start, previous_end, kind, duration=unit in DURATION_UNITS,
                              tagged=tagged))
        return Figure(
            text=text[c.start:c.end], start=c.start, end=c.end, sentence=index, kind=kind, value=c.value,
            low=c.low, high=c.high, unit=unit, approx=approx,  # type: ignore[arg-type]
            change=FigureChange(direction=direction) if direction else None,  # type: ignore[arg-type]
            comparison=comparison, forecast=forecast, subject=subject, english=c.english or "",
            uncertain=c.info.get("uncertain"),
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
        """A figure's period: the last date or period before it in its sentence, else a relative
        year (今年, 去年) earlier in the sentence."""
        last_period: dict[int, Figure] = {}  # sentence -> the latest date/period seen so far
        first_relative: dict[int, re.Match[str] | None] = {}
        for figure in figures:  # in text order
            if figure.kind in ("date", "period"):
                last_period[figure.sentence] = figure
                continue
            earlier = last_period.get(figure.sentence)
            if earlier is not None and earlier.end <= figure.start:
                figure.period = str(earlier.value)
                continue
            if sentences and anchor.year is not None:
                if figure.sentence not in first_relative:
                    sentence = sentences[figure.sentence]
                    first_relative[figure.sentence] = re.compile(_REL_YEAR).search(text, sentence.start, sentence.end)
                m = first_relative[figure.sentence]
                if m and m.end() <= figure.start:
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
                core += f" {COMPARISON_ENGLISH[f.comparison]}"
            return core
        return approx + core

    @staticmethod
    def _salience(f: Figure, title: str, sentence_has_entity: bool) -> float:
        weight = {"money": 5.0, "percent": 3.5, "percentage_point": 3.5, "multiple": 3.0, "count": 3.0,
                  "fraction": 2.5, "quantity": 2.0, "date": 1.5, "period": 1.0}[f.kind]
        if f.text in title:
            weight += 3
        if f.sentence <= 2:
            weight += 1.5
        if sentence_has_entity:
            weight += 1
        if f.subject:
            weight += 0.5
        if f.change or f.forecast:
            weight += 0.5
        # Earlier figures first among equals.
        return round(weight - 0.001 * f.sentence, 4)


