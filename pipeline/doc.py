"""The Doc: working state of one article while it flows through the pipeline's components.

Everything stages share travels here, in plain typed fields (tokens and part-of-speech tags
included); a component's declaration in :mod:`pipeline.registry` says which fields it reads
and which it sets, and the pipeline checks the order before it runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .ingest import Article
from .schema import Brief, BriefWarning, Entity, Faithfulness, Figure, Keyword, Sentence

# The fields of a Doc that components declare in `requires`, `assigns` and `after`.
DOC_FIELDS = ("sentences", "tokens", "pos_tags", "keywords", "entities", "figures", "english")


@dataclass
class Doc:
    article: Article
    sentences: list[Sentence] = field(default_factory=list)
    tokens: Any = None  # spacy.tokens.Doc, segmented by jieba
    pos_tags: tuple[tuple[str, str], ...] = ()  # jieba's (word, part-of-speech) pairs of the text
    keywords: list[Keyword] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    title_en: str | None = None  # "english": title_en, summary_en and faithfulness
    summary_en: list[str] = field(default_factory=list)
    faithfulness: Faithfulness | None = None
    warnings: list[BriefWarning] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.article.text

    def warn(self, code: str, message: str) -> None:
        self.warnings.append(BriefWarning(code=code, message=message))

    def to_brief(self) -> Brief:
        meta = self.article.meta()
        meta.title_en = self.title_en
        return Brief(
            meta=meta,
            text=self.article.text,
            sentences=self.sentences,
            keywords=self.keywords,
            figures=self.figures,
            entities=self.entities,
            summary_en=self.summary_en,
            warnings=self.warnings,
            faithfulness=self.faithfulness,
            stages=list(self.stages),
        )
