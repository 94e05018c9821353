"""Segmentation: Chinese sentence splitting and jieba word segmentation through spaCy.

The stage in full

segment (`pipeline/segment.py`): sentence splitting (。！？；… with closing quotes), Traditional script
    (Hong Kong, Taiwan) folded to Simplified character for character for the analysers (`Doc.analysis_text`:
    國 → 国, 減少 → 减少; the table is read off CC-CEDICT's pairs of forms, never folding a character that
    Simplified uses, so offsets stay valid and Simplified text is untouched; keywords, entities, roles and
    figures quote the text as written), jieba word segmentation through spaCy's Chinese tokenizer with the
    project's user dictionary, and jieba's part-of-speech tags, put on the Doc once for every later stage
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from .resources import HAN, Resources, ensure_jieba
from .schema import Sentence
from .spacy_import import import_spacy

# A sentence ends after a run of terminal punctuation plus any closing quotes/brackets.
_SENTENCE_END = re.compile(r"(?:[。！？!?；;]+|…{1,2}|\.{3,})[”’」』》）)\]】\"']*")


def split_sentences(text: str, paragraphs: list[tuple[int, int]] | None = None) -> list[Sentence]:
    """Split cleaned text into sentences with offsets; sentences never cross paragraphs."""
    if paragraphs is None:
        paragraphs, pos = [], 0
        for line in text.split("\n"):
            paragraphs.append((pos, pos + len(line)))
            pos += len(line) + 1
    sentences: list[Sentence] = []
    for p_index, (p_start, p_end) in enumerate(paragraphs):
        start = p_start
        cuts = [m.end() for m in _SENTENCE_END.finditer(text, p_start, p_end)]
        for end in [*cuts, p_end]:
            # Trim surrounding spaces so offsets cover exactly the sentence.
            s, e = start, end
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                sentences.append(
                    Sentence(index=len(sentences), paragraph=p_index, start=s, end=e, text=text[s:e])
                )
            start = end
    return sentences


@cache
def chinese_nlp(resources: Resources):  # -> spacy.Language
    """A blank spaCy Chinese pipeline whose tokenizer is jieba with the project dictionary.

    Cached per resource set: building it loads jieba's dictionary, which takes a second.
    """
    spacy = import_spacy()
    ensure_jieba(resources)
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})


_NUMBER = re.compile(r"[0-9.]+")
_LATIN = re.compile(r"[A-Za-z0-9]{2,}")


def pos_tags(text: str, resources: Resources, words: Sequence[str] | None = None) -> tuple[tuple[str, str], ...]:
    """jieba's (word, part-of-speech) pairs for a text.

    The segment component puts them on the Doc once, because keywords and entities both read
    them. Given the text's `words` (the Doc's jieba tokens), a word jieba's dictionary knows takes
    its dictionary tag and only the others are tagged by jieba's part-of-speech HMM, one word at a
    time: the same tags for known words at a tenth of the time of tagging the whole text, which
    was half of the time of a brief.
    """
    import jieba.posseg

    ensure_jieba(resources)
    if words is None:
        return tuple((pair.word, pair.flag) for pair in jieba.posseg.cut(text, HMM=True))
    tags = jieba.posseg.dt.word_tag_tab
    pairs: list[tuple[str, str]] = []
    for word in words:
        flag = tags.get(word)
        if flag is not None:
            pairs.append((word, flag))
        elif not HAN.search(word):  # as jieba.posseg tags what it does not segment
            if word.strip():
                pairs.append((word, "m" if _NUMBER.fullmatch(word) else "eng" if _LATIN.fullmatch(word) else "x"))
        else:
            pairs += [(pair.word, pair.flag) for pair in jieba.posseg.cut(word, HMM=True)]
    return tuple(pairs)


def tokenize(text: str, resources: Resources):  # -> spacy.tokens.Doc
    return chinese_nlp(resources).make_doc(text)

