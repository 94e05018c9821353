from __future__ import annotations

import csv
import html
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

from pipeline.folders import article_slug, brief_folder, find_articles, watch_folder
from pipeline.schema import ArticleMeta, Brief

from .conftest import ROOT, SHARED, store_entries

ARTICLES = SHARED / "corpus" / "articles"


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=timeout)


@pytest.fixture
def mixed_folder(tmp_path: Path, shared) -> Path:
    folder = tmp_path / "news"
    (folder / "day1").mkdir(parents=True)
    for name in ("00_tt123_tiktok_us_secondhand.txt", "03_etsy_acquires_depop.txt"):
        shutil.copy(ARTICLES / name, folder / "day1" / name)
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (folder / "empty.txt").write_bytes(b"")
    gbk_text = (ARTICLES / "14_36kr_tiktok_ecommerce_gmv_2021.txt").read_text(encoding="utf-8")
    (folder / "gbk_article.txt").write_bytes(gbk_text.encode("gbk", errors="replace"))
    body = (ARTICLES / "05_keyouyun_erp_angel_round.txt").read_text(encoding="utf-8").splitlines()[3:]
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in body if line.strip())
    (folder / "page.html").write_text(
        "<html><head><title>客优云获数千万元天使轮融资</title><meta property='og:site_name' content='36氪'>"
        "<meta property='article:published_time' content='2021-07-29T10:00:00+08:00'></head>"
        f"<body><article><h1>客优云获数千万元天使轮融资</h1>{paragraphs}</article></body></html>", encoding="utf-8")
    (folder / "notes.json").write_text("{}")  # not an article type: ignored
    return folder


def test_batch_mixed_folder(mixed_folder: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = run_cli("batch", str(mixed_folder), "--out", str(out), "--no-summary")
    assert result.returncode == 2, result.stderr
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))["files"]
    assert len(index) == 6
    by_name = {Path(p).name: e for p, e in index.items()}
    assert by_name["photo.txt"]["status"] == "failed" and "binary" in by_name["photo.txt"]["error"]
    assert by_name["empty.txt"]["status"] == "failed" and "empty" in by_name["empty.txt"]["error"]
    good = [e for e in index.values() if e["status"] == "ok"]
    assert len(good) == 4
    for entry in good:
        for name in entry["outputs"]:
            assert (out / name).is_file()
        brief = Brief.model_validate_json((out / f"{entry['slug']}.json").read_text(encoding="utf-8"))
        assert brief.meta.title
    digest = (out / "digest.md").read_text(encoding="utf-8")  # the days, each linking to its page
    assert digest.index("2023-08-15") < digest.index("2021-06-03")  # newest first
    pages = {page.stem: page.read_text(encoding="utf-8") for page in (out / "digest").glob("*.md")}
    assert all(f"(digest/{day}.md)" in digest for day in pages)
    assert sum(page.count("[full brief](../") for page in pages.values()) == 4
    for entry in good:  # each day's table of contents links its articles, and each links its full brief
        page = pages[entry["slug"][:10] if entry["slug"][:4].isdigit() else "undated"]
        assert f"(#{entry['slug']})" in page and f"(../{entry['slug']}.md)" in page
    with (out / "figures.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {"US$174.1 billion", "tens of millions of yuan"} <= {r["english"] for r in rows}
    assert {r["article"] for r in rows} == {e["slug"] for e in good}
    assert "failed" in result.stdout and "photo.txt" in result.stdout


def test_second_run_is_served_from_cache(mixed_folder: Path, tmp_path: Path):
    out = tmp_path / "out"
    first = brief_folder(mixed_folder, out, summary=False)
    assert first.count("ok") == 4
    started = time.perf_counter()
    second = brief_folder(mixed_folder, out, summary=False)
    assert second.count("cached") == 4 and second.count("ok") == 0
    assert time.perf_counter() - started < 2.0
    # A changed file is briefed again; the others are not.
    target = next(p for p in find_articles(mixed_folder) if p.name.startswith("03_"))
    target.write_text(target.read_text(encoding="utf-8") + "\n补充：Etsy表示交易进展顺利。", encoding="utf-8")
    third = brief_folder(mixed_folder, out, summary=False)
    assert third.count("ok") == 1 and third.count("cached") == 3


def test_editing_the_gazetteer_rebriefs_the_folder(tmp_path: Path, shared):
    """The cache key is the fingerprint of everything that changes a brief: lexicons included."""
    folder = tmp_path / "news"
    folder.mkdir()
    shutil.copy(ARTICLES / "00_tt123_tiktok_us_secondhand.txt", folder)
    shutil.copy(ARTICLES / "03_etsy_acquires_depop.txt", folder)
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus, ignore=shutil.ignore_patterns("samples"))
    env = {**os.environ, "NEWSBRIEF_CORPUS": str(corpus)}
    out = tmp_path / "out"

    def run() -> dict[str, str]:
        result = subprocess.run([sys.executable, "-m", "pipeline.cli", "batch", str(folder), "--out", str(out),
                                 "--no-summary"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
        assert result.returncode == 0, result.stderr
        return result.stderr

    assert run().count(" ok ") == 2
    assert run().count(" cached ") == 2
    gazetteer = corpus / "gazetteer" / "gazetteer.tsv"
    gazetteer.write_text(gazetteer.read_text(encoding="utf-8").replace("易贝\teBay\t", "易贝\teBay Inc.\t"),
                         encoding="utf-8")
    assert run().count(" ok ") == 2  # briefed again, not served from the cache
    seed = json.loads(next(out.glob("2023-08-15-*.json")).read_text(encoding="utf-8"))
    assert "eBay Inc." in {e["english"] for e in seed["entities"]}


def test_kill_and_resume(tmp_path: Path, shared):
    folder = tmp_path / "many"
    folder.mkdir()
    for copy in range(6):
        for article in sorted(ARTICLES.glob("*.txt")):
            text = article.read_text(encoding="utf-8")
            (folder / f"{copy}_{article.name}").write_text(text + f"\n（第{copy}份副本）", encoding="utf-8")
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "batch", str(folder), "--out", str(out),
                                "--no-summary"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("*.json"))) < 6:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    index = store_entries(out)  # the store opens after a kill; index.json is written at a run's end
    done_before = {p: e for p, e in index.items() if e["status"] == "ok"}
    assert 0 < len(done_before) < 78
    mtimes = {name: (out / name).stat().st_mtime_ns for e in done_before.values() for name in e["outputs"]}

    report = brief_folder(folder, out, summary=False)
    assert report.count("cached") == len(done_before)
    assert report.count("ok") == 78 - len(done_before)
    for name, mtime in mtimes.items():
        assert (out / name).stat().st_mtime_ns == mtime  # not processed twice
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))["files"]
    assert len(index) == 78 and all(e["status"] == "ok" for e in index.values())
    for entry in index.values():
        json.loads((out / f"{entry['slug']}.json").read_text(encoding="utf-8"))
    assert not list(out.glob(".*.tmp"))


@pytest.mark.parametrize("title", ["../../etc/passwd", "a/b/c", "C:\\Windows:evil", "标题" * 150, "...", ""])
def test_slug_is_safe(title: str):
    meta = ArticleMeta(title=title, content_sha256="0" * 64, char_count=0, published=datetime(2024, 1, 2))
    brief = Brief(meta=meta, text="")
    slug = article_slug(brief, "abcdef123456", set())
    assert slug.startswith("2024-01-02-")
    assert len(slug) <= 90
    assert all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in slug)
    assert slug not in {".", ".."} and "/" not in slug and "\\" not in slug
    assert article_slug(brief, "abcdef123456", {slug}) != slug


def test_watch_processes_a_file_once_when_complete(tmp_path: Path, shared):
    folder, out = tmp_path / "incoming", tmp_path / "out"
    folder.mkdir()
    results = []
    stop = threading.Event()
    ready = threading.Event()
    thread = threading.Thread(target=watch_folder, args=(folder, out), daemon=True,
                              kwargs={"settle": 1.0, "stop": stop, "on_result": results.append,
                                      "on_ready": ready.set, "summary": False})
    thread.start()
    assert ready.wait(60)
    data = (ARTICLES / "03_etsy_acquires_depop.txt").read_bytes()
    target = folder / "etsy.txt"
    with target.open("wb") as handle:
        handle.write(data[: len(data) // 2])
        handle.flush()
        time.sleep(0.5)  # a slow writer: half the file is there for a while
        handle.write(data[len(data) // 2:])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not results:
        time.sleep(0.1)
    time.sleep(1.5)  # nothing more should come
    stop.set()
    thread.join(10)
    assert [r.status for r in results] == ["ok"]
    brief = Brief.model_validate_json((out / results[0].outputs[0]).read_text(encoding="utf-8"))
    assert brief.text.endswith(data.decode("utf-8").strip().splitlines()[-1])
    assert "Etsy" in (out / "digest.md").read_text(encoding="utf-8")


def test_batch_takes_the_size_limit(tmp_path: Path, shared):
    folder = tmp_path / "news"
    folder.mkdir()
    shutil.copy(ARTICLES / "03_etsy_acquires_depop.txt", folder)
    out = tmp_path / "out"
    result = run_cli("batch", str(folder), "--out", str(out), "--no-summary", "--max-mb", "0.001")
    assert result.returncode == 2
    [entry] = json.loads((out / "index.json").read_text(encoding="utf-8"))["files"].values()
    assert entry["status"] == "failed" and "file too large" in entry["error"]
    result = run_cli("batch", str(folder), "--out", str(out), "--no-summary", "--max-mb", "0")
    assert result.returncode == 1
    assert result.stderr.strip() == "newsbrief: error: --max-mb 0: must be more than 0 and at most 1024"


def test_a_filesystem_uri_is_listed_read_and_served_from_the_cache(tmp_path: Path, shared, monkeypatch):
    """`batch file:///…` (the same code path as s3:// or gs://, through pyarrow's filesystems):
    objects listed with their size and time, briefed, and unchanged ones never read again."""
    from pipeline.sources import filesystems

    folder = tmp_path / "bucket" / "news"
    (folder / "2021").mkdir(parents=True)
    shutil.copy(ARTICLES / "03_etsy_acquires_depop.txt", folder / "2021")
    shutil.copy(ARTICLES / "05_keyouyun_erp_angel_round.txt", folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / ".hidden.txt").write_text("隐藏", encoding="utf-8")
    (folder / "notes.json").write_text("{}")
    uri = folder.as_uri()
    out = tmp_path / "out"

    first = brief_folder(uri, out, summary=False)
    assert first.count("ok") == 2 and first.count("failed") == 1
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))["files"]
    assert sorted(index) == [f"{uri}/05_keyouyun_erp_angel_round.txt", f"{uri}/2021/03_etsy_acquires_depop.txt",
                             f"{uri}/empty.txt"]
    assert index[f"{uri}/empty.txt"]["error"] == f"{uri}/empty.txt: empty file"
    etsy = index[f"{uri}/2021/03_etsy_acquires_depop.txt"]
    assert etsy["stat"][0] == (folder / "2021" / "03_etsy_acquires_depop.txt").stat().st_size
    brief = Brief.model_validate_json((out / f"{etsy['slug']}.json").read_text(encoding="utf-8"))
    assert brief.meta.file == f"{uri}/2021/03_etsy_acquires_depop.txt" and brief.figures

    reads: list[str] = []
    real_read = filesystems.read_bytes
    monkeypatch.setattr(filesystems, "read_bytes", lambda u, m: reads.append(u) or real_read(u, m))
    monkeypatch.setattr("pipeline.api.read_uri_bytes", filesystems.read_bytes)
    second = brief_folder(uri, out, summary=False)
    assert second.count("cached") == 2 and reads == [f"{uri}/empty.txt"]  # the failed one is tried again

    changed = folder / "05_keyouyun_erp_angel_round.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n补充：本轮融资已完成交割。", encoding="utf-8")
    third = brief_folder(uri, out, summary=False, pattern="0*.txt")
    assert third.count("ok") == 1 and third.count("cached") == 1 and len(third.results) == 2


def test_a_missing_uri_folder_is_one_line(tmp_path: Path):
    result = run_cli("batch", (tmp_path / "nowhere").as_uri(), "--out", str(tmp_path / "out"), "--no-summary")
    assert result.returncode == 1
    assert result.stderr.strip() == f"newsbrief: error: {(tmp_path / 'nowhere').as_uri()}: no such folder"
