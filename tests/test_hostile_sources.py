"""Hostile feeds, odd names and bad options (hostile-feeds issue): no request the user did not allow, no
secret kept, no escape sequence on the terminal, one line for every bad option. The numbers in the
comments are the items of that issue. Every server is local (127.0.0.1)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import Pipeline
from pipeline.folders import BatchRun
from pipeline.sources.feeds import FeedState, watch_feeds
from pipeline.sources.web import private_address, redact_url, without_userinfo

from .conftest import ROOT, digest_entries
from .test_sources import SAMPLE_HTML, atom, rss


def newsbrief(*args: str, cwd: Path = ROOT, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout, env={**os.environ, "NEWSBRIEF_SERVER": "off"})


def run_feeds(out: Path, feeds: list[str], **options) -> tuple[int, list[str], list[str]]:
    errors: list[str] = []
    notes: list[str] = []
    with BatchRun(out, pipeline=Pipeline()) as run:
        count = watch_feeds(feeds, out, run=run, once=True, on_error=errors.append, on_note=notes.append, **options)
    return count, errors, notes


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "0x7f000001", "2130706433", "[::1]", "10.0.0.8",
                                  "169.254.169.254", "192.168.1.1"])
def test_private_and_local_addresses_are_known_in_every_spelling(host):  # 1
    assert private_address(f"http://{host}:8080/secret") is not None
    assert private_address("http://93.184.215.14/") is None  # a public address


def test_a_feed_item_leading_to_a_local_address_is_refused_unless_allowed(site, tmp_path):  # 1
    secret = site.page("/secret.html", SAMPLE_HTML)
    feed = site.page("/rss.xml", rss([("内部", secret)]), content_type="application/rss+xml")
    count, errors, _ = run_feeds(tmp_path / "out", [feed])
    assert count == 0 and site.hits.get("/secret.html") is None
    assert len(errors) == 1 and "refused: a private or local address" in errors[0] and "\n" not in errors[0]
    assert digest_entries(tmp_path / "out") == 0
    count, errors, _ = run_feeds(tmp_path / "allowed", [feed], allow_private=True)
    assert count == 1 and site.hits["/secret.html"] == 1 and not errors


def test_credentials_in_feed_links_are_dropped_and_never_stored(site, tmp_path):  # 2
    page = site.page("/a.html", SAMPLE_HTML)
    link = page.replace("http://", "http://user:hunter2@")
    feed = site.page("/rss.xml", rss([("亚马逊", link)]), content_type="application/rss+xml")
    count, errors, _ = run_feeds(tmp_path / "out", [feed.replace("http://", "http://me:s3cret@")],
                                 allow_private=True)
    assert count == 1 and not errors
    written = [path for path in (tmp_path / "out").rglob("*") if path.is_file()]
    assert any(path.name == "newsbrief.db" for path in written)  # the store too: never a password
    for path in written:
        data = path.read_bytes()
        assert b"hunter2" not in data and b"s3cret" not in data, path.name
    assert without_userinfo(link) == page
    assert redact_url("http://me:s3cret@host:81/x") == "http://me:***@host:81/x"


def test_relative_links_in_a_feed_are_resolved_against_it(site, tmp_path):  # 8
    site.page("/news/1.html", SAMPLE_HTML)
    feed = site.page("/feeds/atom.xml", atom([("相对", "/news/1.html")]), content_type="application/atom+xml")
    count, errors, _ = run_feeds(tmp_path / "out", [feed], allow_private=True)
    assert count == 1 and not errors and site.hits["/news/1.html"] == 1


def test_a_feed_of_many_items_is_taken_fifty_a_poll_and_says_how_many_are_left(site, tmp_path):  # 5
    items = [(f"第{i}条", f"{site.base}/item/{i}.html") for i in range(60)]
    feed = site.page("/big.xml", rss(items), content_type="application/rss+xml")
    _, _, notes = run_feeds(tmp_path / "out", [feed], allow_private=True, max_items=5)
    fetched = sum(n for path, n in site.hits.items() if path.startswith("/item/"))
    assert fetched == 5 and notes == [f"{feed}: 55 more item(s) left for the next polls (at most 5 a poll)"]
    assert "/item/0.html" in site.hits  # newest first: the feed's first items


def test_each_item_is_recorded_as_it_is_briefed(site, tmp_path):  # 7
    feed = site.page("/rss.xml", rss([("一", site.page("/a.html", SAMPLE_HTML)),
                                      ("二", site.page("/b.html", SAMPLE_HTML.replace(b"18%", b"19%")))]),
                     content_type="application/rss+xml")
    out = tmp_path / "out"
    saved_between: list[int] = []
    with BatchRun(out, pipeline=Pipeline()) as run:
        def on_result(result) -> None:
            state = json.loads((out / "feeds.json").read_text(encoding="utf-8"))["feeds"][feed]
            saved_between.append(len(state["seen"]))
        watch_feeds([feed], out, run=run, once=True, on_result=on_result, allow_private=True)
    assert saved_between == [1, 2]  # a kill after the first item would not brief it again


@pytest.mark.parametrize("saved", [{"seen": "http://x"}, {"etag": 5, "failures": "x"}, {"next_poll": "soon"},
                                   {"seen": {"a": 1}}, "not a dict", {"failures": True}])
def test_a_damaged_feed_state_is_read_field_by_field(saved):  # 15
    state = FeedState.from_saved(saved)
    assert isinstance(state.seen, dict) and isinstance(state.failures, int) and isinstance(state.next_poll, float)
    assert state.etag is None or isinstance(state.etag, str)


def test_escape_sequences_in_a_file_name_never_reach_the_terminal(tmp_path):  # 3
    name = tmp_path / "a\x1b]0;owned\x07\x1b[2J\u202e.txt"
    name.write_bytes(b"\xff\xfe\xfd")  # unreadable: the name shows in the error line
    result = newsbrief("brief", str(name), "--no-summary")
    assert result.returncode != 0
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr and "\u202e" not in result.stderr
    assert "␛" in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["watch", "--out", "OUT", "--feed", "http://127.0.0.1:9/x", "--interval", "99999999999999h", "--once"],
     "--interval"),
    (["watch", "--out", "OUT", "FOLDER", "--settle", "nan"], "--settle"),
    (["batch", "FOLDER", "--out", "OUT", "--max-mb", "inf", "--no-summary"], "--max-mb"),
])
def test_numeric_options_out_of_range_are_one_line(tmp_path, args, message):  # 17
    (tmp_path / "FOLDER").mkdir()
    args = [str(tmp_path / a) if a in ("OUT", "FOLDER") else a for a in args]
    result = newsbrief(*args)
    assert result.returncode != 0 and "Traceback" not in result.stderr and message in result.stderr, result.stderr


def test_a_deleted_working_folder_still_briefs_an_absolute_path(tmp_path):  # 18
    gone = tmp_path / "gone"
    gone.mkdir()
    sample = ROOT / "corpus" / "samples" / "01_temu_europe_growth.txt"
    script = (f"import os, subprocess, sys; os.chdir({str(gone)!r}); os.rmdir({str(gone)!r}); "
              f"sys.exit(subprocess.run([sys.executable, '-m', 'pipeline.cli', 'brief', {str(sample)!r}, "
              f"'--no-summary', '--format', 'json']).returncode)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "NEWSBRIEF_SERVER": "off", "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert json.loads(result.stdout)["meta"]["title"]


@pytest.mark.parametrize(("name", "content"), [("test.bio", b"\xff\xfe\x00bad"), ("test.bio", b""),
                                             ("test.jsonl", b"{not json")])
def test_eval_ner_on_a_broken_file_is_one_line(tmp_path, name, content):  # 19
    path = tmp_path / name
    path.write_bytes(content)
    result = newsbrief("eval", "ner", str(path))
    assert result.returncode == 1 and result.stderr.startswith(f"newsbrief: error: {path}") and \
        "Traceback" not in result.stderr, result.stderr
    result = newsbrief("eval", "ner", "/dev/null")
    assert "no sentences" in result.stderr


def test_a_server_trickling_its_headers_is_cut_off_at_the_deadline():  # 4
    import socket
    import threading
    import time

    from pipeline import InputError
    from pipeline.sources.web import get

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)

    def trickle() -> None:
        conn, _ = listener.accept()
        try:
            conn.recv(4096)
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100:
                conn.send(bytes([byte]))
                time.sleep(0.2)
        except OSError:
            pass
        finally:
            conn.close()

    threading.Thread(target=trickle, daemon=True).start()
    started = time.monotonic()
    with pytest.raises(InputError, match="no answer within 2 s"):
        get(f"http://127.0.0.1:{listener.getsockname()[1]}/", max_bytes=10**6, seconds=2)
    assert time.monotonic() - started < 5
    listener.close()


def test_the_character_limit_counts_a_pages_article_not_its_markup():  # 13
    from pipeline.ingest import ingest_text

    script = "<script>var state = \"" + "x" * 340_000 + "\";</script>"
    body = "这是一篇关于跨境电商的新闻报道，内容很短但完整。" * 4
    html = (f"<html><head><title>测试标题</title>{script}</head><body><article><h1>测试标题</h1><p>{body}</p>"
            "</article></body></html>")
    article = ingest_text(html, path="page.html", max_chars=300_000)
    assert article.text == body


def test_a_password_in_a_url_the_user_gives_is_used_but_never_written(site, tmp_path):  # 2
    page = site.page("/a.html", SAMPLE_HTML)
    secret = page.replace("http://", "http://me:s3cret@")
    urls = tmp_path / "urls.txt"
    urls.write_text(secret + "\n", encoding="utf-8")
    result = newsbrief("batch", str(urls), "--out", str(tmp_path / "out"), "--no-summary")
    assert result.returncode == 0, result.stderr
    assert "s3cret" not in result.stderr + result.stdout
    written = [path for path in (tmp_path / "out").rglob("*") if path.is_file()]
    assert any(path.name == "newsbrief.db" for path in written)
    for path in written:  # the store's bytes too
        assert b"s3cret" not in path.read_bytes(), path.name


def test_an_empty_feed_a_bad_opml_entry_and_a_typo_in_a_url_list_fail_alone(site, tmp_path):  # 8
    page = site.page("/a.html", SAMPLE_HTML)
    good = site.page("/rss.xml", rss([("亚马逊", page)]), content_type="application/rss+xml")
    empty = site.page("/empty.xml", b"", content_type="application/rss+xml")
    count, errors, _ = run_feeds(tmp_path / "feeds", [empty, "file:///etc/passwd", good], allow_private=True)
    assert count == 1 and len(errors) == 2 and all("\n" not in e for e in errors)
    assert any("empty response" in e for e in errors) and any("file:///etc/passwd" in e for e in errors)
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{page}\nhtp://example.com/typo\n", encoding="utf-8")
    result = newsbrief("batch", str(urls), "--out", str(tmp_path / "out"), "--no-summary")
    index = json.loads((tmp_path / "out" / "index.json").read_text(encoding="utf-8"))["files"]
    assert result.returncode == 2 and index[page]["status"] == "ok"
    error = index["htp://example.com/typo"]["error"]
    assert error.startswith("htp://example.com/typo: ") and "\n" not in error  # a line of its own


def test_a_gbk_file_name_is_briefed_by_batch_with_its_bytes_escaped(tmp_path):  # 14
    folder = tmp_path / "zip"
    folder.mkdir()
    sample = (ROOT / "corpus" / "samples" / "01_temu_europe_growth.txt").read_bytes()
    (Path(os.fsdecode(os.fsencode(str(folder)) + b"/" + "测试".encode("gbk") + b".txt"))).write_bytes(sample)
    result = newsbrief("batch", str(folder), "--out", str(tmp_path / "out"), "--no-summary")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    index = json.loads((tmp_path / "out" / "index.json").read_text(encoding="utf-8"))["files"]
    assert [key.rsplit("/", 1)[1] for key in index] == ["\\xb2\\xe2\\xca\\xd4.txt"]
    assert (tmp_path / "out" / "digest.md").is_file() and (tmp_path / "out" / "figures.csv").is_file()


def test_outputs_follow_the_umask_and_a_trailing_slash_names_a_folder(tmp_path):  # 9
    sample = ROOT / "corpus" / "samples" / "01_temu_europe_growth.txt"
    script = (f"import os, subprocess, sys; os.umask(0o022); sys.exit(subprocess.run([sys.executable, '-m', "
              f"'pipeline.cli', 'brief', {str(sample)!r}, '--no-summary', '--format', 'json', '--out', "
              f"{str(tmp_path / 'newdir')!r} + '/']).returncode)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=ROOT,
                            env={**os.environ, "NEWSBRIEF_SERVER": "off"})
    assert result.returncode == 0, result.stderr
    written = tmp_path / "newdir" / "01_temu_europe_growth.json"
    assert written.is_file() and (written.stat().st_mode & 0o777) == 0o644
    written.chmod(0o664)
    from pipeline.files import write_atomic

    write_atomic(written, "{}")
    assert (written.stat().st_mode & 0o777) == 0o664  # a replaced file keeps its mode


def test_the_twin_of_a_deleted_input_names_itself(tmp_path):  # 9
    folder = tmp_path / "in"
    folder.mkdir()
    sample = (ROOT / "corpus" / "samples" / "01_temu_europe_growth.txt").read_bytes()
    (folder / "a.txt").write_bytes(sample)
    (folder / "b.txt").write_bytes(sample)
    out = tmp_path / "out"
    assert newsbrief("batch", str(folder), "--out", str(out), "--no-summary").returncode == 0
    (folder / "a.txt").unlink()
    assert newsbrief("batch", str(folder), "--out", str(out), "--no-summary").returncode == 0
    briefs = [json.loads(p.read_text(encoding="utf-8")) for p in out.glob("*.json") if p.name not in
              ("index.json", "feeds.json", "stories.json")]
    assert [Path(b["meta"]["file"]).name for b in briefs] == ["b.txt"]


@pytest.mark.parametrize("kind", ["file", "loop"])
@pytest.mark.parametrize("command", [["server", "status"], ["server", "start"], ["brief", "SAMPLE", "--no-summary"]])
def test_a_home_that_is_no_folder_is_one_line(tmp_path, kind, command):  # 16
    home = tmp_path / "home"
    if kind == "file":
        home.write_text("x", encoding="utf-8")
    else:
        home.symlink_to(home)
    sample = str(ROOT / "corpus" / "samples" / "01_temu_europe_growth.txt")
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", *[sample if c == "SAMPLE" else c for c in command]],
                            capture_output=True, text=True, cwd=ROOT, timeout=120,
                            env={**os.environ, "NEWSBRIEF_HOME": str(home)})
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip().splitlines() == [result.stderr.strip()] and "NEWSBRIEF_HOME" in result.stderr


def test_a_gbk_resource_file_under_newsbrief_corpus_is_named_in_one_line(tmp_path):  # 16
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus" / "lexicon", corpus / "lexicon")
    shutil.copytree(ROOT / "corpus" / "gazetteer", corpus / "gazetteer")
    stop_words = corpus / "lexicon" / "stopwords.txt"
    stop_words.write_bytes(stop_words.read_text(encoding="utf-8").encode("gbk", errors="replace"))
    sample = str(ROOT / "corpus" / "samples" / "01_temu_europe_growth.txt")
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "brief", sample, "--no-summary"],
                            capture_output=True, text=True, cwd=ROOT, timeout=120,
                            env={**os.environ, "NEWSBRIEF_CORPUS": str(corpus), "NEWSBRIEF_SERVER": "off"})
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr
    assert "stopwords.txt: not UTF-8" in result.stderr


def test_one_server_per_home_found_by_its_lock_not_its_socket(tmp_path):  # 20
    import time

    from pipeline.server.common import lock_holder, socket_path
    from pipeline.settings import Settings

    env = {**os.environ, "NEWSBRIEF_HOME": str(tmp_path / "home"), "NEWSBRIEF_SERVER": "auto"}
    sock = socket_path(Settings.from_env(env))
    server = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "server", "start", "--foreground"], cwd=ROOT,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while not sock.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert lock_holder(sock) == server.pid
        sock.unlink()  # the socket gone (or the server too busy to answer): it still runs

        def cli(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True,
                                  cwd=ROOT, env=env, timeout=120)

        result = cli("server", "status")
        assert result.returncode == 1 and f"pid {server.pid}" in result.stdout and "not answering" in result.stdout
        result = cli("server", "start")
        assert result.returncode == 1 and f"pid {server.pid}" in result.stderr and "Traceback" not in result.stderr
        sample = str(ROOT / "corpus" / "samples" / "01_temu_europe_growth.txt")
        assert cli("brief", sample, "--no-summary", "-f", "json").returncode == 0
        time.sleep(3)
        assert not sock.exists() and lock_holder(sock) == server.pid  # no second server beside it
        result = cli("server", "stop")
        assert result.returncode == 0 and f"pid {server.pid}" in result.stderr
        assert server.wait(20) is not None and lock_holder(sock) is None
    finally:
        if server.poll() is None:
            server.kill()


def test_watch_goes_on_past_a_file_name_that_is_not_utf8(tmp_path):  # 14
    import threading
    import time

    from pipeline.folders import watch_folder

    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    sample = (ROOT / "corpus" / "samples" / "01_temu_europe_growth.txt").read_bytes()
    stop = threading.Event()
    results: list = []
    errors: list[BaseException] = []

    def watch() -> None:
        try:
            watch_folder(folder, out, settle=0.3, summary=False, pipeline=Pipeline(), stop=stop,
                         on_result=results.append, on_ready=ready.set)
        except BaseException as exc:
            errors.append(exc)

    ready = threading.Event()
    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    assert ready.wait(60)
    Path(os.fsdecode(os.fsencode(str(folder)) + b"/" + "测".encode("gbk") + b".txt")).write_bytes(sample)
    time.sleep(2)
    (folder / "ok.txt").write_bytes(sample.replace(b"Temu", b"TEMU"))
    deadline = time.monotonic() + 30
    while len(results) < 2 and time.monotonic() < deadline and not errors:
        time.sleep(0.2)
    stop.set()
    thread.join(15)
    assert not errors and sorted(Path(r.path).name for r in results) == ["\\xb2\\xe2.txt", "ok.txt"]
