"""File output helpers: atomic writes and safe, unique names."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from .errors import OutputError, os_reason

MAX_SLUG_CHARS = 80
LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # only a str holds them: they cannot be written as UTF-8


def display_name(name: str) -> str:
    """A file name as text that can be written anywhere: the bytes of a name that is not UTF-8 (a GBK
    name from a Windows zip reaches Python as lone surrogates, 测\udcff试) shown as \\xff escapes."""
    if not LONE_SURROGATE.search(name):
        return name
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return LONE_SURROGATE.sub("\ufffd", name)
    return raw.decode("utf-8", "backslashreplace")


_UMASK: list[int] = []  # read once: os.umask can only be read by setting it


def _umask() -> int:
    if not _UMASK:
        current = os.umask(0o022)
        os.umask(current)
        _UMASK.append(current)
    return _UMASK[0]


def write_atomic(path: Path, text: str | bytes | Iterable[str]) -> None:
    """Write text (UTF-8), bytes or text chunks (a large export, streamed) via a temporary file in the
    same folder, then rename: readers never see half a file, and a crash leaves either the old file or
    the new one. A place that cannot be written (a read-only folder, a file where a folder should be) is a
    one-line :class:`OutputError`."""
    blocking = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise OutputError(path, f"cannot write: {blocking} is a file, not a folder")
    if path.is_dir():
        raise OutputError(path, "cannot write: it is a folder")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(path, f"cannot write ({os_reason(exc)})") from None
    try:
        with (os.fdopen(fd, "wb") if isinstance(text, bytes) else os.fdopen(fd, "w", encoding="utf-8")) as handle:
            if isinstance(text, (str, bytes)):
                handle.write(text)
            else:
                handle.writelines(text)
            # mkstemp makes 0600: a new file gets what the umask gives any file, a replaced one keeps its mode.
            try:
                mode = path.stat().st_mode & 0o777
            except OSError:
                mode = 0o666 & ~_umask()
            os.fchmod(handle.fileno(), mode)
        # No fsync: rename is atomic for readers and survives a killed process; fsync would only
        # add power-loss durability at a cost of several milliseconds per file.
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(path, f"cannot write ({os_reason(exc)})") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def slugify(text: str, max_chars: int = MAX_SLUG_CHARS) -> str:
    """ASCII words joined by hyphens: safe on every filesystem, never empty, never a path."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", text)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_chars:
            break
        slug = candidate
    return slug or "article"


def romanise(text: str) -> str:
    """Chinese to toneless pinyin words (Latin kept), for names of files."""
    from pypinyin import Style, lazy_pinyin

    return " ".join(lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: chars))
