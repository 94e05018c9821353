"""An entity's English name, in the order the entities issue sets: the gazetteer (by the extractor,
before this), Latin as written, a CC-CEDICT name (a place at the level the article writes), a
place and a known institution word, an institution's descriptive name translated word by word, and
last pinyin, flagged, with the words our data knows in English. Never invented."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..dictionary import ChineseEnglishDictionary
from ..resources import HAN
from ..terms import gloss_english
from .gazetteer import Gazetteer
from .naming import _title, chinese_name_pinyin, institution_english, org_english, pinyin_word, place_name
from .vocabulary import EntityVocabulary

# China named in a Chinese body's English (China Securities Regulatory Commission, Ministry of Water
# Resources (PRC)), to leave out when another place's body has the same name.
# A country's mission in another: 英国驻华大使馆 is the United Kingdom's embassy in China, 中国驻美国大使馆
# China's in the United States (the sender comes first, the host after 驻).
_MISSION = re.compile(r"(?P<sender>[\u4e00-\u9fff]{1,8}?)驻(?P<host>[\u4e00-\u9fff]{1,10}?)"
                      r"(?P<kind>大使馆|总领事馆|领事馆|使馆|代表处|代表团|办事处)")
_MISSION_ENGLISH = {"大使馆": "Embassy", "使馆": "Embassy", "总领事馆": "Consulate General", "领事馆": "Consulate",
                    "代表处": "Representative Office", "代表团": "Mission", "办事处": "Office"}
_THE_BEFORE = ("United ", "Republic ", "Netherlands", "Philippines", "Czech Republic", "Bahamas", "Gambia")
# 第十四研究所: an ordinal before an institution's kind.
_ORDINAL_BODY = re.compile(r"第(?P<n>[一二三四五六七八九十百零〇两\d]{1,6})(?P<body>[\u4e00-\u9fff]{2,8})")
_CHINA_AROUND = re.compile(r"^(?:China|Chinese|PRC)\s+|\s+(?:of China|of the PRC|\(PRC\)|\(China\))$")


@dataclass(frozen=True)
class EnglishName:
    english: str
    source: str  # gazetteer, dictionary, latin or pinyin (Entity.english_source)
    pinyin: str | None = None


class EntityNamer:
    """English names for entities the gazetteer does not know, from the dictionary and our word lists."""

    def __init__(self, vocabulary: EntityVocabulary, gazetteer: Gazetteer, dictionary: ChineseEnglishDictionary
                 ) -> None:
        self.vocabulary = vocabulary
        self.gazetteer = gazetteer
        self.dictionary = dictionary

    def __call__(self, surface: str, label: str) -> EnglishName:
        if not HAN.search(surface):
            return EnglishName(surface, "latin")
        english = self.dictionary_name(surface, label)
        if english:
            if label in ("GPE", "LOC"):
                english = place_name(surface, english, self.vocabulary)
            return EnglishName(english, "dictionary")
        if label == "ORG":
            english = self.mission(surface) or self.ordinal_body(surface)
            if english:  # put together from known places and dictionary words: no pinyin in it
                return EnglishName(english, "dictionary")
            english = self.place_and_body(surface)
            if english:
                return EnglishName(english, "gazetteer")
        if label in ("GPE", "LOC"):
            level = next((s for s in self.vocabulary.place_levels if surface.endswith(s) and len(surface) > len(s) + 1),
                         None)
            if level:  # 荷台达省 -> Hetaida Province, not 'Hetaidasheng'
                stem = surface[: -len(level)]
                known = self.known_word(stem)
                english = f"{known or pinyin_word(stem)} {self.vocabulary.place_levels[level]}"
                return EnglishName(english, "dictionary") if known else EnglishName(english, "pinyin", english)
        if label == "PERSON":
            pinyin = chinese_name_pinyin(surface, self.vocabulary)
            return EnglishName(pinyin, "pinyin", pinyin)
        english = institution_english(surface, self.vocabulary, self.known_word, self.word_english)
        if english:  # 中国游戏产业研究院 -> China Game Industry Research Institute
            return EnglishName(english, "dictionary")
        english, has_pinyin = org_english(surface, self.vocabulary, self.known_word)
        if not has_pinyin:  # every word known: 上海市委 -> Shanghai Municipal Party Committee
            return EnglishName(english, "dictionary")
        return EnglishName(english, "pinyin", english)

    def mission(self, surface: str) -> str | None:
        """A diplomatic mission, sender and host by the gazetteer: 英国驻华大使馆 -> 'Embassy of the United
        Kingdom in China', 美国驻沪总领事馆 -> 'Consulate General of the United States in Shanghai'."""
        m = _MISSION.fullmatch(surface)
        if m is None:
            return None
        sender, host = self._place_english(m["sender"]), self._place_english(m["host"])
        if sender is None or host is None:
            return None
        return f"{_MISSION_ENGLISH[m['kind']]} of {_with_the(sender)} in {_with_the(host)}"

    def ordinal_body(self, surface: str) -> str | None:
        """An institution numbered in its name: 第十四研究所 -> '14th Research Institute', 第二中学 ->
        '2nd Middle School' (the kind by the dictionary, else the organisation words' English)."""
        from ..numbers import ordinal, parse_chinese_integer

        m = _ORDINAL_BODY.fullmatch(surface)
        if m is None:
            return None
        try:
            number = int(m["n"]) if m["n"].isdigit() else int(parse_chinese_integer(m["n"]))
        except ValueError:
            return None
        body = m["body"]
        english = _title(self.word_english(body)) or self.vocabulary.org_suffix_english.get(body) \
            or institution_english(body, self.vocabulary, self.known_word, self.word_english)
        return f"{ordinal(number)} {english}" if english and number > 0 else None

    def _place_english(self, text: str) -> str | None:
        """A place's English by the gazetteer, one-character forms (华, 美, 沪) by their full names."""
        entry = self.gazetteer.lookup(self.vocabulary.abbreviations.get(text, text))
        return entry.english if entry is not None and entry.type in ("GPE", "LOC") else None

    def place_and_body(self, surface: str) -> str | None:
        """A gazetteer place and a body named for what it does, as the place's own: 美国政府 -> 'United
        States government', 印度外交部 -> 'India Ministry of Foreign Affairs', 香港证监会 -> 'Hong Kong
        Securities Regulatory Commission' (the China that 证监会 alone implies is left out)."""
        for size in range(len(surface) - 2, 0, -1):
            place, body = self.gazetteer.lookup(surface[:size]), surface[size:]
            if place is None or place.type not in ("GPE", "LOC") or not self.vocabulary.body_of_a_place(body):
                continue
            body_english = self.vocabulary.org_heads.get(body) or self.known_word(body)
            if body_english and place.english != "China":
                body_english = _CHINA_AROUND.sub("", body_english)
            return f"{place.english} {body_english}" if body_english else None
        return None

    def known_word(self, word: str) -> str | None:
        """The English of a word inside a name that our data knows as a name and the dictionary not as a
        common word (上海, 网易 'NetEase'; not 荣耀, 'glory' before it is the brand Honor)."""
        if self.dictionary.has_common_sense(word):
            return None
        entry = self.gazetteer.lookup(word)
        english = entry.english if entry is not None else self.dictionary.english_name(word)
        return place_name(word, english, self.vocabulary) if english else None

    def word_english(self, word: str) -> str | None:
        """A common word's English when the dictionary reads it one way, as a noun, in at most two words
        (产业 'industry'); None for 防疫 'to prevent epidemics', and for 文体 'genre of writing', which in
        names is culture and sports."""
        entries = self.dictionary.entries(word)
        if len(entries) != 1 or entries[0].proper or all(g.startswith("to ") for g in entries[0].glosses):
            return None
        english = gloss_english(entries[0].glosses)
        return english if english and len(english.split()) <= 2 else None

    def dictionary_name(self, surface: str, label: str) -> str | None:
        """The CC-CEDICT English of a name (汇丰银行 -> HSBC), or of its stem before an organisation
        suffix that English names leave out or translate (阿里巴巴集团 -> Alibaba Group)."""
        prefer = self.vocabulary.dictionary_senses.get(label, ())
        english = self.dictionary.english_name(surface, prefer)
        if english or label != "ORG":
            return english
        for suffix in self.vocabulary.org_suffixes:
            stem = surface[: -len(suffix)]
            if surface.endswith(suffix) and len(stem) >= 2:
                stem_english = self.dictionary.english_name(stem, prefer)
                if stem_english:
                    suffix_english = self.vocabulary.org_suffix_english.get(suffix, "")
                    if suffix_english in ("Company", "Co., Ltd.") or suffix_english.lower() in stem_english.lower():
                        return stem_english  # 腾讯公司 -> Tencent: English names drop these
                    # 某某报社 is no name of the stem alone: a suffix without English leaves it to pinyin.
                    return f"{stem_english} {suffix_english}" if suffix_english else None
                break
        return None


def _with_the(place: str) -> str:
    """'the United States', 'the Netherlands'; 'China', 'Shanghai'."""
    return f"the {place}" if place.startswith(_THE_BEFORE) else place
