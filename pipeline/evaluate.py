"""Scoring against hand-annotated gold files (the format of ../shared/gold/*.json).

A figure matches a gold figure when its span covers the gold text, the kind agrees and
the value agrees within 0.5% (dates and periods compare as ISO strings). Precision counts
extracted figures that match some gold figure; recall counts gold figures matched.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import NewsbriefError
from .schema import Brief, Entity, Figure

_PROJECT_ROOT = Path(__file__).resolve().parent.parent
VALUE_TOLERANCE = 0.005


@dataclass
class Score:
    """Counts for one row of a precision/recall table."""

    predicted: int = 0
    predicted_correct: int = 0
    gold: int = 0
    gold_found: int = 0

    @property
    def precision(self) -> float:
        return self.predicted_correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.gold_found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    """Per-label scores plus the errors worth looking at."""

    title: str
    by_label: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    @property
    def overall(self) -> Score:
        total = Score()
        for score in self.by_label.values():
            total.predicted += score.predicted
            total.predicted_correct += score.predicted_correct
            total.gold += score.gold
            total.gold_found += score.gold_found
        return total


@dataclass(frozen=True)
class GoldFile:
    path: Path
    article: Path
    data: dict


def load_gold(path: str | Path) -> GoldFile:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NewsbriefError(f"{path}: cannot read gold file ({exc})") from None
    relative = data.get("article", "")
    for base in (path.parent.parent, _PROJECT_ROOT.parent / "shared", Path.cwd()):
        candidate = base / relative
        if relative and candidate.is_file():
            return GoldFile(path, candidate, data)
    raise NewsbriefError(f"{path}: article {relative!r} not found (expected under ../shared)")


def _numbers_agree(predicted: float | None, gold: float | None) -> bool:
    if predicted is None or gold is None:
        return predicted is None and gold is None
    if gold == 0:
        return abs(predicted) < 1e-9
    return abs(predicted - gold) <= VALUE_TOLERANCE * abs(gold)


def figure_value_agrees(figure: Figure, gold: dict) -> bool:
    value = gold.get("value")
    if value is None:
        if "low" in gold or "high" in gold:
            return _numbers_agree(figure.low, gold.get("low")) and _numbers_agree(figure.high, gold.get("high"))
        return True
    if isinstance(value, str):
        if not isinstance(figure.value, str):
            return False
        # A range may stand for its ends (the gold allows 2022年至2031年 as one period or two).
        return figure.value == value or (value in figure.value.split("/") and "/" not in value)
    return isinstance(figure.value, float | int) and _numbers_agree(float(figure.value), float(value))


def figure_matches(figure: Figure, gold: dict) -> bool:
    return gold["text"] in figure.text and figure.kind == gold["kind"] and figure_value_agrees(figure, gold)


def _score(
    title: str,
    pairs: Iterable[tuple[Brief, dict]],
    gold_key: str,
    predicted_of: Callable[[Brief], list],
    label_key: str,
    matches: Callable[[Any, dict], bool],
    describe: Callable[[Any], str],
    describe_gold: Callable[[dict], str],
) -> Report:
    """Shared scoring loop: recall over gold items, precision over predicted items, per label."""
    report = Report(title)
    for brief, gold in pairs:
        if gold_key not in gold:
            continue  # e.g. a figures-only annotation has no entities to score
        gold_items = gold[gold_key]
        name = Path(gold.get("article", "")).stem
        predicted = predicted_of(brief)
        for item in gold_items:
            score = report.by_label[item[label_key]]
            score.gold += 1
            if any(matches(p, item) for p in predicted):
                score.gold_found += 1
            else:
                report.missed.append(f"{name}: {describe_gold(item)}")
        for p in predicted:
            score = report.by_label[getattr(p, label_key)]
            score.predicted += 1
            if any(matches(p, item) for item in gold_items):
                score.predicted_correct += 1
            else:
                report.spurious.append(f"{name}: {describe(p)}")
    return report


def score_figures(pairs: Iterable[tuple[Brief, dict]]) -> Report:
    return _score(
        "Figures", pairs, "figures", lambda b: b.figures, "kind", figure_matches,
        lambda f: f"{f.text} ({f.kind}={f.value})", lambda g: f"{g['text']} ({g['kind']}={g.get('value')})",
    )


def entity_matches(entity: Entity, gold: dict) -> bool:
    """Same text (any mention), same type, same English name; a gold entity with no established
    English name (english_source "pinyin") accepts any flagged pinyin rendering."""
    surfaces = {entity.text, *(m.text for m in entity.mentions)}
    if gold["text"] not in surfaces or entity.type != gold["type"]:
        return False
    if gold.get("english_source") == "pinyin":
        return entity.english_source == "pinyin"
    return entity.english.casefold() == gold["english"].casefold()


def score_entities(pairs: Iterable[tuple[Brief, dict]]) -> Report:
    return _score(
        "Entities", pairs, "entities", lambda b: b.entities, "type", entity_matches,
        lambda e: f"{e.text} ({e.type}, {e.english})", lambda g: f"{g['text']} ({g['type']}, {g.get('english')})",
    )


# --------------------------------------------------------------------------- MSRA-style BIO

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


# --------------------------------------------------------------------------- translation


@dataclass
class TranslationResult:
    model: str
    hypotheses: list[str]
    chrf: float
    bleu: float
    seconds_per_sentence: float
    numbers_kept: float  # share of sentences whose numbers all match a figure of the source
    chinese_left: int


def translate_sentences(sources: list[str], references: list[str], *, model: str | None = None,
                        substitute: bool = True, batch_size: int = 8, writer=None) -> TranslationResult:
    """The writer's sentence path on bare sentences: figures (and entity names) are replaced by
    their English before translation, and the output numbers are checked against the figures."""
    import time

    import sacrebleu

    from .brief import Pipeline
    from .ingest import Article
    from .writer import Segment, allowed_numbers, default_writer
    from .writer import substitute as substitute_text

    # A measurement: generate afresh, never from the cache of earlier runs.
    writer = writer or default_writer(model, batch_size=batch_size, use_cache=False)
    nlp = Pipeline(["segment", "entities", "figures"])
    segments = []
    for i, sentence in enumerate(sources):
        # A one-sentence article with no publish date: dates without a year stay without one.
        brief = nlp(Article(text=sentence, title="", paragraphs=[(0, len(sentence))]))
        prepared, rendered = substitute_text(sentence, 0, brief.figures, brief.entities, glossary=writer.glossary) \
            if substitute else (sentence, [])
        segments.append(Segment(i, "sentence", 0, sentence, prepared, allowed_numbers(brief, prepared), rendered))
    started = time.perf_counter()
    writer.translate(segments)
    failing = [s for s in segments if writer.problems(s)]
    writer.translate(failing, retry=True)  # the writer's retry with the figures spelled out
    seconds = time.perf_counter() - started
    problems = [writer.problems(s) for s in segments]
    return TranslationResult(
        model=writer.generator.label,
        hypotheses=[s.output for s in segments],
        chrf=sacrebleu.corpus_chrf([s.output for s in segments], [references]).score,
        bleu=sacrebleu.corpus_bleu([s.output for s in segments], [references]).score,
        seconds_per_sentence=seconds / max(1, len(sources)),
        numbers_kept=sum(1 for p in problems if not any(x.startswith("numbers") for x in p)) / max(1, len(sources)),
        chinese_left=sum(1 for p in problems if "untranslated Chinese" in p),
    )
