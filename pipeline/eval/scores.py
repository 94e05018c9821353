"""Precision, recall and F1 per label, and the shared scoring loop."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..schema import Brief


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
    # (gold label, predicted label) -> spans found with the right boundaries but another type
    confusion: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))

    @property
    def overall(self) -> Score:
        total = Score()
        for score in self.by_label.values():
            total.predicted += score.predicted
            total.predicted_correct += score.predicted_correct
            total.gold += score.gold
            total.gold_found += score.gold_found
        return total


def _score(
    title: str,
    pairs: Iterable[tuple[Brief, dict]],
    gold_key: str,
    predicted_of: Callable[[Brief], list],
    label_key: str | tuple[Callable[[Any], str], Callable[[dict], str]],
    matches: Callable[[Any, dict], bool],
    describe: Callable[[Any], str],
    describe_gold: Callable[[dict], str],
) -> Report:
    """Shared scoring loop: recall over gold items, precision over predicted items, per label.

    `label_key` names the label field of both, or gives (label of a predicted item, label of a gold item)."""
    if isinstance(label_key, str):
        key = label_key
        label_of, gold_label_of = (lambda p: getattr(p, key)), (lambda g: g[key])
    else:
        label_of, gold_label_of = label_key
    report = Report(title)
    for brief, gold in pairs:
        if gold_key not in gold:
            continue  # e.g. a figures-only annotation has no entities to score
        gold_items = gold[gold_key]
        name = Path(gold.get("article", "")).stem
        predicted = predicted_of(brief)
        for item in gold_items:
            score = report.by_label[gold_label_of(item)]
            score.gold += 1
            if any(matches(p, item) for p in predicted):
                score.gold_found += 1
            else:
                report.missed.append(f"{name}: {describe_gold(item)}")
        for p in predicted:
            score = report.by_label[label_of(p)]
            score.predicted += 1
            if any(matches(p, item) for item in gold_items):
                score.predicted_correct += 1
            else:
                report.spurious.append(f"{name}: {describe(p)}")
    return report


