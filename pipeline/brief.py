"""The pipeline: a :class:`Doc` flows through small named components, each doing one thing.

Components are registered by name (like spaCy's factories) and configured, not hard-wired::

    nlp = Pipeline(["segment", "keywords", "figures"], config={"keywords": {"top_k": 5}})
    brief = nlp.brief_file("article.txt")
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .errors import NewsbriefError
from .ingest import DEFAULT_MAX_BYTES, Article, ingest_file, ingest_text
from .resources import Resources, default_resources
from .schema import Brief, BriefWarning, Entity, Faithfulness, Figure, Keyword, Sentence


@dataclass
class Doc:
    """Working state of one article while it moves through the pipeline."""

    article: Article
    resources: Resources
    sentences: list[Sentence] = field(default_factory=list)
    tokens: Any = None  # spacy.tokens.Doc, segmented by jieba
    keywords: list[Keyword] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    title_en: str | None = None
    summary_en: list[str] = field(default_factory=list)
    warnings: list[BriefWarning] = field(default_factory=list)
    faithfulness: Faithfulness | None = None
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


Component = Callable[[Doc], Doc]
ComponentFactory = Callable[..., Component]

_FACTORIES: dict[str, ComponentFactory] = {}


def register_component(name: str) -> Callable[[ComponentFactory], ComponentFactory]:
    """Register a component factory: ``factory(resources, **settings) -> Component``."""

    def decorator(factory: ComponentFactory) -> ComponentFactory:
        _FACTORIES[name] = factory
        return factory

    return decorator


def registered_components() -> list[str]:
    _load_builtin_components()
    return sorted(_FACTORIES)


def _load_builtin_components() -> None:
    from . import components  # noqa: F401  (registers the built-in factories)


DEFAULT_COMPONENTS = ("segment", "keywords", "entities", "figures")


class Pipeline:
    """An ordered list of configured components, plus the ingest settings."""

    def __init__(
        self,
        components: Iterable[str] = DEFAULT_COMPONENTS,
        *,
        config: dict[str, dict[str, Any]] | None = None,
        resources: Resources | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        _load_builtin_components()
        self.resources = resources or default_resources()
        self.max_bytes = max_bytes
        self.config = dict(config or {})
        self.names: list[str] = []
        self._components: list[Component] = []
        for name in components:
            self.add_pipe(name, self.config.get(name, {}))

    def add_pipe(self, name: str, settings: dict[str, Any] | None = None) -> None:
        if name not in _FACTORIES:
            raise NewsbriefError(f"unknown pipeline component {name!r}; known: {', '.join(sorted(_FACTORIES))}")
        self._components.append(_FACTORIES[name](self.resources, **(settings or {})))
        self.names.append(name)

    def __call__(self, article: Article) -> Brief:
        doc = Doc(article=article, resources=self.resources)
        for note in article.notes:
            doc.warn("ingest", note)
        for name, component in zip(self.names, self._components, strict=True):
            doc = component(doc)
            doc.stages.append(name)
        return doc.to_brief()

    def brief_file(self, path: str | os.PathLike[str]) -> Brief:
        return self(ingest_file(path, max_bytes=self.max_bytes, resources=self.resources))

    def brief_text(
        self,
        text: str,
        *,
        title: str | None = None,
        source: str | None = None,
        published: datetime | None = None,
    ) -> Brief:
        article = ingest_text(text, title=title, source=source, published=published, resources=self.resources)
        return self(article)


_default_pipeline: Pipeline | None = None


def default_pipeline() -> Pipeline:
    """The default pipeline, built once (an explicit cache: building loads jieba's dictionary)."""
    global _default_pipeline
    if _default_pipeline is None:
        _default_pipeline = Pipeline()
    return _default_pipeline


def brief_file(path: str | os.PathLike[str], *, pipeline: Pipeline | None = None) -> Brief:
    """Brief one article file with the default (or given) pipeline."""
    return (pipeline or default_pipeline()).brief_file(path)


def brief_text(
    text: str,
    *,
    title: str | None = None,
    source: str | None = None,
    published: datetime | None = None,
    pipeline: Pipeline | None = None,
) -> Brief:
    """Brief article text given as a string (title/byline lines are recognised as in files)."""
    return (pipeline or default_pipeline()).brief_text(text, title=title, source=source, published=published)
