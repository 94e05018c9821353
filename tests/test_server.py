"""The resident pipeline server: same answers as a local run, never used when stale, and
`newsbrief brief` falls back to briefing locally whenever the server is missing or goes away."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.errors import InputError
from pipeline.output import to_json
from pipeline.resources import default_resources
from pipeline.server.client import ServerClient, ServerUnavailable
from pipeline.server.client import status as server_status
from pipeline.server.common import expected_fingerprint, socket_path
from pipeline.server.server import PipelineServer
from pipeline.settings import Settings

from .conftest import ROOT, SEED
from .tiny_model import build_tiny_model


def status():
    return server_status(Settings.from_env())


def bound_socket(path: Path) -> socket.socket:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    return listener


def dead_socket(path: Path) -> None:
    """A socket file whose server is gone, as a SIGKILLed server leaves behind."""
    bound_socket(path).close()


@pytest.fixture
def fake_server(tmp_path, monkeypatch):
    """A listening socket where `newsbrief brief` looks for its server; the test plays the server."""
    monkeypatch.setenv("NEWSBRIEF_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NEWSBRIEF_SERVER", "use")
    listener = bound_socket(socket_path(Settings.from_env()))
    listener.listen(1)
    yield listener
    listener.close()


@pytest.fixture
def running_server(tmp_path, monkeypatch):
    """A server in a thread of this process, where `newsbrief brief` looks for one."""
    monkeypatch.setenv("NEWSBRIEF_HOME", str(tmp_path / "home"))
    path = socket_path(Settings.from_env())
    dead_socket(path)  # must be replaced, not refused
    server = PipelineServer(path=path, idle_timeout=None)
    ready = threading.Event()
    thread = threading.Thread(target=server.serve, kwargs={"on_ready": lambda _: ready.set()}, daemon=True)
    thread.start()
    assert ready.wait(60), "server did not start"
    yield server
    server.stop()
    thread.join(10)
    assert not thread.is_alive()
    assert not path.exists(), "the server removes its socket when it stops"


def test_fingerprint_follows_the_lexicons_and_the_size_limit(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(default_resources().corpus_dir, corpus)
    settings = Settings.from_env(corpus_dir=corpus)
    before = expected_fingerprint(settings)
    assert expected_fingerprint(settings) == before
    assert expected_fingerprint(Settings.from_env()) == before  # same contents, same briefs
    userdict = corpus / "lexicon" / "userdict.txt"
    userdict.write_text(userdict.read_text(encoding="utf-8") + "跨境新词 n\n", encoding="utf-8")
    assert expected_fingerprint(settings) != before
    assert expected_fingerprint(settings, max_bytes=1000) != expected_fingerprint(settings)


def test_server_answers_like_a_local_run(running_server, shared, nlp, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty.txt").write_bytes(b"")
    gbk = tmp_path / "seed_gbk.txt"
    gbk.write_bytes(SEED.read_text(encoding="utf-8").replace("\xa0", " ").encode("gbk"))
    names = [str(SEED), "missing.txt", "empty.txt", "seed_gbk.txt"]

    served = list(ServerClient(running_server.path).brief(names, max_bytes=5 * 1024 * 1024))

    assert [s.path for s in served] == names
    assert to_json(served[0].brief) == to_json(nlp.brief_file(SEED))
    assert to_json(served[3].brief) == to_json(nlp.brief_file("seed_gbk.txt"))  # relative to the caller's folder
    for answer, name in zip(served[1:3], names[1:3], strict=True):
        with pytest.raises(InputError) as local:
            nlp.brief_file(name)
        assert answer.brief is None and answer.error == str(local.value)  # the same one-line error
    info = ServerClient(running_server.path).ping()
    assert info["served"] == 2 and info["pid"] == os.getpid()


def test_size_limits_are_the_callers(running_server, shared):
    [answer] = ServerClient(running_server.path).brief([SEED], max_bytes=1000)
    assert answer.brief is None and "file too large" in answer.error
    [answer] = ServerClient(running_server.path).brief([SEED], max_bytes=10**6, max_chars=1000)
    assert answer.brief is None and "too long" in answer.error  # served, not stale


def test_a_stale_server_is_not_used(running_server, tmp_path):
    other_corpus = tmp_path / "corpus"
    shutil.copytree(default_resources().corpus_dir, other_corpus)
    gazetteer = other_corpus / "gazetteer" / "gazetteer.tsv"
    gazetteer.write_text(gazetteer.read_text(encoding="utf-8") + "新公司\tNew Company\tORG\t\n", encoding="utf-8")
    caller = Settings.from_env(corpus_dir=other_corpus)
    with pytest.raises(ServerUnavailable) as refused:
        list(ServerClient(running_server.path, settings=caller).brief([SEED], max_bytes=10**6))
    assert refused.value.reason == "stale"
    assert ServerClient(running_server.path).ping()["served"] == 0


def test_no_server_and_a_dead_socket_count_as_absent(tmp_path):
    path = tmp_path / "run" / "test.sock"
    for setup in (lambda: None, lambda: dead_socket(path)):
        setup()
        with pytest.raises(ServerUnavailable) as absent:
            ServerClient(path).ping()
        assert absent.value.reason == "absent"


def test_cli_briefs_the_rest_itself_when_the_server_goes_away(fake_server, shared, nlp, tmp_path):
    """A server that answers the first file and then dies: nothing already done is lost."""
    listener = fake_server
    second = tmp_path / "second.txt"
    second.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    first_brief = nlp.brief_file(SEED)
    first_brief.meta.title = "answered by the server"

    def answer_once_then_die() -> None:
        connection, _ = listener.accept()
        with connection, connection.makefile("rwb") as stream:
            assert json.loads(stream.readline()) == {"op": "ping", "max_bytes": 5 * 1024 * 1024,
                                                     "max_chars": 300_000}
            stream.write(json.dumps({"ok": True, "fingerprint": expected_fingerprint(Settings.from_env())}).encode()
                         + b"\n")
        connection, _ = listener.accept()
        with connection, connection.makefile("rwb") as stream:
            request = json.loads(stream.readline())
            assert request["paths"] == [str(SEED), str(second)]
            stream.write(json.dumps({"path": str(SEED), "brief": json.loads(first_brief.model_dump_json())})
                         .encode() + b"\n")
            stream.flush()
        listener.close()

    thread = threading.Thread(target=answer_once_then_die, daemon=True)
    thread.start()
    result = CliRunner().invoke(app, ["brief", str(SEED), str(second), "--no-summary", "-f", "json"])
    thread.join(10)
    assert result.exit_code == 0, result.output
    briefs = json.loads(result.stdout)
    assert [b["meta"]["title"] for b in briefs] == ["answered by the server", nlp.brief_file(SEED).meta.title]
    assert briefs[1]["meta"]["file"] == str(second)


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120)


def test_brief_starts_a_server_and_the_next_call_uses_it(shared, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSBRIEF_HOME", str(tmp_path / "home"))
    env = {**os.environ, "NEWSBRIEF_HOME": str(tmp_path / "home")}
    brief = ("brief", str(SEED), "--no-summary", "-f", "json")
    try:
        # "use" never starts one
        result = _cli(*brief, env={**env, "NEWSBRIEF_SERVER": "use"})
        assert result.returncode == 0, result.stderr
        local = result.stdout
        assert not (tmp_path / "home" / "run").exists()

        result = _cli(*brief, env={**env, "NEWSBRIEF_SERVER": "auto"})
        assert result.returncode == 0, result.stderr
        assert result.stdout == local  # briefed locally; a server starts for the next call
        deadline = time.monotonic() + 60
        while (info := status()) is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert info is not None, "no server started"
        assert info["served"] == 0

        result = _cli(*brief, env={**env, "NEWSBRIEF_SERVER": "auto"})
        assert result.returncode == 0, result.stderr
        assert result.stdout == local
        assert status()["served"] == 1  # this time the server did the work

        result = _cli("server", "status", env=env)
        assert result.returncode == 0 and "in use by newsbrief brief" in result.stdout
        result = _cli("server", "stop", env=env)
        assert result.returncode == 0 and f"pid {info['pid']}" in result.stderr
        assert status() is None
        assert _cli("server", "status", env=env).returncode == 1
    finally:
        leftover = status()
        if leftover:
            os.kill(leftover["pid"], signal.SIGKILL)


def test_the_writer_runs_in_the_caller_over_served_fact_sheets(running_server, shared, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSBRIEF_SERVER", "use")
    model = build_tiny_model(tmp_path / "tiny")
    result = CliRunner().invoke(app, ["brief", str(SEED), "--model", str(model), "--sentences", "2", "-f", "json"])
    assert result.exit_code == 0, result.output
    brief = json.loads(result.stdout)
    assert brief["stages"] == ["segment", "keywords", "entities", "figures", "terms", "key_facts", "writer"]
    assert brief["faithfulness"] is not None and brief["meta"]["title_en"]
    assert ServerClient(running_server.path).ping()["served"] == 1


def test_a_hung_server_costs_seconds_not_minutes(fake_server, shared):
    # fake_server accepts connections and never answers
    start = time.monotonic()
    with pytest.raises(ServerUnavailable) as hung:
        list(ServerClient().brief([SEED], max_bytes=10**6))
    assert hung.value.reason == "unresponsive" and time.monotonic() - start < 10
    result = CliRunner().invoke(app, ["brief", str(SEED), "--no-summary", "-f", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["meta"]["title"]  # briefed locally


# --------------------------------------------------------------------------- hostile callers


def _raw_request(path: Path, payload: bytes, timeout: float = 10.0) -> bytes:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(timeout)
        connection.connect(str(path))
        connection.sendall(payload)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def test_malformed_requests_never_stop_the_server(running_server):  # hostile input 4
    bad = [b"[" * 100_000 + b"\n", b"not json\n", b"[1, 2]\n", b'{"op": "dance"}\n',
           b'{"op": "brief", "fingerprint": "x", "max_bytes": 1000, "paths": ["a.txt"]}\n',  # no cwd
           b'{"op": "brief", "fingerprint": "x", "cwd": "/", "max_bytes": "abc", "paths": ["a.txt"]}\n',
           b'{"op": "brief", "fingerprint": "x", "cwd": "/", "max_bytes": 1000, "paths": 5}\n']
    for payload in bad:
        answer = json.loads(_raw_request(running_server.path, payload))
        assert answer["error"].startswith("bad request"), payload[:60]
    assert ServerClient(running_server.path).ping()["ok"]


def test_a_trickling_caller_is_cut_off_and_others_are_served(running_server, monkeypatch):  # hostile input 5
    import pipeline.server.server as server_module

    monkeypatch.setattr(server_module, "REQUEST_SECONDS", 1.0)
    def closed_by_server(connection: socket.socket) -> bool:
        try:
            return connection.recv(1, socket.MSG_DONTWAIT | socket.MSG_PEEK) == b""
        except BlockingIOError:  # open, nothing to read yet
            return False
        except ConnectionResetError:
            return True

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as slow:
        slow.connect(str(running_server.path))
        started = time.monotonic()
        closed = False
        while not closed and time.monotonic() - started < 10:
            try:
                slow.sendall(b"{")  # one byte at a time, never a whole line
            except OSError:
                closed = True
                break
            time.sleep(0.2)
            closed = closed_by_server(slow)
        assert closed and time.monotonic() - started < 5
    assert ServerClient(running_server.path).ping(timeout=2.0)["ok"]


def test_socket_folder_must_be_the_users_own(tmp_path):  # hostile input 6
    from pipeline.server.common import ServerError, folder_problem, make_private_folder

    target = tmp_path / "elsewhere"
    target.mkdir(mode=0o755)
    planted = tmp_path / "planted"
    planted.symlink_to(target, target_is_directory=True)
    with pytest.raises(ServerError, match="symbolic link"):
        make_private_folder(planted)
    assert target.stat().st_mode & 0o777 == 0o755  # nothing was changed through the link
    others = tmp_path / "others"
    others.mkdir()
    os.chown(others, 65534, 65534)  # as another user had made it
    with pytest.raises(ServerError, match="another user"):
        make_private_folder(others)
    open_folder = tmp_path / "open"
    open_folder.mkdir(mode=0o777)
    os.chmod(open_folder, 0o777)
    make_private_folder(open_folder)  # ours: closed to others
    assert open_folder.stat().st_mode & 0o777 == 0o700
    # the client never talks through such a folder
    for folder in (planted, others):
        with pytest.raises(ServerUnavailable, match="absent"):
            ServerClient(folder / "x.sock").ping()
    os.chmod(open_folder, 0o777)
    (open_folder / "x.sock").touch()
    with pytest.raises(ServerUnavailable) as refused:
        ServerClient(open_folder / "x.sock").ping()
    assert "open to other users" in str(refused.value)
    assert folder_problem(open_folder) == "is open to other users"
