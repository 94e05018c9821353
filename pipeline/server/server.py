"""A resident pipeline: keeps spaCy, jieba and the gazetteer loaded between `newsbrief brief` calls.

Starting Python, importing spaCy and loading jieba's dictionaries costs well over a second per
command, while briefing one article takes a few hundredths of a second once all that is loaded.
`newsbrief server start` pays the start-up once; `newsbrief brief` then hands its files to the
server over a Unix socket and only renders the answers.

Protocol: one JSON request line per connection, answered by JSON lines::

    {"op": "ping", "max_bytes": ...}               -> {"ok": true, "pid": ..., "fingerprint": ..., ...}
    {"op": "stop"}                                  -> {"ok": true}, then the server exits
    {"op": "brief", "fingerprint": ..., "cwd": ..., "max_bytes": ..., "paths": [...]}
        -> {"path": ..., "sha256": ..., "brief": {...}} or {"path": ..., "error": "one line"}, per path,
           then {"done": true}

The server runs only the deterministic stages; the writer stays in the calling process. A server
whose fingerprint (pipeline.fingerprint: code, lexicons, settings, size limit) differs from the
caller's answers "stale" and the caller briefs locally. The socket lives in a private folder
of NEWSBRIEF_HOME, so only its owner can connect; the server reads files with the caller's
permissions only because it is the caller's own process.
"""


from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from ..api import brief_result
from ..fingerprint import code_digest, data_digest, fingerprint
from ..nlp import Pipeline
from ..settings import Settings
from .common import (
    _MAX_REQUEST,
    PROTOCOL,
    ServerError,
    _send,
    lock_path,
    make_private_folder,
    socket_path,
    supported,
)


class PipelineServer:
    """Serve briefs from one loaded :class:`~pipeline.nlp.Pipeline` until stopped or idle.

    Requests are handled one at a time: the pipeline's caches and jieba are not thread-safe, and
    a brief takes a fraction of a second, so a second caller simply waits its turn.
    """

    def __init__(
        self,
        *,
        settings: Settings | None = None,
        path: Path | None = None,
        idle_timeout: float | None = 3600.0,
    ) -> None:
        self.settings = settings or Settings.from_env()
        self.path = path or socket_path(self.settings)
        self.idle_timeout = idle_timeout or None
        # What this process has loaded: answers are fingerprinted with these, not with what is on
        # disk later (an edited gazetteer makes this server stale until it is restarted).
        self._code = code_digest()
        self._nlp = Pipeline(settings=self.settings)
        self._data = data_digest(self._nlp.resources)
        self.started = time.time()
        self.served = 0
        self._stop = threading.Event()
        self._warm = False
        self._lock: IO[str] | None = None

    def fingerprint(self, max_bytes: int | None = None, max_chars: int | None = None) -> str:
        """The fingerprint of a brief this server gives under a caller's size limits."""
        return fingerprint(self._nlp.resources, self._nlp.describe(), max_bytes or self._nlp.max_bytes,
                           max_chars=max_chars or self._nlp.max_chars, code=self._code, data=self._data)

    def load(self) -> None:
        """Brief a tiny text, so every table is loaded before the first caller."""
        self._warm = True
        self._nlp.brief_text("亚马逊卖家表示，2023年第二季度销售额增长12%，达到1741亿美元。", title="预热")

    def serve(self, on_ready: Callable[[PipelineServer], None] | None = None) -> None:
        if not self._warm:
            self.load()
        listener = self._bind()
        bound = os.stat(self.path).st_ino
        previous = self._install_signal_handlers()
        try:
            if on_ready:
                on_ready(self)
            last_request = time.monotonic()
            listener.settimeout(0.5)  # wake up now and then to notice a stop or the idle timeout
            while not self._stop.is_set():
                if self.idle_timeout and time.monotonic() - last_request > self.idle_timeout:
                    break
                try:
                    connection, _ = listener.accept()
                except TimeoutError:
                    continue
                with connection:
                    self._handle(connection)
                last_request = time.monotonic()
        finally:
            listener.close()
            if self._lock is not None:
                self._lock.close()  # the lock goes with it
                self._lock = None
            # Remove the socket only if it is still ours (a new server may have replaced it).
            with contextlib.suppress(OSError):
                if os.stat(self.path).st_ino == bound:
                    os.unlink(self.path)
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def stop(self) -> None:
        self._stop.set()

    def _take_lock(self) -> None:
        """Hold the lock beside the socket for this process's life (released by the kernel when it
        ends, kill -9 included): a second server refuses to start, whatever the socket does."""
        import fcntl

        handle = lock_path(self.path).open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            handle.close()
            raise ServerError(f"a newsbrief server (pid {holder}) already runs for this home; "
                              "`newsbrief server stop` first") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._lock = handle

    def _bind(self) -> socket.socket:
        if not supported():
            raise ServerError("the pipeline server needs Unix sockets, which this system lacks")
        make_private_folder(self.path.parent)
        self._take_lock()
        if os.path.lexists(self.path):
            os.unlink(self.path)  # the lock is ours: a socket there was left by a server that was killed
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listener.bind(str(self.path))
            os.chmod(self.path, 0o600)
            listener.listen(16)
        except OSError as exc:
            listener.close()
            raise ServerError(f"cannot listen on {self.path}: {exc.strerror or exc}") from None
        return listener

    def _install_signal_handlers(self) -> dict[int, Any]:
        if threading.current_thread() is not threading.main_thread():
            return {}
        previous = {}
        for signum in (signal.SIGTERM, signal.SIGHUP):
            previous[signum] = signal.signal(signum, lambda *_: self.stop())
        return previous

    def info(self, max_bytes: int | None = None, max_chars: int | None = None) -> dict[str, Any]:
        return {"ok": True, "pid": os.getpid(), "fingerprint": self.fingerprint(max_bytes, max_chars),
                "started": self.started,
                "served": self.served, "corpus": str(self._nlp.resources.corpus_dir), "protocol": PROTOCOL}

    def _handle(self, connection: socket.socket) -> None:
        """One request. Nothing a caller sends stops the server: a malformed, slow or oversized
        request gets "bad request" (or the connection closed), and the next caller is served."""
        stream = None
        try:
            line = _read_line(connection, REQUEST_SECONDS)
            connection.settimeout(ANSWER_SEND_SECONDS)
            stream = connection.makefile("wb")
            request, problem = _parse_request(line)
            if problem:
                _send(stream, {"error": f"bad request: {problem}"})
            elif request["op"] == "ping":
                _send(stream, self.info(_positive_int(request.get("max_bytes")),
                                        _positive_int(request.get("max_chars"))))
            elif request["op"] == "stop":
                _send(stream, {"ok": True})
                self.stop()
            else:
                self._brief(stream, request)
        except OSError:
            pass  # the caller went away or was too slow; it briefs the rest itself
        except Exception as exc:  # a bug: logged, and the server goes on
            print(f"{time.strftime('%Y-%m-%d %H:%M:%S')} error in a request: {type(exc).__name__}: {exc}",
                  file=sys.stderr, flush=True)
        finally:
            with contextlib.suppress(OSError):
                if stream is not None:
                    stream.close()

    def _brief(self, stream, request: dict[str, Any]) -> None:
        max_bytes = _positive_int(request.get("max_bytes"))
        max_chars = _positive_int(request.get("max_chars"))
        if max_bytes is None or request.get("fingerprint") != self.fingerprint(max_bytes, max_chars):
            _send(stream, {"error": "stale"})
            return
        cwd = Path(request["cwd"])
        for name in request["paths"]:
            # Read relative to the caller's folder, but name the file as the caller did (the server
            # never changes its own working folder: it may share a process with other code).
            result = brief_result(cwd / name, self._nlp, name=name, max_bytes=max_bytes, max_chars=max_chars)
            if result.brief is None:
                _send(stream, {"path": name, "error": result.error})
                continue
            self.served += 1
            stream.write(b'{"path": ' + json.dumps(name).encode() + b', "sha256": '
                         + json.dumps(result.content_sha256).encode() + b', "brief": '
                         + result.brief.model_dump_json().encode() + b"}\n")
            stream.flush()
        _send(stream, {"done": True})


REQUEST_SECONDS = 5.0  # to send the whole request line: a caller that trickles bytes is cut off
ANSWER_SEND_SECONDS = 30.0  # per write of an answer


def _read_line(connection: socket.socket, seconds: float) -> bytes:
    """The request line, within `seconds` in all (not per byte) and _MAX_REQUEST bytes."""
    deadline = time.monotonic() + seconds
    data = bytearray()
    while b"\n" not in data:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("request not received in time")
        if len(data) > _MAX_REQUEST:
            raise OSError("request too long")
        connection.settimeout(remaining)
        chunk = connection.recv(65536)
        if not chunk:
            break
        data += chunk
    return bytes(data.split(b"\n", 1)[0])


def _parse_request(line: bytes) -> tuple[dict[str, Any], str | None]:
    """The request and None, or {} and what is wrong with it."""
    try:
        request = json.loads(line)
    except (ValueError, RecursionError):  # RecursionError: [[[[... nested deeper than the parser goes
        return {}, "not JSON"
    if not isinstance(request, dict) or request.get("op") not in ("ping", "stop", "brief"):
        return {}, "expected an object with op ping, stop or brief"
    if request["op"] == "brief":
        paths, cwd = request.get("paths"), request.get("cwd")
        if not isinstance(paths, list) or not all(isinstance(p, str) and p and "\0" not in p for p in paths):
            return {}, "paths must be a list of file names"
        if not isinstance(cwd, str) or not os.path.isabs(cwd) or "\0" in cwd:
            return {}, "cwd must be an absolute folder"
        if _positive_int(request.get("max_bytes")) is None or not isinstance(request.get("fingerprint"), str):
            return {}, "max_bytes and fingerprint are required"
    return request, None


def _positive_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None
