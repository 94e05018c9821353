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

    def generate(self, conversations: list[list[dict]], max_new_tokens: int) -> list[str]: ...


class TransformersGenerator:
    """A causal LM from transformers, greedy, batched.

    The prompts of a batch share their start (the system prompt: about 80 of a sentence's 130
    tokens), so its keys and values are computed once and kept (``share_prefix``); each batch then
    reads only its own text: the prefix, left padding, then each prompt's own part, the padding
    masked out. Decoding (few rows per matrix product) runs on the model's 4-bit copy where one is
    installed (``int4``)."""

    def __init__(self, model, tokenizer, *, checksum: str, label: str, batch_size: int = 8,
                 share_prefix: bool = True) -> None:
        self.model, self.tokenizer = model, tokenizer
        self.checksum, self.label = checksum, label
        self.batch_size = batch_size
        self.share_prefix = share_prefix
        self.generated_tokens = 0
        self._prefixes: dict[tuple[int, ...], object] = {}  # prompt start -> its computed keys and values

    @classmethod
    def from_ref(cls, ref, batch_size: int = 8, *, int4: bool = True, share_prefix: bool = True
                 ) -> TransformersGenerator:
        from .models import load

        # The checksum is the model's identity (cache keys, fingerprints, the Ray workers' check), the
        # same with or without the 4-bit copy: it changes the arithmetic of decoding, not the model.
        model, tokenizer = load(ref, int4=int4)
        return cls(model, tokenizer, checksum=ref.checksum, label=ref.label, batch_size=batch_size,
                   share_prefix=share_prefix)

    def generate(self, conversations: list[list[dict]], max_new_tokens: int) -> list[str]:
        import torch

        outputs: list[str] = []
        for start in range(0, len(conversations), self.batch_size):
            chunk = conversations[start:start + self.batch_size]
            prompts = [self._tokens(c, add_generation_prompt=True) for c in chunk]
            # What comes before the text to translate (the system prompt) may be shared.
            heads = [len(self._tokens(c[:-1])) if self.share_prefix and len(c) > 1 else 0 for c in chunk]
            inputs = self._inputs(prompts, min(heads))
            with torch.inference_mode():
                generated = self.model.generate(
                    **inputs, max_new_tokens=max_new_tokens, do_sample=False, num_beams=1,
                    pad_token_id=self.tokenizer.pad_token_id, eos_token_id=self.tokenizer.eos_token_id,
                )
            new_tokens = generated[:, inputs["input_ids"].shape[1]:]
            self.generated_tokens += int((new_tokens != self.tokenizer.pad_token_id).sum())
            outputs += [t.strip() for t in self.tokenizer.batch_decode(new_tokens, skip_special_tokens=True)]
        return outputs

    def _tokens(self, conversation: list[dict], add_generation_prompt: bool = False) -> list[int]:
        text = self.tokenizer.apply_chat_template(conversation, tokenize=False,
                                                  add_generation_prompt=add_generation_prompt)
        return self.tokenizer(text, add_special_tokens=False)["input_ids"]

    def _inputs(self, prompts: list[list[int]], head: int) -> dict:
        """input_ids and attention_mask of one batch, and its cache when the prompts share
        their first `head` tokens or part of them (the computed start is kept for later batches)."""
        import torch

        shared = 0
        limit = min(head, *(len(p) - 1 for p in prompts))  # every prompt keeps a token of its own
        while shared < limit and len({p[shared] for p in prompts}) == 1:
            shared += 1
        if shared < MIN_SHARED_TOKENS:
            shared = 0
        own = max(len(p) - shared for p in prompts)
        ids = torch.full((len(prompts), shared + own), self.tokenizer.pad_token_id, dtype=torch.long)
        mask = torch.zeros_like(ids)
        for row, prompt in enumerate(prompts):
            ids[row, :shared], mask[row, :shared] = torch.tensor(prompt[:shared]), 1
            tail = prompt[shared:]
            ids[row, shared + own - len(tail):], mask[row, shared + own - len(tail):] = torch.tensor(tail), 1
        inputs = {"input_ids": ids, "attention_mask": mask}
        if shared:
            # Positions follow the mask, so the prompt's own part goes on where the prefix ends.
            inputs["cache"] = self._prefix_state(tuple(prompts[0][:shared]), len(prompts))
        return inputs

    def _prefix_state(self, prefix: tuple[int, ...], rows: int):
        import copy

        import torch
        from transformers import DynamicCache

        if prefix not in self._prefixes:
            if len(self._prefixes) >= MAX_SHARED_PREFIXES:
                self._prefixes.pop(next(iter(self._prefixes)))
            state = DynamicCache(config=self.model.config)
            with torch.inference_mode():
                self.model(input_ids=torch.tensor([prefix]), cache=state, use_cache=True)
            self._prefixes[prefix] = state
        state = copy.deepcopy(self._prefixes[prefix])  # generate extends it
        state.batch_repeat_interleave(rows)
        return state


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
    def key(checksum: str, conversation: list[dict], max_new_tokens: int) -> str:
        payload = json.dumps([checksum, conversation, max_new_tokens], ensure_ascii=False, sort_keys=True)
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
