"""Built-in pipeline components: thin adapters from stage functions to the Doc.

Each factory takes the pipeline's resources plus its own settings and returns a
callable ``Doc -> Doc``; the stage modules themselves know nothing about the Doc.
"""

from __future__ import annotations

import re
from typing import Literal

from .brief import Component, Doc, register_component
from .entities import ENTITY_PIPES, EntityExtractor
from .figures import FigureExtractor
from .keywords import extract_keywords
from .resources import Resources
from .segment import split_sentences, tokenize


@register_component("segment")
def make_segmenter(resources: Resources, *, tokens: bool = True) -> Component:
    def segment(doc: Doc) -> Doc:
        doc.sentences = split_sentences(doc.text, doc.article.paragraphs)
        if tokens:
            doc.tokens = tokenize(doc.text, resources)
        return doc

    return segment


@register_component("keywords")
def make_keywords(
    resources: Resources, *, top_k: int = 10, method: Literal["tfidf", "textrank"] = "tfidf"
) -> Component:
    def keywords(doc: Doc) -> Doc:
        doc.keywords = extract_keywords(doc.text, resources, top_k=top_k, method=method)
        return doc

    return keywords


@register_component("figures")
def make_figures(resources: Resources, *, max_figures: int | None = None) -> Component:
    extractor = FigureExtractor(max_figures=max_figures)

    def figures(doc: Doc) -> Doc:
        article = doc.article
        entity_spans = [(m.start, m.end) for e in doc.entities for m in e.mentions]
        doc.figures = extractor(
            doc.text, doc.sentences, published=article.published, precision=article.published_precision,
            title=article.title, entity_spans=entity_spans,
        )
        return doc

    return figures


@register_component("entities")
def make_entities(resources: Resources, *, sources: tuple[str, ...] = ENTITY_PIPES) -> Component:
    extractor = EntityExtractor(resources, tuple(sources))

    def entities(doc: Doc) -> Doc:
        tokens = doc.tokens if doc.tokens is not None else doc.text
        article = doc.article
        # The publisher's own name (TT123获悉, 36氪了解到) is a byline, not an entity of the story.
        publisher = tuple(part for part in re.split(r"\s+via\s+|\s+", article.source or "") if part)
        doc.entities = extractor(tokens, title=article.title, exclude=publisher)
        return doc

    return entities


@register_component("writer")
def make_writer(
    resources: Resources, *, model: str | None = None, sentences: int = 5, batch_size: int = 8
) -> Component:
    from .writer import default_writer

    writer = default_writer(model, sentences=sentences, batch_size=batch_size)  # loaded once per pipeline

    def write(doc: Doc) -> Doc:
        brief = doc.to_brief()
        writer.write([brief])
        doc.title_en, doc.summary_en = brief.meta.title_en, brief.summary_en
        doc.figures, doc.entities, doc.warnings = brief.figures, brief.entities, brief.warnings
        doc.faithfulness = brief.faithfulness
        return doc

    return write
