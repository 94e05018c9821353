"""Checks on the model's English: numbers it writes, names it writes, Chinese it leaves."""

from __future__ import annotations

import re
from functools import cache

from ..ingest.clean import BIDI_CONTROLS
from ..resources import Resources, read_lines
from ..schema import Brief

HAN = re.compile(r"[\u4e00-\u9fff]")
_NUMBER = re.compile(
    r"(?<![A-Za-z0-9.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s?(trillion|billion|million|thousand|bn|mn|m|k)\b)?"
)
_SCALE = {"trillion": 1e12, "billion": 1e9, "bn": 1e9, "million": 1e6, "mn": 1e6, "m": 1e6, "thousand": 1e3,
          "k": 1e3}
_CAPITALISED = re.compile(r"(?<![A-Za-z.])[A-Z][A-Za-z&'\-]+(?:\s[A-Z][A-Za-z&'\-]+)*")


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


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 0.005 * max(abs(a), abs(b)) or abs(a - b) < 1e-9



# Control characters (XOFF, ESC ...) and bidirectional overrides: never part of an English sentence.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS)) + "]")


def clean_output(text: str) -> str:
    """First paragraph of the model's answer, without quotes, a 'Translation:' label or control characters."""
    text = _CONTROL.sub("", text).strip().split("\n\n")[0].strip()
    text = re.sub(r"^(English|Translation|Title)\s*[:：]\s*", "", text, flags=re.IGNORECASE)
    if len(text) >= 2 and text[0] in "\"“'" and text[-1] in "\"”'":
        text = text[1:-1].strip()
    return " ".join(text.split())


def known_names(brief: Brief) -> set[str]:
    names: set[str] = set()
    for e in brief.entities:
        names.update(e.english.split())
        names.update(m.text for m in e.mentions if not HAN.search(m.text))
    return names


def unknown_names(text: str, known: set[str], source: str, common: frozenset[str]) -> list[str]:
    """Capitalised names in the English that the source does not contain (not a sentence start)."""
    found = []
    for m in _CAPITALISED.finditer(text):
        words = [re.sub(r"'s?$|’s?$", "", w) for w in m.group(0).split()]
        words = [w for w in words if w and w not in common]
        if not words or (m.start() == 0 and len(words) == 1):
            continue
        if all(w in known or w in source for w in words):
            continue
        found.append(" ".join(words))
    return found


