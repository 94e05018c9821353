"""Where a name's span starts and ends: marks at its edges, a quote mark without its pair, two
people a space apart, a word jieba glued to a coined brand. Read by the extractor for every
candidate span."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..dictionary import ChineseEnglishDictionary
from ..resources import HAN
from .components import _dictionary_tag
from .vocabulary import EntityVocabulary

# A name never starts or ends with these marks. A quote mark without its pair cuts a span in two
# (“链家地产”市场研究部): the piece the text quotes is the name; a quoted word inside a name is
# part of it (“幸福工程”组委会).
_EDGE_MARKS = frozenset("-—–－·・,，、:：;； \t\n\u3000")
_OPENING, _CLOSING = "“‘「『", "”’」』"
_QUOTE_MARK = re.compile(r"[“‘「『”’」』\"]")
_UNQUOTED = re.compile(r"[^“‘「『”’」』\"]+")


def name_piece(text: str, start: int, end: int) -> tuple[int, int] | None:
    """`text[start:end]` without marks or spaces at its edges and, where a quote mark in it has no
    pair in it, only the piece the text quotes (else the first piece of two characters or more);
    None when nothing is left."""
    while start < end and text[start] in _EDGE_MARKS:
        start += 1
    while end > start and text[end - 1] in _EDGE_MARKS:
        end -= 1
    if start == end:
        return None
    marks = _QUOTE_MARK.findall(text, start, end)
    opened = sum(mark in _OPENING for mark in marks)
    straight = marks.count('"')  # a straight quote opens and closes: an even count is pairs
    paired = opened * 2 + straight == len(marks) and straight % 2 == 0 and text[start] not in _CLOSING
    if not marks or paired:
        return start, end
    pieces = [(m.start(), m.end()) for m in _UNQUOTED.finditer(text, start, end)]
    for s, e in pieces:
        if s > 0 and text[s - 1] in _OPENING + '"' and e < len(text) and text[e] in _CLOSING + '"':
            return s, e
    return next(((s, e) for s, e in pieces if e - s >= 2), None)


_SPACED_HAN = re.compile(rf"{HAN.pattern}\s+{HAN.pattern}")
_HAN_RUN = re.compile(rf"(?:{HAN.pattern}|·)+")


def people_apart(text: str, start: int, end: int) -> list[tuple[int, int]] | None:
    """The names in a person's span that a space parts between Chinese characters (记者聂云鹏 王薇: two
    people), two characters or more each; None for one name (Latin names keep their spaces)."""
    if not _SPACED_HAN.search(text, start, end):
        return None
    return [(m.start(), m.end()) for m in _HAN_RUN.finditer(text, start, end) if m.end() - m.start() >= 2]


def coined_company(surface: str, vocabulary: EntityVocabulary, dictionary: ChineseEnglishDictionary,
                   known_name: Callable[[str], bool]) -> int | None:
    """A company word after a coined brand of two to four characters in which CC-CEDICT knows no word
    (循物科技, 峰瑞资本): a name the recogniser may miss, and no description (航空公司, 平台科技公司).
    Returns how many characters before the brand are no part of it (jieba glues 由 to 由澜舟资本), or
    None for no such name. `known_name`: the gazetteer's or CC-CEDICT's names (深圳科技 is a place's)."""
    suffix = next((s for s in vocabulary.org_suffixes if surface.endswith(s)), "")
    if not suffix or suffix in vocabulary.institution_suffixes:
        return None
    brand = surface[: -len(suffix)]
    lead = 1 if len(brand) > 2 and _dictionary_tag(brand[0])[:1] in ("p", "c", "d", "v", "u", "r") else 0
    brand = brand[lead:]
    if not 2 <= len(brand) <= 4 or not all(HAN.match(ch) for ch in brand) or known_name(brand):
        return None
    words = (brand[i:j] for i in range(len(brand)) for j in range(i + 2, len(brand) + 1))
    return None if any(dictionary.entries(word) for word in words) else lead
