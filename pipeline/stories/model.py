"""A story: one event as several outlets report it, with the figures they state and where they disagree."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StoryArticle(_Model):
    slug: str
    outlet: str | None
    published: datetime | None
    title: str
    title_en: str | None = None
    copy_of: str | None = Field(default=None, description="The slug of the article this one reposts (near-identical "
                                "text): a copy, not an independent confirmation")


class StatedBy(_Model):
    slug: str
    outlet: str
    span: str = Field(description="The Chinese as the article writes it")
    repost: bool = Field(default=False, description="The article reposts another of the story")


class StoryValue(_Model):
    value: float | str
    unit: str | None
    english: str
    stated_by: list[StatedBy] = Field(description="Each article that states this value (copies included, marked)")

    @property
    def outlets(self) -> list[str]:
        """The outlets that state it independently (a repost confirms nothing)."""
        return sorted({s.outlet for s in self.stated_by if not s.repost})


class StoryFigure(_Model):
    measure: str
    measure_en: str
    kind: str
    values: list[StoryValue]
    conflict: Literal["value", "date", "currency"] | None = Field(
        default=None, description="value/date: independent outlets give values that differ beyond rounding; currency: "
        "they give it in different currencies (no conversion is made)")
    disputes: list[tuple[int, int]] = Field(default_factory=list, description="Pairs of `values` (indices) that "
                                            "disagree")


class Story(_Model):
    id: str = Field(description="The slug of its earliest article: stable as articles join")
    lead: str = Field(description="The article whose English title and summary the story shows")
    title: str
    title_en: str | None = None
    summary_en: list[str] = Field(default_factory=list)
    articles: list[StoryArticle]
    figures: list[StoryFigure] = Field(default_factory=list)
    conflicts: int = 0
    rounding_rule: str = ("values agree when they meet after rounding: a value covers half a step of its last "
                          "significant digit (1700万: hundreds of 万); about ±5%, over/at least up to +10%, "
                          "nearly/under/up to down to −10% for values of one or two significant digits")

    @property
    def outlets(self) -> list[str]:
        return sorted({a.outlet or "unknown outlet" for a in self.articles if a.copy_of is None})
