"""The words the entity rules read, loaded from ``corpus/lexicon/entities/`` (data, not code).

One :class:`EntityVocabulary` per resource set, built once (an explicit cache).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property

from ..resources import Resources, read_lines, read_tsv

# What may follow a Chinese name after a title (总经理周受资表示): a verb, a particle, punctuation.
_NAME_END = (
    r"(?=表示|称|说|指出|认为|介绍|透露|告诉|也|在|从|于|将|和|与|及|的|、|，|。|：|:|（|\(|是|对|为|已|曾|就|等"
    r"|$|\s|[A-Za-z])"
)


@dataclass(frozen=True)
class EntityVocabulary:
    titles: dict[str, str]  # 总经理 -> general manager
    role_scopes: dict[str, tuple[str, str]]  # 美国 -> (US, geo)
    former_markers: tuple[str, ...]
    person_verbs: tuple[str, ...]
    latin_org_words: frozenset[str]
    latin_event_words: frozenset[str]  # project, summit, day …: a Latin name of a programme or event
    compound_surnames: tuple[str, ...]
    surname_readings: dict[str, str]
    org_suffixes: tuple[str, ...]  # detection order
    org_suffix_english: dict[str, str]
    institution_suffixes: frozenset[str]  # 委员会, 研究院 …: the name before them is descriptive, not a brand
    event_suffixes: tuple[str, ...]  # 电影节, 博览会 …: a name ending so is an event
    org_heads: dict[str, str]
    generic_org_words: frozenset[str]
    org_left_stops: frozenset[str]
    not_places: frozenset[str]
    not_place_endings: tuple[str, ...]  # 超市, 股市 …: end in 市 and name no place
    place_suffixes: tuple[str, ...]
    place_levels: dict[str, str]  # 省 -> Province: a level's English, longest first
    place_stop_stems: frozenset[str]
    state_forms: tuple[str, ...]
    abbreviations: dict[str, str]
    surnames: frozenset[str]
    latin_stopwords: frozenset[str]
    area_words: tuple[str, ...]  # 地区, 新区 …: kinds of area, not places
    descriptor_endings: tuple[str, ...]  # 品牌, 平台 …: a descriptor ends before the name
    place_common_suffixes: tuple[str, ...]  # 资本 in 香港资本: after a bare place, a common noun
    place_body_endings: tuple[str, ...]  # 部, 局, 监会 …: after a place, the place's own body (印度外交部)
    dictionary_senses: dict[str, tuple[str, ...]]  # ORG -> (company, bank, …): CC-CEDICT gloss words per type

    def starts_with_surname(self, name: str) -> bool:
        """Whether a Chinese surname (single or compound) starts the name: 王海松, 欧阳娜娜; not 博索纳罗."""
        return name[:1] in self.surnames or name[:2] in self.compound_surnames

    def body_of_a_place(self, name: str) -> bool:
        """外交部, 证监会, 统计局: a body named for what it does, whose place the name leaves to the words
        before it (印度外交部 is India's ministry, 香港证监会 no CSRC). A name of its own stays apart from
        the place: 韩国现代 is 韩国 and Hyundai, 美国哈佛大学 美国 and Harvard University."""
        return len(name) >= 2 and (name in self.org_heads or name.endswith(self.place_body_endings))

    @cached_property
    def title_pattern(self) -> str:
        """Regex alternation of every title, longest first."""
        return "|".join(sorted(self.titles, key=len, reverse=True))

    @cached_property
    def titled_name(self) -> re.Pattern[str]:
        return re.compile(rf"(?P<title>{self.title_pattern})\s?[:：]?\s?(?P<name>[\u4e00-\u9fff]{{2,4}}?){_NAME_END}")


@cache
def load_vocabulary(resources: Resources) -> EntityVocabulary:
    folder = resources.entity_lexicon

    def words(name: str) -> tuple[str, ...]:
        return read_lines(resources.require(folder / f"{name}.txt"))

    def table(name: str) -> tuple[dict[str, str], ...]:
        return read_tsv(resources.require(folder / f"{name}.tsv"))

    suffixes = table("org_suffixes")
    latin_stopwords = resources.lexicon / "latin_stopwords.txt"
    return EntityVocabulary(
        titles={row["chinese"]: row["english"] for row in table("titles")},
        role_scopes={row["chinese"]: (row["english"], row["kind"]) for row in table("role_scopes")},
        former_markers=words("former_markers"),
        person_verbs=words("person_verbs"),
        latin_org_words=frozenset(words("latin_org_words")),
        latin_event_words=frozenset(words("latin_event_words")),
        compound_surnames=words("compound_surnames"),
        surname_readings={row["chinese"]: row["pinyin"] for row in table("surname_readings")},
        org_suffixes=tuple(row["chinese"] for row in suffixes if row["detect"] == "yes"),
        org_suffix_english={row["chinese"]: row["english"] for row in suffixes if row["english"]},
        institution_suffixes=frozenset(row["chinese"] for row in suffixes
                                       if row.get("kind") in ("institution", "event")),
        event_suffixes=tuple(row["chinese"] for row in suffixes if row.get("kind") == "event"),
        org_heads={row["chinese"]: row["english"] for row in table("org_heads")},
        generic_org_words=frozenset(words("generic_org_words")),
        org_left_stops=frozenset(words("org_left_stops")),
        not_places=frozenset(words("not_places")),
        not_place_endings=tuple(words("not_place_endings")),
        place_suffixes=words("place_suffixes"),
        place_levels={row["chinese"]: row["english"]
                      for row in sorted(table("place_levels"), key=lambda row: -len(row["chinese"]))},
        place_stop_stems=frozenset(words("place_stop_stems")),
        state_forms=words("state_forms"),
        abbreviations={row["chinese"]: row["full"] for row in table("abbreviations")},
        surnames=frozenset(read_lines(resources.require(resources.lexicon / "surnames.txt"))),
        area_words=words("area_words"),
        descriptor_endings=words("descriptor_endings"),
        place_common_suffixes=words("place_common_suffixes"),
        place_body_endings=words("place_body_endings"),
        dictionary_senses={row["type"]: tuple(w.lower() for w in row["words"].split("|") if w)
                           for row in table("dictionary_senses")},
        latin_stopwords=frozenset(w.lower() for w in read_lines(latin_stopwords)) if latin_stopwords.is_file()
        else frozenset(),
    )
