"""What stories read from the project's lexicons, loaded once per run: Traditional-to-Simplified folding, the
measure cues (measure_cues.tsv), the company words that end a name (org_suffixes.tsv, kind company) and the news
agencies (news_agencies.tsv: they report events, they are not what two reports share)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from ..resources import Resources, default_resources, read_tsv
from .merge import MeasureCue, load_measure_cues


@dataclass(frozen=True)
class StoryLexicon:
    fold: Callable[[str], str]
    cues: tuple[MeasureCue, ...]
    company_suffixes: tuple[str, ...]  # longest first
    agencies: frozenset[str] = frozenset()  # news agencies, Chinese and English (news_agencies.tsv), lower case

    def stem(self, name: str) -> str:
        """A company's name without the company words that end it: 安克创新科技股份有限公司 -> 安克创新."""
        stripped = True
        while stripped:
            stripped = False
            for suffix in self.company_suffixes:
                if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                    name, stripped = name[: -len(suffix)], True
                    break
        return name


@cache
def _lexicon(resources: Resources) -> StoryLexicon:
    from ..dictionary import load_dictionary

    rows = read_tsv(resources.require(resources.entity_lexicon / "org_suffixes.tsv"))
    suffixes = sorted((r["chinese"] for r in rows if r.get("kind") == "company"), key=len, reverse=True)
    agencies = {name.lower() for r in read_tsv(resources.require(resources.news_agencies))
                for name in (r["name"], r["english"]) if name}
    return StoryLexicon(load_dictionary().simplified, load_measure_cues(resources), tuple(suffixes),
                        frozenset(agencies))


def story_lexicon(resources: Resources | None = None) -> StoryLexicon:
    return _lexicon(resources or default_resources())
