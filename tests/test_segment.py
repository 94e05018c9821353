from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import ingest_file
from pipeline.keywords import extract_keywords
from pipeline.resources import default_resources, read_lines
from pipeline.segment import pos_tags, split_sentences, tokenize

from .conftest import SEED

DOMAIN_TERMS = ["半闭环", "全闭环模式", "独立站", "Z世代", "二手奢侈品", "直播带货", "二手电商"]


def test_user_dictionary_is_large_enough():
    entries = read_lines(default_resources().userdict)
    assert len(entries) >= 300
    words = {line.split()[0] for line in entries}
    assert {"半闭环", "全闭环", "独立站", "二手奢侈品", "Z世代", "直播带货", "GMV"} <= words


def test_seed_keeps_domain_terms_whole(shared):
    article = ingest_file(SEED)
    tokens = [t.text for t in tokenize(article.text, default_resources())]
    for term in DOMAIN_TERMS:
        assert term in tokens, term
    # Token offsets point back into the cleaned text.
    doc = tokenize(article.text, default_resources())
    for token in doc[:200]:
        assert article.text[token.idx:token.idx + len(token.text)] == token.text


def test_sentence_split_with_closing_quotes():
    text = "他说：“跨境电商增长很快。”随后离开！真的吗？是的；还有……最后一句\n第二段没有句号"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "他说：“跨境电商增长很快。”", "随后离开！", "真的吗？", "是的；", "还有……", "最后一句", "第二段没有句号",
    ]
    assert [s.paragraph for s in sentences] == [0, 0, 0, 0, 0, 0, 1]
    for s in sentences:
        assert text[s.start:s.end] == s.text


def test_decimal_points_do_not_split():
    sentences = split_sentences("收入增长8.2%至8270万美元。活跃买家为1.5亿。")
    assert [s.text for s in sentences] == ["收入增长8.2%至8270万美元。", "活跃买家为1.5亿。"]


def test_seed_sentences_cover_text(shared):
    article = ingest_file(SEED)
    sentences = split_sentences(article.text, article.paragraphs)
    assert len(sentences) > 50
    joined = "".join(s.text for s in sentences)
    assert joined == article.text.replace("\n", "").replace(" ", "") or len(joined) > 0.95 * len(article.text)


def test_keywords_are_topical(shared):
    article = ingest_file(SEED)
    tags = pos_tags(article.text, default_resources())
    words = [k.word for k in extract_keywords(article.text, default_resources(), tags, top_k=10)]
    assert "TikTok" in words
    assert "二手奢侈品" in words
    assert not any(w.isdigit() for w in words)
    textrank = extract_keywords(article.text, default_resources(), tags, method="textrank")
    assert textrank and textrank[0].method == "textrank"


# --------------------------------------------------------------------------- Traditional script

CEDICT_SAMPLE = """\
國家 国家 [guo2 jia1] /country/nation/
美國 美国 [Mei3 guo2] /United States/
乾隆 乾隆 [Qian2 long2] /Qianlong Emperor/
乾燥 干燥 [gan1 zao4] /dry/
頭髮 头发 [tou2 fa5] /hair/
發展 发展 [fa1 zhan3] /development/
開發 开发 [kai1 fa1] /to develop/
"""


def test_traditional_characters_come_from_the_dictionarys_pairs():
    from pipeline.dictionary import parse_cedict, traditional_characters

    table = traditional_characters(parse_cedict(CEDICT_SAMPLE))
    assert table["國"] == "国" and table["髮"] == "发" and table["開"] == "开"
    assert "乾" not in table  # a Simplified form uses it (乾隆): Simplified text keeps it
    assert "发" not in table and "美" not in table  # Simplified and shared characters are never keys


def test_simplified_keeps_every_offset():
    from pipeline.dictionary import load_dictionary

    fold = load_dictionary().simplified
    text = "蝦皮母公司冬海集團第三季營收達12.5億港元，美國與中國市場的賣家增加兩萬家。"
    assert fold(text) == "虾皮母公司冬海集团第三季营收达12.5亿港元，美国与中国市场的卖家增加两万家。"
    assert len(fold(text)) == len(text) and fold(fold(text)) == fold(text)


def test_simplified_articles_are_left_as_they_are(shared):
    from pipeline.dictionary import load_dictionary

    fold = load_dictionary().simplified
    for article in sorted((shared / "corpus" / "articles").glob("*.txt")):
        text = article.read_text(encoding="utf-8")
        assert fold(text) == text, article.name


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("國億萬兩亞馬遜灣與華為門發展乾著的了是美中台港1.%元 ，。"), max_size=80))
def test_folding_is_one_for_one(text: str):
    from pipeline.dictionary import load_dictionary

    folded = load_dictionary().simplified(text)
    assert len(folded) == len(text)
    assert all(a == b or load_dictionary().traditional.get(a) == b for a, b in zip(text, folded, strict=True))


def test_tags_of_the_docs_words_are_jiebas_tags():
    """Tagging the Doc's words (a dictionary tag, jieba's HMM only for the others) gives the tags
    tagging the whole text gives, for the words of two characters or more both cut the same way
    (single characters jieba's HMM may tag by context; keywords never take them)."""
    import jieba.posseg

    text = "跨境电商卖家在TikTok上销售了3.5万件商品，新锐品牌星澜云也参与其中。"  # written for this test
    resources = default_resources()
    words = [t.text for t in tokenize(text, resources)]
    tagged = pos_tags(text, resources, words)
    assert "".join(w for w, _ in tagged) == text.replace(" ", "")
    whole = dict(pos_tags(text, resources))
    table = jieba.posseg.dt.word_tag_tab
    for word, flag in tagged:
        if word in table:
            assert flag == table[word]
        if word in whole and word in table and len(word) >= 2:
            assert flag == whole[word]
    assert dict(tagged)["TikTok"] == "eng" and dict(tagged)["3.5"] == "m"
