"""What the store keeps of a brief besides the brief itself: query rows for its figures and entities, and the
text its search indexes read (Chinese folded to Simplified, so 關稅 is found by 关税 and the other way round)."""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..schema import Brief

if TYPE_CHECKING:
    from ..stories.lexicon import StoryLexicon

FIGURE_FIELDS = ("n", "text", "kind", "value", "low", "high", "unit", "period", "english", "subject", "subject_en",
                 "approx", "change", "comparison", "forecast", "salience", "sentence", "measure")
ENTITY_FIELDS = ("n", "text", "english", "type", "role_en", "mentions")


@dataclass(frozen=True)
class BriefRows:
    """One brief as the store's tables hold it."""

    slug: str
    day: str  # YYYY-MM-DD of publication, or "undated": the digest's page
    published: str | None
    title: str
    title_en: str | None
    source: str | None
    url: str | None
    blob: bytes  # the brief's JSON, zlib-compressed (a brief is mostly its text: 4-6x smaller)
    figures: list[tuple]
    entities: list[tuple]
    chinese: tuple[str, str]  # title, body: what the Chinese index reads
    english: tuple[str, str]  # title, summary + key facts + entity names: what the English index reads
    features: tuple[str, bytes]  # what story clustering reads (pipeline.stories.features)


def brief_day(brief: Brief) -> str:
    return brief.meta.published.strftime("%Y-%m-%d") if brief.meta.published else "undated"


def pack(brief: Brief) -> bytes:
    return zlib.compress(brief.model_dump_json().encode("utf-8"), 6)


def unpack(blob: bytes) -> Brief:
    return Brief.model_validate_json(zlib.decompress(blob))


def brief_rows(slug: str, brief: Brief, lexicon: StoryLexicon) -> BriefRows:
    """`lexicon`: folding Traditional to Simplified, character for character, what each figure measures and the
    company words of names (pipeline.stories.lexicon)."""
    from ..stories.features import story_features
    from ..stories.merge import figure_measure

    fold = lexicon.fold
    meta = brief.meta
    figures = []
    for n, f in enumerate(brief.figures):
        sentence = brief.sentences[f.sentence].text if f.sentence < len(brief.sentences) else f.text
        value = f.value if isinstance(f.value, (int, float, str)) else None
        change = f.change.direction if f.change and f.change.direction else None
        figures.append((n, f.text, f.kind, value, f.low, f.high, f.unit, f.period, f.english, f.subject,
                        f.subject_en, f.approx, change, f.comparison, int(f.forecast), f.salience, sentence,
                        figure_measure(brief, f, lexicon.cues, fold)))
    entities = [(n, e.text, e.english, e.type, e.role_en, e.count) for n, e in enumerate(brief.entities)]
    english_body = "\n".join([*brief.summary_en, *(fact.text for fact in brief.key_facts),
                              *(e.english for e in brief.entities)])
    return BriefRows(
        slug=slug, day=brief_day(brief), published=meta.published.isoformat() if meta.published else None,
        title=meta.title, title_en=meta.title_en, source=meta.source_en or meta.source, url=meta.url or meta.file,
        blob=pack(brief), figures=figures, entities=entities,
        chinese=(fold(meta.title), fold(brief.text)), english=(meta.title_en or "", english_body),
        features=story_features(slug, brief, lexicon).to_row())


def dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)
