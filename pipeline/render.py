"""Rendering, apart from extraction: rich renderables, Markdown and JSON for a :class:`Brief`.

Article text is data: it is always wrapped in ``rich.text.Text`` (never parsed as markup)
and escaped in Markdown.
"""

from __future__ import annotations

import json
import re

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .schema import Brief, Figure, brief_json_schema

MAX_TABLE_ROWS = 15


def _published(brief: Brief) -> str:
    when, precision = brief.meta.published, brief.meta.published_precision
    if when is None:
        return "date unknown"
    fmt = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d", "minute": "%Y-%m-%d %H:%M"}.get(
        precision or "", "%Y-%m-%d %H:%M:%S"
    )
    return when.strftime(fmt)


def _snippet(brief: Brief, figure: Figure, width: int = 18) -> str:
    """The figure in its sentence, cut to a few characters either side."""
    if figure.sentence >= len(brief.sentences):
        return figure.text
    sentence = brief.sentences[figure.sentence]
    start, end = figure.start - sentence.start, figure.end - sentence.start
    left = sentence.text[max(0, start - width):start]
    right = sentence.text[end:end + width]
    prefix = "…" if start > width else ""
    suffix = "…" if end + width < len(sentence.text) else ""
    return prefix + left + figure.text + right + suffix


def _format_value(figure: Figure) -> str:
    if isinstance(figure.value, float):
        value = f"{figure.value:,.6g}" if abs(figure.value) < 1e6 else f"{figure.value:,.0f}"
    else:
        value = str(figure.value) if figure.value is not None else "—"
    if figure.low is not None or figure.high is not None:
        value = f"{figure.low if figure.low is not None else '?':,}–{figure.high if figure.high is not None else '?':,}"
    return f"{value} {figure.unit}" if figure.unit and figure.kind in ("money", "count") else value


def faithfulness_line(brief: Brief) -> str:
    f = brief.faithfulness
    if f is None:
        return ""
    parts = [f"English by {f.model}", f"{f.numbers_checked} numbers checked against the fact sheet"]
    if f.numbers_repaired:
        parts.append(f"{f.numbers_repaired} repaired by a retry")
    if f.sentences_dropped or f.sentences_replaced:
        parts.append(f"{f.sentences_dropped} dropped, {f.sentences_replaced} rebuilt from rules")
    return "; ".join(parts)


class BriefView:
    """A rich renderable for one brief: header, summary, keywords, figures and entities."""

    def __init__(self, brief: Brief, *, max_rows: int = MAX_TABLE_ROWS) -> None:
        self.brief = brief
        self.max_rows = max_rows

    def header(self) -> Panel:
        meta = self.brief.meta
        body = Text()
        if meta.title_en:
            body.append(meta.title_en + "\n", style="bold")
        body.append(meta.title, style="bold" if not meta.title_en else "")
        body.append("\n")
        body.append(meta.source or "source unknown", style="cyan")
        body.append("  ·  ")
        body.append(_published(self.brief), style="green")
        if meta.file:
            body.append("  ·  ")
            body.append(meta.file, style="dim")
        return Panel(body, title="newsbrief", title_align="left", border_style="blue")

    def summary(self) -> Text | None:
        if not self.brief.summary_en:
            return None
        text = Text("Summary\n", style="bold")
        for bullet in self.brief.summary_en:
            text.append("• ")
            text.append(bullet)
            text.append("\n")
        if self.brief.faithfulness:
            text.append(faithfulness_line(self.brief) + "\n", style="dim")
        return text

    def keywords(self) -> Text:
        text = Text("Keywords: ", style="bold")
        if not self.brief.keywords:
            return text.append("none", style="dim")
        return text.append("、".join(k.word for k in self.brief.keywords))

    def figures_table(self) -> Table:
        figures = sorted(self.brief.figures, key=lambda f: -f.salience)[: self.max_rows]
        table = Table(title=f"Key figures ({len(self.brief.figures)})", title_justify="left", expand=True)
        table.add_column("Figure", overflow="fold", ratio=2)
        table.add_column("Value", overflow="fold", ratio=2)
        table.add_column("English", overflow="fold", ratio=3)
        table.add_column("Measures", overflow="fold", ratio=2)
        table.add_column("In context", overflow="fold", ratio=4)
        for figure in figures:
            table.add_row(
                Text(figure.text),
                Text(f"{figure.kind}: {_format_value(figure)}"),
                Text(figure.english),
                Text(figure.subject_en or figure.subject or ""),
                Text(_snippet(self.brief, figure)),
            )
        if not figures:
            table.add_row(Text("no figures extracted", style="dim"), "", "", "", "")
        return table

    def entities_table(self) -> Table:
        entities = sorted(self.brief.entities, key=lambda e: -e.salience)[: self.max_rows]
        table = Table(title=f"Named entities ({len(self.brief.entities)})", title_justify="left", expand=True)
        table.add_column("English", overflow="fold", ratio=3)
        table.add_column("Chinese / source form", overflow="fold", ratio=3)
        table.add_column("Type", ratio=1)
        table.add_column("Mentions", justify="right", ratio=1)
        table.add_column("Role", overflow="fold", ratio=3)
        for entity in entities:
            english = Text(entity.english)
            if entity.english_source == "pinyin":
                english.append(" (pinyin)", style="dim")
            table.add_row(
                english, Text(entity.text), Text(entity.type), Text(str(entity.count)),
                Text(entity.role_en or entity.role or ""),
            )
        if not entities:
            table.add_row(Text("no entities extracted", style="dim"), "", "", "", "")
        return table

    def warnings(self) -> Text | None:
        if not self.brief.warnings:
            return None
        text = Text("Warnings\n", style="bold yellow")
        for warning in self.brief.warnings:
            text.append(f"• [{warning.code}] ", style="yellow")
            text.append(warning.message + "\n")
        return text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        parts = [self.header(), self.summary(), self.keywords(), self.figures_table(), self.entities_table(),
                 self.warnings()]
        yield Group(*(p for p in parts if p is not None))


# --------------------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#])")


def md_escape(text: str) -> str:
    """Escape Markdown syntax in article-derived text (it is data, not markup)."""
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def to_markdown(brief: Brief) -> str:
    meta = brief.meta
    lines = [f"# {md_escape(meta.title_en or meta.title)}", ""]
    if meta.title_en:
        lines += [f"*{md_escape(meta.title)}*", ""]
    lines += [f"**Source:** {md_escape(meta.source or 'unknown')} · **Published:** {_published(brief)}"]
    if meta.file:
        lines += [f"**File:** `{meta.file.replace('`', '')}`"]
    lines.append("")
    if brief.summary_en:
        lines += ["## Summary", ""] + [f"- {md_escape(b)}" for b in brief.summary_en] + [""]
        if brief.faithfulness:
            lines += [f"*{faithfulness_line(brief)}*", ""]
    if brief.keywords:
        lines += [f"**Keywords:** {md_escape('、'.join(k.word for k in brief.keywords))}", ""]
    lines += ["## Key figures", ""]
    if brief.figures:
        lines += ["| Figure | English | Kind | Measures | Period |", "|---|---|---|---|---|"]
        for f in sorted(brief.figures, key=lambda f: -f.salience):
            lines.append(
                f"| {md_escape(f.text)} | {md_escape(f.english)} | {f.kind} | "
                f"{md_escape(f.subject_en or f.subject or '')} | {md_escape(f.period or '')} |"
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
                f"{md_escape(e.role_en or e.role or '')} |"
            )
    else:
        lines.append("No entities extracted.")
    if brief.warnings:
        lines += ["", "## Warnings", ""] + [f"- **{w.code}**: {md_escape(w.message)}" for w in brief.warnings]
    return "\n".join(lines) + "\n"


def _anchor(slug: str) -> str:
    return slug.lower()


def digest_markdown(briefs: list[tuple[str, Brief]], top_figures: int = 5) -> str:
    """All briefs of a batch, newest first, with a table of contents."""
    from datetime import datetime

    ordered = sorted(briefs, key=lambda pair: (pair[1].meta.published is None,
                                               -(pair[1].meta.published or datetime.min).timestamp()
                                               if pair[1].meta.published else 0, pair[0]))
    lines = ["# newsbrief digest", "", f"{len(ordered)} article{'s' if len(ordered) != 1 else ''}, newest first.", ""]
    if not ordered:
        lines.append("No articles briefed yet.")
        return "\n".join(lines) + "\n"
    lines += ["## Contents", ""]
    for slug, brief in ordered:
        title = md_escape(brief.meta.title_en or brief.meta.title)
        source = md_escape(brief.meta.source or "unknown")
        lines.append(f"- [{title}](#{_anchor(slug)}) — {source}, {_published(brief)}")
    for slug, brief in ordered:
        meta = brief.meta
        lines += ["", f'<a id="{_anchor(slug)}"></a>', "", f"## {md_escape(meta.title_en or meta.title)}", ""]
        if meta.title_en:
            lines += [f"*{md_escape(meta.title)}*", ""]
        lines += [f"**Source:** {md_escape(meta.source or 'unknown')} · **Published:** {_published(brief)} · "
                  f"[full brief]({slug}.md)", ""]
        if brief.summary_en:
            lines += [f"- {md_escape(b)}" for b in brief.summary_en] + [""]
        top = sorted(brief.figures, key=lambda f: -f.salience)[:top_figures]
        if top:
            lines += ["Key figures:", ""]
            for f in top:
                what = f.subject_en or f.subject
                lines.append(f"- **{md_escape(f.english)}**" + (f" — {md_escape(what)}" if what else "")
                             + f" (`{f.text.replace('`', '')}`)")
        entities = ", ".join(md_escape(e.english) for e in brief.entities[:8])
        if entities:
            lines += ["", f"Entities: {entities}"]
    return "\n".join(lines) + "\n"


def to_json(brief: Brief) -> str:
    return brief.model_dump_json(indent=2) + "\n"


def schema_json() -> str:
    return json.dumps(brief_json_schema(), indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- evaluation


def report_table(report) -> Table:  # report: pipeline.evaluate.Report
    """Precision/recall/F1 per label, overall last."""
    table = Table(title=report.title, title_justify="left")
    for column in ("label", "gold", "found", "predicted", "correct", "precision", "recall", "F1"):
        table.add_column(column, justify="left" if column == "label" else "right")
    rows = sorted(report.by_label.items())
    for label, score in [*rows, ("overall", report.overall)]:
        table.add_row(
            Text(label, style="bold" if label == "overall" else ""), str(score.gold), str(score.gold_found),
            str(score.predicted), str(score.predicted_correct), f"{score.precision:.3f}", f"{score.recall:.3f}",
            f"{score.f1:.3f}",
        )
    return table
