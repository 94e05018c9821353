"""A trained character-level named-entity recogniser, run with numpy (no torch at inference).

Each character is read with its right-hand bigram, its place in the jieba word it belongs to
(B/M/E/S, the "soft word" feature), that word itself (where the model has a word vocabulary) and
its place in the longest CC-CEDICT proper noun that covers it (and, for a model trained with
``--lexicon-dim``, every dictionary word that covers it: ``word_lexicon``). A stack of dilated convolutions
with residual connections gives every head its emission scores, and a linear-chain CRF per head
decodes well-formed BIO spans. Heads follow the
conventions of their training sets: ``msra`` (PER/LOC/ORG) and ``cluener`` (name, company,
government, organization, address, position …).

``scripts/train_ner.py`` trains it with PyTorch from ``../shared/ner/`` and writes
``models/ner/recogniser.npz``; this module only reads that file. The same feature code serves both,
so training and inference cannot drift apart.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import numpy as np

from .word_lexicon import WordLexicon, load_word_lexicon

PAD, UNK = 0, 1
SINGLE = 2  # word feature: the character is a word by itself
SEG_TAGS = {"B": 1, "M": 2, "E": 3, "S": 4}  # 0: padding
DICT_TAGS = {"B": 1, "M": 2, "E": 3}  # 0: outside any dictionary name
# Sentences are cut here and, when longer, into pieces of at most MAX_PIECE characters.
_PIECE_END = re.compile(r"[。！？!?；;\n]+[”’」』》）)\]】\"']*")
MAX_PIECE = 300

_FULL_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def normalise_char(char: str) -> str:
    """What the model sees of a character: full-width folded, digits and Latin letters by class."""
    code = _FULL_WIDTH.get(ord(char), ord(char))
    char = chr(code)
    if "0" <= char <= "9":
        return "0"
    if "a" <= char <= "z":
        return "a"
    if "A" <= char <= "Z":
        return "A"
    if char.isspace():
        return " "
    return char


@cache
def _normalisation_table() -> dict[int, str]:
    """normalise_char for every character of the Basic Multilingual Plane that it changes, for str.translate."""
    table = {}
    for code in range(0x10000):
        char = chr(code)
        if 0xD800 <= code < 0xE000:
            continue
        normal = normalise_char(char)
        if normal != char:
            table[code] = normal
    return table


def normalise_text(text: str) -> str:
    """normalise_char over a whole text, one character for one (astral characters are kept as they are)."""
    return text.translate(_normalisation_table())


def soft_word_tags(length: int, word_spans: Iterable[tuple[int, int]]) -> np.ndarray:
    """B/M/E/S of each character in its jieba word (characters outside every word: S)."""
    tags = np.full(length, SEG_TAGS["S"], dtype=np.int64)
    for start, end in word_spans:
        if end - start >= 2:
            tags[start] = SEG_TAGS["B"]
            tags[start + 1 : end - 1] = SEG_TAGS["M"]
            tags[end - 1] = SEG_TAGS["E"]
    return tags


def dictionary_tags(text: str, proper_forms: frozenset[str], longest: int) -> np.ndarray:
    """B/M/E of each character in the longest dictionary proper noun starting at it (left to right)."""
    tags = np.zeros(len(text), dtype=np.int64)
    i, n = 0, len(text)
    sizes = _sizes_by_first_char(proper_forms, min(longest, 8))
    while i < n:
        for size in sizes.get(text[i], ()):
            if size <= n - i and text[i : i + size] in proper_forms:
                tags[i] = DICT_TAGS["B"]
                tags[i + 1 : i + size - 1] = DICT_TAGS["M"]
                tags[i + size - 1] = DICT_TAGS["E"]
                i += size
                break
        else:
            i += 1
    return tags


# Explicit cache, keyed by the dictionary's own set (a frozenset caches its hash; equality is identity first).
_SIZES: dict[tuple[frozenset[str], int], dict[str, tuple[int, ...]]] = {}


def _sizes_by_first_char(proper_forms: frozenset[str], longest: int) -> dict[str, tuple[int, ...]]:
    """For each first character, the lengths of the proper nouns that start with it, longest first."""
    key = (proper_forms, longest)
    if key not in _SIZES:
        sizes: dict[str, set[int]] = {}
        for form in proper_forms:
            if 2 <= len(form) <= longest:
                sizes.setdefault(form[0], set()).add(len(form))
        _SIZES.clear()  # one dictionary per process in practice; never grow without bound
        _SIZES[key] = {c: tuple(sorted(v, reverse=True)) for c, v in sizes.items()}
    return _SIZES[key]


@dataclass(frozen=True)
class Features:
    chars: np.ndarray
    bigrams: np.ndarray
    soft_words: np.ndarray
    dictionary: np.ndarray
    words: np.ndarray | None = None  # only for a model with a word vocabulary
    lexicon: np.ndarray | None = None  # (length, word_lexicon.WIDTH) multi-hot; only for a model trained with it

    def columns(self) -> list[np.ndarray]:
        """The id columns, one embedding table each (the lexicon is not one: see `hidden`)."""
        return [self.chars, self.bigrams, self.soft_words, self.dictionary,
                *([self.words] if self.words is not None else [])]


class FeatureVocabulary:
    """Character, bigram and word ids (0 padding, 1 unknown), in the order the training script wrote them."""

    def __init__(self, chars: Sequence[str], bigrams: Sequence[str], words: Sequence[str] = ()) -> None:
        self.chars = list(chars)
        self.bigrams = list(bigrams)
        self.words = list(words)
        self.char_ids = {c: i + 2 for i, c in enumerate(self.chars)}
        self.bigram_ids = {b: i + 2 for i, b in enumerate(self.bigrams)}
        self.word_ids = {w: i + 3 for i, w in enumerate(self.words)}

    def features(self, text: str, word_spans: Iterable[tuple[int, int]], proper_forms: frozenset[str],
                 longest: int, lexicon: WordLexicon | None = None) -> Features:
        word_spans = list(word_spans)
        normal = normalise_text(text)
        char_ids = self.char_ids
        bigram_ids = self.bigram_ids
        chars = np.fromiter((char_ids.get(c, UNK) for c in normal), dtype=np.int64, count=len(normal))
        following = [*normal[1:], "</s>"]
        bigrams = np.fromiter((bigram_ids.get(a + b, UNK) for a, b in zip(normal, following, strict=True)),
                              dtype=np.int64, count=len(normal))
        words = None
        if self.words:
            words = np.full(len(text), SINGLE, dtype=np.int64)
            for start, end in word_spans:
                if end - start >= 2:
                    words[start:end] = self.word_ids.get(normal[start:end], UNK)
        return Features(chars, bigrams, soft_word_tags(len(text), word_spans),
                        dictionary_tags(text, proper_forms, longest), words,
                        lexicon.tags(text) if lexicon is not None else None)


def pieces(text: str) -> list[tuple[int, int]]:
    """(start, end) of the sentence-sized pieces the recogniser decodes one by one."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in [*_PIECE_END.finditer(text), None]:
        end = m.end() if m else len(text)
        while end - start > MAX_PIECE:
            spans.append((start, start + MAX_PIECE))
            start += MAX_PIECE
        if end > start:
            spans.append((start, end))
        start = end
    return [(s, e) for s, e in spans if text[s:e].strip()]


def bio_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """[(start, end, type)] of a well-formed BIO sequence."""
    spans: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        if tag.startswith("I-") and tag[2:] == label:
            continue
        if label:
            spans.append((start, i, label))
        start, label = (i, tag[2:]) if tag != "O" else (-1, "")
    return spans


def allowed_transitions(labels: Sequence[str]) -> np.ndarray:
    """(from, to) pairs a BIO sequence may take: I-X only after B-X or I-X."""
    allowed = np.ones((len(labels), len(labels)), dtype=bool)
    for j, to in enumerate(labels):
        if to.startswith("I-"):
            for i, frm in enumerate(labels):
                allowed[i, j] = frm[2:] == to[2:] and frm != "O"
    return allowed


def allowed_starts(labels: Sequence[str]) -> np.ndarray:
    return np.array([not label.startswith("I-") for label in labels])


def viterbi(emissions: list[np.ndarray], transitions: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[
        np.ndarray]:
    """Best tag sequence of each (length, tags) emission matrix, all sequences in one batch."""
    if not emissions:
        return []
    lengths = np.array([len(e) for e in emissions])
    batch, longest, k = len(emissions), int(lengths.max()), transitions.shape[0]
    scores = np.zeros((batch, longest, k), dtype=np.float32)
    for b, e in enumerate(emissions):
        scores[b, : len(e)] = e
    score = start[None, :] + scores[:, 0]
    back = np.zeros((batch, longest, k), dtype=np.int64)
    for t in range(1, longest):
        candidates = score[:, :, None] + transitions[None, :, :]
        best = candidates.argmax(axis=1)
        new = candidates.max(axis=1) + scores[:, t]  # the value at `best`, without an index gather
        active = (t < lengths)[:, None]
        score = np.where(active, new, score)
        back[:, t] = best
    last = (score + end[None, :]).argmax(axis=1)
    tags = np.zeros((batch, longest), dtype=np.int64)
    current = last.copy()
    rows = np.arange(batch)
    for t in range(longest - 1, -1, -1):
        inside = t < lengths
        tags[inside, t] = current[inside]
        step = inside & (t >= 1)
        current = np.where(step, back[rows, t, current], current)
    return [tags[b, : lengths[b]] for b in range(batch)]


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray) -> np.ndarray:
    x = x - x.mean(axis=1, keepdims=True)
    scale = 1.0 / np.sqrt(np.einsum("ij,ij->i", x, x)[:, None] / x.shape[1] + 1e-5)
    x *= scale
    x *= gain
    x += bias
    return x


class Recogniser:
    """The trained model: features -> dilated convolutions -> a CRF per head."""

    def __init__(self, arrays: dict[str, np.ndarray], meta: dict) -> None:
        self.meta = meta
        self.vocabulary = FeatureVocabulary(meta["chars"], meta["bigrams"], meta.get("words", ()))
        self.dilations: list[int] = meta["dilations"]
        self.gap = max(self.dilations)
        self.labels: dict[str, list[str]] = meta["heads"]
        w = {k: v.astype(np.float32) for k, v in arrays.items()}
        self.embeddings = [w["emb_char"], w["emb_bigram"], w["emb_seg"], w["emb_dict"],
                           *([w["emb_word"]] if "emb_word" in w else [])]
        self.lexicon_projection = w.get("lex_w")  # (WIDTH, lex_dim), for a model trained with the lexicon
        self.lexicon = load_word_lexicon() if self.lexicon_projection is not None else None
        self.projection = (w["proj_w"], w["proj_b"])
        self.layers = [(w[f"conv{i}_w"], w[f"conv{i}_b"], w[f"norm{i}_g"], w[f"norm{i}_b"])
                       for i in range(len(self.dilations))]
        self.heads = {}
        for head, labels in self.labels.items():
            transitions = w[f"{head}_trans"].copy()
            transitions[~allowed_transitions(labels)] = -1e4
            start = np.where(allowed_starts(labels), w[f"{head}_start"], -1e4).astype(np.float32)
            self.heads[head] = (w[f"{head}_w"], w[f"{head}_b"], transitions, start, w[f"{head}_end"])

    @classmethod
    def load(cls, path: Path) -> Recogniser:
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files if k != "meta"}
            meta = json.loads(data["meta"].tobytes().decode("utf-8"))
        return cls(arrays, meta)

    def hidden(self, features: Features) -> np.ndarray:
        """The encoder's output for one (already gap-joined) sequence; padding rows stay zero."""
        parts = [table[i] for table, i in zip(self.embeddings, features.columns(), strict=True)]
        if self.lexicon_projection is not None:
            parts.append(features.lexicon @ self.lexicon_projection)
        x = np.concatenate(parts, axis=1)
        mask = (features.chars != PAD)[:, None].astype(np.float32)
        h = np.maximum(x @ self.projection[0] + self.projection[1], 0.0) * mask
        for d, (weight, bias, gain, norm_bias) in zip(self.dilations, self.layers, strict=True):
            padded = np.pad(h, ((d, d), (0, 0)))
            stacked = np.concatenate([padded[: -2 * d], padded[d:-d], padded[2 * d :]], axis=1)
            y = np.maximum(stacked @ weight + bias, 0.0)
            h = _layer_norm(h + y, gain, norm_bias) * mask
        return h

    def predict(self, text: str, word_spans: Iterable[tuple[int, int]], proper_forms: frozenset[str],
                longest: int, heads: Sequence[str] = ("msra",),
                spans: Sequence[tuple[int, int]] | None = None) -> dict[str, list[tuple[int, int, str]]]:
        """Entity spans of `text` per head: {head: [(start, end, type)]}, offsets into `text`."""
        features = self.vocabulary.features(text, word_spans, proper_forms, longest, self.lexicon)
        spans = pieces(text) if spans is None else spans
        result: dict[str, list[tuple[int, int, str]]] = {head: [] for head in heads}
        if not spans:
            return result
        # Pieces go through the network a block at a time: memory stays bounded and time linear.
        block: list[tuple[int, int]] = []
        size = 0
        for span in [*spans, None]:
            if span is not None and (size + span[1] - span[0] <= _BLOCK_CHARS or not block):
                block.append(span)
                size += span[1] - span[0]
                continue
            self._predict_block(features, block, heads, result)
            block, size = ([span], span[1] - span[0]) if span is not None else ([], 0)
        return result

    def _predict_block(self, features: Features, spans: list[tuple[int, int]], heads: Sequence[str],
                       result: dict[str, list[tuple[int, int, str]]]) -> None:
        # The block's pieces in one sequence, `gap` padding rows between them: the convolutions never
        # see across a piece boundary, exactly as in training, and numpy works on one matrix.
        index = np.concatenate([np.concatenate([np.arange(s, e), np.full(self.gap, -1)]) for s, e in spans])
        joined = Features(*(np.where(index >= 0, column[np.maximum(index, 0)], PAD) for column in features.columns()))
        if features.lexicon is not None:
            gaps = np.zeros((1, features.lexicon.shape[1]), dtype=features.lexicon.dtype)
            joined = replace(joined, lexicon=np.where((index >= 0)[:, None], features.lexicon[np.maximum(index, 0)],
                                                      gaps))
        h = self.hidden(joined)
        bounds, offset = [], 0
        for s, e in spans:
            bounds.append((offset, offset + e - s))
            offset += e - s + self.gap
        for head in heads:
            weight, bias, transitions, start, end = self.heads[head]
            emissions = h @ weight + bias
            paths = viterbi([emissions[a:b] for a, b in bounds], transitions, start, end)
            labels = self.labels[head]
            for (s, _), path in zip(spans, paths, strict=True):
                result[head].extend((s + a, s + b, t) for a, b, t in bio_spans([labels[i] for i in path]))


_BLOCK_CHARS = 2000  # characters of text per pass through the network


@cache
def load_recogniser(path: Path) -> Recogniser:
    return Recogniser.load(path)
