"""Keywords: TF-IDF over jieba's part-of-speech tags and IDF table (default) or jieba's TextRank,
filtered by the project stop list.

The stage in full

keywords (`pipeline/keywords.py`): TF-IDF with jieba's IDF table over the Doc's part-of-speech tags
    (default), or jieba's TextRank, with the project's stop list
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache
from typing import Literal

from .resources import Resources, ensure_jieba, read_lines
from .schema import Keyword

# Nouns, names, verbal nouns and Latin words carry the topic of a news article.
_ALLOWED_POS = frozenset(("n", "nr", "ns", "nt", "nz", "nrt", "vn", "eng", "an"))
_NUMERIC = re.compile(r"[\d.,%％]+|[一二三四五六七八九十百千万亿两零]+")


@cache
def _stop_words(resources: Resources) -> frozenset[str]:
    from jieba.analyse.tfidf import KeywordExtractor

    return frozenset(KeywordExtractor.STOP_WORDS) | frozenset(read_lines(resources.require(resources.stopwords)))


@cache
def _idf_table() -> tuple[dict[str, float], float]:
    """jieba's IDF table and its median (for unseen words); jieba.analyse loads it on import."""
    import jieba.analyse

    return jieba.analyse.default_tfidf.idf_freq, jieba.analyse.default_tfidf.median_idf


@cache
def _textrank(resources: Resources):
    import jieba.analyse

    ensure_jieba(resources)
    extractor = jieba.analyse.TextRank()
    extractor.stop_words = set(extractor.stop_words) | _stop_words(resources)
    return extractor


def _tfidf(tags: Sequence[tuple[str, str]], resources: Resources, top_k: int) -> list[tuple[str, float]]:
    # jieba's own TF-IDF extractor would tag the article again; the tags are shared with entities.
    stop_words = _stop_words(resources)
    counts = Counter(
        word
        for word, flag in tags
        if flag in _ALLOWED_POS and len(word.strip()) >= 2 and word.lower() not in stop_words
    )
    total = sum(counts.values())
    idf, median_idf = _idf_table()
    weighted = [(word, count * idf.get(word, median_idf) / total) for word, count in counts.items()]
    weighted.sort(key=lambda pair: pair[1], reverse=True)  # stable: ties keep text order
    return weighted[:top_k]


def extract_keywords(
    text: str,
    resources: Resources,
    tags: Sequence[tuple[str, str]],
    *,
    top_k: int = 10,
    method: Literal["tfidf", "textrank"] = "tfidf",
) -> list[Keyword]:
    if method == "tfidf":
        pairs = _tfidf(tags, resources, top_k * 2)
    else:
        pairs = _textrank(resources).textrank(text, topK=top_k * 2, withWeight=True, allowPOS=tuple(_ALLOWED_POS))
    stop_words = _stop_words(resources)
    keywords = []
    for word, weight in pairs:
        if len(word) < 2 or _NUMERIC.fullmatch(word) or word in stop_words:
            continue
        keywords.append(Keyword(word=word, weight=round(float(weight), 4), method=method))
        if len(keywords) == top_k:
            break
    return keywords
