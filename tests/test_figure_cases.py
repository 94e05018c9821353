"""The figure wording table (tests/cases/figures.txt): every family at 95% or better, no confident wrong value."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import NewsbriefError
from pipeline.eval.cases import FigureCase, judge_case, load_cases, score_cases
from pipeline.schema import Figure

CASES = Path(__file__).parent / "cases" / "figures.txt"


@pytest.fixture(scope="module")
def report():
    return score_cases(load_cases(CASES))


def test_the_table_holds_at_least_300_cases_in_every_family_of_the_issue():
    cases = load_cases(CASES)
    families = {case.family for case in cases}
    assert len(cases) >= 300
    assert {"colloquial", "shared_magnitude", "range_separators", "money_subunits", "half", "tenths", "per_mille",
            "chinese_dates", "date_ranges", "period_ends", "decades", "two_digit_years", "more_inside",
            "duration_ranges", "ages", "negative", "mixed", "english"} <= families


def test_every_family_is_right_in_95_percent_of_its_cases(report):
    rates = {family: report.rate(family) for family in report.by_family}
    assert all(rate >= 0.95 for rate in rates.values()), {f: r for f, r in rates.items() if r < 0.95}


def test_no_case_gets_a_confident_wrong_value(report):
    wrong = [(case.line, case.span, figure and figure.english) for case, outcome, figure in report.failures
             if outcome == "wrong"]
    assert wrong == []


def _figure(text: str, start: int, end: int, value: float, uncertain: str | None = None) -> Figure:
    return Figure(text=text[start:end], start=start, end=end, sentence=0, kind="money", value=value, unit="CNY",
                  english="", uncertain=uncertain)


def _case(**fields) -> FigureCase:
    base = {"family": "f", "text": "售价四万二元。", "span": "四万二元", "kind": "money", "value": 42000.0, "low": None,
            "high": None, "unit": "CNY", "english": None, "line": 1}
    return FigureCase(**{**base, **fields})


def test_a_disagreeing_figure_is_wrong_unless_it_says_it_is_uncertain():
    case = _case()
    assert judge_case(case, [_figure(case.text, 2, 6, 42000.0)])[0] == "right"
    assert judge_case(case, [_figure(case.text, 2, 6, 40002.0)])[0] == "wrong"
    assert judge_case(case, [_figure(case.text, 2, 6, 40002.0, "reads two ways")])[0] == "flagged"
    assert judge_case(case, [])[0] == "missed"
    assert judge_case(_case(kind="none", value=None), [_figure(case.text, 2, 6, 42000.0)])[0] == "wrong"


def test_a_malformed_case_file_is_one_error_naming_the_line(tmp_path):
    bad = tmp_path / "cases.txt"
    bad.write_text("# comment\ncolloquial | 售价四万二元。 | 四万二元 | money\n", encoding="utf-8")
    with pytest.raises(NewsbriefError, match=r"cases.txt:2: expected 9 fields"):
        load_cases(bad)
    bad.write_text("f | 售价四万二元。 | 五万元 | money | 1 | | | | \n", encoding="utf-8")
    with pytest.raises(NewsbriefError, match="not in the text"):
        load_cases(bad)
    bad.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(NewsbriefError, match="cannot read figure cases"):
        load_cases(bad)


def test_eval_figures_cases_prints_a_row_per_family(tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli import app

    result = CliRunner().invoke(app, ["eval", "figures", "--cases", str(CASES)], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    assert "colloquial" in result.output and "shared_magnitude" in result.output and "all" in result.output
    assert CliRunner().invoke(app, ["eval", "figures"]).exit_code != 0  # neither gold nor cases


# ----------------------------------------------------------------------------- subjects

SUBJECTS = Path(__file__).parent / "cases" / "subjects.txt"


@pytest.fixture(scope="module")
def subject_report():
    from pipeline.eval.cases import load_subject_cases, score_subjects

    return score_subjects(load_subject_cases(SUBJECTS))


def test_nine_in_ten_figure_subjects_are_what_the_figure_measures(subject_report):
    assert not subject_report.missed_figure
    assert subject_report.right / subject_report.cases >= 0.9, [(c.span, s) for c, s, _ in subject_report.wrong]


@pytest.mark.parametrize(("text", "span", "subject"), [
    ("公司在全球拥有3000名员工。", "3000名", "员工"),  # what is counted comes after the count
    ("店铺全年实现3000万元销售额。", "3000万元", "销售额"),  # not the actor before the predicate
    ("深圳卖家占全国卖家总数的三成。", "三成", "深圳卖家"),  # a share is its owner's, not the whole's
    ("他持有公司12%的股份。", "12%", "股份"),
    ("会员人数增长了20%，达到500万人。", "500万人", "会员人数"),  # a clause that only goes on
    ("共召回约12万台充电宝。", "12万台", None),  # no guess where the tags cannot tell
])
def test_a_subject_is_read_from_the_sentence_structure(text, span, subject):
    from pipeline.eval.cases import SubjectCase, score_subjects

    report = score_subjects([SubjectCase(text, span, (subject,) if subject else (), 1)])
    assert report.right == 1, report.wrong


def test_a_subject_without_english_says_so():
    from pipeline.output.fields import figure_subject

    figure = Figure(text="5亿元", start=0, end=4, sentence=0, kind="money", value=5e8, unit="CNY",
                    english="RMB 500 million", subject="研发投入")
    assert figure_subject(figure) == "研发投入 (no English)"
    assert figure_subject(figure.model_copy(update={"subject_en": "R&D spending"})) == "R&D spending"
