"""The terminal: rich renderables for a brief and for evaluation reports.

Article text is data: it is always wrapped in ``rich.text.Text`` (never parsed as markup).
Colours are named styles of :data:`THEME`, not literals: a console that prints these views
is made by :func:`make_console`.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.errors import MissingStyle
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.theme import Theme

from ..schema import Brief
from .fields import (
    faithfulness_line,
    figure_english,
    figure_subject,
    format_value,
    keywords_english,
    printable,
    published_text,
    snippet,
    source_text,
    visible,
)

MAX_TABLE_ROWS = 15


THEME = Theme({
    "newsbrief.heading": "bold",
    "newsbrief.source": "cyan",
    "newsbrief.date": "green",
    "newsbrief.muted": "dim",
    "newsbrief.border": "blue",
    "newsbrief.warning": "yellow",
    "newsbrief.warning.heading": "bold yellow",
    "newsbrief.error": "red",
    "newsbrief.ok": "green",
    "newsbrief.rate": "cyan",
})


class _VisibleConsole(Console):
    """A console whose plain-string messages (paths, URLs, errors: anything a file name or a feed can
    carry) reach the terminal with control characters and bidi overrides made visible (ESC as ␛):
    the same escaping as titles. Renderables are newsbrief's own and escape their text themselves."""

    def print(self, *objects, **kwargs) -> None:  # type: ignore[override]
        super().print(*(printable(o) if isinstance(o, str) else o for o in objects), **kwargs)


def make_console(*, stderr: bool = False, **options) -> Console:
    """A console with newsbrief's theme; never highlights or interprets article text, and never
    lets a message's text act on the terminal."""
    return _VisibleConsole(stderr=stderr, theme=THEME, highlight=False, **options)


class Themed:
    """Renders its content with newsbrief's theme on any console: a console that already defines
    the newsbrief styles (a user's own theme) keeps them."""

    def __init__(self, renderable) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        try:
            console.get_style("newsbrief.heading")
        except MissingStyle:
            console.push_theme(THEME)
            try:
                yield self.renderable
            finally:
                console.pop_theme()
        else:
            yield self.renderable


class BriefView:
    """A rich renderable for one brief: header, summary, keywords, figures and entities."""

    def __init__(self, brief: Brief, *, max_rows: int = MAX_TABLE_ROWS) -> None:
        self.brief = visible(brief)
        self.max_rows = max_rows

    def header(self) -> Panel:
        meta = self.brief.meta
        body = Text()
        if meta.title_en:
            body.append(meta.title_en + "\n", style="newsbrief.heading")
        body.append(meta.title, style="newsbrief.heading" if not meta.title_en else "")
        body.append("\n")
        body.append(source_text(self.brief) if meta.source else "source unknown", style="newsbrief.source")
        body.append("  ·  ")
        body.append(published_text(self.brief), style="newsbrief.date")
        if meta.file:
            body.append("  ·  ")
            body.append(meta.file, style="newsbrief.muted")
        return Panel(body, title="newsbrief", title_align="left", border_style="newsbrief.border")

    def summary(self) -> Text | None:
        if not self.brief.summary_en:
            return None
        text = Text("Summary\n", style="newsbrief.heading")
        for bullet in self.brief.summary_en:
            text.append("• ")
            text.append(bullet)
            text.append("\n")
        if self.brief.faithfulness:
            text.append(faithfulness_line(self.brief) + "\n", style="newsbrief.muted")
        return text

    def key_facts(self) -> Text | None:
        """The fact sheet's key facts, stated by rule: what an analyst can quote."""
        if not self.brief.key_facts:
            return None
        text = Text("Key facts ", style="newsbrief.heading")
        text.append("(stated by rule from the fact sheet, no model)\n", style="newsbrief.muted")
        for fact in self.brief.key_facts:
            text.append("• ")
            text.append(fact.text)
            text.append("\n")
        return text

    def keywords(self) -> Text:
        text = Text("Keywords: ", style="newsbrief.heading")
        if not any(k.english for k in self.brief.keywords):
            return text.append("none in English", style="newsbrief.muted")
        return text.append(keywords_english(self.brief))

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
                Text(f"{figure.kind}: {format_value(figure)}"),
                Text(figure_english(figure)),
                Text(figure_subject(figure)),
                Text(snippet(self.brief, figure)),
            )
        if not figures:
            table.add_row(Text("no figures extracted", style="newsbrief.muted"), "", "", "", "")
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
                english.append(" (pinyin)", style="newsbrief.muted")
            table.add_row(
                english, Text(entity.text), Text(entity.type), Text(str(entity.count)),
                Text(entity.role_en or ""),
            )
        if not entities:
            table.add_row(Text("no entities extracted", style="newsbrief.muted"), "", "", "", "")
        return table

    def warnings(self) -> Text | None:
        if not self.brief.warnings:
            return None
        text = Text("Warnings\n", style="newsbrief.warning.heading")
        for warning in self.brief.warnings:
            text.append(f"• [{warning.code}] ", style="newsbrief.warning")
            text.append(warning.message + "\n")
        return text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        parts = [self.header(), self.key_facts(), self.summary(), self.keywords(), self.figures_table(),
                 self.entities_table(),
                 self.warnings()]
        yield Themed(Group(*(p for p in parts if p is not None)))


def report_table(report) -> Themed:  # report: pipeline.eval.scores.Report
    """Precision/recall/F1 per label, overall last."""
    table = Table(title=report.title, title_justify="left")
    for column in ("label", "gold", "found", "predicted", "correct", "precision", "recall", "F1"):
        table.add_column(column, justify="left" if column == "label" else "right")
    rows = sorted(report.by_label.items())
    for label, score in [*rows, ("overall", report.overall)]:
        table.add_row(
            Text(label, style="newsbrief.heading" if label == "overall" else ""), str(score.gold),
            str(score.gold_found), str(score.predicted), str(score.predicted_correct), f"{score.precision:.3f}",
            f"{score.recall:.3f}", f"{score.f1:.3f}",
        )
    return Themed(table)


def confusion_table(report) -> Themed:  # report: pipeline.eval.scores.Report
    """Gold type (rows) against predicted type (columns) for spans whose boundaries were right."""
    labels = sorted({label for pair in report.confusion for label in pair} | set(report.by_label))
    table = Table(title="Right boundaries, wrong type (gold → predicted)", title_justify="left")
    table.add_column("gold")
    for label in labels:
        table.add_column(label, justify="right")
    for gold in labels:
        table.add_row(gold, *(str(report.confusion.get((gold, p), 0)) if p != gold else "·" for p in labels))
    return Themed(table)


def case_table(report) -> Themed:  # report: pipeline.eval.cases.CaseReport
    """Figure wordings per family: right, flagged, missed, wrong (a confident wrong value), rate right."""
    table = Table(title="Figure wordings per family", title_justify="left")
    for column in ("family", "cases", "right", "flagged", "missed", "wrong", "right %"):
        table.add_column(column, justify="left" if column == "family" else "right")
    rows = sorted(report.by_family.items())
    for family, counts in [*rows, ("all", report.total())]:
        table.add_row(
            Text(family, style="newsbrief.heading" if family == "all" else ""), str(counts.total()),
            str(counts["right"]), str(counts["flagged"]), str(counts["missed"]),
            Text(str(counts["wrong"]), style="newsbrief.error" if counts["wrong"] else ""),
            f"{100 * counts['right'] / counts.total():.1f}" if counts.total() else "-",
        )
    return Themed(table)
