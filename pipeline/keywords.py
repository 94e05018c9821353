"""Keywords from jieba's TF-IDF (default) or TextRank, filtered by the project stop list."""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

from .resources import Resources, ensure_jieba, read_lines
from .schema import Keyword

# Nouns, names, verbal nouns and Latin words carry the topic of a news article.
_ALLOWED_POS = ("n", "nr", "ns", "nt", "nz", "nrt", "vn", "eng", "an")
_NUMERIC = re.compile(r"[\d.,%％]+|[一二三四五六七八九十百千万亿两零]+")


@cache
def _extractor(resources: Resources, method: str):
    import jieba.analyse

    ensure_jieba(resources)
    extractor = jieba.analyse.TFIDF() if method == "tfidf" else jieba.analyse.TextRank()
    stop_path = resources.require(resources.stopwords)
    extractor.stop_words = set(extractor.stop_words) | set(read_lines(stop_path))
    return extractor


def extract_keywords(
    text: str,
    resources: Resources,
    *,
    top_k: int = 10,
    method: Literal["tfidf", "textrank"] = "tfidf",
) -> list[Keyword]:
    extractor = _extractor(resources, method)
    pairs = extractor.extract_tags(text, topK=top_k * 2, withWeight=True, allowPOS=_ALLOWED_POS) \
        if method == "tfidf" else extractor.textrank(text, topK=top_k * 2, withWeight=True, allowPOS=_ALLOWED_POS)
    keywords = []
    for word, weight in pairs:
        if len(word) < 2 or _NUMERIC.fullmatch(word) or word in extractor.stop_words:
            continue
        keywords.append(Keyword(word=word, weight=round(float(weight), 4), method=method))
        if len(keywords) == top_k:
            break
    return keywords
