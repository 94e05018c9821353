"""Cues of meaning in Chinese and English (corpus/lexicon/meaning_cues.tsv), compiled once.

The writer's meaning checks (pipeline/writer/meaning.py) and the key facts (pipeline/keyfacts.py) read
them: negation, directions of change, possibility, plans and the past, events, lists a word contracts
and the verbs of speech. A Chinese cue counts only as whole jieba words (不 alone negates; 不断
'continuously' does not), an English cue only as whole words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .resources import Resources, default_resources, ensure_jieba, read_tsv


@dataclass(frozen=True)
class Named:
    """Something the source names, and the forms an English may say it by (patterns, case ignored)."""

    chinese: str
    english: tuple[str, ...]
    name: str = ""  # how the brief names it in English (the retry note asks for it)
    sounds: tuple[str, ...] = ()  # consonant skeletons of a name known only in pinyin (sounds.name_skeletons)
    # False where the English may rightly name it otherwise than the brief does (see sentence_names.entity_forms).
    checked: bool = True

    def said_in(self, text: str) -> bool:
        if any(re.search(rf"(?<![A-Za-z])(?:{form})(?:s|n|ns|es)?(?![A-Za-z])", text, re.I) for form in self.english):
            return True  # its English, or the usual English of a transliteration (Abbott for 阿博特)
        if not self.sounds:
            return False
        from .writer.sounds import sounds_like  # the writer's, where names are checked by their sound

        return any(sounds_like(word, skeleton) for word in re.findall(r"[A-Z][A-Za-z'-]+", text)
                   for skeleton in self.sounds)



@dataclass(frozen=True)
class MeaningCues:
    """The cue lists of corpus/lexicon/meaning_cues.tsv, compiled."""

    patterns: dict[str, re.Pattern[str]]
    negators: frozenset[str]
    contracted: tuple[tuple[str, tuple[Named, ...]], ...]
    events: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...]  # (Chinese words, the English that says them)
    qualifiers: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = ()  # when and what a figure counts


@cache
def load_cues(resources: Resources) -> MeaningCues:
    rows = read_tsv(resources.require(resources.lexicon / "meaning_cues.tsv"))
    alternatives: dict[str, list[str]] = {}
    contracted: list[tuple[str, tuple[Named, ...]]] = []
    said: dict[str, list[tuple[re.Pattern[str], re.Pattern[str]]]] = {"event": [], "qualifier": []}
    for row in rows:
        if row["set"] in said:  # zh=en: Chinese words, and the English that says them
            chinese, english = row["pattern"].split("=", 1)
            if _plain(chinese):  # the longest first: 下载量 before 下载, so that a match ends between words
                chinese = "|".join(sorted(chinese.split("|"), key=len, reverse=True))
            said[row["set"]].append((re.compile(chinese),
                                     re.compile(rf"(?<![\w'’-])(?:{english})(?![\w-])", re.I)))
        elif row["set"] == "contracted_list":
            word, members = row["pattern"].split("=", 1)
            contracted.append((word, tuple(Named(word, tuple(m.split("|")), m.split("|")[0])
                                           for m in members.split(";"))))
        else:
            alternatives.setdefault(row["set"], []).extend(row["pattern"].split("|") if _plain(row["pattern"])
                                                           else [row["pattern"]])
    patterns = {}
    for name, parts in alternatives.items():
        body = "|".join(sorted(parts, key=len, reverse=True))  # the longest first: 负增长 before 增长
        if name.startswith("en_"):
            flags = 0 if name.endswith("_cased") else re.I
            patterns[name] = re.compile(rf"(?<![\w'’-])(?:{body})(?![\w-])", flags)
        else:
            patterns[name] = re.compile(body)
    negators = frozenset(alternatives.get("zh_negator", ()))
    return MeaningCues(patterns, negators, tuple(contracted), tuple(said["event"]), tuple(said["qualifier"]))


def _plain(pattern: str) -> bool:
    """A row of bare alternatives (a|b|c) rather than one expression with groups."""
    return "(" not in pattern and "[" not in pattern


def _words(text: str) -> list[str]:
    import jieba

    return jieba.lcut(text, HMM=True)


def word_bounds(text: str, resources: Resources | None = None) -> tuple[list[str], frozenset[int]]:
    """jieba's words of a Chinese text (with the project dictionary) and the offsets between them."""
    ensure_jieba(resources or default_resources())
    words = _words(text)
    bounds, at = {0}, 0
    for word in words:
        at += len(word)
        bounds.add(at)
    return words, frozenset(bounds)


def chinese_matches(pattern: re.Pattern[str], text: str, bounds: frozenset[int]) -> list[re.Match[str]]:
    """Matches that begin and end between words: 增长 is no cue inside 增长率."""
    found, position = [], 0
    while (m := pattern.search(text, position)) is not None:
        if m.start() in bounds and m.end() in bounds and m.end() > m.start():
            found.append(m)
            position = m.end()
        else:
            position = m.start() + 1
    return found


def english_matches(cues: MeaningCues, name: str, text: str, *, unless: str | None = None) -> list[re.Match[str]]:
    """English cue matches, with the phrases of `unless` blanked out first ('set up', 'not only')."""
    if unless:
        text = cues.patterns[unless].sub(lambda m: " " * len(m.group(0)), text)
    return list(cues.patterns[name].finditer(text))


