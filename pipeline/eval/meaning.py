"""False alarms of the writer's meaning checks: how often each flags a correct translation.

A pair of a Chinese news sentence and its human reference translation (newstest2021) is a correct
pair: whatever a check flags there is a false alarm. The share of pairs each check flags must stay
under 5% (issue #33); `newsbrief eval meaning` prints it, with the flagged pairs under --errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..ingest.clean import split_title_tags
from ..writer.meaning import CHECKS, SentencePair, meaning_problems
from ..writer.sentence_names import named_in

# The outlets whose name follows a newstest2021 headline ('…定居 ” - 中新网'): such a line is a headline, and
# gets the headline checks without its outlet, taken off as ingest takes it off a title (split_title_tags).
HEADLINE_OUTLETS = "中新网 新华网 人民网 央视网 中国新闻网 环球网"


@dataclass
class CheckAlarms:
    check: str
    pairs: int = 0
    flagged: list[tuple[int, str]] = field(default_factory=list)  # (line, problem)

    @property
    def share(self) -> float:
        return len(self.flagged) / max(1, self.pairs)


def false_alarms(sources: list[str], references: list[str], *, first_line: int = 1) -> list[CheckAlarms]:
    """Run every meaning check over each (source, reference) pair; entities for the coverage check
    come from the pipeline's own entity stage on the source sentence, as in a brief."""
    from ..ingest import Article
    from ..nlp import Pipeline

    nlp = Pipeline(["segment", "entities", "figures"])
    alarms = {check: CheckAlarms(check) for check in CHECKS}
    for line, (source, reference) in enumerate(zip(sources, references, strict=True), first_line):
        source, outlet = split_title_tags(source, HEADLINE_OUTLETS)
        headline = bool(outlet)
        brief = nlp(Article(text=source, title="", paragraphs=[(0, len(source))]))
        figures = brief.figures
        pair = SentencePair(source, reference, names=named_in(source, brief.entities), figures=figures,
                            headline=headline)
        for problem in meaning_problems(pair):
            check = problem.split(":", 1)[0]
            if not alarms[check].flagged or alarms[check].flagged[-1][0] != line:
                alarms[check].flagged.append((line, problem))
        for check in CHECKS:
            alarms[check].pairs += 1
    return list(alarms.values())
