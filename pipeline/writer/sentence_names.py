"""What a source sentence names, for the meaning checks' coverage and attribution (pipeline/writer/meaning.py):
its coordinated lists of names, the speakers of its claims, the words it writes in Latin letters, who only
learned of the news, and the article's names it does not name. Found from the article's entities by their
forms, each with the English forms a faithful translation may say it by.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pypinyin import Style, lazy_pinyin

from ..cues import Named, load_cues, word_bounds
from ..resources import HAN, Resources, default_resources
from ..schema import Entity
from .sounds import name_skeletons

# Names known only in pinyin that the writer puts into the model's prompt in English (prepare.substitute):
# people, and other names of at most this many Chinese characters; longer ones are descriptive (参展商联盟)
# and the model translates their words.
PINYIN_SUBSTITUTED_LENGTH = 4


@dataclass(frozen=True)
class SentenceNames:
    """What a source sentence names, for the coverage and attribution checks (:func:`named_in`)."""

    lists: tuple[tuple[Named, ...], ...] = ()  # coordinated names (A、B和C)
    speakers: tuple[Named, ...] = ()  # who the sentence says claims something (王海松表示)
    latin: tuple[str, ...] = ()  # names it writes in Latin letters, which the English copies (EU-Startups)
    # Who may not be made the speaker: a name that only learned of the news (36氪获悉 '36Kr learned'), and
    # the article's names this sentence does not name at all.
    receivers: tuple[Named, ...] = ()
    elsewhere: tuple[Named, ...] = ()
    learned: bool = False  # it opens with who learned of the news (36氪出海获悉，…): that is no speaker
    places: tuple[Named, ...] = ()  # the places it names (the qualifier check: where a figure counts)
    actors: tuple[Named, ...] = ()  # the organisations and people it names (a headline's must be said)



_PLACE_LEVEL = re.compile(r"(?:州|省|市|县|区|河|湖|江|山|岛)$")  # 塞阿拉州: Ceará; 唐河: the Tang River
# Words in Latin letters in a Chinese text (a name, a brand, an outlet): the English copies them. Not after a
# digit (5km), and none a unit. Measured: 1 of 1,874 newstest2021 references leaves one out (IP15).
_LATIN_RUN = re.compile(r"(?<![A-Za-z0-9])(?!(?:km|kg|mm|cm|ml|mg|kw|kwh)\b)[A-Za-z][A-Za-z0-9&.'’-]*"
                        r"(?:\s[A-Za-z][A-Za-z0-9&.'’-]*)*")
_LEARNED = re.compile(r"[^，。；：]{0,4}?(?:获悉|了解到|得知|注意到|获知)")  # 36氪出海获悉: learned, said nothing
_OPENS_LEARNED = re.compile(r"^[^，。；：]{1,10}?(?:获悉|了解到|得知|获知)")
# Between two names of one list (A、B和C), nothing but one of these.
_LIST_SEPARATOR = re.compile(r"^(?:、|和|与|及|以及|、以及|或|或者|跟|同|、和)$")

def entity_forms(entity: Entity, resources: Resources | None = None) -> Named:
    """The forms an English may name an entity by: its English name, its Latin mentions, the distinctive
    words of its English (Haisong for Wang Haisong, Depop for Depop Ltd), a country's people or short
    name (US, American for 美国; corpus/lexicon/nationality_words.tsv)."""
    from .nationality import load_nationality_words

    resources = resources or default_resources()
    generic = load_cues(resources).patterns["en_generic_name"]
    forms = {re.escape(entity.english)} | {re.escape(m.text) for m in entity.mentions if not HAN.search(m.text)}
    forms |= {re.escape(w) for w in re.findall(r"[A-Z][A-Za-z'’-]{3,}", entity.english)
              if not generic.fullmatch(w)}
    written = {entity.text, *(m.text for m in entity.mentions)}
    nationality = load_nationality_words(resources)
    forms |= {re.escape(word) for word, chinese in nationality.items() if written & set(chinese)}
    stem = _PLACE_LEVEL.sub("", entity.text) if len(entity.text) > 2 else entity.text
    if HAN.search(stem) and len(stem) <= 6:  # 忠县 'Zhong County', 西大洋 'Xi Dayang': the pinyin of its stem
        syllables = lazy_pinyin(stem, style=Style.NORMAL)
        forms.add(r"[\s'’-]?".join(re.escape(s.replace("ü", "u").replace("v", "u")) for s in syllables))
    sounds = name_skeletons(stem) if entity.english_source == "pinyin" else ()
    if entity.english_source == "pinyin":  # 海关 'Haiguan': its dictionary English too (customs)
        from ..dictionary import load_dictionary

        glosses = " ".join(g for entry in load_dictionary().entries(entity.text) for g in entry.glosses)
        forms |= {w for w in re.findall(r"[a-z]{4,}", glosses.lower()) if not generic.fullmatch(w)}
    # Known only in pinyin, a place and a long descriptive name reach the model in Chinese (prepare.substitute),
    # so its English for them cannot be held to ours ('street military department' for 街道武装部).
    checked = entity.english_source != "pinyin" or (entity.type not in ("GPE", "LOC") and (
        entity.type == "PERSON" or len(HAN.findall(entity.text)) <= PINYIN_SUBSTITUTED_LENGTH))
    return Named(entity.text, tuple(sorted(forms, key=len, reverse=True)), entity.english, sounds, checked)


def named_in(text: str, entities: Sequence[Entity], resources: Resources | None = None) -> SentenceNames:
    """The coordinated lists of names in a Chinese text (美国、日本和韩国: three members), the speakers
    of its claims (王海松表示, 据路透社报道), the names it writes in Latin letters, who only learned of
    the news, and the article's other names, from the article's entities, found by their forms."""
    resources = resources or default_resources()
    places: list[tuple[int, int, Entity]] = []
    forms = sorted({(m.text, id(e)): e for e in entities for m in e.mentions if len(m.text) > 1}.items(),
                   key=lambda item: len(item[0][0]), reverse=True)
    for (form, _), entity in forms:
        edge = "" if HAN.search(form) else "(?<![A-Za-z0-9])"  # a Latin name is a whole word
        for m in re.finditer(edge + re.escape(form) + ("" if HAN.search(form) else "(?![A-Za-z0-9])"), text):
            if not any(s < m.end() and m.start() < e for s, e, _ in places):
                places.append((m.start(), m.end(), entity))
    places.sort(key=lambda place: place[0])
    lists: list[list[Named]] = []
    run: list[Entity] = []
    for (_, end, entity), following in zip(places, [*places[1:], None], strict=False):
        run.append(entity)
        if following is None or not _LIST_SEPARATOR.match(text[end:following[0]]):
            if len({id(e) for e in run}) >= 2:
                lists.append([entity_forms(e, resources) for e in dict((id(e), e) for e in run).values()])
            run = []
    speech = load_cues(resources).patterns["zh_speech"]
    _, bounds = word_bounds(text, resources)
    speakers = []
    for start, end, entity in places:
        if entity.type not in ("PERSON", "ORG") or end not in bounds:
            continue
        gap = re.match(r"[^，。；：:“”\"、,（(]{0,8}", text[end:]).group(0)  # 王海松在会上表示: a few words between
        verbs = [m for m in speech.finditer(text, end, end + len(gap) + 4) if m.start() in bounds and m.end() in bounds]
        cited = text[max(0, start - 1):start] == "据" and re.match(r"(?:报道|消息)", text[end:])  # 据路透社报道
        if verbs or cited:
            speakers.append(entity_forms(entity, resources))
    spoken = {s.chinese: s for s in speakers}
    latin = {m.group(0) for m in _LATIN_RUN.finditer(text) if len(m.group(0)) > 1}  # EU startups, Pre-A, DTC
    receivers = {e.text: entity_forms(e, resources) for _, end, e in places if _LEARNED.match(text, end)}
    named_here = {id(e) for _, _, e in places}
    elsewhere = tuple(entity_forms(e, resources) for e in entities
                      if id(e) not in named_here and e.type in ("ORG", "PERSON"))
    return SentenceNames(tuple(tuple(members) for members in lists), tuple(spoken.values()), tuple(sorted(latin)),
                         tuple(receivers.values()), elsewhere, bool(_OPENS_LEARNED.match(text)),
                         tuple({e.text: entity_forms(e, resources) for _, _, e in places
                                if e.type in ("GPE", "LOC")}.values()),
                         tuple({e.text: entity_forms(e, resources) for _, _, e in places
                                if e.type in ("ORG", "PERSON")}.values()))


