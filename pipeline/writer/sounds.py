"""Whether an English name can be what a Chinese transliteration writes: 博索纳罗 'Bo Suonaluo' and
Bolsonaro, 迈希希 'Mai Xixi' and Mechichi, 特朗普 'Te Langpu' and Trump.

Where the fact sheet has only pinyin for a name, the model may know the name's usual English. The
names check then accepts that English only when its consonants can be the ones the characters write
(a consonant skeleton, in classes that transliteration mixes up: l/r, b/p, n/m, the sibilants), so
that a name the model invents ('Lula da Silva' for 博索纳罗) still traces to nothing.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..entities.vocabulary import EntityVocabulary

# Classes of consonants transliteration maps onto each other: B (b p), F (f v), D (d t), N (n m),
# L (l r), K (g k h, hard c, q), S (s z j, the sh/ch/zh/x/q of pinyin, soft c and g).
_PINYIN_INITIALS = {
    "zh": "S", "ch": "S", "sh": "S", "b": "B", "p": "B", "m": "N", "f": "F", "d": "D", "t": "D", "n": "N",
    "l": "L", "r": "L", "g": "K", "k": "K", "h": "K", "j": "S", "q": "S", "x": "S", "z": "S", "c": "S", "s": "S",
}
_ENGLISH = [
    (r"ph", "F"), (r"th", "D"), (r"sh|ch|tch|tz|zh", "S"), (r"ck|qu|kh", "K"), (r"x", "KS"), (r"gh", ""),
    (r"c(?=[eiy])", "S"), (r"g(?=[eiy])", "S"), (r"^h", "K"), (r"h", ""), (r"[bp]", "B"), (r"[fv]", "F"),
    (r"[dt]", "D"), (r"[mn]", "N"), (r"[lr]", "L"), (r"[gkcq]", "K"), (r"[sjz]", "S"), (r"[aeiouyw]", ""),
]
_ENGLISH_RULES = re.compile("|".join(f"(?P<r{i}>{pattern})" for i, (pattern, _) in enumerate(_ENGLISH)))
MIN_CONSONANTS = 3  # shorter skeletons (Saied: S D) match too many words to be evidence
MAX_EXTRA = 2  # consonants the English may have that the characters drop (Bolsonaro's l)
MAX_MISSING = 1  # consonants the characters write that the English lacks (汉娜's second n): 'Kliman' is no 克林斯曼


def pinyin_skeleton(syllables: list[str]) -> str:
    """The consonant classes of pinyin syllables: ['bo', 'suo', 'na', 'luo'] -> 'BSNL'."""
    out = []
    for syllable in (s.lower().replace("ü", "u") for s in syllables):
        if syllable in ("er", "r"):  # 尔 writes an English r or l
            out.append("L")
            continue
        initial = next((i for i in ("zh", "ch", "sh") if syllable.startswith(i)), syllable[:1])
        out.append(_PINYIN_INITIALS.get(initial, ""))
        if syllable.endswith(("n", "ng")) and len(syllable) > 1:
            out.append("N")
    return "".join(out)


def english_skeleton(word: str) -> str:
    """The consonant classes of an English name: 'Bolsonaro' -> 'BLSNL', 'Mechichi' -> 'NSS'."""
    word = re.sub(r"([a-z])\1", r"\1", word.lower())  # double letters are one sound (Hanna)
    return "".join(_ENGLISH[int(m.lastgroup[1:])][1] for m in _ENGLISH_RULES.finditer(word)
                   if m.lastgroup)


def sounds_like(word: str, skeleton: str) -> bool:
    """Whether `word` can be a transliteration's English, given the transliteration's pinyin
    skeleton: the same first consonant, one skeleton inside the other, little left over."""
    english = english_skeleton(word)
    if min(len(english), len(skeleton)) < MIN_CONSONANTS or english[0] != skeleton[0]:
        return False
    if not -MAX_MISSING <= len(english) - len(skeleton) <= MAX_EXTRA:
        return False
    return _inside(skeleton, english) or _inside(english, skeleton)


def _inside(short: str, long: str) -> bool:
    letters = iter(long)
    return all(c in letters for c in short)


_DOTS = re.compile(r"[·•・‧]")


def transliterated(name: str, vocabulary: EntityVocabulary) -> bool:
    """Whether a person's name is written for its sound (博索纳罗, 帕特里西奥·朱斯托) rather than a Chinese
    name (王海松): it has a middle dot, or no Chinese surname starts it."""
    return bool(_DOTS.search(name)) or not vocabulary.starts_with_surname(name)


@cache
def name_skeletons(name: str) -> tuple[str, ...]:
    """The pinyin skeleton of each part of a name: 帕特里西奥·朱斯托 -> ('BDLS', 'SSD')."""
    from pypinyin import Style, lazy_pinyin

    return tuple(pinyin_skeleton(lazy_pinyin(part, style=Style.NORMAL)) for part in _DOTS.split(name) if part)


def usual_english(answer: str, name: str) -> str | None:
    """The model's usual English for a transliterated name, cut to the words whose sound the characters
    write ('Jair Bolsonaro' for 博索纳罗 -> 'Bolsonaro'); None unless each part of the name is one of them."""
    parts = name_skeletons(name)
    kept = [w for w in re.findall(r"[A-Za-z][A-Za-z'\-]*", answer) if any(sounds_like(w, s) for s in parts)]
    if parts and all(any(sounds_like(w, s) for w in kept) for s in parts):
        return " ".join(kept)
    return None
