"""What server and client share: where the socket lives, the wire format, the errors."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import stat
import tempfile
from pathlib import Path
from typing import Any

from ..errors import NewsbriefError
from ..fingerprint import fingerprint
from ..nlp import DEFAULT_COMPONENTS, describe_pipeline
from ..resources import default_resources
from ..settings import Settings

PROTOCOL = 1
_MAX_REQUEST = 16 * 1024 * 1024  # bytes of one request line: a long list of paths at most
_SOCKET_PATH_LIMIT = 100  # sun_path holds 108 bytes on Linux, 104 on macOS


class ServerError(NewsbriefError):
    """The server cannot be started, reached or stopped; the message says what to do."""


class ServerUnavailable(Exception):
    """No usable server: the caller briefs locally.

    `reason` is "absent" (none running), "stale" (other code or lexicons) or "unresponsive"
    (busy, broken or gone mid-answer).
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def supported() -> bool:
    return hasattr(socket, "AF_UNIX")



def folder_problem(folder: Path) -> str | None:
    """Why `folder` is no place for this user's socket, or None: it must be a real folder (not a
    link), owned by this user and closed to everyone else. Read with lstat, never following links."""
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return "does not exist"
    except OSError as exc:
        return exc.strerror or "cannot be read"
    if stat.S_ISLNK(info.st_mode):
        return "is a symbolic link"
    if not stat.S_ISDIR(info.st_mode):
        return "is not a folder"
    if info.st_uid != os.getuid():
        return "belongs to another user"
    if info.st_mode & 0o077:
        return "is open to other users"
    return None


def make_private_folder(folder: Path) -> None:
    """Create `folder` for the socket (mode 0700), or check the one there; never through a link."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.mkdir(folder, 0o700)
    problem = folder_problem(folder)
    if problem == "is open to other users":  # ours and a real folder (lstat): close it
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        try:
            os.fchmod(descriptor, 0o700)
        finally:
            os.close(descriptor)
        problem = folder_problem(folder)
    if problem:
        raise ServerError(f"{folder} {problem}: refusing to put the server's socket there; "
                          "set NEWSBRIEF_HOME to a folder of yours")


def run_dir(settings: Settings) -> Path:
    return settings.home.resolve() / "run"


def _instance_name(settings: Settings) -> str:
    """One server per installed copy of newsbrief and corpus folder, so two checkouts sharing
    NEWSBRIEF_HOME do not take each other's server for stale and replace it in turn."""
    package = Path(__file__).resolve().parent.parent
    key = f"{package}\n{settings.corpus_dir.resolve()}"
    return "pipeline-" + hashlib.sha256(key.encode()).hexdigest()[:12]


def socket_path(settings: Settings) -> Path:
    """The server's socket in NEWSBRIEF_HOME/run, or in a private temp folder if that path is too long."""
    path = run_dir(settings) / f"{_instance_name(settings)}.sock"
    if len(os.fsencode(path)) <= _SOCKET_PATH_LIMIT:
        return path
    digest = hashlib.sha256(os.fsencode(path)).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"newsbrief-{os.getuid()}" / f"{digest}.sock"


def lock_path(socket: Path) -> Path:
    """The lock a serving process holds for its whole life: one server per home and installed copy,
    found by the lock, not by the socket answering (a busy server answers nothing)."""
    return socket.with_suffix(".lock")


def lock_holder(socket: Path) -> int | None:
    """The pid of the server holding the lock beside `socket`, or None when no process holds it."""
    import fcntl

    path = lock_path(socket)
    try:
        with path.open("r") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                text = handle.read().strip()
                return int(text) if text.isdigit() else -1
            return None
    except OSError:
        return None


def log_path(settings: Settings) -> Path:
    return run_dir(settings) / f"{_instance_name(settings)}.log"


def expected_fingerprint(settings: Settings, max_bytes: int | None = None, max_chars: int | None = None) -> str:
    """The fingerprint a server must have to answer for these settings: the default pipeline on
    the code and lexicons on disk now (cheap: no spaCy, no jieba)."""
    return fingerprint(default_resources(settings), describe_pipeline(DEFAULT_COMPONENTS),
                       max_bytes or settings.max_bytes, max_chars=max_chars or settings.max_chars)


def _send(stream, message: dict[str, Any]) -> None:
    # ASCII JSON: a file name that is not UTF-8 (lone surrogates in Python) travels as \udcxx escapes
    # and names the same file on the other side; raw, it could not be encoded at all.
    stream.write(json.dumps(message).encode() + b"\n")
    stream.flush()

