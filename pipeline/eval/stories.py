"""Score story clustering and conflict flags against a judged set (the format of ../shared/stories/:
stories.json says which articles report one event and which look alike but do not; conflicts.json lists
figures as each outlet states them and which differences are real disagreements)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from ..stories.model import Story


@dataclass
class StoryScore:
    pairs_right: int = 0  # predicted same-story pairs that are in the gold
    pairs_predicted: int = 0
    pairs_gold: int = 0
    distractors_apart: int = 0
    distractors: int = 0
    copies: list[tuple[str, str]] = field(default_factory=list)  # (copy, original) as marked
    real_flagged: int = 0  # real disagreements flagged
    real: int = 0
    flags: int = 0  # flagged pairs of values (each stated by one or more articles)
    flags_real: int = 0
    flags_not_real: int = 0  # rounding, wording, another measure: what a flag must not be
    flags_unclear: int = 0
    flags_unlisted: int = 0  # pairs the judged set does not list (values no naive comparison would set side by side)
    missed: list[str] = field(default_factory=list)
    wrong_flags: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.pairs_right / self.pairs_predicted if self.pairs_predicted else 1.0

    @property
    def recall(self) -> float:
        return self.pairs_right / self.pairs_gold if self.pairs_gold else 1.0


def _pairs(groups: list[list[str]]) -> set[frozenset[str]]:
    return {frozenset(p) for group in groups for p in combinations(sorted(group), 2)}


def score_stories(stories: list[Story], names: dict[str, str], gold_dir: Path) -> StoryScore:
    """`names`: each brief's slug -> its file name in the judged folder."""
    gold = json.loads((gold_dir / "stories.json").read_text(encoding="utf-8"))
    conflicts = json.loads((gold_dir / "conflicts.json").read_text(encoding="utf-8"))
    score = StoryScore()
    predicted = [[names[a.slug] for a in story.articles if a.slug in names] for story in stories]
    gold_groups = [story["articles"] for story in gold["stories"]]
    got, want = _pairs(predicted), _pairs(gold_groups)
    score.pairs_predicted, score.pairs_gold, score.pairs_right = len(got), len(want), len(got & want)
    story_of = {name: story["id"] for story in gold["stories"] for name in story["articles"]}
    for distractor in gold["distractors"]:
        score.distractors += 1
        together = {other for pair in got if distractor["file"] in pair for other in pair} - {distractor["file"]}
        if not any(story_of.get(other) == distractor["related_to"] for other in together):
            score.distractors_apart += 1
    for story in stories:
        score.copies += [(names.get(a.slug, a.slug), names.get(a.copy_of, a.copy_of)) for a in story.articles
                         if a.copy_of]

    listed: dict[frozenset[tuple[str, str]], object] = {}
    for story in conflicts["stories"]:
        for pair in story["disagreements"]:
            key = frozenset({(pair["a"]["file"], pair["a"]["span"]), (pair["b"]["file"], pair["b"]["span"])})
            listed[key] = pair["real"]
            if pair["real"] is True:
                score.real += 1
    flagged: set[frozenset[tuple[str, str]]] = set()
    for story in stories:
        for figure in story.figures:
            if figure.conflict not in ("value", "date"):
                continue
            for i, j in figure.disputes:  # one flag per pair of disagreeing values, whatever its spans
                left, right = figure.values[i], figure.values[j]
                ours = [((names[a.slug], a.span), (names[b.slug], b.span)) for a in left.stated_by
                        for b in right.stated_by if a.slug != b.slug and a.slug in names and b.slug in names]
                match = [key for key in listed for pair in ours if _covers(key, pair)]
                flagged.update(match)
                verdicts = {listed[key] for key in match}
                score.flags += 1
                described = f"{ours[0][0] if ours else left.english} vs {ours[0][1] if ours else right.english}"
                if True in verdicts:
                    score.flags_real += 1
                elif False in verdicts:
                    score.flags_not_real += 1
                    score.wrong_flags.append(f"{described} ({figure.measure})")
                elif "unclear" in verdicts:
                    score.flags_unclear += 1
                else:
                    score.flags_unlisted += 1
                    score.wrong_flags.append(f"unlisted: {described} ({figure.measure})")
    for key, verdict in listed.items():
        if verdict is True:
            if key in flagged:
                score.real_flagged += 1
            else:
                score.missed.append(" vs ".join(f"{f}: {s}" for f, s in sorted(key)))
    return score


def _covers(key: frozenset[tuple[str, str]], ours: tuple[tuple[str, str], tuple[str, str]]) -> bool:
    """A listed pair of spans matches our two figures when each of our spans lies in one of its spans (of the
    same file), one each."""
    (fa, sa), (fb, sb) = sorted(key)
    (oa, ta), (ob, tb) = ours
    return (fa == oa and ta in sa and fb == ob and tb in sb) or (fa == ob and tb in sa and fb == oa and ta in sb)
