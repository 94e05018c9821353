"""Which briefs report the same event: candidates from a MinHash index (near-identical text) and from the people
and organisations they are about within a time window (never every pair), each candidate pair judged on what the
fact sheets share, then joined transitively. Reposts (near-identical text) are marked as copies.

The thresholds (a week; estimated three-gram Jaccard 0.1 for shared phrasing, 0.5 for a rewritten wire copy,
0.8 for a repost) were set on ../shared/stories (`newsbrief eval stories ../shared/stories`) and the articles
of tests/test_stories.py; held-out events will say how far they carry."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from .features import MINHASH_SCHEME, NUM_PERM, StoryFeatures, similarity

WINDOW = timedelta(days=7)  # outlets report an event within days; a follow-up months later is another story
COPY_SIMILARITY = 0.8  # estimated Jaccard of three-grams: the same text, lightly edited (a repost)
NEAR_SIMILARITY = 0.5  # the same wire copy rewritten
SIMILAR_PHRASING = 0.1  # independent reports of one event share phrases (unrelated news of a company: < 0.1)
MAX_BUCKET = 200  # an actor named by more articles than this within a window tells nothing about an event


@dataclass(frozen=True)
class Thresholds:
    window: timedelta = WINDOW
    copy: float = COPY_SIMILARITY
    near: float = NEAR_SIMILARITY
    phrasing: float = SIMILAR_PHRASING


DEFAULT_THRESHOLDS = Thresholds()


@dataclass
class Grouping:
    groups: list[list[int]]  # indices into the features, each group sorted by publication
    copies: dict[int, int] = field(default_factory=dict)  # a repost -> the article it copies


def _within(a: StoryFeatures, b: StoryFeatures, window: timedelta) -> bool:
    return a.published is None or b.published is None or abs(a.published - b.published) <= window


def same_event(a: StoryFeatures, b: StoryFeatures, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> bool:
    """Two articles report one event: near-identical text; or, within the window, about the same organisation
    or person and sharing a specific figure or day, or phrasing."""
    shared_text = similarity(a, b)
    if shared_text >= thresholds.near:
        return True
    if not _within(a, b, thresholds.window) or not a.actors & b.actors:
        return False
    return bool(a.numbers & b.numbers) or shared_text >= thresholds.phrasing


def candidate_pairs(features: list[StoryFeatures], thresholds: Thresholds = DEFAULT_THRESHOLDS) -> set[tuple[int, int]]:
    from datasketch import MinHash, MinHashLSH

    pairs: set[tuple[int, int]] = set()
    # Near-identical texts through the MinHash index (reports that only share phrasing also share an actor, and
    # are found below). A repost joins the article it copies and does not enter the index itself, so a text
    # copied a thousand times is one entry, not a thousand candidates for every later copy.
    lsh = MinHashLSH(threshold=thresholds.near, num_perm=NUM_PERM)
    for i, f in enumerate(features):
        minhash = MinHash(num_perm=NUM_PERM, hashvalues=f.minhash, scheme=MINHASH_SCHEME)
        similar = lsh.query(minhash)
        pairs.update((min(i, j), max(i, j)) for j in similar)
        if not any(similarity(f, features[j]) >= thresholds.copy for j in similar):
            lsh.insert(i, minhash)
    by_actor: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(features):
        for key in f.actors:
            by_actor[key].append(i)
    for members in by_actor.values():
        dated = sorted(members, key=lambda i: (features[i].published is None, features[i].published or 0))
        undated = [i for i in dated if features[i].published is None]
        dated = [i for i in dated if features[i].published is not None]
        start = 0
        for end, i in enumerate(dated):  # a sliding window over publication times
            while features[i].published - features[dated[start]].published > thresholds.window:
                start += 1
            if end - start <= MAX_BUCKET:
                pairs.update((min(i, j), max(i, j)) for j in dated[start:end])
        if len(undated) <= MAX_BUCKET:
            pairs.update((min(i, j), max(i, j)) for i in undated for j in members if j != i)
    return pairs


def group_stories(features: list[StoryFeatures], thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Grouping:
    parent = list(range(len(features)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    copies: dict[int, int] = {}
    order = sorted(range(len(features)), key=lambda i: (features[i].published is None, features[i].published or 0,
                                                        features[i].slug))
    rank = {i: n for n, i in enumerate(order)}
    for i, j in sorted(candidate_pairs(features, thresholds)):
        a, b = features[i], features[j]
        if not same_event(a, b, thresholds):
            continue
        parent[root(j)] = root(i)
        if similarity(a, b) >= thresholds.copy:
            later, earlier = (i, j) if rank[i] > rank[j] else (j, i)
            copies.setdefault(later, earlier)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in order:
        groups[root(i)].append(i)
    return Grouping(sorted(groups.values(), key=lambda g: rank[g[0]]), copies)
