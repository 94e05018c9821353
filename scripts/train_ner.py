"""Train the character-level entity recogniser (pipeline/entities/recogniser.py) from ../shared/ner/.

    .venv/bin/python scripts/train_ner.py                      # writes models/ner/recogniser.npz
    .venv/bin/python scripts/train_ner.py --epochs 1 --out /tmp/r.npz   # a quick try

Training data: MSRA train (PER/LOC/ORG) and CLUENER2020 train (ten fine-grained types), one CRF
head each over a shared encoder. Model selection uses held-out slices of those *train* files
(seeded); the MSRA test set and the CLUENER dev set are never read here: they are what
``newsbrief eval ner`` measures. Needs torch (the writer extra); the product itself runs the
saved weights with numpy. Seeded: the same data, seed and torch build give the same weights.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402
from torch import nn  # noqa: E402

from pipeline.dictionary import load_dictionary  # noqa: E402
from pipeline.entities.recogniser import (  # noqa: E402
    Features,
    FeatureVocabulary,
    Recogniser,
    bio_spans,
    normalise_char,
    pieces,
    viterbi,
)
from pipeline.entities.word_lexicon import KINDS as LEXICON_KINDS  # noqa: E402
from pipeline.entities.word_lexicon import WIDTH as LEXICON_WIDTH  # noqa: E402
from pipeline.entities.word_lexicon import WordLexicon, load_word_lexicon  # noqa: E402
from pipeline.eval.ner import read_bio, read_cluener  # noqa: E402
from pipeline.resources import default_resources  # noqa: E402
from pipeline.segment import tokenize  # noqa: E402

CLUENER_TYPES = ("name", "company", "organization", "government", "address", "position", "book", "game", "movie",
                 "scene")
HEADS = {
    "msra": ["O", *[f"{p}-{t}" for t in ("PER", "LOC", "ORG") for p in "BI"]],
    "cluener": ["O", *[f"{p}-{t}" for t in CLUENER_TYPES for p in "BI"]],
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def split_pieces(sentence: str, spans: list[tuple[int, int, str]]) -> list[tuple[str, int, list]]:
    """The sentence in the recogniser's pieces, each with its offset and the spans inside it."""
    out = []
    for start, end in pieces(sentence):
        inside = [(s - start, e - start, t) for s, e, t in spans if start <= s and e <= end]
        out.append((sentence[start:end], start, inside))
    return out


def bio_tags(length: int, spans: list[tuple[int, int, str]], labels: list[str]) -> np.ndarray:
    index = {label: i for i, label in enumerate(labels)}
    tags = np.zeros(length, dtype=np.int64)
    for s, e, t in spans:
        tags[s] = index[f"B-{t}"]
        tags[s + 1 : e] = index[f"I-{t}"]
    return tags


def build_examples(sentences, head: str, vocabulary: FeatureVocabulary, resources, dictionary,
                   lexicon: WordLexicon | None) -> list[dict]:
    labels = HEADS[head]
    examples = []
    for sentence, spans in sentences:
        doc = tokenize(sentence, resources)
        words = [(t.idx, t.idx + len(t.text)) for t in doc]
        feats = vocabulary.features(sentence, words, dictionary.proper_forms, dictionary.longest_proper, lexicon)
        for text, offset, inside in split_pieces(sentence, spans):
            n = len(text)
            examples.append({
                "head": head,
                "chars": feats.chars[offset : offset + n], "bigrams": feats.bigrams[offset : offset + n],
                "seg": feats.soft_words[offset : offset + n], "dict": feats.dictionary[offset : offset + n],
                "words": (feats.words if feats.words is not None else feats.chars * 0)[offset : offset + n],
                "lex": feats.lexicon[offset : offset + n] if feats.lexicon is not None else None,
                "tags": bio_tags(n, inside, labels), "text": text, "spans": inside,
            })
    return examples


def batches(examples: list[dict], max_chars: int, rng: random.Random) -> list[list[dict]]:
    """Length-sorted batches of about max_chars characters (padding included), shuffled."""
    ordered = sorted(examples, key=lambda e: (e["head"], len(e["chars"])))
    out, current = [], []
    for example in ordered:
        longest = max([len(example["chars"]), *(len(e["chars"]) for e in current)])
        if current and (example["head"] != current[0]["head"] or longest * (len(current) + 1) > max_chars):
            out.append(current)
            current = []
        current.append(example)
    if current:
        out.append(current)
    rng.shuffle(out)
    return out


class Net(nn.Module):
    """The recogniser as PyTorch trains it; `export` turns it into the numpy model's arrays."""

    def __init__(self, n_chars: int, n_bigrams: int, char_dim: int, bigram_dim: int, hidden: int,
                 dilations: list[int], dropout: float, n_words: int = 0, word_dim: int = 0, lex_dim: int = 0) -> None:
        super().__init__()
        seg_dim = dict_dim = 16
        self.emb_char = nn.Embedding(n_chars + 2, char_dim, padding_idx=0)
        self.emb_bigram = nn.Embedding(n_bigrams + 2, bigram_dim, padding_idx=0)
        self.emb_seg = nn.Embedding(5, seg_dim, padding_idx=0)
        self.emb_dict = nn.Embedding(4, dict_dim)
        self.emb_word = nn.Embedding(n_words + 3, word_dim, padding_idx=0) if n_words else None
        # The lexicon's multi-hot vector, projected like an embedding (no bias: no word, no signal).
        self.lex = nn.Linear(LEXICON_WIDTH, lex_dim, bias=False) if lex_dim else None
        self.proj = nn.Linear(char_dim + bigram_dim + seg_dim + dict_dim + (word_dim if n_words else 0) + lex_dim,
                              hidden)
        self.convs = nn.ModuleList(nn.Conv1d(hidden, hidden, 3, dilation=d, padding=d) for d in dilations)
        self.norms = nn.ModuleList(nn.LayerNorm(hidden) for _ in dilations)
        self.out = nn.ModuleDict({h: nn.Linear(hidden, len(labels)) for h, labels in HEADS.items()})
        self.trans = nn.ParameterDict({h: nn.Parameter(torch.zeros(len(lb), len(lb))) for h, lb in HEADS.items()})
        self.start = nn.ParameterDict({h: nn.Parameter(torch.zeros(len(lb))) for h, lb in HEADS.items()})
        self.end = nn.ParameterDict({h: nn.Parameter(torch.zeros(len(lb))) for h, lb in HEADS.items()})
        self.drop = nn.Dropout(dropout)

    def forward(self, head, c, b, s, d, mask, w=None, lex=None):
        parts = [self.emb_char(c), self.emb_bigram(b), self.emb_seg(s), self.emb_dict(d)]
        if self.emb_word is not None:
            parts.append(self.emb_word(w))
        if self.lex is not None:
            parts.append(self.lex(lex))
        x = torch.cat(parts, dim=-1)
        m = mask.unsqueeze(-1).float()
        h = torch.relu(self.proj(self.drop(x))) * m
        for conv, norm in zip(self.convs, self.norms, strict=True):
            y = torch.relu(conv(h.transpose(1, 2)).transpose(1, 2))
            h = norm(h + self.drop(y)) * m
        return self.out[head](h)

    def nll(self, head, emissions, tags, mask):
        trans, start, end = self.trans[head], self.start[head], self.end[head]
        batch, length, _ = emissions.shape
        lengths = mask.sum(1)
        rows = torch.arange(batch)
        gold = start[tags[:, 0]] + emissions[rows, 0, tags[:, 0]]
        alpha = start.unsqueeze(0) + emissions[:, 0]
        for t in range(1, length):
            active = mask[:, t]
            step = trans[tags[:, t - 1], tags[:, t]] + emissions[rows, t, tags[:, t]]
            gold = gold + step * active
            nxt = torch.logsumexp(alpha.unsqueeze(2) + trans.unsqueeze(0) + emissions[:, t].unsqueeze(1), dim=1)
            alpha = torch.where(active.unsqueeze(1), nxt, alpha)
        gold = gold + end[tags[rows, lengths - 1]]
        log_z = torch.logsumexp(alpha + end.unsqueeze(0), dim=1)
        return (log_z - gold).sum()


def export(net: Net, dilations: list[int], hidden: int) -> dict[str, np.ndarray]:
    """The numpy recogniser's arrays (float16) from the trained network."""
    state = {k: v.detach().numpy() for k, v in net.state_dict().items()}
    arrays = {
        "emb_char": state["emb_char.weight"], "emb_bigram": state["emb_bigram.weight"],
        "emb_seg": state["emb_seg.weight"], "emb_dict": state["emb_dict.weight"],
        "proj_w": state["proj.weight"].T, "proj_b": state["proj.bias"],
    }
    if "emb_word.weight" in state:
        arrays["emb_word"] = state["emb_word.weight"]
    if "lex.weight" in state:
        arrays["lex_w"] = state["lex.weight"].T
    for i in range(len(dilations)):
        weight = state[f"convs.{i}.weight"]  # (out, in, 3) -> rows [t-d | t | t+d] x out
        arrays[f"conv{i}_w"] = weight.transpose(2, 1, 0).reshape(3 * hidden, hidden)
        arrays[f"conv{i}_b"] = state[f"convs.{i}.bias"]
        arrays[f"norm{i}_g"] = state[f"norms.{i}.weight"]
        arrays[f"norm{i}_b"] = state[f"norms.{i}.bias"]
    for h in HEADS:
        arrays[f"{h}_w"], arrays[f"{h}_b"] = state[f"out.{h}.weight"].T, state[f"out.{h}.bias"]
        arrays[f"{h}_trans"], arrays[f"{h}_start"] = state[f"trans.{h}"], state[f"start.{h}"]
        arrays[f"{h}_end"] = state[f"end.{h}"]
    return {k: v.astype(np.float16) for k, v in arrays.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=ROOT / "models" / "ner" / "recogniser.npz")
    parser.add_argument("--epochs", type=int, default=14)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--hidden", type=int, default=160)
    parser.add_argument("--dilations", default="1,2,4,1")
    parser.add_argument("--char-dim", type=int, default=96)
    parser.add_argument("--bigram-dim", type=int, default=48)
    parser.add_argument("--min-bigram", type=int, default=3)
    parser.add_argument("--word-dim", type=int, default=0, help="embed jieba words too (0: no word feature)")
    parser.add_argument("--min-word", type=int, default=3)
    # Tried at 32 and not shipped: held-out F1 0.935 / 0.693 against 0.933 / 0.689 without (models/README.md).
    parser.add_argument("--lexicon-dim", type=int, default=0,
                        help="project the dictionary-word lexicon feature to this size (0: no lexicon feature)")
    parser.add_argument("--cluener-repeat", type=int, default=1, help="CLUENER examples per epoch, times")
    parser.add_argument("--batch-chars", type=int, default=2400)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--dropout", type=float, default=0.25)
    parser.add_argument("--held-out", type=float, default=0.04, help="share of each train file kept for selection")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None, help="only the first N sentences of each file (tests)")
    args = parser.parse_args(argv)

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)
    resources = default_resources()
    dictionary = load_dictionary()

    msra_path = args.shared / "ner" / "msra_train.bio"
    cluener_path = args.shared / "ner" / "cluener_train.jsonl"
    data = {"msra": read_bio(msra_path)[: args.limit], "cluener": read_cluener(cluener_path)[: args.limit]}
    train, held = {}, {}
    for head, sentences in data.items():
        order = list(range(len(sentences)))
        rng.shuffle(order)
        cut = int(len(order) * args.held_out)
        held[head] = [sentences[i] for i in sorted(order[:cut])]
        train[head] = [sentences[i] for i in sorted(order[cut:])]

    char_counts: Counter[str] = Counter()
    bigram_counts: Counter[str] = Counter()
    for sentences in train.values():
        for sentence, _ in sentences:
            normal = [normalise_char(c) for c in sentence]
            char_counts.update(normal)
            bigram_counts.update(a + b for a, b in zip(normal, [*normal[1:], "</s>"], strict=True))
    chars = sorted(c for c, n in char_counts.items() if n >= 2)
    bigrams = sorted(b for b, n in bigram_counts.items() if n >= args.min_bigram)
    words: list[str] = []
    if args.word_dim:
        word_counts: Counter[str] = Counter()
        for sentences in train.values():
            for sentence, _ in sentences:
                normal = [normalise_char(c) for c in sentence]
                word_counts.update("".join(normal[t.idx : t.idx + len(t.text)]) for t in tokenize(sentence, resources)
                                   if len(t.text) >= 2)
        words = sorted(w for w, n in word_counts.items() if n >= args.min_word)
    vocabulary = FeatureVocabulary(chars, bigrams, words)
    print(f"vocabulary: {len(chars)} characters, {len(bigrams)} bigrams, {len(words)} words", flush=True)

    started = time.perf_counter()
    lexicon = load_word_lexicon() if args.lexicon_dim else None
    examples = [e for head in train
                for e in build_examples(train[head], head, vocabulary, resources, dictionary, lexicon)]
    held_examples = {head: build_examples(held[head], head, vocabulary, resources, dictionary, lexicon)
                     for head in held}
    print(f"features: {len(examples)} training pieces in {time.perf_counter() - started:.0f} s", flush=True)

    dilations = [int(d) for d in args.dilations.split(",")]
    hidden = args.hidden

    def export_with_meta() -> tuple[dict[str, np.ndarray], dict]:
        meta = {
            "format": 1, "chars": chars, "bigrams": bigrams, "words": words, "dilations": dilations, "heads": HEADS,
            "training": {
                "data": {p.name: sha256(p) for p in (msra_path, cluener_path)}, "limit": args.limit,
                "held_out": args.held_out, "seed": args.seed, "epochs": args.epochs, "hidden": hidden,
                "char_dim": args.char_dim, "bigram_dim": args.bigram_dim, "min_bigram": args.min_bigram,
                "word_dim": args.word_dim, "min_word": args.min_word, "cluener_repeat": args.cluener_repeat,
                "lexicon_dim": args.lexicon_dim, "lexicon_kinds": list(LEXICON_KINDS) if lexicon else [],
                "lr": args.lr, "dropout": args.dropout, "batch_chars": args.batch_chars,
                "torch": torch.__version__,
            },
        }
        return export(net, dilations, hidden), meta

    net = Net(len(chars), len(bigrams), args.char_dim, args.bigram_dim, hidden, dilations, args.dropout,
              n_words=len(words), word_dim=args.word_dim, lex_dim=args.lexicon_dim)
    # CLUENER is a fifth of MSRA's size: seen more often per epoch, its head gets as much training.
    examples = examples + [e for e in examples if e["head"] == "cluener"] * (args.cluener_repeat - 1)
    optimiser = torch.optim.Adam(net.parameters(), lr=args.lr)
    total_steps = args.epochs * len(batches(examples, args.batch_chars, random.Random(0)))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min(1.0, (step + 1) / 300) * 0.5 * (1 + math.cos(math.pi * min(step, total_steps)
                                                                                 / total_steps)))

    def tensors(batch):
        longest = max(len(e["chars"]) for e in batch)
        out = {}
        for key in ("chars", "bigrams", "seg", "dict", "tags", "words"):
            array = np.zeros((len(batch), longest), dtype=np.int64)
            for i, e in enumerate(batch):
                array[i, : len(e[key])] = e[key]
            out[key] = torch.from_numpy(array)
        out["mask"] = out["chars"] != 0
        out["lex"] = None
        if batch[0]["lex"] is not None:
            lex = np.zeros((len(batch), longest, LEXICON_WIDTH), dtype=np.float32)
            for i, e in enumerate(batch):
                lex[i, : len(e["lex"])] = e["lex"]
            out["lex"] = torch.from_numpy(lex)
        return out

    def held_out_f1(model: Recogniser) -> dict[str, float]:
        """Span F1 of each head on its held-out train slice, decoded by the numpy recogniser."""
        scores = {}
        for head, items in held_examples.items():
            gold = predicted = correct = 0
            weight, bias, transitions, start, end = model.heads[head]
            for e in items:
                h = model.hidden(Features(e["chars"], e["bigrams"], e["seg"], e["dict"],
                                          e["words"] if words else None, e["lex"]))  # one piece: no gaps
                path = viterbi([h @ weight + bias], transitions, start, end)[0]
                found = set(bio_spans([model.labels[head][i] for i in path]))
                truth = set(e["spans"])
                gold, predicted, correct = gold + len(truth), predicted + len(found), correct + len(truth & found)
            p, r = correct / max(predicted, 1), correct / max(gold, 1)
            scores[head] = 2 * p * r / max(p + r, 1e-9)
        return scores

    best, best_state = -1.0, None
    for epoch in range(1, args.epochs + 1):
        net.train()
        started, loss_sum, n_chars = time.perf_counter(), 0.0, 0
        for batch in batches(examples, args.batch_chars, rng):
            t = tensors(batch)
            emissions = net(batch[0]["head"], t["chars"], t["bigrams"], t["seg"], t["dict"], t["mask"], t["words"],
                            t["lex"])
            loss = net.nll(batch[0]["head"], emissions, t["tags"], t["mask"])
            chars_in = int(t["mask"].sum())
            optimiser.zero_grad()
            (loss / chars_in * 40).backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            optimiser.step()
            scheduler.step()
            loss_sum += loss.item()
            n_chars += chars_in
        net.eval()
        arrays, meta = export_with_meta()
        scores = held_out_f1(Recogniser(arrays, meta))
        mean = sum(scores.values()) / len(scores)
        print(f"epoch {epoch}: loss/char {loss_sum / n_chars:.4f}, held-out F1 "
              + ", ".join(f"{h} {f:.4f}" for h, f in scores.items())
              + f", {time.perf_counter() - started:.0f} s", flush=True)
        if mean > best:
            best, best_state = mean, (arrays, meta, epoch, scores)
    arrays, meta, epoch, scores = best_state
    meta["training"]["best_epoch"], meta["training"]["held_out_f1"] = epoch, scores
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, meta=np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"),
                                                     dtype=np.uint8), **arrays)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB), epoch {epoch}, held-out F1 {scores}")


if __name__ == "__main__":
    main()
