"""Figure wordings as test cases: one sentence, the span that holds (or does not hold) a figure, and what
the figure must be. Scored per family of wording (`newsbrief eval figures --cases FILE`).

A case is *right* when the figure over its span has the kind, value or bounds, unit and English the case
gives; *flagged* when a figure there disagrees but says its reading is uncertain (`Figure.uncertain`);
*wrong* when one disagrees without saying so (a confident wrong value, the worst outcome); *missed* when
no figure covers the span. For a `none` case, any figure over the span is wrong.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

from ..errors import NewsbriefError
from ..schema import Figure
from .gold import figure_value_agrees

CASE_PUBLISHED = datetime(2023, 8, 15, 10, 0)  # what every case's relative dates resolve against
_FIELDS = ("family", "text", "span", "kind", "value", "low", "high", "unit", "english")
Outcome = Literal["right", "flagged", "missed", "wrong"]


@dataclass(frozen=True)
class FigureCase:
    family: str
    text: str
    span: str
    kind: str
    value: float | str | None
    low: float | None
    high: float | None
    unit: str | None
    english: str | None
    line: int

    def as_gold(self) -> dict:
        gold: dict = {"text": self.span, "kind": self.kind}
        if self.value is not None:
            gold["value"] = self.value
        for name in ("low", "high"):
            if getattr(self, name) is not None:
                gold[name] = getattr(self, name)
        return gold


def _number_or_text(field_text: str) -> float | str | None:
    if not field_text:
        return None
    try:
        return float(field_text)
    except ValueError:
        return field_text


def _case_rows(path: Path, what: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, '|'-separated fields) of a case file, `#` comments and blank lines skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise NewsbriefError(f"{path}: cannot read {what} ({exc})") from None
    for number, line in enumerate(lines, 1):
        if line.strip() and not line.lstrip().startswith("#"):
            yield number, [part.strip() for part in line.split("|")]


def load_cases(path: str | Path) -> list[FigureCase]:
    """Read a case file: `family | text | span | kind | value | low | high | unit | english` per line,
    `#` comments and blank lines skipped."""
    path = Path(path)
    cases = []
    for number, fields in _case_rows(path, "figure cases"):
        if len(fields) != len(_FIELDS):
            raise NewsbriefError(f"{path}:{number}: expected {len(_FIELDS)} fields separated by '|', "
                                 f"found {len(fields)}")
        family, text, span, kind, value, low, high, unit, english = fields
        if span not in text:
            raise NewsbriefError(f"{path}:{number}: span {span!r} is not in the text")
        low_value, high_value = _number_or_text(low), _number_or_text(high)
        if isinstance(low_value, str) or isinstance(high_value, str):
            raise NewsbriefError(f"{path}:{number}: bounds must be numbers")
        # Dates and periods are ISO strings, a year included (2022); every other value is a number.
        value_read = (value or None) if kind in ("date", "period") else _number_or_text(value)
        cases.append(FigureCase(family, text, span, kind, value_read, low_value, high_value,
                                unit or None, english or None, number))
    if not cases:
        raise NewsbriefError(f"{path}: no figure cases found")
    return cases


def judge_case(case: FigureCase, figures: list[Figure]) -> tuple[Outcome, Figure | None]:
    """The outcome of one case given the figures extracted from its text."""
    start = case.text.index(case.span)
    end = start + len(case.span)
    over = [f for f in figures if f.start < end and start < f.end]
    if case.kind == "none":
        return ("wrong", over[0]) if over else ("right", None)
    if not over:
        return "missed", None
    figure = max(over, key=lambda f: min(f.end, end) - max(f.start, start))
    agrees = (figure.kind == case.kind and figure_value_agrees(figure, case.as_gold())
              and (case.unit is None or figure.unit == case.unit)
              and (case.english is None or figure.english == case.english))
    if agrees:
        return "right", figure
    return ("flagged" if figure.uncertain else "wrong"), figure


@dataclass
class CaseReport:
    """Outcomes per family, and the cases that were not right."""

    by_family: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    failures: list[tuple[FigureCase, Outcome, Figure | None]] = field(default_factory=list)

    def rate(self, family: str | None = None) -> float:
        counts = self.total() if family is None else self.by_family[family]
        return counts["right"] / counts.total() if counts.total() else 0.0

    def total(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for counts in self.by_family.values():
            total.update(counts)
        return total


def score_cases(cases: list[FigureCase]) -> CaseReport:
    """Run the figure extractor on every case's text and judge it."""
    from ..figures import FigureExtractor
    from ..segment import split_sentences

    extractor = FigureExtractor()
    report = CaseReport()
    for case in cases:
        figures = extractor(case.text, split_sentences(case.text), published=CASE_PUBLISHED, precision="minute")
        outcome, figure = judge_case(case, figures)
        report.by_family[case.family][outcome] += 1
        if outcome != "right":
            report.failures.append((case, outcome, figure))
    return report


def describe_failure(case: FigureCase, outcome: Outcome, figure: Figure | None) -> str:
    expected = case.value if case.value is not None else f"{case.low}–{case.high}"
    got = "nothing" if figure is None else \
        f"{figure.text} {figure.kind}={figure.value if figure.value is not None else (figure.low, figure.high)} " \
        f"{figure.unit or ''} {figure.english!r}".rstrip()
    return f"{outcome}: line {case.line} [{case.family}] {case.span} expected {case.kind}={expected} " \
           f"{case.unit or ''} {case.english or ''}| got {got}"


# --------------------------------------------------------------------------- subjects


@dataclass(frozen=True)
class SubjectCase:
    text: str
    span: str
    subjects: tuple[str, ...]  # accepted alternatives; () for a figure with no subject of its own
    line: int


def load_subject_cases(path: str | Path) -> list[SubjectCase]:
    """Read `text | figure span | subject[/alternative…]` lines (`-` for no subject)."""
    path = Path(path)
    cases = []
    for number, fields in _case_rows(path, "subject cases"):
        if len(fields) != 3 or fields[1] not in fields[0]:
            raise NewsbriefError(f"{path}:{number}: expected 'text | figure span | subject' with the span in the text")
        text, span, subjects = fields
        cases.append(SubjectCase(text, span, () if subjects == "-" else tuple(subjects.split("/")), number))
    if not cases:
        raise NewsbriefError(f"{path}: no subject cases found")
    return cases


@dataclass
class SubjectReport:
    right: int = 0
    wrong: list[tuple[SubjectCase, str | None, str | None]] = field(default_factory=list)  # case, subject, English
    missed_figure: list[SubjectCase] = field(default_factory=list)
    english: int = 0  # subjects right and put into English

    @property
    def cases(self) -> int:
        return self.right + len(self.wrong) + len(self.missed_figure)


def score_subjects(cases: list[SubjectCase]) -> SubjectReport:
    """Brief each case's text (fact sheet, no writer) and compare the subject of the figure over its span."""
    from ..ingest.article import Article
    from ..nlp import Pipeline

    pipeline = Pipeline()
    report = SubjectReport()
    for case in cases:
        # One sentence is shorter than ingest accepts for an article: it goes to the stages as it is.
        brief = pipeline(Article(text=case.text, title="案例", published=CASE_PUBLISHED, published_precision="minute",
                                 paragraphs=[(0, len(case.text))]))
        start = case.text.index(case.span)
        over = [f for f in brief.figures if f.start < start + len(case.span) and start < f.end]
        if not over:
            report.missed_figure.append(case)
            continue
        figure = over[0]
        if (figure.subject in case.subjects) if case.subjects else figure.subject is None:
            report.right += 1
            report.english += bool(figure.subject_en)
        else:
            report.wrong.append((case, figure.subject, figure.subject_en))
    return report
