"""newsbrief: English briefs and fact sheets from Chinese cross-border e-commerce news.

Library API (the CLI is a thin layer over it)::

    from pipeline import brief_file, brief_files, brief_text, brief_folder, Pipeline
    brief = brief_file("article.txt")                    # a fact sheet (pipeline.schema.Brief)
    for result in brief_files(["a.txt", "b.html"], summary=True):   # with the English
        print(result.path, result.error or result.brief.meta.title_en)
    brief_folder("news/", "briefs/", summary=False)      # a folder into its store and exports
    search_briefs("briefs/", "关税"); query_figures("briefs/", entity="Temu", kind="money")
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

try:
    __version__ = version("newsbrief")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+source"

# Imported on first use (PEP 562), so a command loads only the rooms it needs.
_EXPORTS = {
    "FileResult": "api", "brief_file": "api", "brief_files": "api", "brief_path": "api", "brief_result": "api",
    "brief_text": "api", "Doc": "doc", "InputError": "errors", "NewsbriefError": "errors",
    "ResourceError": "errors", "BatchReport": "folders", "brief_folder": "folders", "watch_folder": "folders",
    "RayEngine": "folders", "WriterSpec": "folders",
    "Article": "ingest", "ingest_file": "ingest", "ingest_text": "ingest", "DEFAULT_COMPONENTS": "nlp",
    "Pipeline": "nlp", "ComponentConfig": "registry", "ConfigError": "registry", "register_component": "registry",
    "ArticleMeta": "schema", "Brief": "schema", "Entity": "schema", "Figure": "schema", "Keyword": "schema",
    "Sentence": "schema", "Settings": "settings", "SettingsError": "settings", "search_briefs": "store.query",
    "query_figures": "store.query", "StoreError": "store",
}

if TYPE_CHECKING:
    from .api import FileResult, brief_file, brief_files, brief_path, brief_result, brief_text
    from .doc import Doc
    from .errors import InputError, NewsbriefError, ResourceError
    from .folders import BatchReport, RayEngine, WriterSpec, brief_folder, watch_folder
    from .ingest import Article, ingest_file, ingest_text
    from .nlp import DEFAULT_COMPONENTS, Pipeline
    from .registry import ComponentConfig, ConfigError, register_component
    from .schema import ArticleMeta, Brief, Entity, Figure, Keyword, Sentence
    from .settings import Settings, SettingsError
    from .store import StoreError
    from .store.query import query_figures, search_briefs


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_COMPONENTS",
    "Article",
    "ArticleMeta",
    "BatchReport",
    "Brief",
    "ComponentConfig",
    "ConfigError",
    "Doc",
    "Entity",
    "Figure",
    "FileResult",
    "InputError",
    "Keyword",
    "NewsbriefError",
    "Pipeline",
    "RayEngine",
    "ResourceError",
    "Sentence",
    "Settings",
    "SettingsError",
    "StoreError",
    "WriterSpec",
    "__version__",
    "brief_file",
    "brief_files",
    "brief_folder",
    "brief_path",
    "brief_result",
    "brief_text",
    "ingest_file",
    "ingest_text",
    "query_figures",
    "register_component",
    "search_briefs",
    "watch_folder",
]
