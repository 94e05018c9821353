"""Hostile and broken input (issue: bounded time, no crashes, nothing interpreted, nothing lost).

One test per defect found by adversarial probing, named after what it pins; the numbers in the
comments are the defects' numbers in that issue.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import InputError, Pipeline, brief_text
from pipeline.ingest import decode_bytes
from pipeline.output import BriefView, digest_markdown, figures_csv, make_console, to_markdown
from pipeline.writer.checks import clean_output

from .conftest import ROOT, SEED, digest_entries

ARTICLE = "亚马逊卖家表示，第二季度销售额增长了百分之十二，达到1741亿美元。\n"


def newsbrief(*args: str, cwd: Path = ROOT, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout)


def seconds(func) -> float:
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


# --------------------------------------------------------------------------- time and size


def test_email_pattern_does_not_backtrack_on_text_without_spaces(nlp):  # 1
    redos = ARTICLE + "@." * 1000
    mentions = ARTICLE + "".join(f"@用户{i}:分享" for i in range(400))
    for text in (redos, mentions):
        assert seconds(lambda text=text: nlp.brief_text(text)) < 2.0
    # e-mail addresses still hold no figures
    brief = nlp.brief_text(ARTICLE + "投稿请联系 news2023@example.com 或 info@tt123.cn。")
    assert not any("2023" in f.text or "123" in f.text for f in brief.figures)


def test_numeral_runs_do_not_backtrack(nlp):  # 1, found again by benchmarks/bench_hostile.py
    for run in ("万亿" * 5000, "一" * 10_000, "三分之" * 3000, "5万" * 5000, "1" * 10_000):
        assert seconds(lambda run=run: nlp.brief_text(ARTICLE + run)) < 2.0, run[:8]


def test_stages_stay_linear_on_long_articles(nlp, shared):  # 2
    body = "".join(p.read_text(encoding="utf-8") for p in sorted(SEED.parent.glob("*.txt")))
    times = {}
    for size in (40_000, 80_000):
        text = "长文\n" + (body * (size // len(body) + 1))[:size]
        times[size] = seconds(lambda text=text: nlp.brief_text(text))
    assert times[80_000] / times[40_000] < 3.0, times  # quadratic would be 4
    wall = "无标点" + "".join(ch for ch in body if ch not in "，。！？；：、,.!?;:\n ")[:40_000]
    assert seconds(lambda: nlp.brief_text(wall)) < 10


def test_character_limit_is_checked_after_decoding(tmp_path):  # 3
    nlp = Pipeline(max_chars=5_000)
    with pytest.raises(InputError, match=r"too long: 6,000 characters after decoding; the limit is 5,000"):
        nlp.brief_text("中" * 6_000)
    big = tmp_path / "big.txt"
    big.write_text("中文" * 20_000, encoding="utf-8")  # 120 kB: under the byte limit, over the characters
    with pytest.raises(InputError, match="too long"):
        nlp.brief_file(big)
    result = newsbrief("brief", str(big), "--no-summary", "--max-chars", "5000")
    assert result.returncode == 1 and "too long" in result.stderr and "Traceback" not in result.stderr


# --------------------------------------------------------------------------- injection


def test_csv_cells_that_look_like_formulas_are_text():  # 7
    brief = brief_text('=HYPERLINK("http://evil.example/","点击收购")\n36氪 2024-01-02\n\n'
                       "+cmd|' /C calc'!A0公司营收达到100亿元，同比增长12%。@SUM(1+1)用户超过300万。"
                       "亚马逊卖家表示，第二季度销售额增长了百分之十二，达到1741亿美元。")
    rows = list(csv.reader(io.StringIO(figures_csv([("slug", brief)]))))
    cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell[:1] in ("=", "+", "-", "@") for cell in cells)
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)


def test_escape_sequences_never_reach_outputs(tmp_path):  # 8
    front = "---\ntitle: 标题\x1b[2J清屏\x07\nsource: 来源\x1b]0;owned\x07\n---\n"
    (tmp_path / "esc.md").write_bytes((front + ARTICLE * 3).encode("utf-16"))  # UTF-16 with a BOM
    brief = Pipeline().brief_file(tmp_path / "esc.md")
    assert "\x1b" not in brief.meta.title and "\x07" not in (brief.meta.source or "")
    called = brief_text(ARTICLE * 3, title="标题\x1b[31m红", source="源\x1b]8;;http://evil/\x07链接")
    assert "\x1b" not in called.meta.title + (called.meta.source or "")
    called.meta.file = "evil\x1b[2J\u202e.txt"  # a file name is whatever the file system allows
    for rendered in (to_markdown(called), digest_markdown([("s", called)]), figures_csv([("s", called)]),
                     _terminal(called)):
        assert not any(ch in rendered for ch in "\x1b\x07\x00\u202e"), rendered[:200]
    out = newsbrief("brief", str(tmp_path / "esc.md"), "--no-summary", "-f", "md", "-o", str(tmp_path / "o.md"))
    assert out.returncode == 0 and b"\x00" not in (tmp_path / "o.md").read_bytes()


def _terminal(brief) -> str:
    console = make_console(file=io.StringIO(), force_terminal=True, width=100)
    console.print(BriefView(brief))
    return console.file.getvalue().replace("\x1b[", "")  # rich's own styling escapes are fine


def test_file_names_cannot_inject_html_into_markdown():  # 9
    brief = brief_text(ARTICLE * 3)
    brief.meta.file = "a\n\n<img src=x onerror=alert(1)>\n\n.txt"
    markdown = to_markdown(brief)
    assert not re.search(r"(?<!\\)<img", markdown) and "\\<img" in markdown
    assert "**File:** a  \\<img" in markdown  # one line, escaped


def test_control_characters_in_model_output_are_dropped():  # 10
    assert clean_output("Amazon's sales\x13 rose\x1b[2J 10%.\u202e") == "Amazon's sales rose[2J 10%."


# --------------------------------------------------------------------------- decoding


def test_utf16_without_a_byte_order_mark_is_text(shared):  # 20
    text = SEED.read_text(encoding="utf-8")
    for codec in ("utf-16-le", "utf-16-be"):
        decoded, name = decode_bytes(text.encode(codec), "x.txt")
        assert decoded == text and name == codec
    with pytest.raises(InputError, match="binary"):
        decode_bytes(b"\x00\x01\x02\x03" * 200, "x.bin")


def test_lone_surrogates_are_input_not_crashes(nlp):  # 21
    brief = nlp.brief_text("标题\n\n" + ARTICLE + "坏字符\ud800在这里。" * 3)
    assert "\ufffd" in brief.text
    json.loads(brief.model_dump_json())  # encodable


def test_html_cleaning_dependency_is_declared():  # 22
    import tomllib

    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert any(d.startswith("lxml_html_clean") for d in dependencies)
    import lxml_html_clean  # noqa: F401  (installed with the package)


# --------------------------------------------------------------------------- outputs and caches

ARTICLES = SEED.parent


@pytest.fixture
def two_articles(tmp_path, shared) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    for name in ("03_etsy_acquires_depop.txt", "05_keyouyun_erp_angel_round.txt"):
        (folder / name).write_bytes((ARTICLES / name).read_bytes())
    return folder


def index_entries(out: Path) -> dict:
    return json.loads((out / "index.json").read_text(encoding="utf-8"))["files"]


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def test_two_inputs_with_one_name_both_reach_the_out_folder(tmp_path, shared):  # 11
    for side, name in (("a", "03_etsy_acquires_depop.txt"), ("b", "05_keyouyun_erp_angel_round.txt")):
        (tmp_path / side).mkdir()
        (tmp_path / side / "article.txt").write_bytes((ARTICLES / name).read_bytes())
    result = newsbrief("brief", str(tmp_path / "a/article.txt"), str(tmp_path / "b/article.txt"), "--no-summary",
                       "-f", "json", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    titles = {json.loads(p.read_text(encoding="utf-8"))["meta"]["title"] for p in (tmp_path / "out").iterdir()}
    assert len(titles) == 2 and sorted(p.name for p in (tmp_path / "out").iterdir()) == ["article-2.json",
                                                                                          "article.json"]


def test_output_location_problems_are_one_line(tmp_path, two_articles):  # 12
    article = str(two_articles / "03_etsy_acquires_depop.txt")
    existing = tmp_path / "existing"
    existing.mkdir()
    assert newsbrief("brief", article, "--no-summary", "-f", "md", "--out", str(existing)).returncode == 0
    assert (existing / "03_etsy_acquires_depop.md").is_file()  # inside the folder
    a_file = tmp_path / "a_file"
    a_file.write_text("x")
    line = one_line_error(newsbrief("brief", article, "--no-summary", "--out", str(a_file / "x.md")))
    assert "a_file is a file, not a folder" in line
    line = one_line_error(newsbrief("brief", article, "--no-summary", "--out", "/proc/newsbrief-test.md"))
    assert "/proc/newsbrief-test.md: cannot write" in line  # a place nobody can write, even root
    result = newsbrief("batch", str(two_articles), "--no-summary", "--out", str(a_file))
    assert result.returncode == 1 and "is a file, not a folder" in one_line_error(result)
    result = newsbrief("batch", str(two_articles), "--no-summary", "--out", "/proc/newsbrief-out")
    assert result.returncode == 1 and "cannot create the output folder" in one_line_error(result)


def test_batch_workers_die_with_a_killed_run(tmp_path, shared):  # 13
    import signal

    folder = tmp_path / "news"
    folder.mkdir()
    for i in range(60):
        (folder / f"a{i:02}.txt").write_bytes(SEED.read_bytes() + f"\n第{i}篇。".encode())
    process = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "batch", str(folder), "--out",
                                str(tmp_path / "out"), "--no-summary", "--workers", "2"], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    deadline = time.monotonic() + 120
    while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
        listing = subprocess.run(["ps", "-o", "pid=", "--ppid", str(process.pid)], capture_output=True, text=True)
        workers = [int(pid) for pid in listing.stdout.split()]
    assert len(workers) >= 2, "the workers did not start"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    alive = workers
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = [pid for pid in workers if Path(f"/proc/{pid}").exists()
                 and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]]
    assert not alive, f"workers still running: {alive}"


@pytest.mark.parametrize("damage", ["random bytes", "truncated", "wrong schema", "a folder"])
def test_a_damaged_generation_cache_is_set_aside(tmp_path, damage, caplog):  # 14
    import os
    import sqlite3

    from pipeline.writer import GenerationCache, Writer

    path = tmp_path / "cache" / "generations.sqlite3"
    path.parent.mkdir()
    if damage == "random bytes":
        path.write_bytes(os.urandom(12288))
    elif damage == "truncated":
        GenerationCache(path).put_many({"k": "v"})
        path.write_bytes(path.read_bytes()[:100])
    elif damage == "wrong schema":
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE generations (something_else INTEGER)")
    else:
        path.mkdir()
    cache = GenerationCache(path)

    class Echo:
        checksum, label = "echo", "echo"

        def generate(self, conversations, max_new_tokens):
            return ["Amazon sellers grew." for _ in conversations]

    brief = brief_text(ARTICLE * 3)
    Writer(Echo(), cache, sentences=1).write([brief])
    assert brief.meta.title_en
    assert path.is_file() and list(path.parent.glob("generations.sqlite3.damaged-*"))
    assert "moved it to" in caplog.text


def test_a_truncated_or_deleted_output_is_written_again_from_the_store(tmp_path, two_articles):  # 15
    out = tmp_path / "out"
    assert newsbrief("batch", str(two_articles), "--out", str(out), "--no-summary").returncode == 0
    first, second = index_entries(out).values()
    json_file = out / f"{first['slug']}.json"
    whole = json_file.read_bytes()
    json_file.write_bytes(whole[:100])
    (out / f"{second['slug']}.md").unlink()
    result = newsbrief("batch", str(two_articles), "--out", str(out), "--no-summary")
    assert result.returncode == 0 and result.stderr.count(" cached ") == 2  # exported again, not briefed again
    assert json_file.read_bytes() == whole and (out / f"{second['slug']}.md").stat().st_size
    assert json.loads(json_file.read_text(encoding="utf-8"))["meta"]["title"]
    assert digest_entries(out) == 2


@pytest.mark.parametrize("index", ["[]", "null", '{"version": 1, "files": {"/x": "a string"}}',
                                   '{"version": 1, "files": {"/x": {"outputs": ["../../etc/passwd"]}}}'])
def test_a_strange_index_is_rebuilt(tmp_path, two_articles, index):  # 16
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.json").write_text(index, encoding="utf-8")
    result = newsbrief("batch", str(two_articles), "--out", str(out), "--no-summary")
    assert result.returncode == 0, result.stderr
    assert len(index_entries(out)) == 2


@pytest.mark.parametrize("name", ["index.json", "newsbrief.db"])
def test_a_folder_where_batch_keeps_a_file_is_one_line(tmp_path, two_articles, name):  # 16
    out = tmp_path / "out"
    (out / name).mkdir(parents=True)
    result = newsbrief("batch", str(two_articles), "--out", str(out), "--no-summary")
    assert result.returncode == 1 and "is a folder where newsbrief keeps a file" in one_line_error(result)


def test_deleted_and_changed_inputs_leave_no_outputs_behind(tmp_path, two_articles):  # 17
    out = tmp_path / "out"
    assert newsbrief("batch", str(two_articles), "--out", str(out), "--no-summary").returncode == 0
    first = {Path(k).name: e for k, e in index_entries(out).items()}
    (two_articles / "05_keyouyun_erp_angel_round.txt").unlink()
    etsy = two_articles / "03_etsy_acquires_depop.txt"
    etsy.write_text(etsy.read_text(encoding="utf-8") + "\n补充：交易进展顺利。", encoding="utf-8")
    assert newsbrief("batch", str(two_articles), "--out", str(out), "--no-summary").returncode == 0
    now = {Path(k).name: e for k, e in index_entries(out).items()}
    assert list(now) == ["03_etsy_acquires_depop.txt"]
    assert now["03_etsy_acquires_depop.txt"]["slug"] != first["03_etsy_acquires_depop.txt"]["slug"]
    briefs = sorted(p.name for p in out.iterdir() if p.suffix in (".json", ".md")
                    and p.name not in ("index.json", "digest.md", "stories.json", "stories.md"))
    assert briefs == sorted(now["03_etsy_acquires_depop.txt"]["outputs"])  # the old version's files are gone
    rows = list(csv.DictReader(io.StringIO((out / "figures.csv").read_text(encoding="utf-8"))))
    assert {r["article"] for r in rows} == {now["03_etsy_acquires_depop.txt"]["slug"]}
    assert digest_entries(out) == 1


def test_the_input_folder_is_never_the_output_folder(two_articles):  # 18
    before = sorted(p.name for p in two_articles.iterdir())
    result = newsbrief("batch", str(two_articles), "--out", str(two_articles), "--no-summary")
    assert result.returncode == 1 and "is the folder being briefed" in one_line_error(result)
    assert sorted(p.name for p in two_articles.iterdir()) == before


def test_symlink_loops_are_skipped_by_batch_and_watch(tmp_path, two_articles):  # 19
    import threading

    from pipeline.folders import watch_folder

    (two_articles / "loop.txt").symlink_to("loop.txt")
    result = newsbrief("batch", str(two_articles), "--out", str(tmp_path / "out"), "--no-summary")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert len(index_entries(tmp_path / "out")) == 2
    watched = tmp_path / "watched"
    watched.mkdir()
    stop, seen = threading.Event(), []
    thread = threading.Thread(target=watch_folder, args=(watched, tmp_path / "wout"), daemon=True,
                              kwargs={"settle": 0.3, "summary": False, "stop": stop,
                                      "on_result": lambda r: seen.append(Path(r.path).name)})
    thread.start()
    time.sleep(2)
    (watched / "loop.txt").symlink_to("loop.txt")  # appears while watching
    time.sleep(1)
    (watched / "ok.txt").write_bytes((two_articles / "03_etsy_acquires_depop.txt").read_bytes())
    deadline = time.monotonic() + 60
    while "ok.txt" not in seen and time.monotonic() < deadline and thread.is_alive():
        time.sleep(0.2)
    stop.set()
    thread.join(10)
    assert "ok.txt" in seen


# --------------------------------------------------------------------------- generated input

CASE_SECONDS = 2.0  # the bound on any one generated case (at most a few thousand characters)

_PIECES = [
    *"0123456789一二三四五六七八九十百千万亿两零元%％.,，。！？；：:、@#（）()《》“”-~ \n\t",
    "美元", "亿元", "万人", "同比增长", "下降", "约", "近", "超过", "2023年", "第二季度", "前三季度", "月", "日",
    "亚马逊", "TikTok", "Temu", "卖家", "公司", "有限公司", "总经理", "表示", "中美", "访华", "北京市",
    "\x00", "\x1b[2J", "\x07", "\x7f", "\u202e", "\ud800", "\udfff", "\ufeff", "a@b.cn", "http://x.cn/",
]
_RUNS = ["@.", "1", "万", "亿元", "万亿", "三分之", "中", "a", "@用户1:分享", "12%", "2023年", "一二三"]

chinese_like = st.one_of(
    st.lists(st.sampled_from(_PIECES), max_size=400).map("".join),
    st.tuples(st.sampled_from(_RUNS), st.integers(50, 1500), st.lists(st.sampled_from(_PIECES), max_size=40))
    .map(lambda t: "亚马逊卖家表示，销售额增长12%。" + t[0] * t[1] + "".join(t[2])),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(text=chinese_like)
def test_generated_text_is_briefed_or_refused_in_bounded_time(nlp, text):
    started = time.perf_counter()
    try:
        brief = nlp.brief_text(text)
    except InputError:
        pass
    else:
        brief.model_dump_json()  # always encodable
        for figure in brief.figures:
            assert brief.text[figure.start:figure.end] == figure.text
    assert time.perf_counter() - started < CASE_SECONDS
