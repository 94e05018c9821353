"""The Doc: working state of one article while it flows through the pipeline's components.

Everything stages share travels here, in plain typed fields (tokens and part-of-speech tags
included); a component's declaration in :mod:`pipeline.registry` says which fields it reads
and which it sets, and the pipeline checks the order before it runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .ingest import Article
from .schema import Brief, BriefWarning, Entity, Faithfulness, Figure, KeyFact, Keyword, Sentence

# The fields of a Doc that components declare in `requires`, `assigns` and `after`.
# "terms": the English of the fact sheet's phrases (subjects, roles, keywords, the publisher), set in place.
DOC_FIELDS = ("sentences", "analysis_text", "tokens", "pos_tags", "keywords", "entities", "figures", "terms",
              "key_facts", "english")


@dataclass
class Doc:
    article: Article
    sentences: list[Sentence] = field(default_factory=list)
    # The text as the analysers read it: Traditional characters folded to Simplified one for one
    # (offsets unchanged), which jieba's dictionary, the recogniser and the gazetteer know; None
    # when that is the text itself. Outputs always quote the text as written.
    analysis_text: str | None = None
    analysis_title: str | None = None  # the title likewise, when the text is folded
    tokens: Any = None  # spacy.tokens.Doc, segmented by jieba
    pos_tags: tuple[tuple[str, str], ...] = ()  # jieba's (word, part-of-speech) pairs of the text
    keywords: list[Keyword] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    key_facts: list[KeyFact] = field(default_factory=list)
    source_en: str | None = None  # the publisher's English name (terms)
    title_en: str | None = None  # "english": title_en, summary_en and faithfulness
    summary_en: list[str] = field(default_factory=list)
    summary_sources: list[int] = field(default_factory=list)
    faithfulness: Faithfulness | None = None
    warnings: list[BriefWarning] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.article.text

    def as_written(self, start: int, end: int) -> str:
        """The text between two offsets as the article writes it (Traditional, if it is)."""
        return self.article.text[start:end]

    def phrase_as_written(self, phrase: str, near: int) -> str:
        """A phrase an analyser read in `analysis_text`, as the article writes it: its occurrence
        closest before `near` (else the first after)."""
        if not self.analysis_text or not phrase:
            return phrase
        at = self.analysis_text.rfind(phrase, 0, near + len(phrase))
        if at < 0:
            at = self.analysis_text.find(phrase)
        return self.as_written(at, at + len(phrase)) if at >= 0 else phrase

    def warn(self, code: str, message: str) -> None:
        self.warnings.append(BriefWarning(code=code, message=message))

    def to_brief(self) -> Brief:
        meta = self.article.meta()
        meta.title_en = self.title_en
        meta.source_en = self.source_en
        return Brief(
            meta=meta,
            text=self.article.text,
            sentences=self.sentences,
            keywords=self.keywords,
            figures=self.figures,
            entities=self.entities,
            summary_en=self.summary_en,
            summary_sources=self.summary_sources,
            key_facts=self.key_facts,
            warnings=self.warnings,
            faithfulness=self.faithfulness,
            stages=list(self.stages),
        )
