"""Typed data that flows out of the pipeline: the article brief and its parts.

Everything here is plain data (pydantic v2 models); extraction lives in the stage
modules and rendering in :mod:`pipeline.output`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.3"  # 1.1: English fields (keywords, subjects, source_en), summary_sources, new checks;
# 1.2: key_facts, faithfulness.checks; 1.3: Figure.uncertain

DatePrecision = Literal["year", "month", "day", "minute", "second"]
SourceFormat = Literal["text", "markdown", "html"]
FigureKind = Literal[
    "money",
    "percent",
    "percentage_point",
    "multiple",
    "fraction",
    "count",
    "date",
    "period",
    "quantity",
]
EntityType = Literal["ORG", "PERSON", "GPE", "LOC", "PRODUCT", "EVENT"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Model):
    """A half-open character range ``[start, end)`` in the cleaned article text."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class ArticleMeta(_Model):
    title: str = Field(description="Title as found in the source (Chinese), without the outlet's tags")
    title_tags: list[str] = Field(default_factory=list, description="Outlet tags the title carried: 36氪独家 "
                                  "in `36氪独家 | …`, 新华网 in `… - 新华网`")
    title_en: str | None = Field(default=None, description="English title, written by the writer stage")
    source: str | None = Field(default=None, description="Publisher or site name")
    source_en: str | None = Field(default=None, description="The publisher's English name, where the gazetteer or "
                                  "dictionary knows it (36氪 -> 36Kr)")
    published: datetime | None = Field(default=None, description="Publish date/time, naive local time")
    published_precision: DatePrecision | None = None
    file: str | None = Field(default=None, description="Path of the input file, or the URL it was fetched from")
    url: str | None = Field(default=None, description="URL of the page, after redirects, when fetched from the web")
    fetched: datetime | None = Field(default=None, description="When the page was fetched (never the publish date)")
    format: SourceFormat = "text"
    encoding: str | None = Field(default=None, description="Detected encoding of the input bytes")
    content_sha256: str = Field(description="sha256 of the cleaned text (encoding-independent)")
    char_count: int = Field(ge=0)


class Sentence(_Model):
    index: int = Field(ge=0)
    paragraph: int = Field(ge=0)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class Keyword(_Model):
    word: str
    english: str | None = Field(default=None, description="English of the keyword (glossary, CC-CEDICT or the "
                                "writer's model); None where none could be given")
    weight: float
    method: Literal["tfidf", "textrank"]


class FigureChange(_Model):
    """A change stated in the text, e.g. 从5320万美元缩减至4130万美元."""

    direction: Literal["up", "down", "flat"] | None = None
    from_value: float | None = None
    to_value: float | None = None


class Figure(_Model):
    text: str = Field(description="Exact source span")
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    sentence: int = Field(ge=0, description="Index of the sentence the figure is in")
    kind: FigureKind
    value: float | str | None = Field(
        description="Normalised value: a number, or an ISO date/period string for dates and periods"
    )
    low: float | None = Field(default=None, description="Lower bound for ranges and vague amounts")
    high: float | None = Field(default=None, description="Upper bound for ranges and vague amounts")
    unit: str | None = Field(default=None, description="ISO currency for money, unit noun for counts")
    approx: Literal["about", "nearly", "over", "at_least", "at_most", "under", "up_to"] | None = None
    change: FigureChange | None = None
    comparison: Literal["yoy", "qoq", "mom"] | None = None
    forecast: bool = False
    period: str | None = Field(default=None, description="ISO date/period the figure refers to")
    subject: str | None = Field(default=None, description="What the figure measures, as the article says it")
    subject_en: str | None = Field(default=None, description="The subject in English (glossary, CC-CEDICT or the "
                                   "writer's model); None where none could be given")
    english: str = Field(description="Deterministic English rendering")
    uncertain: str | None = Field(default=None, description="Why the wording may mean another value (it reads "
                                  "two ways); the English says so too. None where the reading is certain")
    salience: float = 0.0


class Mention(_Model):
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    source: str = Field(description="Which extractor found it: gazetteer, latin, recogniser, pattern, suffix, "
                        "inner, pos, list")


class Entity(_Model):
    text: str = Field(description="Canonical Chinese or Latin form")
    type: EntityType
    english: str
    english_source: Literal["gazetteer", "dictionary", "latin", "pinyin", "model"]
    pinyin: str | None = None
    role: str | None = None
    role_en: str | None = None
    mentions: list[Mention] = Field(default_factory=list)
    count: int = Field(ge=0, default=0)
    salience: float = 0.0


class BriefWarning(_Model):
    code: str
    message: str


class CheckTally(_Model):
    """How often one check of the writer found a problem in a brief's title and sentences."""

    fired: int = Field(default=0, description="First answers that failed the check")
    repaired: int = Field(default=0, description="... of which the retry's answer passed it")
    dropped: int = Field(default=0, description="Outputs left out (a title rebuilt by rule) that still failed it")


class KeyFact(_Model):
    """One line of the fact sheet stated in English by rule (no model output): a figure with what it
    measures, whose, when and how it changed, or who the article is about."""

    text: str
    kind: Literal["figure", "who"] = "figure"
    figures: list[int] = Field(default_factory=list, description="Indices into `figures` of what it states")
    entities: list[int] = Field(default_factory=list, description="Indices into `entities` it names")


class Faithfulness(_Model):
    """What the writer's checks found: numbers checked and what had to be repaired."""

    model: str | None = None
    numbers_checked: int = 0
    numbers_repaired: int = Field(default=0, description="Outputs that failed a check and passed it on the retry")
    sentences_replaced: int = Field(default=0, description="Outputs rebuilt from rules")
    sentences_dropped: int = Field(default=0, description="Outputs left out because they failed the checks")
    figure_phrases_checked: int = Field(default=0, description="Figures of the English's source sentences whose "
                                        "relation (direction, from/to, year on year) was checked")
    relations_broken: int = Field(default=0, description="Sentences left out because a figure lost its relation")
    names_withheld: list[str] = Field(default_factory=list, description="English names matching no source entity, "
                                      "left out with their sentence")
    checks: dict[str, CheckTally] = Field(default_factory=dict, description="Per check (numbers, names, relation, "
                                          "polarity, direction, modality, coverage …): how often it fired, was "
                                          "repaired by the retry, and dropped an output")


class Brief(_Model):
    """The whole fact sheet for one article."""

    schema_version: str = SCHEMA_VERSION
    meta: ArticleMeta
    text: str = Field(description="Cleaned article body; all offsets point into it")
    sentences: list[Sentence] = Field(default_factory=list)
    keywords: list[Keyword] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    summary_en: list[str] = Field(default_factory=list, description="English summary bullets")
    summary_sources: list[int] = Field(default_factory=list, description="For each bullet, the index of the "
                                       "sentence it translates (its numbers are that sentence's figures)")
    key_facts: list[KeyFact] = Field(default_factory=list, description="Key facts stated by rule from the fact "
                                     "sheet's figures and entities: what an analyst can quote")
    warnings: list[BriefWarning] = Field(default_factory=list)
    faithfulness: Faithfulness | None = None
    stages: list[str] = Field(default_factory=list, description="Pipeline components that ran")


def brief_json_schema() -> dict:
    return Brief.model_json_schema()
