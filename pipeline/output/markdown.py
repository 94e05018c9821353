"""Markdown: one brief, and the digest of a folder. Article text is escaped: it is data, not markup."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

from ..schema import Brief
from .fields import (
    faithfulness_line,
    figure_english,
    figure_subject,
    keywords_english,
    printable,
    published_text,
    source_text,
    visible,
)

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#])")


def md_escape(text: str) -> str:  # article-derived text only, after fields.visible
    """Escape Markdown syntax in article-derived text (it is data, not markup)."""
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def to_markdown(brief: Brief) -> str:
    brief = visible(brief)
    meta = brief.meta
    lines = [f"# {md_escape(meta.title_en or meta.title)}", ""]
    if meta.title_en:
        lines += [f"*{md_escape(meta.title)}*", ""]
    lines += [f"**Source:** {md_escape(source_text(brief))} · **Published:** {published_text(brief)}"]
    if meta.file:
        lines += [f"**File:** {md_escape(meta.file)}"]
    lines.append("")
    if brief.key_facts:
        lines += ["## Key facts", "", "*Stated by rule from the fact sheet, no model.*", ""]
        lines += [f"- {md_escape(fact.text)}" for fact in brief.key_facts] + [""]
    if brief.summary_en:
        lines += ["## Summary", ""] + [f"- {md_escape(b)}" for b in brief.summary_en] + [""]
        if brief.faithfulness:
            lines += [f"*{faithfulness_line(brief)}*", ""]
    if any(k.english for k in brief.keywords):
        lines += [f"**Keywords:** {md_escape(keywords_english(brief))}", ""]
    lines += ["## Key figures", ""]
    if brief.figures:
        lines += ["| Figure | English | Kind | Measures | Period |", "|---|---|---|---|---|"]
        for f in sorted(brief.figures, key=lambda f: -f.salience):
            lines.append(
                f"| {md_escape(f.text)} | {md_escape(figure_english(f))} | {f.kind} | "
                f"{md_escape(figure_subject(f))} | {md_escape(f.period or '')} |"
            )
    else:
        lines.append("No figures extracted.")
    lines += ["", "## Named entities", ""]
    if brief.entities:
        lines += ["| English | Source form | Type | Mentions | Role |", "|---|---|---|---|---|"]
        for e in sorted(brief.entities, key=lambda e: -e.salience):
            english = e.english + (" (pinyin)" if e.english_source == "pinyin" else "")
            lines.append(
                f"| {md_escape(english)} | {md_escape(e.text)} | {e.type} | {e.count} | "
                f"{md_escape(e.role_en or '')} |"
            )
    else:
        lines.append("No entities extracted.")
    if brief.warnings:
        lines += ["", "## Warnings", ""] + [f"- **{w.code}**: {md_escape(w.message)}" for w in brief.warnings]
    return "\n".join(lines) + "\n"


def _anchor(slug: str) -> str:
    return slug.lower()


class StoryMark(NamedTuple):
    """What a digest page says of an article's story: one entry per story, 'reported by N outlets'."""

    id: str
    outlets: tuple[str, ...]
    conflicts: int


def digest_markdown(briefs: list[tuple[str, Brief]], top_figures: int = 5, *, heading: str = "newsbrief digest",
                    brief_link_prefix: str = "", stories: Mapping[str, StoryMark] | None = None) -> str:
    """Briefs (a day's, in a folder's digest), newest first, with a table of contents; each links to its
    full brief at `brief_link_prefix` + slug + `.md`. With `stories` (slug -> its story), the articles of one
    story are one entry, 'reported by N outlets', linking the others and the story in stories.md."""
    briefs = [(printable(slug), visible(brief)) for slug, brief in briefs]
    from datetime import datetime

    ordered = sorted(briefs, key=lambda pair: (pair[1].meta.published is None,
                                               -(pair[1].meta.published or datetime.min).timestamp()
                                               if pair[1].meta.published else 0, pair[0]))
    count = f"{len(ordered)} article{'s' if len(ordered) != 1 else ''}"
    lines = [f"# {md_escape(heading)}", "", f"{count}, newest first.", ""]
    if not ordered:
        lines.append("No articles briefed yet.")
        return "\n".join(lines) + "\n"
    stories = stories or {}
    members: dict[str, list[tuple[str, Brief]]] = {}
    for slug, brief in ordered:
        if slug in stories:
            members.setdefault(stories[slug].id, []).append((slug, brief))
    shown = [(slug, brief) for slug, brief in ordered
             if slug not in stories or members[stories[slug].id][0][0] == slug]  # one entry per story
    lines += ["## Contents", ""]
    for slug, brief in shown:
        title = md_escape(brief.meta.title_en or brief.meta.title)
        source = md_escape(source_text(brief))
        reported = f" — reported by {len(stories[slug].outlets)} outlets" if slug in stories else ""
        lines.append(f"- [{title}](#{_anchor(slug)}) — {source}, {published_text(brief)}{reported}")
    for slug, brief in shown:
        meta = brief.meta
        lines += ["", f'<a id="{_anchor(slug)}"></a>', "", f"## {md_escape(meta.title_en or meta.title)}", ""]
        if meta.title_en:
            lines += [f"*{md_escape(meta.title)}*", ""]
        lines += [f"**Source:** {md_escape(source_text(brief))} · **Published:** {published_text(brief)} · "
                  f"[full brief]({brief_link_prefix}{slug}.md)", ""]
        if slug in stories:
            mark = stories[slug]
            disagree = f"; **{mark.conflicts} figure(s) disagree**" if mark.conflicts else ""
            lines += [f"**Reported by {len(mark.outlets)} outlets** ({md_escape(printable(', '.join(mark.outlets)))})"
                      f"{disagree} · [the story]({brief_link_prefix}stories.md#{_anchor(mark.id)})", ""]
            for other, other_brief in members[mark.id][1:]:
                lines.append(f"- also: [{md_escape(other_brief.meta.title_en or other_brief.meta.title)}]"
                             f"({brief_link_prefix}{other}.md) — {md_escape(source_text(other_brief))}")
            lines += [""] if len(members[mark.id]) > 1 else []
        if brief.summary_en:
            lines += [f"- {md_escape(b)}" for b in brief.summary_en] + [""]
        top = sorted(brief.figures, key=lambda f: -f.salience)[:top_figures]
        if brief.key_facts:  # stated by rule: what can be quoted
            lines += ["Key facts:", ""] + [f"- {md_escape(fact.text)}" for fact in brief.key_facts]
        elif top:
            lines += ["Key figures:", ""]
            for f in top:
                what = f.subject_en
                lines.append(f"- **{md_escape(figure_english(f))}**" + (f" — {md_escape(what)}" if what else "")
                             + f" (`{f.text.replace('`', '')}`)")
        entities = ", ".join(md_escape(e.english) for e in brief.entities[:8])
        if entities:
            lines += ["", f"Entities: {entities}"]
    return "\n".join(lines) + "\n"




def digest_index_markdown(days: list[tuple[str, int, list[tuple[str, str]]]], pages: str,
                          stories: int | None = None) -> str:
    """The digest of a folder: its days, newest first, each with its number of briefs, a few titles and a link
    to the day's page (`pages` + day + `.md`); and, when known, how many events several articles report."""
    total = sum(count for _, count, _ in days)
    lines = ["# newsbrief digest", "", f"{total} article{'s' if total != 1 else ''} on {len(days)} "
             f"day{'s' if len(days) != 1 else ''}, newest first; each day's briefs are on its own page.", ""]
    if stories:
        lines += [f"{stories} event{'s' if stories != 1 else ''} reported by more than one article, with the "
                  "figures the outlets disagree on: [stories](stories.md).", ""]
    if not days:
        lines.append("No articles briefed yet.")
    for day, count, titles in days:
        shown = "; ".join(md_escape(printable(title)) for _, title in titles)
        more = f" and {count - len(titles)} more" if count > len(titles) else ""
        lines.append(f"- [{day}]({pages}{day}.md): {count} article{'s' if count != 1 else ''}: {shown}{more}")
    return "\n".join(lines) + "\n"
