"""The caller's side: brief files on the running server, ping it, start, stop and auto-start it."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..schema import Brief
from ..settings import Settings
from .common import (
    ServerError,
    ServerUnavailable,
    _send,
    expected_fingerprint,
    folder_problem,
    lock_holder,
    log_path,
    make_private_folder,
    socket_path,
    supported,
)


@dataclass(frozen=True)
class Served:
    """One file's answer: a brief, or the one-line error a local run would have given."""

    path: str
    brief: Brief | None = None
    error: str | None = None
    content_sha256: str | None = None


def peer_uid(connection: socket.socket) -> int | None:
    """The user id of the process at the other end of a Unix socket (Linux), else None."""
    if not hasattr(socket, "SO_PEERCRED"):
        return None
    credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", credentials)[1]


class ServerClient:
    def __init__(self, path: Path | None = None, *, timeout: float = 120.0, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self.path = path or socket_path(self.settings)
        self.timeout = timeout

    def _request(self, message: dict[str, Any], timeout: float | None = None) -> Iterator[dict[str, Any]]:
        if not supported() or not self.path.exists():
            raise ServerUnavailable("absent")
        # Only a folder of this user's, closed to others, holds a socket worth talking to: the
        # request names the caller's folder and files (the temp-folder fallback is shared).
        problem = folder_problem(self.path.parent)
        if problem:
            raise ServerUnavailable("absent", f"{self.path.parent} {problem}")
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(timeout or self.timeout)
        try:
            try:
                connection.connect(str(self.path))
            except (ConnectionRefusedError, FileNotFoundError):
                raise ServerUnavailable("absent", "socket left behind by a server that is gone") from None
            if peer_uid(connection) not in (None, os.getuid()):
                raise ServerUnavailable("absent", "the server behind the socket is another user's")
            stream = connection.makefile("rwb")
            _send(stream, message)
            while line := stream.readline():
                yield json.loads(line)
        except (OSError, ValueError) as exc:  # timed out, reset, or cut off mid-line
            raise ServerUnavailable("unresponsive", str(exc)) from None
        finally:
            connection.close()

    def ping(self, timeout: float = 2.0, max_bytes: int | None = None, max_chars: int | None = None
             ) -> dict[str, Any]:
        """The server's info; its fingerprint is the one it gives briefs under these limits."""
        message: dict[str, Any] = {"op": "ping"}
        if max_bytes:
            message["max_bytes"] = max_bytes
        if max_chars:
            message["max_chars"] = max_chars
        for answer in self._request(message, timeout=timeout):
            return answer
        raise ServerUnavailable("unresponsive", "server closed the connection")

    def stop(self) -> None:
        for _ in self._request({"op": "stop"}, timeout=5.0):
            return

    def brief(self, paths: Iterable[str | os.PathLike[str]], *, max_bytes: int, max_chars: int | None = None
              ) -> Iterator[Served]:
        """Brief files on the server, in order. Raises ServerUnavailable (possibly after some
        answers) when the server is stale or goes away: brief the files not yet answered locally."""
        names = [os.fspath(p) for p in paths]
        max_chars = max_chars or self.settings.max_chars
        wanted = expected_fingerprint(self.settings, max_bytes, max_chars)
        # A quick ping first: a hung or busy server costs two seconds, not the long answer timeout.
        if self.ping(max_bytes=max_bytes, max_chars=max_chars).get("fingerprint") != wanted:
            raise ServerUnavailable("stale")
        message = {"op": "brief", "fingerprint": wanted, "cwd": os.getcwd(),
                   "max_bytes": max_bytes, "max_chars": max_chars, "paths": names}
        expected = iter(names)
        for answer in self._request(message):
            if answer.get("done"):
                return
            if answer.get("error") == "stale":
                raise ServerUnavailable("stale")
            if "path" not in answer or answer["path"] != next(expected, None):
                raise ServerUnavailable("unresponsive", f"unexpected answer {str(answer)[:80]}")
            brief = Brief.model_validate(answer["brief"]) if "brief" in answer else None
            yield Served(path=answer["path"], brief=brief, error=answer.get("error"),
                         content_sha256=answer.get("sha256"))
        raise ServerUnavailable("unresponsive", "server closed the connection early")


# --------------------------------------------------------------------------- start, stop, status


def status(settings: Settings) -> dict[str, Any] | None:
    """The running server's info (pid, fingerprint, briefs served...), or None."""
    try:
        return ServerClient(settings=settings).ping()
    except ServerUnavailable:
        return None


def start_background(settings: Settings, *, idle_timeout: float | None, wait: float = 60.0) -> dict[str, Any]:
    """Start `newsbrief server start --foreground` as a detached process and wait until it answers."""
    if not supported():
        raise ServerError("the pipeline server needs Unix sockets, which this system lacks")
    process = _spawn(settings, idle_timeout)
    log = log_path(settings)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1:] or ["no output"]
            raise ServerError(f"the server did not start: {tail[0]} (log: {log})")
        info = status(settings)
        if info and info["pid"] == process.pid:
            return info
        time.sleep(0.05)
    process.terminate()
    raise ServerError(f"the server did not answer within {wait:.0f} s (log: {log})")


AUTOSTART_IDLE_TIMEOUT = 15 * 60.0


def autostart_server(reason: str, settings: Settings) -> None:
    """Start a server for the next `newsbrief brief` without waiting for it (this call briefs locally).

    Like sccache or bazel's server: it exits by itself after 15 idle minutes. Never raises: a
    server that cannot start only means the next call is not faster.
    """
    if not supported():
        return
    if reason != "stale" and lock_holder(socket_path(settings)) is not None:
        return  # one is running, only busy or unreachable: never a second beside it
    with contextlib.suppress(OSError, ServerUnavailable, ServerError):
        if reason == "stale":
            ServerClient(timeout=2.0, settings=settings).stop()
        _spawn(settings, AUTOSTART_IDLE_TIMEOUT)


def _spawn(settings: Settings, idle_timeout: float | None) -> subprocess.Popen[bytes]:
    log = log_path(settings)
    make_private_folder(log.parent)
    # The server runs from "/", so folders given relative to the caller's folder are made absolute.
    env = {**os.environ, **settings.environment()}
    command = [sys.executable, "-m", "pipeline.cli", "server", "start", "--foreground",
               "--idle-minutes", str((idle_timeout or 0) / 60)]
    with log.open("ab") as log_file:
        # A new session and no inherited pipes: the server outlives this command without holding
        # its terminal or a caller's output pipe open.
        return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log_file, stderr=log_file,
                                cwd="/", env=env, start_new_session=True, close_fds=True)


def stop_server(settings: Settings, wait: float = 10.0) -> int | None:
    """Ask the running server to stop; returns its pid, or None when none was running. A server that
    holds the home's lock but does not answer (busy, or its socket removed) is sent SIGTERM."""
    info = status(settings)
    if info is None:
        holder = lock_holder(socket_path(settings))
        if holder is None or holder <= 0:
            return None
        with contextlib.suppress(OSError):
            os.kill(holder, signal.SIGTERM)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and lock_holder(socket_path(settings)) is not None:
            time.sleep(0.05)
        return holder
    with contextlib.suppress(ServerUnavailable):
        ServerClient(settings=settings).stop()
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and socket_path(settings).exists():
        time.sleep(0.05)
    return int(info["pid"])
