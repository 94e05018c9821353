from __future__ import annotations

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
