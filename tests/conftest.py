from __future__ import annotations

import csv
import gzip
import json
import os
import shutil
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = SHARED / "corpus" / "articles" / "00_tt123_tiktok_us_secondhand.txt"
SEED_GOLD = SHARED / "gold" / "00_tt123_tiktok_us_secondhand.json"

# `newsbrief brief --no-summary` starts a background pipeline server by default; the suite must not
# leave one running, so only tests/test_server.py turns it on, each time with its own NEWSBRIEF_HOME.
os.environ["NEWSBRIEF_SERVER"] = "off"

# The user's own newsbrief folder (cache, models, server sockets), read before any test changes the
# environment. Tests never write there: each gets its own NEWSBRIEF_HOME (isolated_home), and only
# the slow real-model test reads the user's installed models (user_models).
USER_SETTINGS = Settings.from_env()
# What module- and session-scoped fixtures build before isolated_home applies (an EntityExtractor
# loading CC-CEDICT writes its parse cache) goes to a folder of the run's own, never the user's.
SESSION_HOME = Path(tempfile.mkdtemp(prefix="newsbrief-tests-home-"))
os.environ["NEWSBRIEF_HOME"] = str(SESSION_HOME)


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    if not folder.is_dir():
        return {}
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


def pytest_sessionstart(session) -> None:
    session.config._newsbrief_home_before = _snapshot(USER_SETTINGS.home)


def pytest_sessionfinish(session, exitstatus) -> None:
    """The whole run fails if it changed anything in the user's ~/.cache/newsbrief."""
    before = getattr(session.config, "_newsbrief_home_before", None)
    if before is None:
        return
    shutil.rmtree(SESSION_HOME, ignore_errors=True)
    after = _snapshot(USER_SETTINGS.home)
    changed = sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))
    if changed:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter:
            reporter.write_line(f"FAILED: the tests changed {len(changed)} file(s) in {USER_SETTINGS.home}, "
                                f"e.g. {changed[0]}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch) -> Path:
    home = tmp_path_factory.mktemp("newsbrief-home")
    monkeypatch.setenv("NEWSBRIEF_HOME", str(home))
    monkeypatch.delenv("NEWSBRIEF_MODELS", raising=False)
    monkeypatch.delenv("NEWSBRIEF_CORPUS", raising=False)
    return home


@pytest.fixture
def user_models(monkeypatch) -> Path:
    """The models the user installed (`newsbrief model pull`), read only."""
    monkeypatch.setenv("NEWSBRIEF_MODELS", str(USER_SETTINGS.models))
    return USER_SETTINGS.models


def require_shared() -> Path:
    """Third-party data lives in ../shared (never copied here); CI always has it."""
    if not SHARED.is_dir():
        if os.environ.get("CI"):
            pytest.fail("../shared is missing in CI")
        pytest.skip("../shared not available")
    return SHARED


@pytest.fixture(scope="session")
def shared() -> Path:
    return require_shared()


@pytest.fixture(scope="session")
def seed_gold(shared: Path) -> dict:
    return json.loads(SEED_GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def manifest(shared: Path) -> list[dict[str, str]]:
    with (shared / "corpus" / "manifest.tsv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.fixture(scope="session")
def nlp():
    from pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    """A tiny random Qwen2 model in a folder: the writer's real code path, in seconds."""
    from .tiny_model import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("tiny") / "qwen2-tiny")


# --------------------------------------------------------------------------- a local web server


class Site:
    """What the local server answers, changeable by a test; counts requests per path."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.hits: dict[str, int] = {}
        self.base = ""

    def page(self, path: str, body: bytes, content_type: str = "text/html; charset=utf-8", status: int = 200,
             **headers: str) -> str:
        self.routes[path] = (status, {"Content-Type": content_type, **headers}, body)
        return self.base + path


@pytest.fixture
def site():
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.hits[self.path] = state.hits.get(self.path, 0) + 1
            if self.path == "/hang":
                time.sleep(5)
                return
            if self.path.startswith("/loop"):
                self.send_response(302)
                self.send_header("Location", "/loop2" if self.path == "/loop" else "/loop")
                self.end_headers()
                return
            status, headers, body = state.routes.get(self.path, (404, {"Content-Type": "text/plain"}, b"not here"))
            etag = headers.get("ETag")
            if etag and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.end_headers()
                return
            if "gzip" in self.headers.get("Accept-Encoding", "") and headers.pop("X-Gzip", None):
                body = gzip.compress(body)
                headers["Content-Encoding"] = "gzip"
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def store_entries(out: Path) -> dict[str, dict]:
    """The inputs an output folder's store holds (what index.json shows after a run), read while a run may
    still be writing or after it was killed."""
    from pipeline.store import STORE_NAME, Store

    store = Store.open(out / STORE_NAME, create=False)
    try:
        return store.entries()
    finally:
        store.close()


def digest_entries(out: Path) -> int:
    """How many briefs the digest's day pages show (an entry of its own, or under its story's)."""
    pages = [page.read_text(encoding="utf-8") for page in (out / "digest").glob("*.md")]
    return sum(page.count("[full brief]") + page.count("\n- also: [") for page in pages)
