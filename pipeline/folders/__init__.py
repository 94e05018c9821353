"""Folders: brief a whole news folder resumably (``batch``), or as articles land (``watch``)."""

from .batch import ArticleResult, BatchReport, BatchRun, OutputLocked, article_slug, brief_folder
from .discover import BATCH_SUFFIXES, find_articles
from .ray_engine import RayEngine, RayEngineError, RayMissing, WriterSpec
from .watch import watch_folder

__all__ = ["BATCH_SUFFIXES", "ArticleResult", "BatchReport", "BatchRun", "OutputLocked", "RayEngine",
           "RayEngineError", "RayMissing", "WriterSpec", "article_slug", "brief_folder", "find_articles",
           "watch_folder"]
