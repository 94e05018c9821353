"""Span-level scores on character-level BIO NER files (MSRA format)."""

from __future__ import annotations

from pathlib import Path

from .scores import Report

NER_TYPE_MAP = {"PERSON": "PER", "GPE": "LOC", "LOC": "LOC", "ORG": "ORG"}


def read_bio(path: str | Path) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Char-level BIO file -> [(sentence, [(start, end, type), ...])]."""
    sentences: list[tuple[str, list[tuple[int, int, str]]]] = []
    chars: list[str] = []
    spans: list[tuple[int, int, str]] = []
    open_span: list | None = None

    def flush() -> None:
        nonlocal chars, spans, open_span
        if open_span:
            spans.append(tuple(open_span))  # type: ignore[arg-type]
        if chars:
            sentences.append(("".join(chars), spans))
        chars, spans, open_span = [], [], None

    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            flush()
            continue
        char, _, tag = line.partition("\t") if "\t" in line else line.rpartition(" ")
        char = char or " "
        tag = tag.strip()
        index = len(chars)
        chars.append(char[0])
        if tag.startswith("B-") or (tag.startswith("I-") and (open_span is None or open_span[2] != tag[2:])):
            if open_span:
                spans.append(tuple(open_span))  # type: ignore[arg-type]
            open_span = [index, index + 1, tag[2:]]
        elif tag.startswith("I-") and open_span is not None:
            open_span[1] = index + 1
        else:
            if open_span:
                spans.append(tuple(open_span))  # type: ignore[arg-type]
            open_span = None
    flush()
    return sentences


def score_ner(gold: list[tuple[str, list[tuple[int, int, str]]]],
              predicted: list[list[tuple[int, int, str]]]) -> Report:
    """Exact span-level precision/recall/F1 per type."""
    report = Report("NER (span level)")
    for (sentence, gold_spans), pred_spans in zip(gold, predicted, strict=True):
        gold_set, pred_set = set(gold_spans), set(pred_spans)
        for start, end, label in gold_set:
            score = report.by_label[label]
            score.gold += 1
            if (start, end, label) in pred_set:
                score.gold_found += 1
            elif len(report.missed) < 200:
                report.missed.append(f"{sentence[start:end]} ({label})")
        for start, end, label in pred_set:
            score = report.by_label[label]
            score.predicted += 1
            if (start, end, label) in gold_set:
                score.predicted_correct += 1
            elif len(report.spurious) < 200:
                report.spurious.append(f"{sentence[start:end]} ({label})")
    return report


