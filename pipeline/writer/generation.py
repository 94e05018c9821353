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


class Generator(Protocol):
    """What the writer needs from a model: batched, greedy chat completion."""

    checksum: str
    label: str

    def generate(self, conversations: list[list[dict]], max_new_tokens: int) -> list[str]: ...


class TransformersGenerator:
    """A causal LM from transformers, greedy, batched with left padding."""

    def __init__(self, model, tokenizer, *, checksum: str, label: str, batch_size: int = 8) -> None:
        self.model, self.tokenizer = model, tokenizer
        self.checksum, self.label = checksum, label
        self.batch_size = batch_size
        self.generated_tokens = 0

    @classmethod
    def from_ref(cls, ref, batch_size: int = 8) -> TransformersGenerator:
        from .models import load

        model, tokenizer = load(ref)
        return cls(model, tokenizer, checksum=ref.checksum, label=ref.label, batch_size=batch_size)

    def generate(self, conversations: list[list[dict]], max_new_tokens: int) -> list[str]:
        import torch

        outputs: list[str] = []
        for start in range(0, len(conversations), self.batch_size):
            chunk = conversations[start:start + self.batch_size]
            prompts = [self.tokenizer.apply_chat_template(c, tokenize=False, add_generation_prompt=True)
                       for c in chunk]
            encoded = self.tokenizer(prompts, return_tensors="pt", padding=True, add_special_tokens=False)
            with torch.inference_mode():
                generated = self.model.generate(
                    **encoded, max_new_tokens=max_new_tokens, do_sample=False, num_beams=1,
                    pad_token_id=self.tokenizer.pad_token_id, eos_token_id=self.tokenizer.eos_token_id,
                )
            new_tokens = generated[:, encoded["input_ids"].shape[1]:]
            self.generated_tokens += int((new_tokens != self.tokenizer.pad_token_id).sum())
            outputs += [t.strip() for t in self.tokenizer.batch_decode(new_tokens, skip_special_tokens=True)]
        return outputs


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
