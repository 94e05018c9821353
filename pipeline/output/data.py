"""Machine-readable outputs: JSON of a brief, the JSON Schema, and figures.csv."""

from __future__ import annotations

import csv
import io
import json

from ..schema import Brief, brief_json_schema
from .fields import printable


def to_json(brief: Brief) -> str:
    return brief.model_dump_json(indent=2) + "\n"


def schema_json() -> str:
    return json.dumps(brief_json_schema(), indent=2, ensure_ascii=False) + "\n"



FIGURE_COLUMNS = ["article", "title", "published", "figure", "kind", "value", "low", "high", "unit", "period",
                  "english", "subject_en", "approx", "change", "comparison", "forecast", "salience"]


def csv_cell(value: object) -> object:
    """A cell a spreadsheet shows as text: one starting like a formula (=, +, -, @, tab, CR) gets a
    leading apostrophe (OWASP's advice for CSV injection); numbers stay numbers."""
    if isinstance(value, str):
        value = printable(value)
        if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            return "'" + value
    return value


def figures_csv(briefs: list[tuple[str, Brief]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(FIGURE_COLUMNS)
    for slug, brief in briefs:
        published = brief.meta.published.isoformat() if brief.meta.published else ""
        for f in brief.figures:
            writer.writerow(map(csv_cell, [
                slug, brief.meta.title_en or brief.meta.title, published, f.text, f.kind,
                "" if f.value is None else f.value, "" if f.low is None else f.low, "" if f.high is None else f.high,
                f.unit or "", f.period or "", f.english, f.subject_en or "", f.approx or "",
                f.change.direction if f.change and f.change.direction else "", f.comparison or "",
                "yes" if f.forecast else "", f.salience,
            ]))
    return buffer.getvalue()
