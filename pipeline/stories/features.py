"""What story clustering knows of a brief, computed once when the brief is stored: who it is about, the
specific numbers it states, when it was published, and a MinHash of its text (near-duplicates, reposts).
Plain data, kept in the store as JSON and bytes, so clustering never reads a brief again."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from ..schema import Brief, Entity
from .lexicon import StoryLexicon

NUM_PERM = 64
MINHASH_SCHEME = "affine32"  # datasketch 2: named, so stored hash values are read back under the same scheme
SHINGLE = 3  # characters: Chinese words are one to four characters; three-grams catch a shared phrase
ACTOR_TYPES = ("ORG", "PERSON")
TOP_ACTORS = 5
SPECIFIC_KINDS = ("money", "percent", "count", "quantity", "multiple")


@dataclass(frozen=True)
class StoryFeatures:
    slug: str
    published: datetime | None
    outlet: str | None
    actors: frozenset[str]  # keys of the organisations and people it is most about (folded, lower case)
    numbers: frozenset[str]  # its specific figures: kind and value to four significant digits
    minhash: np.ndarray  # NUM_PERM uint64 hash values of its text's character three-grams

    def to_row(self) -> tuple[str, bytes]:
        data = {"published": self.published.isoformat() if self.published else None, "outlet": self.outlet,
                "actors": sorted(self.actors), "numbers": sorted(self.numbers)}
        return json.dumps(data, ensure_ascii=False), self.minhash.astype("<u8").tobytes()

    @classmethod
    def from_row(cls, slug: str, data: str, minhash: bytes) -> StoryFeatures:
        values = json.loads(data)
        published = datetime.fromisoformat(values["published"]) if values["published"] else None
        return cls(slug, published, values["outlet"], frozenset(values["actors"]), frozenset(values["numbers"]),
                   np.frombuffer(minhash, dtype="<u8").copy())


def actor_keys(brief: Brief, lexicon: StoryLexicon) -> frozenset[str]:
    """The organisations and people a brief is most about (and those its title names), each under its Chinese
    form, its stem without company words (美的集团 and 美的 meet) and its English (蜜雪冰城 and Mixue)."""
    outlet = (brief.meta.source or "").lower()
    actors = [e for e in brief.entities if e.type in ACTOR_TYPES and not _reporter(e, lexicon, outlet)]
    ranked = sorted(actors, key=lambda e: -e.salience)[:TOP_ACTORS]
    ranked += [e for e in actors if e not in ranked and e.text in brief.meta.title]
    keys: set[str] = set()
    for entity in ranked:
        text = lexicon.fold(entity.text).lower()
        keys.update({text, lexicon.stem(text)})
        if entity.english_source != "pinyin":
            keys.add(entity.english.lower())
    return frozenset(keys)


def _reporter(entity: Entity, lexicon: StoryLexicon, outlet: str) -> bool:
    """Who reports rather than what is reported: a news agency, the outlet itself, a byline's journalist."""
    names = {lexicon.fold(entity.text).lower(), entity.english.lower()}
    return bool(names & lexicon.agencies) or outlet in names or any(
        word in (entity.role or "") for word in ("记者", "通讯员", "编辑", "实习生", "摄影"))


def number_key(kind: str, value: float) -> str:
    digits = 4 - math.floor(math.log10(abs(value))) - 1 if value else 0
    return f"{kind}:{round(value, digits):g}"


def specific_numbers(brief: Brief) -> frozenset[str]:
    """Figures specific enough that two articles stating them likely report one event: days, and numbers that
    are not years, small counts or round shares (100%, 50%). Counts and quantities are one kind (712,964台 is a
    quantity in one article and a count in another)."""
    keys = set()
    published = brief.meta.published.strftime("%Y-%m-%d") if brief.meta.published else None
    for f in brief.figures:
        if f.kind == "date" and isinstance(f.value, str) and len(f.value) == 10:
            if f.value != published:  # a dateline (新华社上海7月1日电) names the day of writing, not the event
                keys.add(f"date:{f.value}")
            continue
        if f.kind not in SPECIFIC_KINDS or not isinstance(f.value, (int, float)) or f.value <= 0:
            continue
        if f.kind in ("count", "quantity") and f.value < 100:
            continue
        if f.kind in ("percent", "multiple") and float(f.value).is_integer() and f.value in (1, 2, 10, 50, 100):
            continue
        keys.add(number_key("n" if f.kind in ("count", "quantity") else f.kind, float(f.value)))
    return frozenset(keys)


def text_minhash(text: str) -> np.ndarray:
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, scheme=MINHASH_SCHEME)
    compact = "".join(text.split())
    shingles = {compact[i:i + SHINGLE] for i in range(max(1, len(compact) - SHINGLE + 1))}
    minhash.update_batch([s.encode("utf-8") for s in shingles])
    return minhash.hashvalues.astype(np.uint64)


def story_features(slug: str, brief: Brief, lexicon: StoryLexicon) -> StoryFeatures:
    """Text and names folded to Simplified: reposts converted between scripts still share them."""
    return StoryFeatures(slug=slug, published=brief.meta.published, outlet=brief.meta.source,
                         actors=actor_keys(brief, lexicon), numbers=specific_numbers(brief),
                         minhash=text_minhash(lexicon.fold(brief.text)))


def similarity(a: StoryFeatures, b: StoryFeatures) -> float:
    """Estimated Jaccard similarity of two texts' three-gram sets."""
    return float(np.count_nonzero(a.minhash == b.minhash)) / NUM_PERM
