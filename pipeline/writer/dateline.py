"""Wire-copy datelines (新华社成都7月26日电（记者毛鑫）): rendered by rule from the fact sheet.

A dateline is not news to translate. Given to the model it comes back garbled (电 'Electricity', a
wire service the text never names, the date or the place left out), so the writer puts the rest of
the sentence into English and sets this English in front of it: 'Chengdu, 26 July (Xinhua) — '.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..dictionary import load_dictionary
from ..resources import HAN, Resources, read_tsv
from ..schema import Entity, Figure

_TAIL = (r"(?P<place>[\u4e00-\u9fff]{1,8}?)?\s*(?P<date>\d{1,2}\s*月\s*\d{1,2}\s*日)\s*电"
         r"(?P<byline>\s*[（(]\s*(?P<reporter>记者)?\s*(?P<reporters>[^（）()]{1,30}?)\s*[）)])?"
         r"(?:\s*(?P<headline>题\s*[:：]))?\s*")
_REPORTER_SEPARATORS = re.compile(r"[、，,和\s]+")


@dataclass(frozen=True)
class Dateline:
    """Where a sentence's dateline ends (the news starts) and its English, ending in ' — '."""

    end: int
    english: str


@cache
def _pattern(path: Path) -> tuple[re.Pattern[str], dict[str, str]]:
    agencies = {row["name"]: row["english"] for row in read_tsv(path) if row.get("english")}
    names = "|".join(re.escape(name) for name in sorted(agencies, key=len, reverse=True))
    return re.compile(rf"^\s*(?P<agency>{names})\s*{_TAIL}"), agencies


def find_dateline(text: str, offset: int, figures: Sequence[Figure], entities: Sequence[Entity],
                  resources: Resources) -> Dateline | None:
    """The dateline `text` opens with, in English; None when there is none, or when its place or date
    has no English in the fact sheet (the model then gets the whole sentence).

    `offset` is where `text` starts in the article: the date is the figure found at its span, the place
    the entity mentioned there (or CC-CEDICT's name for it), reporters the people named in the byline."""
    pattern, agencies = _pattern(resources.require(resources.news_agencies))
    match = pattern.match(text)
    if not match or not text[match.end():].strip():
        return None
    date = next((f.english for f in figures if f.kind == "date"
                 and (f.start, f.end) == (offset + match.start("date"), offset + match.end("date"))), None)
    if date is None:
        return None
    place = ""
    if match.group("place"):
        place = _english_at(match.group("place"), offset + match.start("place"), entities, ("GPE", "LOC")) or \
            load_dictionary().english_name(match.group("place"), prefer=("city", "capital", "province")) or ""
        if not place:
            return None
    source, end = agencies[match.group("agency")], match.end()
    if match.group("byline"):
        start = offset + match.start("reporters")
        reporters = [_english_at(name, start + match.group("reporters").find(name), entities, ("PERSON",))
                     for name in _REPORTER_SEPARATORS.split(match.group("reporters")) if name]
        if reporters and all(reporters):  # a byline said in part would misname the writers
            source += ", " + " and ".join(r for r in reporters if r)
        elif not match.group("reporter"):  # brackets that may not be a byline (（国际观察）) stay text
            end = match.start("byline")
    headline = "Headline: " if match.group("headline") and end == match.end() else ""
    return Dateline(end, f"{place + ', ' if place else ''}{date} ({source}) — {headline}")


def _english_at(form: str, start: int, entities: Sequence[Entity], types: tuple[str, ...]) -> str | None:
    """The English of the entity of one of `types` mentioned as `form` at `start` (article offsets)."""
    for entity in entities:
        if entity.type in types and not HAN.search(entity.english) and any(
                m.text == form and m.start == start for m in entity.mentions):
            return entity.english
    return None
