"""Scoring against hand-annotated gold files (the format of ../shared/gold/*.json).

A figure matches a gold figure when its span covers the gold text, the kind agrees and
the value agrees within 0.5% (dates and periods compare as ISO strings). Precision counts
extracted figures that match some gold figure; recall counts gold figures matched.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import NewsbriefError
from ..schema import Brief, Entity, Figure
from .scores import Report, _score

_PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
VALUE_TOLERANCE = 0.005



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



def score_figures(pairs: Iterable[tuple[Brief, dict]]) -> Report:
    return _score(
        "Figures", pairs, "figures", lambda b: b.figures, "kind", figure_matches,
        lambda f: f"{f.text} ({f.kind}={f.value})", lambda g: f"{g['text']} ({g['kind']}={g.get('value')})",
    )


def figure_family(text: str, kind: str, value: object, unit: str | None, direction: str | None) -> str:
    """The family of a figure that unseen articles showed the rules missing, else "other"."""
    if kind in ("money", "percent") and ((isinstance(value, int | float) and value < 0) or direction == "down"):
        return "sign"
    chinese_digits = re.search(r"[一二两三四五六七八九十百千]", text)
    if kind in ("count", "quantity") and chinese_digits and not re.search(r"\d", text):
        return "chinese numeral"
    if kind == "period" and isinstance(value, str) and "/" in value and not re.fullmatch(r"\d{4}/\d{4}", value):
        return "cumulative period"
    if re.search(r"[億萬兩]", text):
        return "traditional script"
    if kind == "money" and unit not in (None, "USD", "CNY"):
        return "other currency"
    return "other"


def score_figure_families(pairs: Iterable[tuple[Brief, dict]]) -> Report:
    """Figures scored per family (signs, Chinese numerals, cumulative periods, Traditional script,
    other currencies); a gold figure's direction is its "direction" field."""
    return _score(
        "Figures by family", pairs, "figures", lambda b: b.figures,
        (lambda f: figure_family(f.text, f.kind, f.value, f.unit, f.change.direction if f.change else None),
         lambda g: figure_family(g["text"], g["kind"], g.get("value"), g.get("unit"), g.get("direction"))),
        figure_matches,
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


