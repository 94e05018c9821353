"""A resident pipeline: keeps spaCy, jieba and the gazetteer loaded between `newsbrief brief` calls.

Starting Python, importing spaCy and loading jieba's dictionaries costs well over a second per
command, while briefing one article takes a few hundredths of a second once all that is loaded.
`newsbrief server start` pays the start-up once; `newsbrief brief` then hands its files to the
server over a Unix socket and only renders the answers.

Protocol: one JSON request line per connection, answered by JSON lines::

    {"op": "ping"}                                  -> {"ok": true, "pid": ..., "fingerprint": ..., ...}
    {"op": "stop"}                                  -> {"ok": true}, then the server exits
    {"op": "brief", "fingerprint": ..., "cwd": ..., "max_bytes": ..., "paths": [...]}
        -> {"path": ..., "brief": {...}} or {"path": ..., "error": "one line"}, per path in order,
           then {"done": true}

The server runs only the deterministic stages; the writer stays in the calling process. A server
whose code or lexicons differ from the caller's (see :func:`fingerprint`) answers "stale" and the
caller briefs locally. The socket lives in a private folder of NEWSBRIEF_HOME, so only its owner
can connect; the server reads files with the caller's permissions only because it is the caller's
own process.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError, NewsbriefError
from .resources import Resources, default_resources
from .schema import Brief

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


def run_dir() -> Path:
    from .models import newsbrief_home

    return newsbrief_home().resolve() / "run"


def _instance_name(resources: Resources | None) -> str:
    """One server per installed copy of newsbrief and corpus folder, so two checkouts sharing
    NEWSBRIEF_HOME do not take each other's server for stale and replace it in turn."""
    corpus = (resources or default_resources()).corpus_dir.resolve()
    key = f"{Path(__file__).resolve().parent}\n{corpus}"
    return "pipeline-" + hashlib.sha256(key.encode()).hexdigest()[:12]


def socket_path(resources: Resources | None = None) -> Path:
    """The server's socket in NEWSBRIEF_HOME/run, or in a private temp folder if that path is too long."""
    path = run_dir() / f"{_instance_name(resources)}.sock"
    if len(os.fsencode(path)) <= _SOCKET_PATH_LIMIT:
        return path
    digest = hashlib.sha256(os.fsencode(path)).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"newsbrief-{os.getuid()}" / f"{digest}.sock"


def log_path(resources: Resources | None = None) -> Path:
    return run_dir() / f"{_instance_name(resources)}.log"


def fingerprint(resources: Resources | None = None) -> str:
    """What the server's answers depend on: code, Python, and the lexicon files (by size and mtime).

    Cheap enough (a few dozen stat calls) to compute on every `newsbrief brief`.
    """
    from . import __version__

    resources = resources or default_resources()
    corpus = resources.corpus_dir.resolve()
    parts = [str(PROTOCOL), __version__, sys.executable, sys.version, str(corpus)]
    files = sorted(Path(__file__).resolve().parent.glob("*.py"))
    for folder in ("lexicon", "gazetteer"):
        files += sorted((corpus / folder).glob("*"))
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            parts.append(f"{path} missing")
            continue
        parts.append(f"{path} {stat.st_size} {stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _send(stream, message: dict[str, Any]) -> None:
    stream.write(json.dumps(message, ensure_ascii=False).encode() + b"\n")
    stream.flush()


# --------------------------------------------------------------------------- server


class PipelineServer:
    """Serve briefs from one loaded :class:`~pipeline.brief.Pipeline` until stopped or idle.

    Requests are handled one at a time: the pipeline's caches and jieba are not thread-safe, and
    a brief takes a fraction of a second, so a second caller simply waits its turn.
    """

    def __init__(
        self,
        *,
        resources: Resources | None = None,
        path: Path | None = None,
        idle_timeout: float | None = 3600.0,
    ) -> None:
        self.resources = resources or default_resources()
        self.path = path or socket_path(self.resources)
        self.idle_timeout = idle_timeout or None
        self.fingerprint = fingerprint(self.resources)
        self.started = time.time()
        self.served = 0
        self._stop = threading.Event()
        self._nlp = None

    def load(self) -> None:
        """Build the pipeline and brief a tiny text, so every table is loaded before the first caller."""
        from .brief import Pipeline

        self._nlp = Pipeline(resources=self.resources)
        self._nlp.brief_text("亚马逊卖家表示，2023年第二季度销售额增长12%，达到1741亿美元。", title="预热")

    def serve(self, on_ready: Callable[[PipelineServer], None] | None = None) -> None:
        if self._nlp is None:
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
            # Remove the socket only if it is still ours (a new server may have replaced it).
            with contextlib.suppress(OSError):
                if os.stat(self.path).st_ino == bound:
                    os.unlink(self.path)
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def stop(self) -> None:
        self._stop.set()

    def _bind(self) -> socket.socket:
        if not supported():
            raise ServerError("the pipeline server needs Unix sockets, which this system lacks")
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if self.path.parent.stat().st_uid != os.getuid():
            raise ServerError(f"{self.path.parent} belongs to another user; set NEWSBRIEF_HOME to a folder of yours")
        os.chmod(self.path.parent, 0o700)
        if self.path.exists():
            try:
                ServerClient(self.path, timeout=2.0).ping()
            except ServerUnavailable:
                os.unlink(self.path)  # left behind by a server that was killed
            else:
                raise ServerError(f"a newsbrief server is already listening on {self.path}")
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

    def info(self) -> dict[str, Any]:
        return {"ok": True, "pid": os.getpid(), "fingerprint": self.fingerprint, "started": self.started,
                "served": self.served, "corpus": str(self.resources.corpus_dir), "protocol": PROTOCOL}

    def _handle(self, connection: socket.socket) -> None:
        connection.settimeout(30.0)
        stream = connection.makefile("rwb")
        try:
            line = stream.readline(_MAX_REQUEST + 1)
            try:
                request = json.loads(line)
                op = request["op"]
            except (ValueError, KeyError, TypeError):
                _send(stream, {"error": "bad request"})
                return
            if op == "ping":
                _send(stream, self.info())
            elif op == "stop":
                _send(stream, {"ok": True})
                self.stop()
            elif op == "brief":
                self._brief(stream, request)
            else:
                _send(stream, {"error": f"unknown op {op!r}"})
        except OSError:
            pass  # the caller went away; it briefs the rest itself
        finally:
            with contextlib.suppress(OSError):
                stream.close()

    def _brief(self, stream, request: dict[str, Any]) -> None:
        if request.get("fingerprint") != self.fingerprint:
            _send(stream, {"error": "stale"})
            return
        cwd = Path(request["cwd"])
        max_bytes = int(request["max_bytes"])
        for name in request["paths"]:
            try:
                brief = self._brief_file(name, cwd, max_bytes)
            except NewsbriefError as exc:
                _send(stream, {"path": name, "error": str(exc)})
            except Exception as exc:  # a bug, not bad input: report it and keep serving
                _send(stream, {"path": name, "error": f"{name}: internal error ({type(exc).__name__}: {exc})"})
            else:
                self.served += 1
                stream.write(b'{"path": ' + json.dumps(name).encode() + b', "brief": '
                             + brief.model_dump_json().encode() + b"}\n")
                stream.flush()
        _send(stream, {"done": True})

    def _brief_file(self, name: str, cwd: Path, max_bytes: int) -> Brief:
        from .ingest import ingest_bytes, read_article_bytes

        assert self._nlp is not None
        # Read relative to the caller's folder, but name the file as the caller did (the server
        # never changes its own working folder: it may share a process with other code).
        try:
            data = read_article_bytes(cwd / name, max_bytes=max_bytes)
        except InputError as exc:
            raise InputError(name, exc.reason) from None
        return self._nlp(ingest_bytes(data, Path(name), resources=self.resources))


# --------------------------------------------------------------------------- client


@dataclass(frozen=True)
class Served:
    """One file's answer: a brief, or the one-line error a local run would have given."""

    path: str
    brief: Brief | None = None
    error: str | None = None


class ServerClient:
    def __init__(self, path: Path | None = None, *, timeout: float = 120.0) -> None:
        self.path = path or socket_path()
        self.timeout = timeout

    def _request(self, message: dict[str, Any], timeout: float | None = None) -> Iterator[dict[str, Any]]:
        if not supported() or not self.path.exists():
            raise ServerUnavailable("absent")
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(timeout or self.timeout)
        try:
            try:
                connection.connect(str(self.path))
            except (ConnectionRefusedError, FileNotFoundError):
                raise ServerUnavailable("absent", "socket left behind by a server that is gone") from None
            stream = connection.makefile("rwb")
            _send(stream, message)
            while line := stream.readline():
                yield json.loads(line)
        except (OSError, ValueError) as exc:  # timed out, reset, or cut off mid-line
            raise ServerUnavailable("unresponsive", str(exc)) from None
        finally:
            connection.close()

    def ping(self, timeout: float = 2.0) -> dict[str, Any]:
        for answer in self._request({"op": "ping"}, timeout=timeout):
            return answer
        raise ServerUnavailable("unresponsive", "server closed the connection")

    def stop(self) -> None:
        for _ in self._request({"op": "stop"}, timeout=5.0):
            return

    def brief(
        self, paths: Iterable[str | os.PathLike[str]], *, max_bytes: int, resources: Resources | None = None
    ) -> Iterator[Served]:
        """Brief files on the server, in order. Raises ServerUnavailable (possibly after some
        answers) when the server is stale or goes away: brief the files not yet answered locally."""
        names = [os.fspath(p) for p in paths]
        expected_fingerprint = fingerprint(resources)
        # A quick ping first: a hung or busy server costs two seconds, not the long answer timeout.
        if self.ping().get("fingerprint") != expected_fingerprint:
            raise ServerUnavailable("stale")
        message = {"op": "brief", "fingerprint": expected_fingerprint, "cwd": os.getcwd(),
                   "max_bytes": max_bytes, "paths": names}
        expected = iter(names)
        for answer in self._request(message):
            if answer.get("done"):
                return
            if answer.get("error") == "stale":
                raise ServerUnavailable("stale")
            if "path" not in answer or answer["path"] != next(expected, None):
                raise ServerUnavailable("unresponsive", f"unexpected answer {str(answer)[:80]}")
            brief = Brief.model_validate(answer["brief"]) if "brief" in answer else None
            yield Served(path=answer["path"], brief=brief, error=answer.get("error"))
        raise ServerUnavailable("unresponsive", "server closed the connection early")


# --------------------------------------------------------------------------- start, stop, status


def status() -> dict[str, Any] | None:
    """The running server's info (pid, fingerprint, briefs served...), or None."""
    try:
        return ServerClient().ping()
    except ServerUnavailable:
        return None


def start_background(*, idle_timeout: float | None, wait: float = 60.0) -> dict[str, Any]:
    """Start `newsbrief server start --foreground` as a detached process and wait until it answers."""
    if not supported():
        raise ServerError("the pipeline server needs Unix sockets, which this system lacks")
    process = _spawn(idle_timeout)
    log = log_path()
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1:] or ["no output"]
            raise ServerError(f"the server did not start: {tail[0]} (log: {log})")
        info = status()
        if info and info["pid"] == process.pid:
            return info
        time.sleep(0.05)
    process.terminate()
    raise ServerError(f"the server did not answer within {wait:.0f} s (log: {log})")


AUTOSTART_IDLE_TIMEOUT = 15 * 60.0


def autostart(reason: str) -> None:
    """Start a server for the next `newsbrief brief` without waiting for it (this call briefs locally).

    Like sccache or bazel's server: it exits by itself after 15 idle minutes. Never raises: a
    server that cannot start only means the next call is not faster.
    """
    if not supported():
        return
    with contextlib.suppress(OSError, ServerUnavailable):
        if reason == "stale":
            ServerClient(timeout=2.0).stop()
        _spawn(AUTOSTART_IDLE_TIMEOUT)


def _spawn(idle_timeout: float | None) -> subprocess.Popen[bytes]:
    log = log_path()
    log.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    env = dict(os.environ)
    # The server runs from "/", so folders given relative to the caller's folder are made absolute.
    from .models import newsbrief_home

    env["NEWSBRIEF_HOME"] = str(newsbrief_home().resolve())
    if env.get("NEWSBRIEF_CORPUS"):
        env["NEWSBRIEF_CORPUS"] = str(Path(env["NEWSBRIEF_CORPUS"]).resolve())
    command = [sys.executable, "-m", "pipeline.cli", "server", "start", "--foreground",
               "--idle-minutes", str((idle_timeout or 0) / 60)]
    with log.open("ab") as log_file:
        # A new session and no inherited pipes: the server outlives this command without holding
        # its terminal or a caller's output pipe open.
        return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log_file, stderr=log_file,
                                cwd="/", env=env, start_new_session=True, close_fds=True)


def stop_server(wait: float = 10.0) -> int | None:
    """Ask the running server to stop; returns its pid, or None when none was running."""
    info = status()
    if info is None:
        return None
    with contextlib.suppress(ServerUnavailable):
        ServerClient().stop()
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and socket_path().exists():
        time.sleep(0.05)
    return int(info["pid"])
