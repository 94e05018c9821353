"""The pipeline: a :class:`~pipeline.doc.Doc` flows through small named components, each doing one thing.

Components are registered by name (like spaCy's factories) and configured, not hard-wired::

    nlp = Pipeline(["segment", "keywords", "figures"], config={"keywords": {"top_k": 5}})
    brief = nlp.brief_file("article.txt")

The constructor validates every setting and the order of the components (what each reads must
be set by an earlier one) before loading anything.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from . import components as _builtin_components  # noqa: F401  (registers the built-in components)
from .doc import Doc
from .ingest import Article, ingest_file, ingest_text
from .registry import Component, ComponentConfig, ConfigError, check_order, get_spec
from .resources import Resources, default_resources
from .schema import Brief
from .settings import Settings

DEFAULT_COMPONENTS = ("segment", "keywords", "entities", "figures", "terms", "key_facts")


def validate_pipeline(
    names: Iterable[str], config: dict[str, dict[str, Any]] | None = None
) -> list[tuple[str, ComponentConfig]]:
    """Each component with its validated settings, after checking names and order; loads nothing."""
    names = list(names)
    config = dict(config or {})
    stray = sorted(set(config) - set(names))
    if stray:
        raise ConfigError(f"settings given for {stray[0]!r}, which is not in the pipeline ({', '.join(names)})")
    check_order(names)
    return [(name, get_spec(name).validate(config.get(name))) for name in names]


def describe_pipeline(names: Iterable[str] = DEFAULT_COMPONENTS, config: dict[str, dict[str, Any]] | None = None
                      ) -> list[dict[str, Any]]:
    """What the fingerprint of a brief records about the pipeline: names and full settings."""
    return _describe(validate_pipeline(names, config))


def _describe(validated: Iterable[tuple[str, ComponentConfig]]) -> list[dict[str, Any]]:
    return [{"component": name, "config": settings.model_dump(mode="json")} for name, settings in validated]


class Pipeline:
    """An ordered list of configured components, plus the resources and the input size limit."""

    def __init__(
        self,
        components: Iterable[str] = DEFAULT_COMPONENTS,
        *,
        config: dict[str, dict[str, Any]] | None = None,
        resources: Resources | None = None,
        settings: Settings | None = None,
        max_bytes: int | None = None,
        max_chars: int | None = None,
    ) -> None:
        self.settings = settings or Settings.from_env()
        self.resources = resources or default_resources(self.settings)
        self.max_bytes = max_bytes or self.settings.max_bytes
        self.max_chars = max_chars or self.settings.max_chars
        validated = validate_pipeline(components, config)
        self.names = [name for name, _ in validated]
        self.config = {name: settings for name, settings in validated}
        self._components: list[Component] = [get_spec(name).factory(self.resources, settings)
                                              for name, settings in validated]

    def describe(self) -> list[dict[str, Any]]:
        return _describe((name, self.config[name]) for name in self.names)

    def fingerprint(self, *, model: dict[str, Any] | None = None) -> str:
        """Fingerprint of everything that changes this pipeline's briefs (see pipeline.fingerprint)."""
        from .fingerprint import fingerprint

        return fingerprint(self.resources, self.describe(), self.max_bytes, max_chars=self.max_chars, model=model)

    def __call__(self, article: Article) -> Brief:
        doc = Doc(article=article)
        for note in article.notes:
            doc.warn("ingest", note)
        for name, component in zip(self.names, self._components, strict=True):
            doc = component(doc)
            doc.stages.append(name)
        return doc.to_brief()

    def brief_file(self, path: str | os.PathLike[str]) -> Brief:
        return self(ingest_file(path, max_bytes=self.max_bytes, max_chars=self.max_chars, resources=self.resources))

    def brief_text(
        self,
        text: str,
        *,
        title: str | None = None,
        source: str | None = None,
        published: datetime | None = None,
    ) -> Brief:
        article = ingest_text(text, title=title, source=source, published=published, resources=self.resources,
                              max_chars=self.max_chars)
        return self(article)
