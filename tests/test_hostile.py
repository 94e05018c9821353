"""Hostile and broken input (issue: bounded time, no crashes, nothing interpreted, nothing lost).

One test per defect found by adversarial probing, named after what it pins; the numbers in the
comments are the defects' numbers in that issue.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import InputError, Pipeline, brief_text
from pipeline.ingest import decode_bytes
from pipeline.output import BriefView, digest_markdown, figures_csv, make_console, to_markdown
from pipeline.writer.checks import clean_output

from .conftest import ROOT, SEED

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
