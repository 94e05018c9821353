"""Generation backends: what the writer needs from a model, the transformers backend, the cache."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Protocol

LOG = logging.getLogger("newsbrief")

# A shared prompt start shorter than this is read with each prompt (not worth a cache).
MIN_SHARED_TOKENS = 16
MAX_SHARED_PREFIXES = 8  # system prompts kept (the writer has three, and a retry adds none)


class Generator(Protocol):
    """What the writer needs from a model: batched, greedy chat completion."""

    checksum: str
    label: str

    def generate(self, conversations: list[list[dict]], max_new_tokens: int | Sequence[int]) -> list[str]:
        """One answer per conversation, of at most `max_new_tokens` tokens (one budget, or one for each)."""
        ...


class TransformersGenerator:
    """A causal LM from transformers, greedy, batched.

    The prompts of a batch share their start (the system prompt: about 80 of a sentence's 130
    tokens), so its keys and values are computed once and kept (``share_prefix``); each batch then
    reads only its own text (``decoding.greedy``: no padding read, finished rows leave). Decoding
    (few rows per matrix product) runs on the model's 4-bit copy where one is installed (``int4``).

    ``in_background`` returns at once and loads the model on a thread while the caller does other
    work (the fact sheets); the first generation waits for it and raises its error.

    ``english_only`` (the writer's default): tokens that write CJK characters are never chosen.
    Left free, the model switches into Chinese where it does not know a word ('rural眉山', '值守'),
    and each such answer costs a retry and then span-by-span translation out of context."""

    def __init__(self, model, tokenizer, *, checksum: str, label: str, batch_size: int = 8,
                 share_prefix: bool = True, english_only: bool = True) -> None:
        self._model, self._tokenizer = model, tokenizer
        # What, besides the model, decides its answers: part of the generation cache's key.
        self.decoding = "english-only" if english_only else ""
        self._banned = None  # the CJK token mask: made with the model, here or on the loading thread
        if english_only and model is not None:
            self._banned = _cjk_mask(model, tokenizer)
        self._loading: Future | None = None
        self.load_seconds = 0.0
        self.checksum, self.label = checksum, label
        self.batch_size = batch_size
        self.share_prefix = share_prefix
        self.generated_tokens = 0
        self._prefixes: dict[tuple[int, ...], object] = {}  # prompt start -> its computed keys and values

    @classmethod
    def from_ref(cls, ref, batch_size: int = 8, *, int4: bool = True, share_prefix: bool = True,
                 english_only: bool = True) -> TransformersGenerator:
        generator = cls.in_background(ref, batch_size, int4=int4, share_prefix=share_prefix,
                                      english_only=english_only)
        generator.wait()
        return generator

    @classmethod
    def in_background(cls, ref, batch_size: int = 8, *, int4: bool = True, share_prefix: bool = True,
                      english_only: bool = True) -> TransformersGenerator:
        from .models import load

        # The checksum is the model's identity (cache keys, fingerprints, the Ray workers' check), the
        # same with or without the 4-bit copy: it changes the arithmetic of decoding, not the model.
        generator = cls(None, None, checksum=ref.checksum, label=ref.label, batch_size=batch_size,
                        share_prefix=share_prefix, english_only=english_only)
        loading: Future = Future()
        started = time.perf_counter()

        def run() -> None:
            try:
                loaded = load(ref, int4=int4)
                if english_only:  # made here, beside the fact sheets, not before the first generation
                    generator._banned = _cjk_mask(*loaded)
            except BaseException as exc:  # handed to whoever waits
                generator.load_seconds = time.perf_counter() - started
                loading.set_exception(exc)
                return
            generator.load_seconds = time.perf_counter() - started
            loading.set_result(loaded)

        generator._loading = loading
        threading.Thread(target=run, name=f"load {ref.label}", daemon=True).start()
        return generator

    def wait(self) -> float:
        """Wait for the model to be loaded (raising the load's error); the seconds its load took."""
        if self._loading is not None:
            self._model, self._tokenizer = self._loading.result()
            self._loading = None
        return self.load_seconds

    @property
    def ready(self) -> bool:
        """Whether the model is loaded (or its load has failed): nothing to wait for."""
        return self._loading is None or self._loading.done()

    @property
    def model(self):
        self.wait()
        return self._model

    @property
    def tokenizer(self):
        self.wait()
        return self._tokenizer

    def generate(self, conversations: list[list[dict]], max_new_tokens: int | Sequence[int]) -> list[str]:
        from .decoding import greedy, per_row

        budgets = per_row(max_new_tokens, len(conversations))
        outputs: list[str] = []
        for start in range(0, len(conversations), self.batch_size):
            chunk = conversations[start:start + self.batch_size]
            prompts = [self._tokens(c, add_generation_prompt=True) for c in chunk]
            # What comes before the text to translate (the system prompt) may be shared.
            heads = [len(self._tokens(c[:-1])) if self.share_prefix and len(c) > 1 else 0 for c in chunk]
            shared = _shared_start(prompts, min(heads))
            prefix = tuple(prompts[0][:shared])
            tokens = greedy(self.model, [p[shared:] for p in prompts], budgets[start:start + self.batch_size],
                            eos=self.tokenizer.eos_token_id, pad=self.tokenizer.pad_token_id, prefix=prefix,
                            prefix_state=self._prefix_state(prefix) if shared else None, banned=self._banned)
            self.generated_tokens += sum(len(t) for t in tokens)
            outputs += [t.strip() for t in self.tokenizer.batch_decode(tokens, skip_special_tokens=True)]
        return outputs

    def count_tokens(self, text: str) -> int:
        """The tokens of an answer: one that has as many as its budget was cut there."""
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def _tokens(self, conversation: list[dict], add_generation_prompt: bool = False) -> list[int]:
        text = self.tokenizer.apply_chat_template(conversation, tokenize=False,
                                                  add_generation_prompt=add_generation_prompt)
        return self.tokenizer(text, add_special_tokens=False)["input_ids"]

    def _prefix_state(self, prefix: tuple[int, ...]):
        """The keys and values of a shared prompt start, computed once and kept (decoding copies them)."""
        import torch
        from transformers import DynamicCache

        if prefix not in self._prefixes:
            if len(self._prefixes) >= MAX_SHARED_PREFIXES:
                self._prefixes.pop(next(iter(self._prefixes)))
            state = DynamicCache(config=self.model.config)
            with torch.inference_mode():
                self.model(input_ids=torch.tensor([prefix]), cache=state, use_cache=True, logits_to_keep=1)
            self._prefixes[prefix] = state
        return self._prefixes[prefix]


def _cjk_mask(model, tokenizer):
    """The mask of the tokens an English-only generator never picks (``decoding.cjk_token_mask``)."""
    from .decoding import cjk_token_mask

    return cjk_token_mask(tokenizer, model.config.vocab_size)


def _shared_start(prompts: list[list[int]], head: int) -> int:
    """How many first tokens, of the first `head`, all prompts share (0 if too few to be worth a cache);
    every prompt keeps a token of its own."""
    shared = 0
    limit = min(head, *(len(p) - 1 for p in prompts))
    while shared < limit and len({p[shared] for p in prompts}) == 1:
        shared += 1
    return shared if shared >= MIN_SHARED_TOKENS else 0


class GenerationCache:
    """Persistent prompt -> output cache keyed by model checksum; entries land only after success.

    It is an optimisation: a cache file that is damaged, of another schema or not a file at all is
    moved aside (``generations.sqlite3.damaged-<time>``) and a new one started, with a note on the
    ``newsbrief`` logger; it never stops a brief.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._open()

    def _open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.path.exists() and not self.path.is_file():
                raise sqlite3.DatabaseError("not a file")
            with self._connect() as db:
                db.execute("CREATE TABLE IF NOT EXISTS generations (key TEXT PRIMARY KEY, output TEXT NOT NULL)")
                db.execute("SELECT key, output FROM generations LIMIT 1").fetchall()
        except sqlite3.DatabaseError as exc:
            self._set_aside(exc)

    def _set_aside(self, exc: Exception) -> None:
        aside = self.path.with_name(f"{self.path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        os.replace(self.path, aside)
        LOG.warning("the generation cache %s was unreadable (%s); moved it to %s and started a new one",
                    self.path, exc, aside.name)
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS generations (key TEXT PRIMARY KEY, output TEXT NOT NULL)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    @staticmethod
    def key(checksum: str, conversation: list[dict], max_new_tokens: int, decoding: str = "") -> str:
        parts = [checksum, conversation, max_new_tokens, *([decoding] if decoding else [])]
        payload = json.dumps(parts, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()

    def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        with self._lock:
            try:
                with self._connect() as db:
                    for start in range(0, len(keys), 500):
                        chunk = list(keys[start:start + 500])
                        marks = ",".join("?" * len(chunk))
                        found.update(db.execute(f"SELECT key, output FROM generations WHERE key IN ({marks})", chunk))
            except sqlite3.DatabaseError as exc:  # damaged while in use: generate afresh
                self._set_aside(exc)
                return {}
        return found

    def put_many(self, items: dict[str, str]) -> None:
        with self._lock:
            try:
                with self._connect() as db:  # one transaction: all or nothing
                    db.executemany("INSERT OR REPLACE INTO generations VALUES (?, ?)", items.items())
            except sqlite3.DatabaseError as exc:
                self._set_aside(exc)
