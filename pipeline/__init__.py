"""newsbrief: English briefs and fact sheets from Chinese cross-border e-commerce news.

Library API::

    from pipeline import brief_file, brief_text, Pipeline
    brief = brief_file("article.txt")
    print(brief.meta.title, [f.english for f in brief.figures])
"""

from importlib.metadata import PackageNotFoundError, version

from .batch import BatchReport, brief_folder
from .brief import DEFAULT_COMPONENTS, Doc, Pipeline, brief_file, brief_text, register_component
from .errors import InputError, NewsbriefError, ResourceError
from .ingest import Article, ingest_file, ingest_text
from .schema import ArticleMeta, Brief, Entity, Figure, Keyword, Sentence

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
    "Doc",
    "Entity",
    "Figure",
    "InputError",
    "Keyword",
    "NewsbriefError",
    "Pipeline",
    "ResourceError",
    "Sentence",
    "__version__",
    "brief_file",
    "brief_folder",
    "brief_text",
    "ingest_file",
    "ingest_text",
    "register_component",
]
