"""Run every registered figure rule near its trigger and keep the best non-overlapping matches."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..numbers import ascii_digits
from ..spans import Interval, SpanIndex
from . import amounts, colloquial, date_spans, dates  # noqa: F401  (register the rules, amounts first)
from .patterns import _BLOCKED, _CUR_WORDS, _RULES, _WINDOW, Anchor, Candidate, explicit_year

# --------------------------------------------------------------------------- extraction


def _blocked_spans(text: str) -> SpanIndex[Interval]:
    return SpanIndex([Interval(m.start(), m.end()) for m in _BLOCKED.finditer(text)])


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


def _apply_sign(candidate: Candidate, norm: str) -> None:
    """-8.65亿元 (an outflow), -3.2%: a minus sign right before an amount, not between two numbers
    (5-8亿元 is a range), belongs to it."""
    start = candidate.start
    if candidate.kind not in ("money", "percent", "percentage_point") or start == 0 or norm[start - 1] not in "-负":
        return
    before = norm[start - 2] if start >= 2 else ""
    # A dash after a number, a unit or another dash separates a range (3万元-8万元, 5%--8%); 正负 is ±.
    if before and ((before.isascii() and before.isalnum()) or before in ".%-—–~～元万亿千百十" or
                   (norm[start - 1] == "负" and before == "正")):
        return
    candidate.start -= 1
    candidate.value = -candidate.value if isinstance(candidate.value, float) else candidate.value
    candidate.low, candidate.high = (-candidate.high if candidate.high is not None else None,
                                     -candidate.low if candidate.low is not None else None)
    candidate.english = ""  # rendered again from the signed value


# No amount, count or measure in the news comes near this (the world's output is about 1e14 US$; a
# trillion trillion is a number run wild: 1 and 400 zeros, 10²⁹亿美元).
MAX_FIGURE_VALUE = 1e17
# A full-width comma between full-width digits groups thousands (１，７４１亿美元); anywhere else it is
# the Chinese clause comma.
_FULLWIDTH_THOUSANDS = re.compile(r"(?<=[０-９])，(?=[０-９]{3}(?![０-９]))")
# A run of digits too long for any rule's window, said as an amount (1 and 400 zeros 亿美元): refused
# aloud, as a figure beyond the bound is.
_RUNAWAY_AMOUNT = re.compile(rf"(?<!\d)\d{{16,}}(?=\s?(?:[万亿%]|{_CUR_WORDS}))")  # from a run's start: linear


def _beyond_bound(candidate: Candidate) -> bool:
    values = (candidate.value, candidate.low, candidate.high)
    return any(isinstance(v, float) and not abs(v) <= MAX_FIGURE_VALUE for v in values)  # inf and nan too


def find_candidates(text: str, anchor: Anchor, refused: list[str] | None = None) -> list[Candidate]:
    """All rule matches, then the best non-overlapping set (longest span first, then priority).
    Numbers beyond any plausible amount are no figures; their spans go to `refused`."""
    norm = ascii_digits(_FULLWIDTH_THOUSANDS.sub(",", text))
    if refused is not None:
        refused += [m.group(0)[:40] for m in _RUNAWAY_AMOUNT.finditer(norm)]
    blocked = _blocked_spans(norm)
    found: list[Candidate] = []
    for pattern, trigger, make in _RULES:
        for m in _matches_near_triggers(pattern, trigger, norm):
            if m.end() == m.start():
                continue
            try:
                candidate = make(m, anchor)
            except (ValueError, OverflowError):
                continue  # not one number after all (六七千 is a range, read by its own rule)
            if candidate is None or blocked.overlaps(candidate.start, candidate.end):
                continue
            if _beyond_bound(candidate):
                if refused is not None:
                    refused.append(text[candidate.start:candidate.end][:40])
                continue
            groups = m.groupdict()
            stated = explicit_year(groups, anchor.year)
            if stated is not None:
                candidate.info["explicit_year"] = stated
            elif "y" in groups and not groups.get("rel") and not groups.get("fy"):
                candidate.info["year_rule"] = (make, m)  # year taken from the anchor; context may know better
            _apply_sign(candidate, norm)
            # Trim leading spaces the optional groups may have eaten.
            while candidate.start < candidate.end and norm[candidate.start].isspace():
                candidate.start += 1
            found.append(candidate)
    found.sort(key=lambda c: (-(c.end - c.start), -c.priority, c.start))
    chosen: list[Candidate] = []
    taken: SpanIndex[Candidate] = SpanIndex()
    for candidate in found:
        if not taken.overlaps(candidate.start, candidate.end):
            chosen.append(candidate)
            taken.add(candidate)
    chosen.sort(key=lambda c: c.start)
    return chosen


