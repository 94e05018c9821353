"""The store (OUT/newsbrief.db): crash safety, two writers, damaged and foreign files, migration of an
index.json folder, digest pages by day, and the search and figures commands over real articles."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.folders import brief_folder
from pipeline.schema import Brief
from pipeline.store import STORE_NAME, Store

from .conftest import ROOT, SHARED, digest_entries, store_entries

ARTICLES = SHARED / "corpus" / "articles"
STORIES = SHARED / "stories"


def newsbrief(*args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=timeout)


def batch_command(folder: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "pipeline.cli", "batch", str(folder), "--out", str(out), "--no-summary"]


@pytest.fixture
def variants(tmp_path: Path, shared) -> Path:
    """26 distinct articles: the shared ones twice, each copy slightly different."""
    folder = tmp_path / "variants"
    folder.mkdir()
    for copy in range(2):
        for article in sorted(ARTICLES.glob("*.txt")):
            text = article.read_text(encoding="utf-8")
            (folder / f"{copy}_{article.name}").write_text(text + f"\n（第{copy}份）", encoding="utf-8")
    return folder


def assert_every_input_once(folder: Path, out: Path) -> dict[str, dict]:
    entries = store_entries(out)
    assert set(entries) == {str(p.resolve()) for p in folder.iterdir()}  # every input one row, nothing else
    assert all(e["status"] == "ok" for e in entries.values())
    slugs = [e["slug"] for e in entries.values()]
    assert len(set(slugs)) == len(slugs)
    with sqlite3.connect(out / STORE_NAME) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert sorted(row[0] for row in db.execute("SELECT slug FROM briefs")) == sorted(slugs)  # no duplicate
        figures = db.execute("SELECT count(*) FROM figures").fetchone()[0]
    briefs = [Brief.model_validate_json((out / f"{slug}.json").read_text(encoding="utf-8")) for slug in slugs]
    assert figures == sum(len(b.figures) for b in briefs)
    assert all((out / f"{slug}.md").stat().st_size for slug in slugs)
    exported = json.loads((out / "index.json").read_text(encoding="utf-8"))["files"]
    assert exported == entries
    return entries


@pytest.mark.parametrize("kill_at", [1, 12, "all"])
def test_killed_at_any_point_a_rerun_briefs_every_input_exactly_once(variants: Path, tmp_path: Path, kill_at):
    """kill -9 early, in the middle, and once every row is in (while the digest, CSV and index are written)."""
    out = tmp_path / "out"
    total = len(list(variants.iterdir()))
    at_least = total if kill_at == "all" else kill_at
    process = subprocess.Popen(batch_command(variants, out), cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and process.poll() is None:
        if (out / STORE_NAME).is_file() and len(store_entries(out)) >= at_least:
            break
        time.sleep(0.005)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    before = {key: entry["slug"] for key, entry in store_entries(out).items()}  # the store opens after a kill
    assert len(before) >= at_least
    mtimes = {slug: (out / f"{slug}.json").stat().st_mtime_ns for slug in before.values()}
    result = subprocess.run(batch_command(variants, out), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stderr.count(" cached ") == len(before) and result.stderr.count(" ok ") == total - len(before)
    assert all((out / f"{slug}.json").stat().st_mtime_ns == mtime for slug, mtime in mtimes.items())
    entries = assert_every_input_once(variants, out)
    exported = sorted(p.name for p in out.glob("*.json"))
    assert exported == sorted(["index.json", "stories.json", *(f"{e['slug']}.json" for e in entries.values())])
    assert not list(out.glob(".*.tmp"))


def test_two_writers_at_once_share_the_store(variants: Path, tmp_path: Path):
    out = tmp_path / "out"
    runs = [subprocess.Popen(batch_command(variants, out), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(2)]
    outcomes = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err[-1500:] for _, err in outcomes]
    entries = assert_every_input_once(variants, out)
    assert len(entries) == 26
    assert digest_entries(out) == 26


def test_a_damaged_store_is_set_aside_and_rebuilt_from_the_last_index(variants: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert newsbrief("batch", str(variants), "--out", str(out), "--no-summary").returncode == 0
    (out / STORE_NAME).write_bytes(b"this is not a database" * 100)
    result = newsbrief("batch", str(variants), "--out", str(out), "--no-summary")
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if line.startswith("newsbrief: note:")]
    assert len(notes) == 1 and "newsbrief.db was damaged" in notes[0]
    assert "moved it to newsbrief.db.damaged-" in notes[0]
    assert result.stderr.count(" cached ") == 26  # the briefs came back from index.json and the exports
    assert len(list(out.glob("newsbrief.db.damaged-*"))) == 1
    assert_every_input_once(variants, out)


def test_a_foreign_database_and_a_missing_store_are_one_line(tmp_path: Path, variants: Path):
    out = tmp_path / "out"
    out.mkdir()
    with sqlite3.connect(out / STORE_NAME) as db:
        db.execute("CREATE TABLE accounts (id INTEGER)")
    for args in (("batch", str(variants), "--out", str(out), "--no-summary"), ("search", "关税", "--out", str(out))):
        result = newsbrief(*args)
        assert result.returncode == 1 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert result.stderr.startswith(f"newsbrief: error: {out / STORE_NAME}: is a database of another program")
    result = newsbrief("figures", "--out", str(tmp_path / "nothing"))
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "no newsbrief store here" in result.stderr


def test_an_index_json_folder_of_an_older_newsbrief_migrates(variants: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert newsbrief("batch", str(variants), "--out", str(out), "--no-summary").returncode == 0
    for name in os.listdir(out):  # what a folder written before the store holds: exports and index.json
        if name.startswith(STORE_NAME):
            (out / name).unlink()
    result = newsbrief("batch", str(variants), "--out", str(out), "--no-summary")
    assert result.returncode == 0 and result.stderr.count(" cached ") == 26, result.stderr[-2000:]
    assert_every_input_once(variants, out)


def test_only_the_days_a_run_changes_are_written_again(tmp_path: Path, shared):
    folder, out = tmp_path / "news", tmp_path / "out"
    folder.mkdir()
    for name in ("03_etsy_acquires_depop.txt", "05_keyouyun_erp_angel_round.txt"):
        (folder / name).write_bytes((ARTICLES / name).read_bytes())
    brief_folder(folder, out, summary=False)
    pages = {page.name: page.stat().st_mtime_ns for page in (out / "digest").glob("*.md")}
    assert len(pages) == 2
    changed = folder / "05_keyouyun_erp_angel_round.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n补充：本轮融资已完成交割。", encoding="utf-8")
    report = brief_folder(folder, out, summary=False)
    assert report.count("ok") == 1 and report.count("cached") == 1
    etsy_day = next(e["slug"][:10] for e in store_entries(out).values() if "etsy" in e["path"])
    assert (out / "digest" / f"{etsy_day}.md").stat().st_mtime_ns == pages[f"{etsy_day}.md"]
    changed.unlink()  # a deleted input's day page goes with its last brief
    brief_folder(folder, out, summary=False)
    assert sorted(page.name for page in (out / "digest").glob("*.md")) == [f"{etsy_day}.md"]


# --------------------------------------------------------------------------- search and figures


@pytest.fixture(scope="module")
def archive(tmp_path_factory, shared) -> Path:
    """The shared articles and the stories (Simplified and Traditional) briefed into one store."""
    folder = tmp_path_factory.mktemp("archive")
    for source in (ARTICLES, STORIES):
        for path in source.glob("*.txt"):
            (folder / path.name).write_bytes(path.read_bytes())
    out = folder / "out"
    report = brief_folder(folder, out, summary=False, workers=2)
    assert report.count("ok") == 38
    return out


def test_search_finds_simplified_traditional_short_and_english_queries(archive: Path):
    from pipeline.dictionary import load_dictionary
    from pipeline.store.query import search

    store = Store.open(archive / STORE_NAME, create=False)
    try:
        fold = load_dictionary().simplified
        tariff = search(store, "关税", fold=fold, limit=100)  # two characters: below the trigram index
        traditional = [hit for hit in tariff if "關" in hit.title or "關稅" in hit.snippet]
        assert traditional, [h.title for h in tariff]  # found in Traditional text by its Simplified form
        assert {h.slug for h in search(store, "關稅", fold=fold, limit=100)} == {h.slug for h in tariff}
        recall = search(store, "召回 充电宝", fold=fold, limit=100)  # every word must be found
        assert recall and all("召回" in fold(h.snippet) or "召回" in fold(h.title) or h.matched == "chinese"
                              for h in recall)
        assert len(recall) <= len(search(store, "召回", fold=fold, limit=100))
        mixue = search(store, "蜜雪冰城", fold=fold, limit=100)  # the trigram index
        assert len(mixue) >= 4 and all(h.matched == "chinese" for h in mixue)
        assert search(store, "Anker", fold=fold, limit=100)  # Latin, in the Chinese text or the English names
        assert search(store, "没有这个词的查询语句", fold=fold) == []
    finally:
        store.close()


def test_the_search_command_renders_a_table_json_and_csv(archive: Path):
    table = newsbrief("search", "蜜雪冰城", "--out", str(archive))
    assert table.returncode == 0 and "蜜雪冰城" in table.stdout
    hits = json.loads(newsbrief("search", "蜜雪冰城", "--out", str(archive), "--format", "json").stdout)
    assert len(hits) >= 4 and all(hit["slug"] and "蜜雪冰城" in hit["snippet"] + hit["title"] for hit in hits)
    csv_text = newsbrief("search", "蜜雪冰城", "--out", str(archive), "--format", "csv", "--limit", "2").stdout
    assert csv_text.splitlines()[0].startswith("slug,published,title") and len(csv_text.splitlines()) == 3


def test_figures_by_entity_kind_and_day(archive: Path):
    everything = json.loads(newsbrief("figures", "--out", str(archive), "--format", "json").stdout)
    money = json.loads(newsbrief("figures", "--out", str(archive), "--kind", "money", "--format", "json").stdout)
    assert money and all(f["kind"] == "money" for f in money) and len(money) < len(everything)
    temu = json.loads(newsbrief("figures", "--out", str(archive), "--entity", "Temu", "--format", "json").stdout)
    assert temu and all("Temu" in f["sentence"] for f in temu)
    since = json.loads(newsbrief("figures", "--out", str(archive), "--since", "2025-01-01", "--format",
                                 "json").stdout)
    assert since and all(f["published"] >= "2025-01-01" for f in since) and len(since) < len(everything)
    result = newsbrief("figures", "--out", str(archive), "--since", "March")
    assert result.returncode == 1 and "--since 'March': expected a day as YYYY-MM-DD" in result.stderr
    result = newsbrief("figures", "--out", str(archive), "--kind", "dollars")
    assert result.returncode == 1 and "--kind 'dollars'" in result.stderr


def test_the_archive_s_stories_are_written_and_listed(archive: Path):
    stories = json.loads((archive / "stories.json").read_text(encoding="utf-8"))
    assert len(stories) >= 4 and all(len({a["outlet"] for a in s["articles"]}) >= 2 for s in stories)
    assert "stories.md" in (archive / "digest.md").read_text(encoding="utf-8")
    table = newsbrief("stories", "--out", str(archive))
    assert table.returncode == 0 and "stories" in table.stdout
    listed = json.loads(newsbrief("stories", "--out", str(archive), "--format", "json").stdout)
    assert [s["id"] for s in listed] == [s["id"] for s in stories]


def test_a_store_being_created_is_waited_for_not_taken_for_another_program_s(tmp_path: Path):
    """Readers (and a second writer) opening the file while a run creates its tables and turns on WAL: CI found
    a reader reading the tables and the application id from two snapshots."""
    import threading

    errors: list[str] = []
    for attempt in range(20):
        path = tmp_path / str(attempt) / STORE_NAME
        path.parent.mkdir()
        stop = threading.Event()

        def read(path: Path = path, stop: threading.Event = stop) -> None:
            while not stop.is_set():
                if path.is_file():
                    try:
                        Store.open(path, create=False).close()
                    except Exception as exc:  # any failure is the finding
                        errors.append(str(exc))

        readers = [threading.Thread(target=read, daemon=True) for _ in range(2)]
        for reader in readers:
            reader.start()
        try:
            Store.open(path).close()
            Store.open(path).close()
        finally:
            stop.set()
            for reader in readers:
                reader.join(10)
    assert errors == []
