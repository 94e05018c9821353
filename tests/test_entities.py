from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import brief_file, brief_text
from pipeline.entities import EntityExtractor, chinese_name_pinyin, load_vocabulary, org_pinyin
from pipeline.eval.gold import load_gold, score_entities
from pipeline.eval.ner import NER_TYPE_MAP, read_bio, score_ner
from pipeline.resources import default_resources

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
    assert report.overall.recall >= 0.90, report.missed
    assert report.overall.precision >= 0.85, report.spurious
    assert report.by_label["PERSON"].gold_found == 4
    found = {e.text for e in brief.entities}
    latin_companies = [g["text"] for g in seed_gold["entities"] if g["type"] == "ORG" and g["text"].isascii()]
    assert set(latin_companies) <= found


def test_project_gold_entities(shared):
    golds = [load_gold(p) for p in sorted(GOLD_DIR.glob("*.json"))]
    annotated = [g for g in golds if "entities" in g.data]
    assert len(annotated) >= 2
    report = score_entities([(brief_file(g.article), g.data) for g in annotated])
    assert report.overall.recall >= 0.9, report.missed
    assert report.overall.precision >= 0.85, report.spurious


def test_msra_baseline(shared):
    sentences = read_bio(shared / "ner" / "msra_test.bio")
    assert len(sentences) == 4631
    extract = EntityExtractor(default_resources())
    predicted = []
    for sentence, _ in sentences:
        predicted.append(
            [
                (m.start, m.end, NER_TYPE_MAP[e.type])
                for e in extract(sentence)
                if e.type in NER_TYPE_MAP
                for m in e.mentions
            ]
        )
    assert score_ner(sentences, predicted).overall.f1 >= 0.65


def test_read_bio(tmp_path):
    path = tmp_path / "tiny.bio"
    path.write_text("王\tB-PER\n小\tI-PER\n明\tI-PER\n在\tO\n北\tB-LOC\n京\tI-LOC\n\n中\tB-ORG\n", encoding="utf-8")
    assert read_bio(path) == [("王小明在北京", [(0, 3, "PER"), (4, 6, "LOC")]), ("中", [(0, 1, "ORG")])]
