from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import brief_file, brief_text
from pipeline.entities import EntityExtractor, chinese_name_pinyin, load_vocabulary, org_pinyin
from pipeline.entities.coordination import coordinated_names
from pipeline.entities.extractor import _Candidate, _trim_to_repeated_people
from pipeline.entities.naming import institution_english, org_english, place_name
from pipeline.entities.recogniser import load_recogniser
from pipeline.eval.gold import load_gold, score_entities
from pipeline.eval.ner import entity_spans, model_spans, read_bio, read_cluener, read_ner_file, score_ner
from pipeline.resources import default_resources
from pipeline.settings import packaged_recogniser

from .conftest import SEED_GOLD

GOLD_DIR = Path(__file__).parent / "gold"


@pytest.fixture(scope="module")
def extract():
    return EntityExtractor(default_resources())


def by_text(entities):
    return {e.text: e for e in entities}


def test_latin_names_split_by_spaces(extract):
    found = by_text(extract("曾担任亚马逊美国市场总监的Nicolas Le Bourgeois将接替他的职位，Woo Commerce也表示欢迎。"))
    person = found["Nicolas Le Bourgeois"]
    assert (person.type, person.english, person.english_source) == ("PERSON", "Nicolas Le Bourgeois", "latin")
    assert person.role == "亚马逊美国市场总监"
    assert person.role_en == "former marketing director of Amazon's US business"
    assert found["Woo Commerce"].english == "WooCommerce"
    assert found["亚马逊"].english == "Amazon"


def test_chinese_name_next_to_title(extract):
    found = by_text(extract("Temu欧洲区负责人王晓寒表示，公司将继续与本土卖家合作。"))
    person = found["王晓寒"]
    assert (person.type, person.english, person.english_source) == ("PERSON", "Wang Xiaohan", "pinyin")
    known = by_text(extract("TikTok的首席执行官周受资也表示有信心。"))["周受资"]
    assert (known.english, known.english_source) == ("Shou Zi Chew", "gazetteer")
    assert known.role_en == "chief executive officer of TikTok"


def test_role_of_general_manager(extract):
    found = by_text(extract("TikTok美国电商总经理Sandie Hawkins离职后，公司调整了团队。"))
    assert found["Sandie Hawkins"].role_en == "general manager of TikTok's US e-commerce business"


def test_company_inside_longer_word_merges(extract):
    found = extract("TikTok电商在东南亚增长很快，TikTok也在美国招聘。抖音电商则在国内。")
    tiktok = by_text(found)["TikTok"]
    assert tiktok.count == 2
    assert by_text(found)["抖音"].english == "Douyin"
    assert [e.text for e in found].count("TikTok") == 1


def test_unknown_chinese_company_gets_flagged_pinyin(extract):
    found = by_text(extract("湖南智六网络科技有限公司成立于2018年，专为跨境电商卖家提供服务。"))
    company = found["湖南智六网络科技有限公司"]
    assert company.type == "ORG"
    assert company.english_source == "pinyin"
    assert company.english == "Hunan Zhiliu Network Technology Co., Ltd."


def test_a_coined_brand_before_a_company_word_is_a_company(extract):
    # Written for this test (invented companies): the recogniser may miss a brand it never saw.
    found = by_text(extract("深圳二手寄售平台拓野科技近日完成A轮融资，本轮由澜舟资本领投，老股东跟投。"))
    assert found["拓野科技"].type == "ORG" and found["拓野科技"].english == "Tuoye Technology"
    assert found["澜舟资本"].type == "ORG"
    # Not a description before a company word: 航空 and 平台 are words CC-CEDICT knows.
    found = by_text(extract("这家航空公司与一家平台科技公司签约，双方将在上海合作推进跨境物流。"))
    assert "航空公司" not in found and "平台科技" not in found


def test_place_with_suffix(extract):
    found = by_text(extract("二者的矛盾聚焦于即将生效的蒙大拿州禁令，未来其他州的态度也会受影响。"))
    assert (found["蒙大拿州"].type, found["蒙大拿州"].english) == ("GPE", "Montana")
    assert "其他州" not in found


def test_english_name_given_in_brackets(extract):
    found = by_text(extract("快时尚品牌无疆跨境（BOUNDLESS）完成融资。此后无疆跨境继续扩张。"))
    brand = found["无疆跨境"]
    assert (brand.english, brand.english_source, brand.count) == ("BOUNDLESS", "latin", 3)


def test_text_without_entities(extract):
    assert extract("今天天气很好，我们一起去散步吧。") == []


def test_publisher_is_not_an_entity():
    brief = brief_text(
        "标题：跨境新闻动态\n36氪 2024-01-02\n\n36氪获悉，亚马逊卖家在欧洲的销售额持续增长，物流成本下降。"
    )
    assert [e.english for e in brief.entities] == ["Amazon", "Europe"]


@pytest.mark.parametrize(
    ("name", "english"),
    [("王晓寒", "Wang Xiaohan"), ("欧阳娜娜", "Ouyang Nana"), ("曾国藩", "Zeng Guofan"), ("吕布", "Lü Bu")],
)
def test_person_pinyin(name, english):
    assert chinese_name_pinyin(name, load_vocabulary(default_resources())) == english


def test_org_pinyin_translates_suffixes():
    assert org_pinyin("宽窄创投", load_vocabulary(default_resources())) == "Kuanzhai Ventures"


def test_seed_gold_acceptance(seed_gold):
    brief = brief_file(SEED_GOLD.parent.parent / seed_gold["article"])
    report = score_entities([(brief, seed_gold)])
    assert report.overall.recall >= 0.95, report.missed  # the entities issue's acceptance
    assert report.overall.precision >= 0.90, report.spurious
    assert report.by_label["PERSON"].gold_found == 4
    found = {e.text for e in brief.entities}
    latin_companies = [g["text"] for g in seed_gold["entities"] if g["type"] == "ORG" and g["text"].isascii()]
    assert set(latin_companies) <= found


# Entity gold written before the recogniser and CC-CEDICT naming ran on these articles (commit bc245aa):
# the stage was never tuned on them. The other gold files were annotated during development.
UNSEEN_ENTITY_GOLD = ("05_keyouyun_erp_angel_round", "11_apec_trade_ministers", "13_ciie_exhibitors_alliance")
# Entity gold written on 2026-12-02 before the stage's output on these articles was read: first measured
# F1 0.564; the errors were read afterwards, so they are no longer unseen.
LATER_ENTITY_GOLD = ("01_shein_worth_100bn_usd", "12_shanghai_pudong_esports_online_economy",
                     "15_shanghai_film_festival_industry")
# Entities of articles annotated for figures during development, written on 2026-12-02 before that day's
# look at their entity output: first measured F1 0.655.
FIGURE_ARTICLES_ENTITY_GOLD = ("03_etsy_acquires_depop", "07_sharing_accommodation_report",
                               "09_employment_prices_stable")
# Entities of four articles of ../shared/stories, written on 2026-12-07 by a bilingual helper blind to the
# stage's output, before any code was changed for them: first measured F1 0.476 (P 0.484, R 0.469); their
# errors were read afterwards (types of 超市 names, model numbers, a byline's '|'), so they are no longer unseen.
STORY_ENTITY_GOLD = ("s_d01_jdxfw_anker_recall_2024", "s_s04_o1_hkcd_deminimis_temu",
                     "s_s05_o3_jiemian_miniso_yonghui", "s_s08_o2_nbd_midea_hk_debut")


def _entity_gold(group: tuple[str, ...] | None):
    """Scores of the gold files in `group`, or (None) of those annotated during development."""
    later_groups = (*UNSEEN_ENTITY_GOLD, *LATER_ENTITY_GOLD, *FIGURE_ARTICLES_ENTITY_GOLD, *STORY_ENTITY_GOLD)
    golds = [load_gold(p) for p in sorted(GOLD_DIR.glob("*.json"))
             if (p.stem in group if group is not None else p.stem not in later_groups)]
    annotated = [g for g in golds if "entities" in g.data]
    assert len(annotated) >= 2
    return score_entities([(brief_file(g.article), g.data) for g in annotated])


def test_project_gold_entities(shared):
    report = _entity_gold(None)
    assert report.overall.recall >= 0.9, report.missed
    assert report.overall.precision >= 0.85, report.spurious


def test_unseen_gold_entities(shared):
    """A floor, not a target: the rules before the recogniser scored F1 0.645 here (P 0.612, R 0.682);
    with it, 0.711 when this test was written."""
    report = _entity_gold(UNSEEN_ENTITY_GOLD)
    assert report.overall.f1 >= 0.70, (report.missed, report.spurious)


def test_story_gold_entities(shared):
    """A floor: 0.476 when written, 0.613 after the changes that followed reading its errors."""
    report = _entity_gold(STORY_ENTITY_GOLD)
    assert report.overall.f1 >= 0.60, (report.missed, report.spurious)


def test_later_gold_entities(shared):
    """A floor: 0.564 before the changes that followed reading its errors (place levels, names inside
    names, lists, people trimmed to the name found elsewhere), 0.615 after."""
    report = _entity_gold(LATER_ENTITY_GOLD)
    assert report.overall.f1 >= 0.60, (report.missed, report.spurious)


def test_figure_articles_gold_entities(shared):
    """A floor: 0.655 when written, 0.679 after spans stopped starting at spaces and names joined by a
    middle dot were split."""
    report = _entity_gold(FIGURE_ARTICLES_ENTITY_GOLD)
    assert report.overall.f1 >= 0.65, (report.missed, report.spurious)


def _stage_report(path):
    sentences = read_ner_file(path)
    extract = EntityExtractor(default_resources())
    predicted = [entity_spans(extract(sentence)) for sentence, _ in sentences]
    return sentences, score_ner(sentences, predicted)


def test_msra_test_set(shared):
    """The entities issue's acceptance: MSRA test F1 >= 0.88, organisations >= 0.80, with a
    recogniser trained on MSRA train only (models/ner/)."""
    sentences, report = _stage_report(shared / "ner" / "msra_test.bio")
    assert len(sentences) == 4631
    assert report.overall.f1 >= 0.88
    assert report.by_label["ORG"].f1 >= 0.80


def test_cluener_dev_set(shared):
    """CLUENER dev with its types mapped (name -> PER; company, organization, government -> ORG;
    address -> LOC). The issue asks F1 >= 0.75. The trained model's `cluener` head reaches it on its
    own spans (0.761 measured). The stage does not: it follows MSRA's and the product's conventions
    (every country and city is a place; CLUENER labels few, and labels clubs and games), and scores
    0.52; the head inside the stage's evidence checks, which leave Latin script to the Latin-name
    rule, 0.727. These floors keep what was measured."""
    sentences = read_ner_file(shared / "ner" / "cluener_dev.jsonl")
    assert len(sentences) == 1343
    model = load_recogniser(packaged_recogniser())
    resources = default_resources()
    own = score_ner(sentences, [model_spans(text, model, ("cluener",), resources) for text, _ in sentences])
    assert own.overall.f1 >= 0.75
    assert min(own.by_label[t].f1 for t in ("PER", "ORG", "LOC")) >= 0.58
    _, stage = _stage_report(shared / "ner" / "cluener_dev.jsonl")
    assert stage.overall.f1 >= 0.50
    extract = EntityExtractor(default_resources(), ("newsbrief_recogniser",), recogniser={"heads": "cluener"})
    predicted = [entity_spans(extract(sentence)) for sentence, _ in sentences]
    head = score_ner(sentences, predicted)
    assert head.overall.f1 >= 0.72
    assert head.by_label["PER"].f1 >= 0.78


def test_eval_ner_scores_the_model_alone_or_inside_the_stage(shared, tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli import app

    dev = shared / "ner" / "cluener_dev.jsonl"
    runner = CliRunner()
    raw = runner.invoke(app, ["eval", "ner", str(dev), "--limit", "60", "--head", "cluener", "--raw", "--errors"])
    checked = runner.invoke(app, ["eval", "ner", str(dev), "--limit", "60", "--head", "cluener", "--recogniser-only"])
    assert raw.exit_code == 0 and checked.exit_code == 0, raw.output + checked.output
    assert "the model's own spans" in raw.output and "recogniser only" in checked.output
    assert "on entities of types not scored" in raw.output and "spurious spans" not in checked.output
    for output in (raw.output, checked.output):
        assert all(label in output for label in ("LOC", "ORG", "PER", "overall"))
    missing = runner.invoke(app, ["eval", "ner", str(dev), "--recogniser-model", str(tmp_path / "none.npz")])
    assert missing.exit_code != 0 and "none.npz: no such file" in missing.output


# --------------------------------------------------------------------------- unseen-article failures
# Each sentence is ours, written for the failure the entities issue lists; the English comes from
# CC-CEDICT (pipeline.dictionary), not from a list of answers.


def test_fentanyl_is_no_person(extract):
    found = by_text(extract("美国指责墨西哥贩毒集团向美国走私芬太尼，芬太尼危机持续加剧。"))
    assert "芬太尼" not in found
    assert found["墨西哥"].english == "Mexico"


def test_weekday_after_a_title_is_no_person(extract):
    # 周 is a surname and 发言人 a title, but CC-CEDICT's 周四 is Thursday; a titled name stays a name.
    found = by_text(extract("商务部发言人周四说，出口继续增长。总裁高峰表示，公司七月推出新品。"))
    assert "周四" not in found and "七月" not in found
    assert found["高峰"].type == "PERSON"


def test_common_surnames_make_two_character_names(extract):
    # Written for this test: 傅, 赖 and 萧 are among China's commonest surnames (and were missing).
    found = by_text(extract("董事长傅强表示，公司将扩大海外仓。据赖明介绍，订单增长明显。萧华说，合作会继续。"))
    assert [(found[n].type, found[n].english) for n in ("傅强", "赖明", "萧华")] == \
        [("PERSON", "Fu Qiang"), ("PERSON", "Lai Ming"), ("PERSON", "Xiao Hua")]


def test_bank_named_from_the_dictionary(extract):
    found = by_text(extract("汇丰银行公布了三季度业绩，汇丰银行的利润超出市场预期。"))
    bank = found["汇丰银行"]
    assert (bank.type, bank.english, bank.english_source) == ("ORG", "HSBC", "dictionary")


def test_news_agency_is_no_person(extract):
    found = by_text(extract("据彭博社报道，这家公司正在考虑在美国上市。"))
    agency = found["彭博社"]
    assert (agency.type, agency.english) == ("ORG", "Bloomberg News")


def test_stock_exchange_is_found(extract):
    found = by_text(extract("这家跨境电商公司已向港交所递交上市申请，计划年内完成上市。"))
    assert found["港交所"].type == "ORG"
    assert found["港交所"].english == "Hong Kong Stock Exchange"


def test_no_pinyin_made_of_a_place_and_a_common_word(extract):
    entities = extract("香港资本市场近期十分活跃，咨询公司贝恩公司发布报告称，香港资本正在流向东南亚。")
    english = [e.english for e in entities]
    assert "Xianggang Capital" not in english
    assert not any(name.startswith("Gongsi") for name in english)
    assert by_text(entities)["香港"].english == "Hong Kong"


@pytest.mark.parametrize(("sentence", "word"), [
    ("他说，这件事让人如上青云一般兴奋。", "青云"),
    ("一条大河波浪宽，风吹稻花香两岸。", "大河"),
])
def test_common_words_are_no_places(extract, sentence, word):
    assert word not in by_text(extract(sentence))


def test_a_place_in_front_of_a_known_name_is_two_entities(extract):
    found = by_text(extract("签约企业包括韩国现代、德国西门子和日本资生堂。"))
    assert (found["韩国"].type, found["韩国"].english) == ("GPE", "South Korea")
    assert (found["西门子"].type, found["西门子"].english, found["西门子"].english_source) == \
        ("ORG", "Siemens", "dictionary")
    assert (found["资生堂"].type, found["资生堂"].english) == ("ORG", "Shiseido")  # typed and spelt as in English
    # A known name with a company word after it too (jieba reads 美国微软公司 as one word).
    found = by_text(extract("美国微软公司和日本索尼公司宣布合作。"))
    assert (found["微软公司"].english, found["索尼公司"].english) == ("Microsoft Corporation", "Sony")
    assert found["美国"].type == found["日本"].type == "GPE"


def test_an_institution_named_after_a_place_is_one_entity(extract):
    found = by_text(extract("南京市社会福利院的负责人介绍了情况。"))
    assert found["南京市社会福利院"].type == "ORG"
    assert "南京市" not in found


def test_a_places_own_body_is_one_organisation_of_that_place(extract):
    # Written for this test. 外交部 and 证监会 alone are China's; after another place they are its own.
    found = by_text(extract("印度外交部发言人表示，双方将继续谈判。香港证监会表示将加强监管。美国苹果公司发布新品。"))
    assert (found["印度外交部"].type, found["印度外交部"].english) == ("ORG", "India Ministry of Foreign Affairs")
    assert found["香港证监会"].english == "Hong Kong Securities Regulatory Commission"
    assert "证监会" not in found and "外交部" not in found
    assert found["苹果公司"].english == "Apple" and found["美国"].type == "GPE"  # a company's name is its own
    found = by_text(extract("美国哈佛大学的研究人员发现，该药物有效。"))  # so is a university's
    assert found["哈佛大学"].english == "Harvard University" and found["美国"].type == "GPE"
    # 大学 alone is CC-CEDICT's Great Learning, no name of its own; a place's association is the place's.
    found = by_text(extract("天津大学和中国互联网协会联合发布报告。"))
    assert found["天津大学"].english == "Tianjin University" and found["中国互联网协会"].type == "ORG"
    assert "天津" not in found and "大学" not in found and "中国" not in found


def test_read_cluener(tmp_path):
    path = tmp_path / "tiny.jsonl"
    path.write_text('{"text": "温格的球队战胜曼联", "label": {"name": {"温格": [[0, 1]]}, '
                    '"organization": {"曼联": [[7, 8]]}}}\n', encoding="utf-8")
    assert read_cluener(path) == [("温格的球队战胜曼联", [(0, 2, "name"), (7, 9, "organization")])]
    assert read_ner_file(path) == [("温格的球队战胜曼联", [(0, 2, "PER"), (7, 9, "ORG")])]


def test_spurious_spans_sorted_by_what_lies_under_them(tmp_path):
    from pipeline.eval.ner import read_test_set, spurious_breakdown

    path = tmp_path / "tiny.jsonl"  # written for this test
    path.write_text('{"text": "温格在卢浮宫说中国的曼联", "label": {"name": {"温格": [[0, 1]]}, '
                    '"scene": {"卢浮宫": [[3, 5]]}, "organization": {"曼联": [[10, 11]]}}}\n', encoding="utf-8")
    gold, unscored = read_test_set(path)
    assert unscored == [[(3, 6, "scene")]]
    predicted = [[(0, 2, "PER"), (3, 6, "LOC"), (7, 9, "LOC"), (9, 12, "ORG")]]  # right, scene, 中国, 的曼联
    breakdown = spurious_breakdown(gold, predicted, unscored)
    assert (breakdown.on_unscored, breakdown.against_gold, breakdown.unlabelled) == ({"scene": 1}, 1, {"中国": 1})


def test_read_bio(tmp_path):
    path = tmp_path / "tiny.bio"
    path.write_text("王\tB-PER\n小\tI-PER\n明\tI-PER\n在\tO\n北\tB-LOC\n京\tI-LOC\n\n中\tB-ORG\n", encoding="utf-8")
    assert read_bio(path) == [("王小明在北京", [(0, 3, "PER"), (4, 6, "LOC")]), ("中", [(0, 1, "ORG")])]


# A Hong Kong-style report written for this test (the events are invented).
TRADITIONAL_REPORT = (
    "美國市場營收增長兩成\n香港經濟日報 2024-11-20\n\n"
    "亞馬遜表示，美國與中國市場的跨境賣家數量增加了兩萬家。台灣賣家在日本站的銷售額突破新台幣300億元。"
    "香港交易所資料顯示，阿里巴巴集團股價上漲3.2%。執行長李小冬表示，將在馬來西亞和越南擴大物流網絡。"
)


def test_traditional_script_names_the_same_entities_as_simplified():
    """美國/中國-style names: analysed in Simplified form, quoted as written, same English and types."""
    from pipeline.dictionary import load_dictionary

    traditional = brief_text(TRADITIONAL_REPORT)
    simplified = brief_text(load_dictionary().simplified(TRADITIONAL_REPORT))
    assert [(e.type, e.english) for e in traditional.entities] == [(e.type, e.english) for e in simplified.entities]
    found = {e.text: (e.type, e.english) for e in traditional.entities}
    assert found["美國"] == ("GPE", "United States") and found["中國"] == ("GPE", "China")
    assert found["台灣"] == ("GPE", "Taiwan") and found["馬來西亞"] == ("GPE", "Malaysia")
    assert found["亞馬遜"] == ("ORG", "Amazon") and found["香港交易所"] == ("ORG", "Hong Kong Stock Exchange")
    for entity in traditional.entities:
        for mention in entity.mentions:
            assert traditional.text[mention.start:mention.end] == mention.text  # offsets into the text as written
    assert {k.word for k in traditional.keywords} >= {"跨境賣家"}  # keywords as written too
    assert not any("国" in k.word or "卖" in k.word for k in traditional.keywords)


def test_place_english_keeps_the_level_the_article_writes():
    vocabulary = load_vocabulary(default_resources())
    assert place_name("番禺", "Panyu District of Guangzhou City", vocabulary) == "Panyu"
    assert place_name("番禺区", "Panyu District of Guangzhou City", vocabulary) == "Panyu District"
    assert place_name("墨西哥城", "Mexico City", vocabulary) == "Mexico City"


def test_known_words_inside_an_unknown_name_are_english():
    vocabulary = load_vocabulary(default_resources())
    known = {"上海": "Shanghai", "网易": "NetEase"}.get
    assert org_english("上海外高桥集团森兰置地", vocabulary, known) == ("Shanghai Waigaoqiao Group Senlan Land", True)
    assert org_english("上海市委", vocabulary, known) == ("Shanghai Municipal Party Committee", False)
    assert org_english("中泰证券", vocabulary) == ("Zhongtai Securities", True)


def test_an_institution_of_known_words_is_not_flagged_pinyin(extract):
    found = by_text(extract("上海市委宣布了新的规划，杭州市委也表示支持。"))
    assert found["上海市委"].english == "Shanghai Municipal Party Committee"
    assert found["上海市委"].english_source == "dictionary"


def test_a_name_inside_a_name_is_english_only_where_it_is_only_a_name(extract):
    found = by_text(extract("王者荣耀公司宣布新计划，网易暴雪公司也宣布了。"))
    assert "Honor" not in found["王者荣耀公司"].english  # 荣耀 is also 'glory'
    assert found["网易暴雪公司"].english.startswith("NetEase ")


def test_a_place_across_two_words_is_no_place(extract):
    found = by_text(extract("这场精英国际邀请赛在杭州举行。"))
    assert "英国" not in found


def test_known_names_back_to_back_stay_two(extract):
    found = by_text(extract("很多卖家通过阿里速卖通平台出海。"))
    assert found["速卖通"].english == "AliExpress"
    assert "阿里速卖通" not in found


def test_items_listed_between_names_take_their_type():
    text = "腾讯、星河游戏、网易等公司，以及北京、经济、上海等话题。"
    found = [(0, 2, "ORG"), (8, 10, "ORG"), (17, 19, "GPE"), (23, 25, "GPE")]
    listed = coordinated_names(text, found, {"经济"}.__contains__)
    assert listed == [(3, 7, "ORG")]  # 经济 is a common word


def test_a_person_found_twice_is_not_a_longer_guess():
    text = "李华明表示同意。李华明认为可行。李华明称这很好。"
    chosen = [_Candidate(0, 3, "PERSON", "recogniser"), _Candidate(8, 11, "PERSON", "recogniser"),
              _Candidate(16, 20, "PERSON", "recogniser")]
    _trim_to_repeated_people(chosen, text)
    assert [text[c.start:c.end] for c in chosen] == ["李华明"] * 3


def test_an_institution_is_translated_word_by_word_where_every_word_is_plain(extract):
    found = by_text(extract("上海游戏产业研究院发布了报告，盛达游戏也参与了。"))
    assert found["上海游戏产业研究院"].english == "Shanghai Game Industry Research Institute"
    assert found["上海游戏产业研究院"].english_source == "dictionary"
    vocabulary = load_vocabulary(default_resources())
    words = {"游戏": "game", "产业": "industry"}.get
    # A company's stem is a brand, and a word the dictionary cannot read one way stops the translation.
    assert institution_english("盛达游戏", vocabulary, lambda _: None, words) is None
    assert institution_english("东方产业研究院", vocabulary, lambda _: None, words) is None


def test_a_transliterated_name_in_parts_is_pinyin_per_part():
    assert chinese_name_pinyin("卡洛斯·门德斯", load_vocabulary(default_resources())) == "Kaluosi Mendesi"


def test_a_one_character_place_is_its_abbreviated_name(extract):
    entities = extract("这位华裔科学家在美联邦机构工作多年，曾在美国和欧美多所大学任教。")
    english = {m.text: e.english for e in entities for m in e.mentions}
    assert english.get("华", "China") == "China" and english.get("美", "United States") == "United States"
    assert "Mt Hua" not in english.values() and "USA" not in english.values()
    assert english.get("欧美") == "Europe and North America"  # a longer name around an abbreviation wins


def test_an_organisation_named_like_an_event_is_an_event():
    from pipeline.entities.recognised import recognised_type

    vocabulary = load_vocabulary(default_resources())
    assert recognised_type("杭州国际动漫节组委会", "ORG", vocabulary) == "ORG"
    assert recognised_type("宁波国际服装博览会", "ORG", vocabulary) == "EVENT"
    assert recognised_type("世界经济论坛", "ORG", vocabulary) == "ORG"  # a forum can be an organisation
    assert org_english("宁波国际服装博览会", vocabulary)[0].endswith(" Expo")


def test_a_name_never_starts_at_a_space(extract):
    found = by_text(extract("本报记者 王小红报道，公司今年营收增长三成。"))
    assert "王小红" in found and found["王小红"].english == "Wang Xiaohong"
    assert not any(text != text.strip() for text in found)


def test_two_organisations_joined_by_a_middle_dot_are_two(extract):
    found = by_text(extract("江城日报·江城财经网记者 李华明报道，本地消费回暖。"))  # written for this test
    assert "江城日报·江城财经网" not in found
    assert found["江城日报"].type == "ORG" and found["江城日报"].english.endswith("Daily")


@pytest.mark.parametrize(
    ("text", "span", "name"),
    [
        ("据“青禾地产”研究部统计，", (2, 10), "青禾地产"),  # the quote's pair lies outside: the quoted piece
        ("行程为东湾-石桥村-北岭，", (5, 9), "石桥村"),  # a dash at the edge is no part of a place
        ("“春苗计划”组委会宣布，", (0, 9), "“春苗计划”组委会"),  # a quoted word inside a name stays
        ("米娅·", (0, 3), "米娅"),
        ("——", (0, 2), None),
        ('江城"春苗"基金会', (0, 9), '江城"春苗"基金会'),  # straight quotes in pairs
        ('据"青禾地产"研究部', (2, 10), "青禾地产"),
    ],
)
def test_a_name_is_cut_at_quote_marks_and_edge_marks(text, span, name):
    from pipeline.entities.edges import name_piece

    piece = name_piece(text, *span)
    assert (text[slice(*piece)] if piece else None) == name


def test_a_quoted_word_in_an_organisation_keeps_its_quotes_in_english():
    english, pinyin = org_english("“春苗计划”基金会", load_vocabulary(default_resources()))
    assert english.startswith("“") and "” " in english and english.endswith("Foundation") and pinyin


def test_an_unknown_place_keeps_its_level_in_english():
    from pipeline.dictionary import load_dictionary
    from pipeline.entities.english_names import EntityNamer
    from pipeline.entities.gazetteer import load_gazetteer

    resources = default_resources()
    namer = EntityNamer(load_vocabulary(resources), load_gazetteer(resources), load_dictionary())
    assert namer("荷台达省", "GPE").english == "Hetaida Province"  # not 'Hetaidasheng'
    assert namer("荷台达省", "GPE").source == "pinyin"
    assert namer("青溪村", "LOC").english.endswith(" Village")
    assert namer("深圳", "GPE").english == "Shenzhen"  # a name the dictionary knows stays its name


def test_an_organisation_with_a_bracketed_word_has_plain_brackets_in_english():
    english, _ = org_english("江城国际旅游（集团）有限公司", load_vocabulary(default_resources()))
    assert "(Group)" in english and "（" not in english and english.endswith("Co., Ltd.")


def test_two_people_a_space_apart_are_two(extract):
    found = by_text(extract("新华社江城7月6日电（记者聂晓鹏 王小薇）江城今年外贸增长一成。"))  # written for this test
    assert found["聂晓鹏"].english == "Nie Xiaopeng" and found["王小薇"].english == "Wang Xiaowei"
    assert "聂晓鹏 王小薇" not in found


# ----------------------------------------------------------------------------- descriptive names (#34, kind 3)


@pytest.fixture(scope="module")
def namer():
    from pipeline.dictionary import load_dictionary
    from pipeline.entities.english_names import EntityNamer
    from pipeline.entities.gazetteer import load_gazetteer

    resources = default_resources()
    return EntityNamer(load_vocabulary(resources), load_gazetteer(resources), load_dictionary())


@pytest.mark.parametrize(("name", "english"), [
    # sender before 驻, host after it, each by the gazetteer; one-character forms (华, 沪) by their full name
    ("加拿大驻华大使馆", "Embassy of Canada in China"),
    ("中国驻德国大使馆", "Embassy of China in Germany"),
    ("美国驻沪总领事馆", "Consulate General of the United States in Shanghai"),
    ("澳大利亚驻广州总领事馆", "Consulate General of Australia in Guangzhou"),
])
def test_a_diplomatic_mission_is_named_from_its_sender_and_host_never_in_pinyin(namer, name, english):
    named = namer(name, "ORG")
    assert (named.english, named.source) == (english, "dictionary")


@pytest.mark.parametrize(("name", "english"), [
    ("第三研究所", "3rd Research Institute"),
    ("第二十一中学", "21st Middle School"),
    ("第12研究所", "12th Research Institute"),
])
def test_an_institution_numbered_in_its_name_gets_an_english_ordinal(namer, name, english):
    assert namer(name, "ORG").english == english


def test_a_mission_whose_places_are_unknown_is_not_guessed(namer):
    named = namer("某某国驻某地大使馆", "ORG")
    assert "Embassy of" not in named.english  # no made-up sender or host: the usual chain decides


# ----------------------------------------------------------------------------- types (#34, kind 5)

TYPE_TEXT = ("跨境新闻\n某某网 2023-08-15\n\n据Quillon Research统计，东南亚跨境电商增长迅速。"
             "Project Northwind计划启动，投资规模巨大。新款充电宝型号为B2718。记者 | 吴晓岚报道。"
             "福隆超市将关闭部分门店，福隆超市在华东有多家门店。")


def test_types_follow_the_words_of_a_name_not_its_capitals():
    entities = {e.text: e for e in brief_text(TYPE_TEXT).entities}
    assert entities["Quillon Research"].type == "ORG"  # a company's word, not a person's two capitals
    assert entities["Project Northwind"].type == "EVENT"  # a programme
    assert entities["B2718"].type == "PRODUCT"  # a model number
    assert entities["福隆超市"].type == "ORG" and "City" not in entities["福隆超市"].english  # 超市 is no 市
    assert not any("|" in name for name in entities)  # a byline's separator is not part of a name
