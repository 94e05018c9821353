"""English for the fact sheet's short phrases (figure subjects, roles, keywords) from data, not a model.

The order is the glossary (the project's own domain terms) -> the business terms
(corpus/lexicon/terms.tsv) -> a name of the article's entities -> a CC-CEDICT entry for the whole
phrase -> the phrase cut into known words (longest match) when it is at most `max_pieces` words, at
most one of them a dictionary guess. Anything else is left for the writer's model (short phrases,
checked and cached) or, without it, left out: a phrase is all English or it is None, never mixed.

The stage in full

terms (`pipeline/terms.py`): English for the fact sheet's short phrases without a model: figure subjects,
    roles, keywords and the publisher (`meta.source_en`: 36氪 → 36Kr). Glossary → business terms
    (`corpus/lexicon/terms.tsv`: 收入 → revenue, 净亏损 → net loss) → the article's entity names → a
    CC-CEDICT entry for the whole phrase (noun senses first) → a phrase of at most two known words with at
    most one dictionary guess (ThredUp的毛利润 → "ThredUp's gross profit", 活跃买家数量 → "number of active
    buyers"). A phrase is all English or `None`, never mixed
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .dictionary import ChineseEnglishDictionary
from .resources import HAN, Resources, read_lines
from .schema import Entity

_LATIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9&.+'\- ]*")
# Gloss decorations: "(abbr. for ...)", "CL:個|个[ge4]", "(old)", "(Tw)".
_PARENTHESES = re.compile(r"\s*\([^)]*\)\s*")
_CLASSIFIER = re.compile(r"\bCL:\S*")
_SKIP_GLOSS = re.compile(r"^(?:surname|variant of|old variant of|see |abbr\.|used in|erhua variant|Taiwan pr\.|"
                         r"\(?old\)?|\(?dialect\)?|\(?archaic\)?|\(?literary\)?)", re.I)
# The possessive particles: ThredUp的毛利润 is ThredUp's gross profit.
_JOINERS = frozenset("的之")


def gloss_english(glosses: Sequence[str]) -> str | None:
    """The English a dictionary entry gives a reader of a fact sheet: a noun-like gloss first
    (收入: 'income', not 'to take in'), without notes in brackets, classifiers or alternatives."""
    cleaned: list[str] = []
    for gloss in glosses:
        if _SKIP_GLOSS.match(gloss.strip()):
            continue
        text = _CLASSIFIER.sub("", _PARENTHESES.sub(" ", gloss)).split(";")[0].strip(" ,")
        if text and not HAN.search(text) and len(text) <= 40:
            cleaned.append(" ".join(text.split()))
    nouns = [g for g in cleaned if not g.startswith("to ")]
    if nouns:
        return nouns[0]
    return cleaned[0][3:] if cleaned else None


@dataclass
class TermEnglish:
    """English for short Chinese phrases from the glossary and CC-CEDICT; None where they do not reach."""

    dictionary: ChineseEnglishDictionary
    glossary: dict[str, str] = field(default_factory=dict)
    terms: dict[str, str] = field(default_factory=dict)  # business terms before the dictionary
    max_pieces: int = 2

    def __post_init__(self) -> None:
        self._longest_term = max([8, *map(len, self.glossary), *map(len, self.terms)])

    def names_of(self, entities: Sequence[Entity]) -> dict[str, str]:
        """The article's Chinese names (Simplified) with their English: what `english` reads them by."""
        fold = self.dictionary.simplified
        # A person's pinyin is their English name; for anything else pinyin is only a guess.
        named = [e for e in entities if e.english_source != "pinyin" or e.type == "PERSON"]
        names = {fold(m.text): e.english for e in named for m in e.mentions if HAN.search(m.text)}
        names.update({fold(e.text): e.english for e in named if HAN.search(e.text)})
        return names

    def english(self, phrase: str, entities: Sequence[Entity] = (), *, names: dict[str, str] | None = None
                ) -> str | None:
        """`names`: :meth:`names_of` the article's entities, when many phrases of one article are asked."""
        phrase = self.dictionary.simplified(phrase.strip())  # Traditional phrases are looked up as Simplified
        if not phrase:
            return None
        if not HAN.search(phrase):
            return phrase  # already Latin (ThredUp, GMV)
        if names is None:
            names = self.names_of(entities)
        whole = self._word(phrase, names)
        if whole:
            return whole[1].removesuffix(" of")
        pieces = self._pieces(phrase, names)
        # A phrase of known parts: at most `max_pieces` words, of which at most one from the dictionary
        # (its first sense is a guess; two guesses make word salad: 调查失业率 'investigation unemployment rate').
        if pieces is None or sum(1 for kind, _ in pieces if kind != "joiner") > self.max_pieces \
                or sum(1 for kind, _ in pieces if kind == "dictionary") > 1:
            return None
        words: list[str] = []
        for position, (kind, english) in enumerate(pieces):
            if kind == "joiner":  # only 的/之 after a name and before more: ThredUp的毛利润 -> ThredUp's gross profit
                if not words or pieces[position - 1][0] not in ("name", "latin") or position == len(pieces) - 1:
                    return None
                words[-1] += "'s"
                continue
            words.append(english)
        if len(words) > 1 and words[-1].endswith(" of"):
            words.insert(0, words.pop())  # a head goes first: 活跃买家数量 -> number of active buyers
        text = " ".join(words).removesuffix(" of")
        return text if text and not HAN.search(text) else None

    def _word(self, word: str, names: dict[str, str]) -> tuple[str, str] | None:
        """(where the English comes from, the English) for one known word."""
        for table in (self.glossary, self.terms):
            if word in table:
                return "lexicon", table[word]
        if word in names:
            return "name", names[word]
        for entry in self.dictionary.entries(word):
            english = gloss_english(entry.glosses) if not entry.proper else None
            if english:
                return "dictionary", english
        return None

    def _pieces(self, phrase: str, names: dict[str, str]) -> list[tuple[str, str]] | None:
        """Longest-match cut into known words (lexicons, names, dictionary), Latin runs and 的/之."""
        pieces: list[tuple[str, str]] = []
        position = 0
        longest = max([self._longest_term, *map(len, names)])
        while position < len(phrase):
            latin = _LATIN.match(phrase, position)
            if latin:
                pieces.append(("latin", latin.group(0).strip()))
                position = latin.end()
                continue
            if phrase[position].isspace():
                position += 1
                continue
            for length in range(min(longest, len(phrase) - position), 0, -1):
                word = phrase[position:position + length]
                if length == 1 and word in _JOINERS:
                    pieces.append(("joiner", ""))
                    break
                found = self._word(word, names) if length > 1 else None
                if found:
                    pieces.append(found)
                    break
            else:
                return None  # a character no known word covers
            position += length
        return pieces


def load_glossary(resources: Resources) -> dict[str, str]:
    """Domain terms with the English the writer must use (corpus/lexicon/glossary.tsv)."""
    return _read_pairs(resources.glossary)


def load_terms(resources: Resources) -> dict[str, str]:
    """Business terms for the fact sheet (corpus/lexicon/terms.tsv)."""
    return _read_pairs(resources.terms)


def _read_pairs(path) -> dict[str, str]:
    if not path.is_file():
        return {}
    pairs = (line.split("\t") for line in read_lines(path))
    return {chinese.strip(): english.strip() for chinese, english, *_ in pairs}
