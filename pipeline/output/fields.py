"""Small renderings that every output shares: safe text, the publish date, a figure in context, its value."""

from __future__ import annotations

from typing import Any

from ..ingest.clean import BIDI_CONTROLS
from ..schema import Brief, Figure

# Control characters become their visible Unicode pictures (ESC -> ␛), C1 controls and bidirectional
# overrides the replacement character: one character for one, so offsets into the text stay valid.
_VISIBLE = {**{code: 0x2400 + code for code in range(0x20) if code not in (0x09, 0x0A)}, 0x7F: 0x2421,
            **{code: 0xFFFD for code in range(0x80, 0xA0)},
            **{ord(ch): 0xFFFD for ch in BIDI_CONTROLS}}


def printable(text: str) -> str:
    """Text that cannot act on a terminal, a Markdown viewer or a spreadsheet as control codes."""
    return text.translate(_VISIBLE)


def _visible_value(value: Any) -> Any:
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list):
        return [_visible_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _visible_value(v) for k, v in value.items()}
    return value


def visible(brief: Brief) -> Brief:
    """A copy of a brief with every string made printable: what the renderers show. A brief may come
    from a file, a server or a model, so the renderers never trust its text."""
    return Brief.model_validate(_visible_value(brief.model_dump()))


def published_text(brief: Brief) -> str:
    when, precision = brief.meta.published, brief.meta.published_precision
    if when is None:
        return "date unknown"
    fmt = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d", "minute": "%Y-%m-%d %H:%M"}.get(
        precision or "", "%Y-%m-%d %H:%M:%S"
    )
    return when.strftime(fmt)


def snippet(brief: Brief, figure: Figure, width: int = 18) -> str:
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


def figure_english(figure: Figure) -> str:
    """A figure's English as a reader sees it in a table: a forecast says so (预计全年营收将达5亿元 is
    not RMB 500 million earned), and so does a wording that reads two ways."""
    english = figure.english + (" (forecast)" if figure.forecast else "")
    return english + (f" (uncertain: {figure.uncertain})" if figure.uncertain else "")


def figure_subject(figure: Figure) -> str:
    """What a figure measures, in English; where no English could be given, the Chinese marked so
    rather than a guess (the writer's model gives English to the rest when the summary is on)."""
    if figure.subject_en or not figure.subject:
        return figure.subject_en or ""
    return f"{figure.subject} (no English)"


def format_value(figure: Figure) -> str:
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
    parts = [f"English by {f.model}", f"{f.numbers_checked} numbers checked against their sentence's figures",
             f"{f.figure_phrases_checked} figure relations checked"]
    if f.numbers_repaired:
        parts.append(f"{f.numbers_repaired} repaired by a retry")
    if f.sentences_dropped or f.sentences_replaced:
        parts.append(f"{f.sentences_dropped} dropped, {f.sentences_replaced} rebuilt from rules")
    return "; ".join(parts)


def source_text(brief: Brief) -> str:
    """The publisher in English with its own form: '36Kr (36氪)'; as written when no English is known."""
    meta = brief.meta
    if meta.source_en:
        return f"{meta.source_en} ({meta.source})"
    return meta.source or "unknown"


def keywords_english(brief: Brief) -> str:
    """The keywords in English, each with its source form: 'second-hand luxury goods (二手奢侈品)'."""
    return ", ".join(k.english if k.english == k.word else f"{k.english} ({k.word})"
                     for k in brief.keywords if k.english)


