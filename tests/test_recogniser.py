"""The trained recogniser: features, decoding, the numpy network against the PyTorch one it was
trained as, the training script end to end, and CC-CEDICT naming."""

from __future__ import annotations

import importlib.util
import itertools

import numpy as np
import pytest

from pipeline.dictionary import load_dictionary, name_from_gloss
from pipeline.entities.recogniser import (
    Features,
    Recogniser,
    allowed_starts,
    allowed_transitions,
    bio_spans,
    dictionary_tags,
    load_recogniser,
    pieces,
    soft_word_tags,
    viterbi,
)
from pipeline.entities.word_lexicon import KINDS, POSITIONS, WordLexicon, load_word_lexicon
from pipeline.entities.word_lexicon import WIDTH as LEXICON_WIDTH
from pipeline.settings import packaged_recogniser

from .conftest import ROOT


def test_viterbi_finds_the_best_path_of_each_sequence():
    rng = np.random.default_rng(0)
    k = 3
    transitions, start, end = (rng.normal(size=s).astype(np.float32) for s in ((k, k), (k,), (k,)))
    emissions = [rng.normal(size=(n, k)).astype(np.float32) for n in (1, 4, 2, 5)]
    for em, path in zip(emissions, viterbi(emissions, transitions, start, end), strict=True):
        def score(p, em=em):
            return start[p[0]] + end[p[-1]] + sum(em[t, p[t]] for t in range(len(p))) + sum(
                transitions[p[t - 1], p[t]] for t in range(1, len(p)))
        best = max(itertools.product(range(k), repeat=len(em)), key=score)
        assert tuple(path) == best


def test_decoding_never_starts_a_span_with_inside():
    labels = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG"]
    allowed = allowed_transitions(labels)
    assert not allowed[0, 2] and not allowed[1, 4] and allowed[1, 2] and allowed[2, 2] and allowed[4, 3]
    assert list(allowed_starts(labels)) == [True, True, False, True, False]
    assert bio_spans(["B-PER", "I-PER", "O", "B-ORG", "B-ORG", "I-ORG"]) == [(0, 2, "PER"), (3, 4, "ORG"),
                                                                             (4, 6, "ORG")]


def test_pieces_cover_sentences_and_bound_their_length():
    text = "第一句。第二句！\n" + "长" * 700
    spans = pieces(text)
    assert spans[:2] == [(0, 4), (4, 9)]
    assert all(e - s <= 300 for s, e in spans)
    assert "".join(text[s:e] for s, e in spans) == text  # nothing lost, nothing twice
    assert pieces("  \n ") == []


def test_feature_tags():
    assert list(soft_word_tags(5, [(0, 2), (2, 3), (3, 5)])) == [1, 3, 4, 1, 3]
    assert list(dictionary_tags("在汇丰银行工作", frozenset({"汇丰银行", "银行"}), 4)) == [0, 1, 2, 2, 3, 0, 0]


def test_the_lexicon_feature_marks_every_word_covering_a_character_by_kind():
    org, place = KINDS.index("organisation"), KINDS.index("place")
    lexicon = WordLexicon.from_words({"汇丰银行": 1 << org, "汇丰": 1 << org, "香港": 1 << place})
    tags = lexicon.tags("香港汇丰银行")
    assert tags.shape == (6, LEXICON_WIDTH)
    b, m, e = (org * POSITIONS + i for i in range(3))
    # overlapping words both count: 汇 begins 汇丰 and 汇丰银行; 丰 ends one and continues the other
    assert [tuple(row[[b, m, e]]) for row in tags[2:]] == [(1, 0, 0), (0, 1, 1), (0, 1, 0), (0, 0, 1)]
    assert tags[0, place * POSITIONS] == 1 and tags[1, place * POSITIONS + 2] == 1
    assert tags[:, [c for c in range(LEXICON_WIDTH) if c // POSITIONS not in (org, place)]].sum() == 0


def test_the_lexicon_reads_the_bundled_dictionaries_only():
    lexicon = load_word_lexicon()
    assert lexicon.kinds["北京"] >> KINDS.index("place") & 1  # jieba: 北京 ns
    assert lexicon.kinds["汇丰银行"] >> KINDS.index("cedict_proper") & 1  # CC-CEDICT: HSBC
    assert "独立站" not in lexicon.kinds  # the project's user dictionary is not read


torch = pytest.importorskip("torch", reason="the training side needs the writer extra (torch)")


def _training_module():
    spec = importlib.util.spec_from_file_location("train_ner", ROOT / "scripts" / "train_ner.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_numpy_network_equals_the_torch_network_it_was_trained_as():
    train = _training_module()
    torch.manual_seed(0)
    dilations = [1, 2, 4]
    net = train.Net(n_chars=30, n_bigrams=40, char_dim=8, bigram_dim=6, hidden=12, dilations=dilations, dropout=0.0,
                    lex_dim=5)
    for parameter in net.parameters():  # not the zero-initialised CRF: every weight matters here
        torch.nn.init.normal_(parameter, std=0.5)
    net.eval()
    meta = {"chars": [chr(0x4E00 + i) for i in range(30)], "bigrams": [f"b{i}" for i in range(40)],
            "dilations": dilations, "heads": train.HEADS}
    model = Recogniser(train.export(net, dilations, 12), meta)
    rng = np.random.default_rng(1)
    lengths = [7, 3, 11]
    rows = [Features(rng.integers(1, 32, n), rng.integers(1, 42, n), rng.integers(1, 5, n), rng.integers(0, 4, n),
                     lexicon=(rng.random((n, LEXICON_WIDTH)) < 0.2).astype(np.float32))
            for n in lengths]
    longest = max(lengths)
    batch = [np.zeros((len(rows), longest), dtype=np.int64) for _ in range(4)]
    for i, row in enumerate(rows):
        for column, values in zip(batch, (row.chars, row.bigrams, row.soft_words, row.dictionary), strict=True):
            column[i, : len(values)] = values
    lexicon = np.zeros((len(rows), longest, LEXICON_WIDTH), dtype=np.float32)
    for i, row in enumerate(rows):
        lexicon[i, : lengths[i]] = row.lexicon
    tensors = [torch.from_numpy(c) for c in batch]
    with torch.no_grad():
        expected = net("msra", *tensors, tensors[0] != 0, None, torch.from_numpy(lexicon)).numpy()
    weight, bias = model.heads["msra"][:2]
    for i, row in enumerate(rows):
        got = model.hidden(row) @ weight + bias
        # float16 weights in the file: agreement to a few hundredths of a logit
        np.testing.assert_allclose(got, expected[i, : lengths[i]], atol=0.05, rtol=0.02)


def test_training_script_writes_a_model_the_product_loads(tmp_path, shared):
    out = tmp_path / "tiny.npz"
    _training_module().main(["--shared", str(shared), "--out", str(out), "--limit", "80", "--epochs", "1",
                             "--hidden", "16", "--char-dim", "8", "--bigram-dim", "8", "--min-bigram", "1",
                             "--held-out", "0.1"])
    model = Recogniser.load(out)
    assert model.meta["training"]["data"]["msra_train.bio"]  # provenance: the data's sha256
    text = "新华社北京电，国务院总理在人民大会堂会见了来访的客人。"
    found = model.predict(text, [(i, i + 1) for i in range(len(text))], frozenset(), 0, heads=("msra", "cluener"))
    assert set(found) == {"msra", "cluener"}
    assert all(0 <= s < e <= len(text) for spans in found.values() for s, e, _ in spans)


# --------------------------------------------------------------------------- the shipped model


def test_the_shipped_model_is_small_and_documented():
    path = packaged_recogniser()
    assert path.stat().st_size < 30e6
    meta = load_recogniser(path).meta
    assert set(meta["training"]["data"]) == {"msra_train.bio", "cluener_train.jsonl"}  # never a test split
    readme = (ROOT / "models" / "README.md").read_text(encoding="utf-8")
    assert "recogniser.npz" in readme and "scripts/train_ner.py" in readme


# --------------------------------------------------------------------------- CC-CEDICT


@pytest.mark.parametrize(("gloss", "name"), [
    ("Hong Kong and Shanghai Banking Corporation (HSBC)", "HSBC"),
    ("NASDAQ (stock exchange)", "NASDAQ"),
    ("Jingdong, Chinese e-commerce company", "Jingdong"),
    ("Shenzhen subprovincial city in Guangdong, special economic zone close to Hong Kong", "Shenzhen"),
    ("Bank of China", "Bank of China"),
    ("surname Wang", None),
    ("fentanyl (loanword)", None),
    # A note in brackets is no acronym of the name: only initials of its words are.
    ("House of Representatives (USA)", "House of Representatives"),
    ("Ministry of Water Resources (PRC)", "Ministry of Water Resources"),
    ("Yi Jianlian (1987-), Chinese basketball player for the New Jersey Nets (NBA)", "Yi Jianlian"),
    ("World Trade Organization (WTO)", "WTO"),
    ("Standard & Poor's (S&P)", "S&P"),
    ("Taiwan pr. [Zhu1 ge2]", None),  # a note on how a name is read is no name
    ("two-character surname Zhuge", None),
])
def test_names_from_glosses(gloss, name):
    assert name_from_gloss(gloss) == name


def test_dictionary_names_and_common_words():
    dictionary = load_dictionary()
    assert dictionary.english_name("汇丰银行") == "HSBC"
    assert dictionary.english_name("彭博社") == "Bloomberg News"
    assert dictionary.english_name("港交所") == "Hong Kong Stock Exchange"
    assert dictionary.english_name("阿里巴巴", ("company",)) == "Alibaba"  # the company, not Ali Baba
    assert dictionary.english_name("腾讯", ("company",)).startswith("Tencent")  # a 'see …' pointer followed
    assert dictionary.english_name("芬太尼") is None and dictionary.is_common_word("芬太尼")
    assert dictionary.is_common_word("青云") and not dictionary.is_common_word("香港")
    # CC-CEDICT capitalises weekdays and months as English does; they name nothing.
    assert dictionary.is_common_word("周二") and dictionary.is_calendar_word("七月")
    assert not dictionary.is_calendar_word("春节") and not dictionary.is_calendar_word("星期日泰晤士报")


def test_the_parsed_dictionary_is_cached_and_a_damaged_cache_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSBRIEF_HOME", str(tmp_path))
    load_dictionary.cache_clear()
    try:
        assert load_dictionary().english_name("汇丰银行") == "HSBC"
        [cached] = (tmp_path / "cache").glob("cedict-*.marshal")
        cached.write_bytes(b"not marshal data")
        load_dictionary.cache_clear()
        assert load_dictionary().english_name("彭博社") == "Bloomberg News"
        assert cached.stat().st_size > 1_000_000  # written again, whole
    finally:
        load_dictionary.cache_clear()
