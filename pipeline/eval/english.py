"""What a reader without Chinese gets: the English fields of briefs, checked again from the outside.

The checks here re-read the finished brief, independently of what the writer reported: Chinese
characters in any English field, names in the title and bullets that trace to no entity of the
source, numbers of a bullet that are not figures of the sentence it translates, figure relations
the bullet turns round, and how many figure subjects carry English.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..dictionary import load_dictionary
from ..schema import Brief, CheckTally
from ..writer.checks import (
    HAN,
    broken_relations,
    changed_units,
    known_names,
    latin_words,
    numbers_said,
    numbers_written,
    same_number,
    source_vocabulary,
    unknown_names,
)
from ..writer.prepare import figure_numbers


@dataclass
class EnglishCheck:
    name: str
    chinese_chars: int = 0
    chinese_fields: list[str] = field(default_factory=list)  # which fields, for --errors
    untraceable_names: list[str] = field(default_factory=list)
    subjects: int = 0  # figures that have a subject
    subjects_en: int = 0  # ... and an English one
    bullet_numbers: int = 0
    numbers_untraceable: list[str] = field(default_factory=list)
    relations_broken: list[str] = field(default_factory=list)
    sentences_dropped: int = 0
    titles_rebuilt: int = 0
    seconds: float = 0.0
    checks: dict[str, CheckTally] = field(default_factory=dict)  # the writer's, per check (Faithfulness.checks)


def english_fields(brief: Brief) -> list[tuple[str, str]]:
    """Every English field of a brief, named: the title, bullets, subjects, names, roles, keywords."""
    fields = [("title_en", brief.meta.title_en or "")]
    fields += [(f"summary_en[{i}]", b) for i, b in enumerate(brief.summary_en)]
    fields += [(f"figures[{i}].subject_en", f.subject_en) for i, f in enumerate(brief.figures) if f.subject_en]
    fields += [(f"entities[{i}].english", e.english) for i, e in enumerate(brief.entities)]
    fields += [(f"entities[{i}].role_en", e.role_en) for i, e in enumerate(brief.entities) if e.role_en]
    fields += [(f"keywords[{i}].english", k.english) for i, k in enumerate(brief.keywords) if k.english]
    return fields


def check_english(name: str, brief: Brief, common_words: frozenset[str], seconds: float = 0.0,
                  glossary: dict[str, str] | None = None) -> EnglishCheck:
    """`glossary`: the writer's domain terms; their English traces where the source has the term."""
    result = EnglishCheck(name=name, seconds=seconds)
    for field_name, text in english_fields(brief):
        chars = len(HAN.findall(text))
        if chars:
            result.chinese_chars += chars
            result.chinese_fields.append(f"{field_name}: {text}")
    known = known_names(brief)  # with the skeletons of its pinyin names
    known.update((brief.meta.source_en or "").split())
    glossary = glossary or {}

    def vocabulary(text: str) -> frozenset[str]:
        terms = " ".join(english for term, english in glossary.items() if term in text).lower()
        return source_vocabulary(text) | frozenset(latin_words(terms))

    dictionary = load_dictionary()
    sources = brief.summary_sources if len(brief.summary_sources) == len(brief.summary_en) else []
    title_source = brief.meta.title + " " + " ".join(brief.meta.title_tags)
    for name_found in unknown_names(brief.meta.title_en or "", known, title_source, common_words,
                                    vocabulary(title_source), dictionary.ordinary_words):
        result.untraceable_names.append(f"title: {name_found}")
    for position, bullet in enumerate(brief.summary_en):
        sentence = brief.sentences[sources[position]] if sources else None
        source_text = sentence.text if sentence else brief.text
        for name_found in unknown_names(bullet, known, source_text, common_words,
                                        vocabulary(source_text), dictionary.ordinary_words):
            result.untraceable_names.append(f"bullet {position + 1}: {name_found}")
        own = [f for f in brief.figures if sentence and sentence.start <= f.start and f.end <= sentence.end] \
            if sentence else list(brief.figures)
        allowed = figure_numbers(own) + numbers_written(source_text)  # digits it writes (TT123, Q2, 16时)
        if brief.meta.published:
            allowed += [brief.meta.published.year, brief.meta.published.day]
        numbers = numbers_said(bullet)
        result.bullet_numbers += len(numbers)
        result.numbers_untraceable += [f"bullet {position + 1}: {n:g}" for n in numbers
                                       if not any(same_number(n, a) for a in allowed)]
        result.relations_broken += [f"bullet {position + 1}: {b}" for b in broken_relations(bullet, own)
                                    if not b.endswith("left out")]
        result.relations_broken += [f"bullet {position + 1}: {c}" for c in changed_units(bullet, own)]
    with_subject = [f for f in brief.figures if f.subject]
    result.subjects, result.subjects_en = len(with_subject), sum(1 for f in with_subject if f.subject_en)
    if brief.faithfulness:
        result.sentences_dropped = brief.faithfulness.sentences_dropped
        result.titles_rebuilt = brief.faithfulness.sentences_replaced
        result.checks = dict(brief.faithfulness.checks)
    return result

