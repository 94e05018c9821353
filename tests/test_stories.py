"""Stories (#37) with articles written here: one event in two wordings, a repost, another event of the same
company in the same week, and figures the outlets state differently; then the rounding rule on its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.folders import brief_folder
from pipeline.store import STORE_NAME, Store
from pipeline.stories import build_stories
from pipeline.stories.merge import StatedFigure, agree, close_enough, digit_slip

RECALL_DAILY = """星澜电子召回逾12万台移动电源
跨境日报 2025-04-10

星澜电子4月9日晚间发布公告，宣布在中国市场召回旗下三款移动电源产品，召回总计120,350台。公司表示，
此次召回源于电芯供应商擅自变更材料，部分产品在极端情况下存在过热风险。

星澜电子称，消费者可通过官方小程序登记退货，公司将全额退款。受此影响，星澜电子股价当日下跌4.6%，
收报38.2元。
"""

RECALL_WIRE = """电芯隐患：星澜电子在华召回移动电源
财经快讯 2025-04-11

因电芯供应商未经批准更换材料，星澜电子已决定召回三款移动电源，召回总计120,530台，均于2024年生产。
星澜电子表示将为登记的消费者办理退货和全额退款。

分析人士指出，移动电源召回对星澜电子全年业绩影响有限。星澜电子周三股价收报38.2元，跌幅约5%。
"""

REPOST = RECALL_DAILY.replace("跨境日报 2025-04-10\n", "资讯聚合网 2025-04-11\n\n来源：跨境日报\n")

RESULTS = """星澜电子2024年营收增长15%
证券观察 2025-04-12

星澜电子4月11日发布2024年年度报告，全年实现营业收入38.6亿元，同比增长15%，净利润4.2亿元，同比增长9%。
公司计划在东南亚新开设两个海外仓，并将研发投入提高至营收的8%。

星澜电子董事长表示，公司将继续拓展欧洲和中东市场，预计2025年海外收入占比将超过四成。
"""


def stories_of(tmp_path: Path, articles: dict[str, str]) -> tuple[list, dict[str, str]]:
    folder = tmp_path / "news"
    folder.mkdir(exist_ok=True)
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    report = brief_folder(folder, out, summary=False)
    assert not report.failed, [r.error for r in report.failed]
    store = Store.open(out / STORE_NAME, create=False)
    try:
        names = {e["slug"]: Path(k).name for k, e in store.entries().items() if e.get("slug")}
        return build_stories(store), names
    finally:
        store.close()


@pytest.fixture
def recall_stories(tmp_path: Path, shared) -> tuple[list, dict[str, str]]:
    return stories_of(tmp_path, {"daily.txt": RECALL_DAILY, "wire.txt": RECALL_WIRE, "repost.txt": REPOST,
                                 "results.txt": RESULTS})


def test_one_event_in_two_wordings_is_one_story_and_a_repost_is_a_copy(recall_stories):
    stories, names = recall_stories
    assert len(stories) == 1
    [story] = stories
    members = {names[a.slug]: a for a in story.articles}
    assert set(members) == {"daily.txt", "wire.txt", "repost.txt"}
    assert names[members["repost.txt"].copy_of] == "daily.txt"  # a copy, not a third confirmation
    assert members["daily.txt"].copy_of is None and members["wire.txt"].copy_of is None
    assert story.outlets == ["财经快讯", "跨境日报"]
    assert story.id == story.articles[0].slug  # the earliest article names the story


def test_another_event_of_the_same_company_in_the_same_week_stands_alone(recall_stories):
    stories, names = recall_stories
    assert "results.txt" not in {names[a.slug] for s in stories for a in s.articles}


def test_figures_outlets_state_differently_are_flagged_and_rounded_ones_are_not(recall_stories):
    [story] = recall_stories[0]
    by_measure = {f.measure: f for f in story.figures}
    recalled = by_measure["total_units"]
    assert recalled.conflict == "value" and len(recalled.disputes) == 1
    i, j = recalled.disputes[0]
    assert {recalled.values[i].value, recalled.values[j].value} == {120_350, 120_530}
    close = by_measure["close_price"]  # both outlets: 38.2
    assert close.conflict is None and len(close.values) == 1 and close.values[0].outlets == ["财经快讯", "跨境日报"]
    # 4.6% and "about 5%" agree (about, one significant digit: ±5%) … and are not flagged
    assert all(f.conflict is None for f in story.figures if f.kind == "percent")


def test_a_story_keeps_its_id_as_articles_join(tmp_path: Path, shared):
    first, _ = stories_of(tmp_path, {"daily.txt": RECALL_DAILY, "results.txt": RESULTS})
    assert first == []  # one article of an event is no story yet
    second, names = stories_of(tmp_path, {"wire.txt": RECALL_WIRE})
    third, _ = stories_of(tmp_path, {"repost.txt": REPOST})
    assert len(second) == len(third) == 1 and second[0].id == third[0].id
    assert names[second[0].id] == "daily.txt" and len(third[0].articles) == 3


def test_batch_writes_the_stories_and_the_digest_shows_each_once(tmp_path: Path, shared):
    stories_of(tmp_path, {"daily.txt": RECALL_DAILY, "wire.txt": RECALL_WIRE, "repost.txt": REPOST,
                          "results.txt": RESULTS})
    [story] = json.loads((tmp_path / "out" / "stories.json").read_text(encoding="utf-8"))
    assert len(story["articles"]) == 3 and story["conflicts"] == 1
    markdown = (tmp_path / "out" / "stories.md").read_text(encoding="utf-8")
    assert "Reported by 2 outlets" in markdown and "**disagree**" in markdown and "Rounding rule" in markdown
    assert "(and 1 repost)" in markdown
    # 11 April: the wire story and the repost are one entry of the digest; the results stand alone (12 April)
    page = (tmp_path / "out" / "digest" / "2025-04-11.md").read_text(encoding="utf-8")
    assert page.count("[full brief]") == 1 and page.count("Reported by 2 outlets") == 1
    assert "- also: [" in page and "资讯聚合网" in page and f"stories.md#{story['id']}" in page
    assert "Reported by" not in (tmp_path / "out" / "digest" / "2025-04-12.md").read_text(encoding="utf-8")


def stated(text: str, value: float, approx: str | None = None, kind: str = "count") -> StatedFigure:
    return StatedFigure("a", "outlet", 0, text, kind, value, None, approx, None, None, text, "m")


@pytest.mark.parametrize(("a", "b", "same"), [
    (stated("1700万", 1.7e7), stated("1705.99万", 17_059_900), True),  # a whole number to its last non-zero digit
    (stated("63亿", 6.3e9), stated("62.7亿", 6.27e9), True),
    (stated("306.73亿", 3.0673e10, "about"), stated("306.68亿", 3.0668e10), False),  # 约 keeps five digits precise
    (stated("5000倍", 5000, "over"), stated("5258倍", 5258), True),  # 超过5000倍: one digit, over: +10%
    (stated("298港元", 298), stated("290港元", 290), False),
    (stated("43%", 43, "over", "percent"), stated("43.21%", 43.21, None, "percent"), True),
])
def test_the_rounding_rule(a, b, same):
    assert agree(a, b) is same and agree(b, a) is same


def test_only_values_close_enough_to_be_one_quantity_disagree():
    assert digit_slip(stated("71294件", 71_294), stated("712,964件", 712_964))
    assert close_enough(stated("71294件", 71_294), stated("712,964件", 712_964))
    assert close_enough(stated("298港元", 298), stated("290港元", 290))
    assert not close_enough(stated("152亿", 1.52e10), stated("1000亿", 1e11))  # two quantities, one cue
    assert close_enough(stated("3月3日", "2025-03-03", kind="date"), stated("3月4日", "2025-03-04", kind="date"))
    assert not close_enough(stated("1月10日", "2025-01-10", kind="date"), stated("3月3日", "2025-03-03", kind="date"))
