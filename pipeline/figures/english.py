"""Deterministic English of a figure's value."""

from __future__ import annotations

import re

from ..numbers import english_amount, format_decimal
from ..schema import Figure
from .vocabulary import APPROX_AFTER, APPROX_ENGLISH, COUNT_UNITS, CURRENCY_ENGLISH, MEASURE_UNITS, singular

# What the English of a figure says beside its value: a direction (not the 'up' of 'up to': 多达42% is
# 'up to 42%', and was going in as 'to 42%'), a qualifier, a comparison.
_DIRECTION = r"(?:(?:up|down) (?!to ))?"
_QUALIFIER = "(?:" + "|".join(sorted(APPROX_ENGLISH.values(), key=len, reverse=True)) + ")?"
_COMPARISON = r" (?:year|quarter|month) on (?:year|quarter|month)$"
_DECORATION = re.compile(rf"^{_DIRECTION}{_QUALIFIER}|{_COMPARISON}")
_DIRECTION_AND_COMPARISON = re.compile(rf"^{_DIRECTION}|{_COMPARISON}")
# Qualifiers said inside a figure's own span (30多名, 1300余万元): the text that replaces the span must
# say them, since no Chinese around it will.
_QUALIFIER_INSIDE = re.compile("|".join(sorted((word for word, _ in APPROX_AFTER), key=len, reverse=True)))


def core_english(f: Figure) -> str:
    """The English of the value alone, without the qualifiers that the Chinese around the span
    already says (约, 同比增长): what replaces the span before translation."""
    if f.kind in ("date", "period"):
        return f.english
    decoration = _DIRECTION_AND_COMPARISON if f.approx and _QUALIFIER_INSIDE.search(f.text) else _DECORATION
    return decoration.sub("", f.english) or _core_english(f)


def _core_english(f: Figure) -> str:
    if f.kind == "money":
        prefix = CURRENCY_ENGLISH.get(f.unit or "", f"{f.unit} " if f.unit else "")
        if f.value is None and f.low is not None and f.high is not None:
            return f"{prefix}{english_amount(f.low)}–{prefix}{english_amount(f.high)}"
        return f"{prefix}{english_amount(float(f.value))}"  # type: ignore[arg-type]
    if f.kind == "percent":
        if f.value is None and f.low is not None:
            return f"{format_decimal(f.low)}%–{format_decimal(f.high or 0)}%"
        return f"{format_decimal(float(f.value))}%"  # type: ignore[arg-type]
    if f.kind == "percentage_point":
        value = float(f.value)  # type: ignore[arg-type]
        return f"{format_decimal(value)} percentage point{'s' if value != 1 else ''}"
    if f.kind == "multiple":
        return f"{format_decimal(float(f.value))} times"  # type: ignore[arg-type]
    if f.kind == "fraction":
        return f"{format_decimal(float(f.value) * 100)}%"  # type: ignore[arg-type]
    if f.kind in ("count", "quantity"):
        unit_en = COUNT_UNITS.get(f.unit or "", MEASURE_UNITS.get(f.unit or "", ""))
        if f.value is None and f.low is not None and f.high is not None:
            amount = f"{english_amount(f.low)}–{english_amount(f.high)}"
        else:
            amount = english_amount(float(f.value))  # type: ignore[arg-type]
            if f.value == 1 and unit_en != "years old":
                unit_en = singular(unit_en)
        return f"{amount} {unit_en}".strip()
    return f.text


