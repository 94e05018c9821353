"""The recogniser's lexicon feature: every dictionary word that covers a character, by kind.

jieba's segmentation gives one path through a sentence, and CC-CEDICT's longest proper noun one
more; a name the segmenter cuts wrongly (or glues to the next word) is still a whole dictionary
word somewhere in the lattice. So each character also reads, for each kind of word, whether some
word of that kind begins (B), continues (M) or ends (E) at it: 3 positions x 5 kinds, a multi-hot
vector the network projects like an embedding (the idea of SoftLexicon, Ma et al. 2020).

Kinds: jieba's bundled dictionary by part of speech (person nr/nrt/nrfg, place ns, organisation
nt, other proper noun nz) and CC-CEDICT's proper nouns. Only the bundled files are read, not the
project's user dictionary, so the feature a model was trained with does not move when the
project's lexicons do.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

KINDS = ("person", "place", "organisation", "proper", "cedict_proper")
_JIEBA_KINDS = {"nr": 0, "nrt": 0, "nrfg": 0, "ns": 1, "nt": 2, "nz": 3}
POSITIONS = 3  # B, M, E
WIDTH = len(KINDS) * POSITIONS
LONGEST = 8  # longer dictionary words are phrases, not names


@dataclass(frozen=True)
class WordLexicon:
    kinds: dict[str, int]  # word -> bit mask over KINDS
    sizes: dict[str, tuple[int, ...]]  # first character -> the lengths of the words starting with it

    @classmethod
    def from_words(cls, words: dict[str, int]) -> WordLexicon:
        sizes: dict[str, set[int]] = {}
        for word in words:
            sizes.setdefault(word[0], set()).add(len(word))
        return cls(words, {c: tuple(sorted(v)) for c, v in sizes.items()})

    def tags(self, text: str) -> np.ndarray:
        """(len(text), WIDTH) multi-hot: column kind*3 + position (B, M, E)."""
        out = np.zeros((len(text), WIDTH), dtype=np.float32)
        n, kinds, sizes = len(text), self.kinds, self.sizes
        for i, char in enumerate(text):
            for size in sizes.get(char, ()):
                if i + size > n:
                    break
                mask = kinds.get(text[i : i + size])
                if not mask:
                    continue
                for kind in range(len(KINDS)):
                    if mask >> kind & 1:
                        column = kind * POSITIONS
                        out[i, column] = 1.0
                        out[i + 1 : i + size - 1, column + 1] = 1.0
                        out[i + size - 1, column + 2] = 1.0
        return out


def jieba_dictionary_path() -> Path:
    import jieba

    return Path(jieba.__file__).parent / "dict.txt"


@cache
def load_word_lexicon() -> WordLexicon:
    """jieba's bundled proper nouns and CC-CEDICT's, 2 to LONGEST characters (cached per process)."""
    from ..dictionary import load_dictionary

    words: dict[str, int] = {}
    with jieba_dictionary_path().open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if len(parts) == 3 and parts[2] in _JIEBA_KINDS and 2 <= len(parts[0]) <= LONGEST:
                words[parts[0]] = words.get(parts[0], 0) | 1 << _JIEBA_KINDS[parts[2]]
    cedict_bit = 1 << KINDS.index("cedict_proper")
    for form in load_dictionary().proper_forms:
        if 2 <= len(form) <= LONGEST:
            words[form] = words.get(form, 0) | cedict_bit
    return WordLexicon.from_words(words)
