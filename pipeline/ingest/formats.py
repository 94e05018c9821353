"""Formats: Markdown and HTML article extraction, format detection."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from ..errors import InputError
from ..schema import DatePrecision, SourceFormat

TEXT_SUFFIXES = {".txt", ".text", ""}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
ARTICLE_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES

_HTML_SNIFF = re.compile(r"^\s*(<!doctype html|<html|<head|<body|<article|<div|<p[ >])", re.IGNORECASE)


_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(.+?)\1")
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


def _markdown_lines(text: str) -> tuple[list[str], dict[str, str]]:
    front: dict[str, str] = {}
    m = _FRONT_MATTER.match(text)
    if m:
        for ln in m.group(1).splitlines():
            key, sep, value = ln.partition(":")
            if sep:
                front[key.strip().lower()] = value.strip().strip("'\"")
        text = text[m.end():]
    lines = []
    for ln in text.splitlines():
        ln = _MD_IMAGE.sub("", ln)
        ln = _MD_LINK.sub(r"\1", ln)
        ln = _MD_EMPHASIS.sub(r"\2", ln)
        ln = re.sub(r"^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+(?=\S))", "", ln)
        if re.fullmatch(r"\s*([-*_]\s*){3,}", ln):  # horizontal rule
            continue
        lines.append(ln)
    return lines, front


def _html_article(html: str, path: Path | str | None) -> tuple[list[str], str | None, str | None, tuple | None]:
    import htmldate
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=True, include_images=False
    )
    if doc is None or not (doc.text or "").strip():
        raise InputError(path, "no article text found in the HTML page")
    published = None
    # htmldate (trafilatura's own date finder) keeps the time of day when the page has it.
    found = htmldate.find_date(html, outputformat="%Y-%m-%dT%H:%M", original_date=True, extensive_search=False)
    found = found or doc.date
    if found:
        try:
            when = datetime.fromisoformat(found)
            precision: DatePrecision = "minute" if "T" in found and not found.endswith("T00:00") else "day"
            published = (when, precision)
        except ValueError:
            published = None
    return doc.text.splitlines(), doc.title, doc.sitename, published


def detect_format(path: Path | None, text: str) -> SourceFormat:
    suffix = path.suffix.lower() if path else ""
    if suffix in HTML_SUFFIXES or _HTML_SNIFF.match(text[:2000]):
        return "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    return "text"


