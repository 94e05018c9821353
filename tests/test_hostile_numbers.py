"""Invisible and odd characters, numbers run wild and impossible dates (hostile-feeds issue, items 10-12):
no figure changes its value because of a character a reader cannot see, no absurd number is a figure,
and a byline's bad date loses only the date."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import InputError, brief_text

HEAD = "跨境电商新闻\n某某网 2023-08-15 10:00\n\n"
TAIL = "平台商家数量持续增加，行业发展势头良好，卖家普遍看好下半年。"
FORMAT_CHARACTERS = ["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff"]


def figure_values(text: str) -> list[tuple[str, object, object, object]]:
    brief = brief_text(HEAD + text + TAIL)
    return [(f.kind, f.value, f.low, f.high) for f in brief.figures if f.kind not in ("date", "period")]


@pytest.mark.parametrize("invisible", FORMAT_CHARACTERS)
def test_a_format_character_inside_a_number_changes_nothing(invisible):  # 10
    assert figure_values(f"去年支出为1{invisible}741亿美元。") == figure_values("去年支出为1741亿美元。")
    assert figure_values("去年支出为1741亿美元。") == [("money", 174.1e9, None, None)]


def test_full_width_digits_and_thousands_separators_read_as_ascii_ones():  # 10
    assert figure_values("去年支出为１，７４１亿美元。") == [("money", 174.1e9, None, None)]
    # The Chinese clause comma between ASCII numbers stays a comma: two figures, not one.
    found = figure_values("两家公司营收分别为100亿元，200亿元。")
    assert [v for kind, v, _, _ in found if kind == "money"] == [1e10, 2e10]


@pytest.mark.parametrize("number", ["1" + "0" * 400, "1" + "0" * 29])
def test_a_number_beyond_any_plausible_amount_is_refused_with_a_warning(number):  # 11
    brief = brief_text(HEAD + f"公司营收为{number}亿美元。" + TAIL)
    assert [f for f in brief.figures if f.kind == "money"] == []
    assert any(w.code == "figures" and "beyond any plausible amount" in w.message for w in brief.warnings)


@pytest.mark.parametrize("date", ["2099-01-02", "2024-02-30", "2023-13-01"])
def test_an_impossible_or_future_byline_date_keeps_the_source_and_warns(date):  # 12
    brief = brief_text(f"跨境电商新闻\n某某网 {date}\n\n公司第四季度营收为5亿元。" + TAIL)
    assert brief.meta.source == "某某网" and brief.meta.published is None
    assert "某某网" not in brief.text  # the byline is not the first sentence
    assert any("byline date not used" in w.message for w in brief.warnings)
    quarter = next(f for f in brief.figures if f.kind == "period")
    assert quarter.value == "Q4"  # no year made up from the bad date


_DIGITS = "0123456789"
_FULL_WIDTH = str.maketrans({d: chr(0xFF10 + int(d)) for d in _DIGITS})


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=10**6), st.sampled_from(["亿美元", "万元", "%", "万人"]),
       st.lists(st.sampled_from(FORMAT_CHARACTERS), min_size=1, max_size=3), st.booleans(), st.randoms())
def test_invisible_characters_and_full_width_digits_never_change_a_value(number, unit, invisibles, full_width, rng):
    plain = f"今年数据为{number}{unit}。"
    digits = str(number).translate(_FULL_WIDTH) if full_width else str(number)
    chars = list(digits)
    for invisible in invisibles:
        chars.insert(rng.randint(0, len(chars)), invisible)
    odd = f"今年数据为{''.join(chars)}{unit}。"
    try:
        assert figure_values(odd) == figure_values(plain)
    except InputError:
        pytest.fail("an input error for text a reader sees as ordinary")


# --------------------------------------------------------------------------- names that are not UTF-8 (14)

SAMPLE = (Path(__file__).parent.parent / "corpus" / "samples" / "01_temu_europe_growth.txt").read_bytes()


@settings(max_examples=25, deadline=None)
@given(st.binary(min_size=1, max_size=12).filter(lambda b: b"/" not in b and b"\x00" not in b
                                                 and b not in (b".", b"..")))
def test_a_file_name_in_any_bytes_is_briefed_and_written_out(tmp_path_factory, raw_name):
    import os

    from pipeline import brief_file
    from pipeline.output import to_json, to_markdown

    folder = tmp_path_factory.mktemp("names")
    path = Path(os.fsdecode(os.fsencode(str(folder)) + b"/" + raw_name + b".txt"))
    path.write_bytes(SAMPLE)
    try:
        brief = brief_file(path)
    except InputError:
        return
    json.loads(to_json(brief))  # serialisable: no lone surrogate left in it
    to_markdown(brief).encode("utf-8")
    assert brief.meta.file and "\\udc" not in brief.meta.file.encode("unicode_escape").decode()


def test_a_title_with_a_lone_surrogate_gives_a_brief_that_can_be_written():
    from pipeline.output import to_json

    brief = brief_text("公司营收为5亿元，同比增长20%。" + TAIL, title="测\udcff试")
    json.loads(to_json(brief))
    assert brief.meta.title == "测\\xff试"
