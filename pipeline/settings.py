"""Settings in one place: the environment and the defaults.

This is the only module that reads ``NEWSBRIEF_*`` variables. Everything else takes a
:class:`Settings` (or the paths and limits it holds) as an argument::

    NEWSBRIEF_HOME     cache, server sockets, downloads (default ~/.cache/newsbrief)
    NEWSBRIEF_MODELS   installed writer models (default $NEWSBRIEF_HOME/models)
    NEWSBRIEF_CORPUS   a folder with lexicon/ and gazetteer/ replacing the packaged ones
    NEWSBRIEF_SERVER   auto | use | off: how `newsbrief brief` uses the warm pipeline server

The project's own data (lexicons, gazetteer, model registry) ships inside the wheel as
``pipeline/data/``; in a source checkout it is read from ``corpus/`` and ``models/`` directly.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .errors import NewsbriefError

ServerMode = Literal["auto", "use", "off"]
SERVER_MODES: tuple[ServerMode, ...] = ("auto", "use", "off")

DEFAULT_MAX_BYTES = 5 * 1024 * 1024  # far above any news article; keeps memory bounded
# Characters after decoding: ten times a very long feature article. Every stage is linear in the
# text (benchmarks/bench_hostile.py), so this bounds time and memory: 13 s and 0.54 GB for one such article.
DEFAULT_MAX_CHARS = 300_000

_PACKAGE = Path(__file__).resolve().parent
_INSTALLED_DATA = _PACKAGE / "data"  # the wheel's copy of corpus/lexicon, corpus/gazetteer, models/
_CHECKOUT = _PACKAGE.parent


class SettingsError(NewsbriefError):
    """A setting (environment variable or option) with a value newsbrief cannot use."""


def packaged_corpus() -> Path:
    """The folder holding lexicon/ and gazetteer/: the wheel's data, else the checkout's corpus/."""
    if (_INSTALLED_DATA / "lexicon").is_dir():
        return _INSTALLED_DATA
    return _CHECKOUT / "corpus"


def packaged_registry() -> Path:
    """models/registry.json: the wheel's copy, else the checkout's."""
    installed = _INSTALLED_DATA / "models" / "registry.json"
    return installed if installed.is_file() else _CHECKOUT / "models" / "registry.json"


def packaged_recogniser() -> Path:
    """models/ner/recogniser.npz, the trained entity recogniser: the wheel's copy, else the checkout's."""
    installed = _INSTALLED_DATA / "models" / "ner" / "recogniser.npz"
    return installed if installed.is_file() else _CHECKOUT / "models" / "ner" / "recogniser.npz"


MAX_INPUT_MB = 1024.0  # nothing newsbrief reads is a gigabyte of text


def usable_folder(variable: str, folder: Path) -> Path:
    """A folder a variable names, or one SettingsError: a file, a symlink loop, an unreadable link."""
    try:
        folder.resolve()
        is_file = folder.exists() and not folder.is_dir()
    except (OSError, RuntimeError):  # RuntimeError: "Symlink loop" before Python 3.13
        raise SettingsError(f"{variable}={folder}: a symlink loop or unreadable link, not a folder") from None
    if is_file:
        raise SettingsError(f"{variable}={folder}: a file, not a folder")
    return folder


def max_bytes_from_mb(max_mb: float) -> int:
    if not 0 < max_mb <= MAX_INPUT_MB:  # nan and inf fail this too
        raise SettingsError(f"--max-mb {max_mb:g}: must be more than 0 and at most {MAX_INPUT_MB:g}")
    return int(max_mb * 1024 * 1024)


@dataclass(frozen=True)
class Settings:
    """Where newsbrief keeps things and the limits it applies; see the module docstring."""

    home: Path = field(default_factory=lambda: Path.home() / ".cache" / "newsbrief")
    models_dir: Path | None = None  # None: home / "models"
    corpus_dir: Path = field(default_factory=packaged_corpus)
    registry: Path = field(default_factory=packaged_registry)
    server_mode: ServerMode = "auto"
    max_bytes: int = DEFAULT_MAX_BYTES
    max_chars: int = DEFAULT_MAX_CHARS

    def __post_init__(self) -> None:
        if self.server_mode not in SERVER_MODES:
            raise SettingsError(f"NEWSBRIEF_SERVER={self.server_mode!r}: expected auto, use or off")
        if self.max_bytes <= 0 or self.max_chars <= 0:
            raise SettingsError(f"size limits {self.max_bytes} bytes, {self.max_chars} characters: must be more than 0")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> Settings:
        env = os.environ if environ is None else environ
        values: dict = {}
        if env.get("NEWSBRIEF_HOME"):
            values["home"] = usable_folder("NEWSBRIEF_HOME", Path(env["NEWSBRIEF_HOME"]).expanduser())
        if env.get("NEWSBRIEF_MODELS"):
            values["models_dir"] = Path(env["NEWSBRIEF_MODELS"]).expanduser()
        if env.get("NEWSBRIEF_CORPUS"):
            values["corpus_dir"] = Path(env["NEWSBRIEF_CORPUS"]).expanduser()
        mode = env.get("NEWSBRIEF_SERVER", "").strip().lower()
        if mode:
            values["server_mode"] = mode
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    @property
    def models(self) -> Path:
        return self.models_dir or self.home / "models"

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"

    @property
    def generation_cache(self) -> Path:
        return self.cache_dir / "generations.sqlite3"

    @property
    def run_dir(self) -> Path:
        return self.home / "run"

    @property
    def downloads(self) -> Path:
        return self.home / "downloads"

    def environment(self) -> dict[str, str]:
        """These settings as environment variables, absolute, for a child process (the server)."""
        env = {"NEWSBRIEF_HOME": str(self.home.resolve()), "NEWSBRIEF_SERVER": self.server_mode}
        if self.models_dir:
            env["NEWSBRIEF_MODELS"] = str(self.models_dir.resolve())
        if self.corpus_dir != packaged_corpus():
            env["NEWSBRIEF_CORPUS"] = str(self.corpus_dir.resolve())
        return env
