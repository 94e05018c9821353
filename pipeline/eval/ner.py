"""Span-level scores on NER test sets: character-level BIO files (MSRA format) and CLUENER JSON lines."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import NewsbriefError
from .scores import Report

NER_TYPE_MAP = {"PERSON": "PER", "GPE": "LOC", "LOC": "LOC", "ORG": "ORG"}
# CLUENER2020's types onto the test sets' PER/LOC/ORG (the mapping); the rest are not scored.
CLUENER_TYPE_MAP = {"name": "PER", "company": "ORG", "organization": "ORG", "government": "ORG", "address": "LOC"}


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


def read_cluener(path: str | Path) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """CLUENER2020 JSON lines ({"text", "label": {type: {entity: [[start, end_inclusive]]}}}) ->
    [(sentence, [(start, end, type), ...])], end exclusive. Flat spans only: of nested ones (a
    company inside a book title) the longer is kept."""
    sentences = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        spans = sorted(
            ((start, end + 1, label) for label, entities in (record.get("label") or {}).items()
             for positions in entities.values() for start, end in positions),
            key=lambda s: (-(s[1] - s[0]), s[0]),
        )
        flat: list[tuple[int, int, str]] = []
        for span in spans:
            if all(span[1] <= other[0] or other[1] <= span[0] for other in flat):
                flat.append(span)
        sentences.append((record["text"], sorted(flat)))
    return sentences


def read_ner_file(path: str | Path) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """A test set as PER/LOC/ORG spans: BIO (MSRA) as it is, CLUENER JSON lines with mapped types."""
    return read_test_set(path)[0]


def read_test_set(path: str | Path) -> tuple[list[tuple[str, list[tuple[int, int, str]]]],
                                             list[list[tuple[int, int, str]]]]:
    """The test set read once: its sentences with PER/LOC/ORG spans (`read_ner_file`), and per sentence
    its entities of types the mapping does not score (CLUENER's scene, game, book, movie, position;
    none in a BIO file, which has only PER/LOC/ORG)."""
    path = Path(path)
    try:
        bio = path.suffix not in (".jsonl", ".json")
        read = [(text, spans) for text, spans in read_bio(path)] if bio else read_cluener(path)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise NewsbriefError(f"{path}: not a readable test set ({type(exc).__name__}: {str(exc)[:120]})") from None
    if not read:
        raise NewsbriefError(f"{path}: no sentences in this test set")
    if bio:
        return read, [[] for _ in read]
    scored = [(text, [(s, e, CLUENER_TYPE_MAP[t]) for s, e, t in spans if t in CLUENER_TYPE_MAP])
              for text, spans in read]
    return scored, [[span for span in spans if span[2] not in CLUENER_TYPE_MAP] for _, spans in read]


@dataclass
class SpuriousBreakdown:
    """Where the spans that score as spurious lie: how much of a test set's precision is its conventions
    (entity types it does not score, names it leaves unlabelled) rather than wrong names."""

    on_unscored: Counter[str] = field(default_factory=Counter)  # by the test set's type there
    against_gold: int = 0  # overlapping a scored gold span: other bounds or another type
    unlabelled: Counter[str] = field(default_factory=Counter)  # by surface: no annotation anywhere there


def spurious_breakdown(gold: list[tuple[str, list[tuple[int, int, str]]]], predicted: list[list[tuple[int, int, str]]],
                       unscored: list[list[tuple[int, int, str]]]) -> SpuriousBreakdown:
    """Sort every predicted span that is not a gold span by what lies under it."""
    breakdown = SpuriousBreakdown()
    for (sentence, gold_spans), pred_spans, other in zip(gold, predicted, unscored, strict=True):
        for start, end, _ in set(pred_spans) - set(gold_spans):
            on_other = [label for s, e, label in other if s < end and start < e]
            if on_other:
                breakdown.on_unscored[on_other[0]] += 1
            elif any(s < end and start < e for s, e, _ in gold_spans):
                breakdown.against_gold += 1
            else:
                breakdown.unlabelled[sentence[start:end]] += 1
    return breakdown


def entity_spans(entities) -> list[tuple[int, int, str]]:  # entities: list[pipeline.schema.Entity]
    """Every mention of the stage's entities as a test-set span (PER/LOC/ORG); other types are not scored."""
    return [(m.start, m.end, NER_TYPE_MAP[e.type]) for e in entities if e.type in NER_TYPE_MAP for m in e.mentions]


def model_spans(text: str, recogniser, heads: tuple[str, ...], resources) -> list[tuple[int, int, str]]:
    """The trained recogniser's spans as it decodes them, typed PER/LOC/ORG: what the model alone
    knows, before the entity stage's evidence (script, dictionary glosses, surnames) types or drops
    them. `recogniser`: a pipeline.entities.recogniser.Recogniser."""
    from ..dictionary import load_dictionary
    from ..entities.recognised import RECOGNISER_TYPES
    from ..segment import tokenize

    dictionary = load_dictionary()
    words = [(t.idx, t.idx + len(t.text)) for t in tokenize(text, resources)]
    found = recogniser.predict(text, words, dictionary.proper_forms, dictionary.longest_proper, heads=heads)
    return [(start, end, NER_TYPE_MAP[RECOGNISER_TYPES[head][label]])
            for head in heads for start, end, label in found[head] if label in RECOGNISER_TYPES[head]]


def score_ner(gold: list[tuple[str, list[tuple[int, int, str]]]],
              predicted: list[list[tuple[int, int, str]]]) -> Report:
    """Exact span-level precision/recall/F1 per type, and the confusion between types."""
    report = Report("NER (span level)")
    for (sentence, gold_spans), pred_spans in zip(gold, predicted, strict=True):
        gold_set, pred_set = set(gold_spans), set(pred_spans)
        pred_types = {(start, end): label for start, end, label in pred_set}
        for start, end, label in gold_set:
            score = report.by_label[label]
            score.gold += 1
            if (start, end, label) in pred_set:
                score.gold_found += 1
                continue
            if (start, end) in pred_types:
                report.confusion[(label, pred_types[(start, end)])] += 1
            if len(report.missed) < 200:
                report.missed.append(f"{sentence[start:end]} ({label})")
        for start, end, label in pred_set:
            score = report.by_label[label]
            score.predicted += 1
            if (start, end, label) in gold_set:
                score.predicted_correct += 1
            elif len(report.spurious) < 200:
                report.spurious.append(f"{sentence[start:end]} ({label})")
    return report


