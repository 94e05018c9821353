"""Built-in pipeline components: thin adapters from stage functions to the Doc.

Each factory takes the pipeline's resources and its validated settings and returns a callable
``Doc -> Doc``; the stage modules themselves know nothing about the Doc. Stage modules are
imported inside the factories, so describing a pipeline (for its fingerprint) stays cheap.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field

from .doc import Doc
from .registry import Component, ComponentConfig, register_component
from .resources import Resources

# The entity stage's spaCy components (pipeline.entities.ENTITY_PIPES), named here to keep this module light.
ENTITY_SOURCES = ("entity_ruler", "newsbrief_latin_names", "newsbrief_recogniser", "newsbrief_entity_patterns",
                  "newsbrief_pos_names")
DEFAULT_ENTITY_SOURCES = ENTITY_SOURCES[:-1]  # all but jieba's part-of-speech names (pipeline.entities)
RECOGNISER_HEADS = ("msra", "cluener")


def publisher_parts(source: str | None) -> list[str]:
    """The names in a byline's source: '开菠萝财经 via 36氪' -> ['开菠萝财经', '36氪']."""
    return [part for part in re.split(r"\s+via\s+|\s+", source or "") if part]


class SegmentConfig(ComponentConfig):
    # Traditional script (Hong Kong, Taiwan) is analysed in Simplified form, character for character.
    fold_traditional: bool = True


@register_component("segment", config=SegmentConfig, assigns=("sentences", "analysis_text", "tokens", "pos_tags"))
def make_segmenter(resources: Resources, config: SegmentConfig) -> Component:
    from .dictionary import load_dictionary
    from .segment import pos_tags, split_sentences, tokenize

    def segment(doc: Doc) -> Doc:
        doc.sentences = split_sentences(doc.text, doc.article.paragraphs)
        analysed = load_dictionary().simplified(doc.text) if config.fold_traditional else doc.text
        doc.analysis_text = analysed if analysed != doc.text else None
        doc.analysis_title = load_dictionary().simplified(doc.article.title) if doc.analysis_text else None
        doc.tokens = tokenize(analysed, resources)
        doc.pos_tags = pos_tags(analysed, resources, [t.text for t in doc.tokens])
        return doc

    return segment


class KeywordsConfig(ComponentConfig):
    top_k: int = Field(default=10, ge=1)
    method: Literal["tfidf", "textrank"] = "tfidf"


@register_component("keywords", config=KeywordsConfig, requires=("pos_tags",), assigns=("keywords",))
def make_keywords(resources: Resources, config: KeywordsConfig) -> Component:
    from .keywords import extract_keywords

    def keywords(doc: Doc) -> Doc:
        analysed = doc.analysis_text or doc.text
        doc.keywords = extract_keywords(analysed, resources, doc.pos_tags, top_k=config.top_k, method=config.method)
        for keyword in doc.keywords:  # as the article writes it
            keyword.word = doc.phrase_as_written(keyword.word, 0)
        return doc

    return keywords


class EntitiesConfig(ComponentConfig):
    sources: tuple[Literal[ENTITY_SOURCES], ...] = DEFAULT_ENTITY_SOURCES  # type: ignore[valid-type]
    # Which of the trained recogniser's heads run (their spans are merged): see models/README.md.
    recogniser_heads: tuple[Literal[RECOGNISER_HEADS], ...] = Field(  # type: ignore[valid-type]
        default=("msra",), min_length=1)
    recogniser_model: str = ""  # another trained model file; "" is the packaged one


@register_component("entities", config=EntitiesConfig, requires=("tokens", "pos_tags"), assigns=("entities",))
def make_entities(resources: Resources, config: EntitiesConfig) -> Component:
    from .entities import EntityExtractor

    extractor = EntityExtractor(resources, tuple(config.sources), recogniser={
        "heads": ",".join(config.recogniser_heads), "model_path": config.recogniser_model})

    def entities(doc: Doc) -> Doc:
        article = doc.article
        # The publisher's own name (TT123获悉, 36氪了解到) is a byline, not an entity of the story.
        publisher = tuple(publisher_parts(article.source))
        doc.entities = extractor(doc.tokens, title=doc.analysis_title or article.title, exclude=publisher,
                                 pos_tags=doc.pos_tags)
        if doc.analysis_text:  # found in the Simplified form; quoted as the article writes them
            for entity in doc.entities:
                for mention in entity.mentions:
                    mention.text = doc.as_written(mention.start, mention.end)
                surfaces = [m.text for m in entity.mentions] or [entity.text]
                entity.text = max(dict.fromkeys(surfaces), key=surfaces.count)
                if entity.role:
                    entity.role = doc.phrase_as_written(entity.role, entity.mentions[0].end if entity.mentions else 0)
        return doc

    return entities


class FiguresConfig(ComponentConfig):
    max_figures: int | None = Field(default=None, ge=1)


@register_component("figures", config=FiguresConfig, requires=("sentences",), assigns=("figures",),
                    after=("entities",))
def make_figures(resources: Resources, config: FiguresConfig) -> Component:
    from .figures import FigureExtractor

    extractor = FigureExtractor(max_figures=config.max_figures)

    def figures(doc: Doc) -> Doc:
        article = doc.article
        entity_spans = [(m.start, m.end) for e in doc.entities for m in e.mentions]  # salience
        # Units, qualifiers and subjects are read in the Simplified form (減少 is 减少), as written after.
        analysed = doc.analysis_text or doc.text
        sentences = [s.model_copy(update={"text": analysed[s.start:s.end]}) for s in doc.sentences] \
            if doc.analysis_text else doc.sentences
        refused: list[str] = []
        doc.figures = extractor(
            analysed, sentences, published=article.published, precision=article.published_precision,
            title=doc.analysis_title or article.title, entity_spans=entity_spans, pos_tags=doc.pos_tags,
            refused=refused,
        )
        for span in {span[:16]: span for span in refused}.values():  # a runaway run is refused by two rules
            doc.warn("figures", f"a number beyond any plausible amount is not taken as a figure: {span}…")
        if doc.analysis_text:
            for figure in doc.figures:
                figure.text = doc.as_written(figure.start, figure.end)
                if figure.subject:
                    figure.subject = doc.phrase_as_written(figure.subject, figure.start)
        return doc

    return figures


class TermsConfig(ComponentConfig):
    # Phrases cut into at most this many CC-CEDICT words get their English from the dictionary;
    # longer ones are left to the writer's model (see pipeline.terms).
    max_pieces: int = Field(default=2, ge=1, le=6)


@register_component("terms", config=TermsConfig, assigns=("terms",), after=("keywords", "entities", "figures"))
def make_terms(resources: Resources, config: TermsConfig) -> Component:
    from .dictionary import load_dictionary
    from .entities.gazetteer import load_gazetteer
    from .terms import TermEnglish, load_glossary, load_terms

    dictionary = load_dictionary()
    terms = TermEnglish(dictionary, load_glossary(resources), load_terms(resources), max_pieces=config.max_pieces)
    gazetteer = load_gazetteer(resources)

    def english_terms(doc: Doc) -> Doc:
        if doc.article.source:  # the publisher (36氪, 新华网 via 亿邦动力): each part by its English name
            parts = publisher_parts(doc.article.source)
            # A name, never a translation of its words (卖家周刊 is not "sellers weekly publication").
            names = [(entry.english if (entry := gazetteer.lookup(part)) else dictionary.english_name(part))
                     for part in parts]
            doc.source_en = " via ".join(names) if all(names) and names != parts else None
        names = terms.names_of(doc.entities)  # once per article, for every phrase
        for keyword in doc.keywords:
            keyword.english = keyword.english or terms.english(keyword.word, names=names)
        for figure in doc.figures:
            if figure.subject and not figure.subject_en:
                figure.subject_en = terms.english(figure.subject, names=names)
        for entity in doc.entities:
            if entity.role and not entity.role_en:
                entity.role_en = terms.english(entity.role, names=names)
        return doc

    return english_terms


class KeyFactsConfig(ComponentConfig):
    max_figures: int = Field(default=5, ge=0, le=20)  # figure lines
    max_names: int = Field(default=4, ge=0, le=10)  # names on the 'Who' line


@register_component("key_facts", config=KeyFactsConfig, requires=("sentences", "entities", "figures"),
                    assigns=("key_facts",), after=("terms",))
def make_key_facts(resources: Resources, config: KeyFactsConfig) -> Component:
    """Key facts by rule (pipeline.keyfacts), from the English the fact sheet has before any model runs."""
    from .keyfacts import KeyFactSettings, key_facts, load_key_fact_rules

    settings = KeyFactSettings(max_figures=config.max_figures, max_names=config.max_names)
    rules = load_key_fact_rules(resources)

    def state_key_facts(doc: Doc) -> Doc:
        doc.key_facts = key_facts(doc.figures, doc.entities, doc.sentences, doc.text, doc.article.title or "", rules,
                                  settings)
        return doc

    return state_key_facts


class WriterConfig(ComponentConfig):
    model: str | None = None
    sentences: int = Field(default=5, ge=1)
    batch_size: int = Field(default=8, ge=1)


@register_component("writer", config=WriterConfig, requires=("sentences", "keywords", "entities", "figures"),
                    assigns=("english",))
def make_writer(resources: Resources, config: WriterConfig) -> Component:
    from .writer import default_writer

    writer = default_writer(config.model, sentences=config.sentences, batch_size=config.batch_size,
                            resources=resources)  # loaded once per pipeline

    def write(doc: Doc) -> Doc:
        brief = doc.to_brief()
        writer.write([brief])
        doc.title_en, doc.summary_en, doc.summary_sources = brief.meta.title_en, brief.summary_en, brief.summary_sources
        doc.figures, doc.entities, doc.warnings = brief.figures, brief.entities, brief.warnings
        doc.faithfulness = brief.faithfulness
        return doc

    return write
