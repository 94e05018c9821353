"""newsbrief: English briefs and fact sheets from Chinese cross-border e-commerce news.

Library API (the CLI is a thin layer over it)::

    from pipeline import brief_file, brief_files, brief_text, brief_folder, Pipeline
    brief = brief_file("article.txt")                    # a fact sheet (pipeline.schema.Brief)
    for result in brief_files(["a.txt", "b.html"], summary=True):   # with the English
        print(result.path, result.error or result.brief.meta.title_en)
"""

from importlib.metadata import PackageNotFoundError, version

from .api import FileResult, brief_file, brief_files, brief_path, brief_result, brief_text
from .doc import Doc
from .errors import InputError, NewsbriefError, ResourceError
from .folders import BatchReport, brief_folder, watch_folder
from .ingest import Article, ingest_file, ingest_text
from .nlp import DEFAULT_COMPONENTS, Pipeline
from .registry import ComponentConfig, ConfigError, register_component
from .schema import ArticleMeta, Brief, Entity, Figure, Keyword, Sentence
from .settings import Settings, SettingsError

try:
    __version__ = version("newsbrief")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+source"

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
    "ResourceError",
    "Sentence",
    "Settings",
    "SettingsError",
    "__version__",
    "brief_file",
    "brief_files",
    "brief_folder",
    "brief_path",
    "brief_result",
    "brief_text",
    "ingest_file",
    "ingest_text",
    "register_component",
    "watch_folder",
]
