"""Word hints for the translation prompt: rare words of a sentence with their dictionary English.

A 1.5B model knows 公司 but not 芬太尼 or 港交所; CC-CEDICT does. Rare is jieba's own word
frequency (its bundled dictionary counts words in a large general corpus): common words the model
translates well in context, where a one-gloss hint could only mislead it; and only nouns and
abbreviations (jieba's tags n* and j: 港交所; words it does not know count as nouns), since a verb's
first gloss (彰显 'conspicuous') misleads more often than it helps. The hints are offered in the
prompt; nothing checks that the model used them.
"""

from __future__ import annotations

from ..terms import TermEnglish
from .checks import HAN_RUN

RARE_BELOW = 200  # jieba frequency (its dictionary's total is about 60 million)
MAX_HINTS = 4
MAX_HINT_WORDS = 4  # a longer English is a definition, not a translation


def rare_word_hints(text: str, terms: TermEnglish, limit: int = MAX_HINTS) -> list[tuple[str, str]]:
    """(Chinese, English) for the rarest words of `text` (two characters or more) that the glossary,
    the business terms or CC-CEDICT (a sense, else a proper noun's name) put into English, rarest
    first, at most `limit`."""
    import jieba
    import jieba.posseg

    frequency, tags = jieba.dt.FREQ, jieba.posseg.dt.word_tag_tab
    found: dict[str, tuple[int, str]] = {}
    for run in HAN_RUN.findall(text):
        for word in jieba.cut(run, HMM=False):
            count = frequency.get(word, 0)
            if len(word) < 2 or count >= RARE_BELOW or word in found or tags.get(word, "n")[0] not in "nj":
                continue
            english = terms.english(word) or terms.dictionary.english_name(word)  # a term, else a proper noun
            if english and len(english.split()) <= MAX_HINT_WORDS:
                found[word] = (count, english)
    ranked = sorted(found.items(), key=lambda item: item[1][0])[:limit]
    return [(word, english) for word, (_, english) in ranked]


def hint_note(hints: list[tuple[str, str]]) -> str:
    """The line the prompt gets: '(Words: 芬太尼 = fentanyl; 港交所 = Hong Kong Stock Exchange.)'"""
    return "(Words: " + "; ".join(f"{word} = {english}" for word, english in hints) + ".)" if hints else ""
