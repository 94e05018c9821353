"""Figures across the articles of one story: what each figure measures (corpus/lexicon/measure_cues.tsv), the
values the outlets give for one measure, and a conflict where they differ beyond rounding.

Rounding rule: a value stated to d decimals of its unit (32.91亿 to 0.01亿, 43% to 1%; a whole number to
its last non-zero digit, 1700万 to 100万) covers everything within half a step of that digit; a qualified
value (约, 逾, 近, 超过 …) of one or two significant digits covers a range on its side (about: ±5%; over, at
least: up to +10%; nearly, under, up to: down to −10%); one written to three or more (约306.73亿) keeps its
stated precision. Two outlets agree when their ranges meet. Dates agree when one is the other at a coarser
precision (2025-03 and 2025-03-03). Values that do not agree are a disagreement only when they are close
enough to be one quantity (a date within a week, a number within 20%, or one a digit slip of the other):
further apart, the cue has run two quantities together.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import combinations
from pathlib import Path

from ..resources import Resources, read_tsv
from ..schema import Brief, Figure

BEFORE_CHARS = 14  # a cue this close before the figure, in its clause, says what it measures
PRECISE_DIGITS = 3  # a value written to this many significant digits keeps its precision under 约, 逾, 近
MAX_RATIO = 1.2  # values further apart measure two things (another company's, another day's), not one
DATE_AFTER_CHARS = 40  # a date's event is said after it (3月3日，蜜雪集团……挂牌上市), in its sentence
_CLAUSE_BREAK = re.compile(r"[，,；;：:。！？!?\n]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_RANGE = {"about": (0.95, 1.05), "over": (1.0, 1.1), "at_least": (1.0, 1.1), "nearly": (0.9, 1.0),
          "under": (0.9, 1.0), "at_most": (0.9, 1.0), "up_to": (0.9, 1.0)}


@dataclass(frozen=True)
class MeasureCue:
    measure: str
    english: str
    kinds: frozenset[str]
    cues: tuple[str, ...]  # longest first


@cache
def measure_cues(path: Path) -> tuple[MeasureCue, ...]:
    rows = read_tsv(path)
    return tuple(MeasureCue(r["measure"], r["en"], frozenset(r["kinds"].split("|")),
                            tuple(sorted(r["cues"].split("|"), key=len, reverse=True))) for r in rows)


def load_measure_cues(resources: Resources) -> tuple[MeasureCue, ...]:
    return measure_cues(resources.require(resources.lexicon / "measure_cues.tsv"))


def figure_measure(brief: Brief, figure: Figure, cues: tuple[MeasureCue, ...],
                   fold: Callable[[str], str]) -> str | None:
    """The measure a figure states, by the nearest cue before it in its clause (a date: after it in its
    sentence); None where no cue says (such a figure is never compared)."""
    if figure.sentence >= len(brief.sentences):
        return None
    sentence = brief.sentences[figure.sentence]
    text = fold(sentence.text)
    start, end = figure.start - sentence.start, figure.end - sentence.start
    if figure.kind == "date":
        window = text[end:end + DATE_AFTER_CHARS]
        found = [(window.find(cue), -len(cue), cue_set.measure) for cue_set in cues if "date" in cue_set.kinds
                 for cue in cue_set.cues if cue in window]
        return min(found)[2] if found else None
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text, 0, start)]
    window = text[max(breaks[-1] if breaks else 0, start - BEFORE_CHARS):start]
    found = [(window.rfind(cue), window.rfind(cue) + len(cue), cue_set.measure) for cue_set in cues
             if figure.kind in cue_set.kinds for cue in cue_set.cues if cue in window]
    # A cue inside or across a longer one is part of it (筹资 in 净筹资金 is the net proceeds' 净筹 …).
    kept = [c for c in found if not any(o[1] - o[0] > c[1] - c[0] and o[0] < c[1] and c[0] < o[1] for o in found)]
    return max(kept, key=lambda c: (c[1], c[1] - c[0]))[2] if kept else None


def value_range(text: str, value: float, approx: str | None, low: float | None, high: float | None
                ) -> tuple[float, float]:
    """What a stated value covers under the rounding rule (see the module docstring)."""
    if low is not None and high is not None and low != high:
        return low, high
    match = _NUMBER.search(text.replace(",", ""))
    step, significant = 0.0, 0
    if match and float(match.group()):
        whole, _, decimals = match.group().partition(".")
        # Trailing zeros of a whole number are not significant: 1700万 is 1705.99万 rounded to hundreds.
        exponent = -len(decimals) if decimals else len(whole) - len(whole.rstrip("0"))
        step = 10 ** exponent * value / float(match.group())
        significant = len((whole + decimals).lstrip("0")) if decimals else len(whole.strip("0"))
    lo, hi = value - step / 2, value + step / 2
    if approx in _RANGE and significant < PRECISE_DIGITS:  # 约306.73亿 is as precise as it is written
        down, up = _RANGE[approx]
        lo, hi = min(lo, value * down), max(hi, value * up)
    return lo, hi


def dates_agree(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


@dataclass(frozen=True)
class StatedFigure:
    """One article's figure in a story, as the store keeps it."""

    slug: str
    outlet: str
    n: int
    text: str
    kind: str
    value: float | str
    unit: str | None
    approx: str | None
    low: float | None
    high: float | None
    english: str
    measure: str


def agree(a: StatedFigure, b: StatedFigure) -> bool:
    if a.kind == "date" or isinstance(a.value, str) or isinstance(b.value, str):
        return dates_agree(str(a.value), str(b.value))
    lo_a, hi_a = value_range(a.text, float(a.value), a.approx, a.low, a.high)
    lo_b, hi_b = value_range(b.text, float(b.value), b.approx, b.low, b.high)
    return lo_a <= hi_b + 1e-9 * abs(hi_b) and lo_b <= hi_a + 1e-9 * abs(hi_a)


def value_groups(figures: list[StatedFigure]) -> list[list[StatedFigure]]:
    """Figures of one measure put together where they agree (in order of value, each joins the group of the
    value before it when it agrees with it)."""
    groups: list[list[StatedFigure]] = []
    for figure in sorted(figures, key=lambda f: (str(f.value) if isinstance(f.value, str) else "", _number(f))):
        if groups and agree(figure, groups[-1][-1]):
            groups[-1].append(figure)
        else:
            groups.append([figure])
    return groups


def _number(figure: StatedFigure) -> float:
    return float(figure.value) if not isinstance(figure.value, str) else 0.0


def _digits(figure: StatedFigure) -> str:
    return f"{_number(figure):.6f}".rstrip("0").rstrip(".").replace(".", "").lstrip("0")


def digit_slip(a: StatedFigure, b: StatedFigure) -> bool:
    """One value is the other with a digit left out or added (71294 for 712964): a typing slip."""
    x, y = sorted((_digits(a), _digits(b)), key=len)
    return len(y) == len(x) + 1 and any(y[:i] + y[i + 1:] == x for i in range(len(y)))


def close_enough(a: StatedFigure, b: StatedFigure) -> bool:
    """Two values near enough to be one quantity stated differently, not two quantities a cue ran together: a
    date within a week, a number within 30% (or a digit slip of the other)."""
    if a.kind == "date" or isinstance(a.value, str) or isinstance(b.value, str):
        try:
            return abs(date.fromisoformat(str(a.value)[:10]) - date.fromisoformat(str(b.value)[:10])).days <= 7
        except ValueError:
            return False
    low, high = sorted((abs(_number(a)), abs(_number(b))))
    return (low > 0 and high / low <= MAX_RATIO) or digit_slip(a, b)


def disputes(groups: list[list[StatedFigure]]) -> list[tuple[int, int]]:
    """Pairs of value groups that disagree: close enough to be one quantity, and each stated by an article that
    does not state the other (one article giving both, a range and its end, is no disagreement)."""
    found = []
    for i, j in combinations(range(len(groups)), 2):
        a, b = {f.slug for f in groups[i]}, {f.slug for f in groups[j]}
        if a - b and b - a and any(close_enough(x, y) for x in groups[i] for y in groups[j]):
            found.append((i, j))
    return found


def measure_names(resources: Resources | None = None) -> dict[str, str]:
    """Each measure's English (measure_cues.tsv)."""
    from ..resources import default_resources

    return {cue.measure: cue.english for cue in load_measure_cues(resources or default_resources())}
