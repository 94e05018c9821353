"""English for names no dictionary knows whole: pinyin, flagged as such, for the part that is only a
name, with the parts our data knows (places, known companies, organisation words) in English."""

from __future__ import annotations

import re
from collections.abc import Callable

from .vocabulary import EntityVocabulary

_NAME_DOTS = re.compile(r"[·・•‧.]")  # between the parts of a transliterated name
_QUOTES_ENGLISH = {"“": "“", "「": "“", "『": "“", "‘": "‘", "”": "”", "」": "”", "』": "”", "’": "’",
                   "（": "(", "(": "(", "）": ")", ")": ")"}  # 国际旅游（集团）有限公司: '(Group)'
_QUOTE_SPACES = re.compile(r"(?<=[“‘(]) | (?=[”’)])")
# "Panyu District of Guangzhou City": CC-CEDICT glosses a place with its administrative level and parent.
_ADMINISTRATIVE = re.compile(r"^(?P<name>.+?) (?P<level>District|County|Prefecture|Province|Township)(?: of .+)?$")


def pinyin_word(word: str) -> str:
    """One word of a name in pinyin, capitalised, tone marks off: 荷台达 -> 'Hetaida', 吕 -> 'Lü'."""
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(word, style=Style.NORMAL, v_to_u=True)).capitalize()


def chinese_name_pinyin(name: str, vocabulary: EntityVocabulary) -> str:
    """王晓寒 -> 'Wang Xiaohan'; 欧阳娜娜 -> 'Ouyang Nana' (surname first, each part capitalised); a
    transliteration in parts, 阿兹明·阿里 -> 'Aziming Ali' (no Chinese surname in it)."""
    parts = [p for p in _NAME_DOTS.split(name) if p]
    if len(parts) > 1:
        return " ".join(pinyin_word(p) for p in parts)
    surname_len = 2 if name[:2] in vocabulary.compound_surnames or name[:2] in vocabulary.surname_readings \
        else 1
    surname, given = name[:surname_len], name[surname_len:]
    surname_en = vocabulary.surname_readings.get(surname) or pinyin_word(surname)
    return f"{surname_en.capitalize()} {pinyin_word(given)}".strip()


def place_name(surface: str, english: str, vocabulary: EntityVocabulary) -> str:
    """A place's English as the article writes it: 番禺 'Panyu District of Guangzhou City' -> 'Panyu',
    番禺区 -> 'Panyu District' (the parent is the dictionary's note, the level only when written)."""
    m = _ADMINISTRATIVE.match(english)
    if not m:
        return english
    return f"{m['name']} {m['level']}" if surface.endswith(vocabulary.place_suffixes) else m["name"]


def org_english(name: str, vocabulary: EntityVocabulary, known: Callable[[str], str | None] = lambda _: None
                ) -> tuple[str, bool]:
    """(English, whether any of it is pinyin) for an organisation no dictionary knows whole:
    湖南智六网络科技有限公司 -> 'Hunan Zhiliu Network Technology Co., Ltd.'; 上海外高桥集团森兰置地 ->
    'Shanghai Waigaoqiao Group Senlan Land'; 上海市委 -> 'Shanghai Municipal Party Committee' (no pinyin).
    Organisation words (org_suffixes.tsv) are translated where they end the name or one of its words;
    `known` gives the English of a word our data knows (a place, a company); the rest is pinyin."""
    import jieba

    stem, suffix_en = strip_suffixes(name, vocabulary)
    pieces: list[tuple[str, str | None]] = []  # (Chinese, English when known)
    run = ""  # runs of single characters (智/六) are one made-up name: Zhiliu, not Zhi Liu

    def flush() -> None:
        nonlocal run
        if run:
            pieces.append((run, None))
            run = ""

    for word in (w.strip() for w in jieba.cut(stem, HMM=False)):
        if _NAME_DOTS.fullmatch(word):  # 约翰斯·霍普金斯: the dot only separates the parts
            flush()
            continue
        if word in _QUOTES_ENGLISH:  # “幸福工程”组委会: the quoted word stays quoted
            flush()
            pieces.append((word, _QUOTES_ENGLISH[word]))
            continue
        if len(word) == 1:
            run += word
            continue
        flush()
        if word:
            english = known(word) or (vocabulary.org_suffix_english.get(word) if pieces else None)
            pieces.append((word, english))
    flush()
    words = [english or pinyin_word(chinese) for chinese, english in pieces]
    joined = _QUOTE_SPACES.sub("", " ".join([*words, *suffix_en]))
    return joined, any(english is None for _, english in pieces)


def strip_suffixes(name: str, vocabulary: EntityVocabulary) -> tuple[str, list[str]]:
    """(stem, English of the organisation words it ended with): 湖南智六网络科技有限公司 ->
    ('湖南智六', ['Network', 'Technology', 'Co., Ltd.'])."""
    suffix_en: list[str] = []
    stem = name
    changed = True
    while changed:
        changed = False
        for suffix in sorted(vocabulary.org_suffix_english, key=len, reverse=True):
            if stem.endswith(suffix) and len(stem) > len(suffix):
                suffix_en.insert(0, vocabulary.org_suffix_english[suffix])
                stem = stem[: -len(suffix)]
                changed = True
                break
    return stem, suffix_en


def institution_english(name: str, vocabulary: EntityVocabulary, known: Callable[[str], str | None],
                        word_english: Callable[[str], str | None], max_words: int = 4) -> str | None:
    """An institution's descriptive name translated word by word, or None: 中国游戏产业研究院 ->
    'China Game Industry Research Institute', 国际领袖基金会 -> 'International Leader Foundation'.
    Only names ending in an institution word (org_suffixes.tsv, kind institution): before a company word
    the stem is a brand (盛趣游戏 is no 'Prosperous Interest Games'). The stem is cut longest word first
    into words our data names (`known`) or the dictionary translates (`word_english`, which gives None
    for a word of several readings); at most `max_words`, no single characters."""
    if not any(name.endswith(s) and len(name) > len(s) for s in vocabulary.institution_suffixes):
        return None
    stem, suffix_en = strip_suffixes(name, vocabulary)
    words: list[str] = []
    position = 0
    while position < len(stem):
        for length in range(min(8, len(stem) - position), 1, -1):
            word = stem[position : position + length]
            english = known(word) or _title(word_english(word))
            if english:
                words.append(english)
                position += length
                break
        else:
            return None
    if not words or len(words) > max_words:
        return None
    return " ".join([*words, *suffix_en])


_LOWER_IN_NAMES = frozenset({"and", "of", "the", "for", "in", "on"})


def _title(english: str | None) -> str | None:
    """'public health' -> 'Public Health' ('and', 'of' stay lower case)."""
    if not english:
        return None
    return " ".join(w if w in _LOWER_IN_NAMES else w[:1].upper() + w[1:] for w in english.split())


def org_pinyin(name: str, vocabulary: EntityVocabulary) -> str:
    """湖南智六网络科技有限公司 -> 'Hunan Zhiliu Network Technology Co., Ltd.' (suffixes translated)."""
    return org_english(name, vocabulary)[0]
