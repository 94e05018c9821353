"""Stories rendered: Markdown (OUT/stories.md), JSON (OUT/stories.json) and a rich table."""

from __future__ import annotations

import json

from rich.table import Table
from rich.text import Text

from ..stories.model import Story
from .fields import printable
from .markdown import md_escape


def stories_json(stories: list[Story]) -> str:
    return json.dumps([s.model_dump(mode="json") for s in stories], ensure_ascii=False, indent=1) + "\n"


def _day(story: Story) -> str:
    days = sorted(a.published.strftime("%Y-%m-%d") for a in story.articles if a.published)
    return days[0] if days else "undated"


def _value(value) -> str:
    copies = sum(1 for s in value.stated_by if s.repost)
    return f"{value.english}: {', '.join(value.outlets)}" + (f" (and {copies} repost{'s' if copies > 1 else ''})"
                                                             if copies else "")


def stories_markdown(stories: list[Story]) -> str:
    """One entry per story: its lead's English (or Chinese) title, the outlets with their dates, the figures
    the outlets state, and a warning where they disagree."""
    lines = ["# newsbrief stories", "", f"{len(stories)} event{'s' if len(stories) != 1 else ''} reported by more "
             "than one article, newest first. Figures: each value with the outlets that state it.", ""]
    for story in stories:
        outlets = story.outlets
        title = md_escape(printable(story.title_en or story.title))
        lines += [f'<a id="{story.id.lower()}"></a>', "", f"## {title}", "",
                  f"Reported by {len(outlets)} outlet{'s' if len(outlets) != 1 else ''} from {_day(story)}"
                  + (f"; **{story.conflicts} figure{'s' if story.conflicts != 1 else ''} disagree**"
                     if story.conflicts else "") + ".", ""]
        lines += [f"- {md_escape(printable(bullet))}" for bullet in story.summary_en] + ([""] if story.summary_en
                                                                                       else [])
        for article in story.articles:
            when = article.published.strftime("%Y-%m-%d") if article.published else "undated"
            copy = f" (a copy of [{article.copy_of}]({article.copy_of}.md))" if article.copy_of else ""
            lines.append(f"- {md_escape(printable(article.outlet or 'unknown outlet'))}, {when}: "
                         f"[{md_escape(printable(article.title_en or article.title))}]({article.slug}.md){copy}")
        if story.figures:
            lines += ["", "| Measure | Values (outlets) | |", "|---|---|---|"]
            for figure in story.figures:
                values = "; ".join(md_escape(printable(_value(v))) for v in figure.values)
                warning = {"value": "**disagree**", "date": "**dates disagree**",
                           "currency": "different currencies"}.get(figure.conflict or "", "")
                lines.append(f"| {md_escape(figure.measure_en)} | {values} | {warning} |")
        lines.append("")
    if stories:
        lines += [f"*Rounding rule: {stories[0].rounding_rule}.*"]
    return "\n".join(lines) + "\n"


def stories_table(stories: list[Story]) -> Table:
    table = Table(title=f"{len(stories)} stories", title_justify="left", expand=True)
    table.add_column("first", style="newsbrief.date", no_wrap=True)
    table.add_column("story", ratio=3)
    table.add_column("outlets", ratio=2)
    table.add_column("figures that disagree", ratio=3)
    for story in stories:
        conflicts = "; ".join(f"{f.measure_en}: " + " vs ".join(v.english for v in f.values)
                              for f in story.figures if f.conflict in ("value", "date"))
        table.add_row(_day(story), Text(printable(story.title_en or story.title)),
                      Text(printable(", ".join(story.outlets))), Text(printable(conflicts), style="newsbrief.warning"))
    return table
