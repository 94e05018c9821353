"""Rendering, apart from extraction: the terminal (rich), Markdown, JSON and CSV of briefs."""

from .data import figures_csv, schema_json, to_json
from .markdown import digest_index_markdown, digest_markdown, md_escape, to_markdown
from .terminal import THEME, BriefView, case_table, confusion_table, make_console, report_table

__all__ = ["THEME", "BriefView", "case_table", "confusion_table", "digest_index_markdown", "digest_markdown",
           "figures_csv", "make_console", "md_escape", "report_table", "schema_json", "to_json", "to_markdown"]
