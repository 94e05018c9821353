"""The ingested article: cleaned body text with its metadata."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from ..schema import ArticleMeta, DatePrecision, SourceFormat


@dataclass
class Article:
    """An ingested article: cleaned body text with its metadata.

    ``text`` is the reference for every character offset later stages produce.
    """

    text: str
    title: str
    source: str | None = None
    title_tags: list[str] = field(default_factory=list)  # outlet tags taken off the title (see clean)
    published: datetime | None = None
    published_precision: DatePrecision | None = None
    file: str | None = None
    format: SourceFormat = "text"
    encoding: str | None = None
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    removed_lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    url: str | None = None  # the page's URL after redirects, for an article fetched from the web
    fetched: datetime | None = None

    @property
    def content_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def meta(self) -> ArticleMeta:
        return ArticleMeta(
            title=self.title,
            title_tags=list(self.title_tags),
            source=self.source,
            published=self.published,
            published_precision=self.published_precision,
            file=self.file,
            format=self.format,
            encoding=self.encoding,
            content_sha256=self.content_sha256,
            char_count=len(self.text),
            url=self.url,
            fetched=self.fetched,
        )

