from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.output import BriefView, to_markdown

from .conftest import ROOT, SEED

runner = CliRunner()


def newsbrief(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the real console entry point in a subprocess (stdout and stderr kept apart)."""
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("newsbrief ")


def test_json_output_is_pure_and_valid(shared):
    result = newsbrief("brief", str(SEED), "--format", "json", "--no-summary")
    assert result.returncode == 0, result.stderr
    brief = json.loads(result.stdout)  # nothing but JSON on stdout
    schema = json.loads(newsbrief("schema").stdout)
    jsonschema.validate(brief, schema)
    assert brief["meta"]["title"] == "半闭环模式或将关闭,TikTok美国电商业务另觅商机"
    assert brief["meta"]["published"] == "2023-08-15T15:41:00"


def test_rich_and_markdown_output(shared, tmp_path):
    result = newsbrief("brief", str(SEED), "--no-summary")
    assert result.returncode == 0, result.stderr
    assert "TT123跨境电商" in result.stdout and "2023-08-15 15:41" in result.stdout
    assert "Key figures" in result.stdout and "Named entities" in result.stdout
    out = tmp_path / "brief.md"
    result = newsbrief("brief", str(SEED), "--format", "md", "--out", str(out), "--no-summary")
    assert result.returncode == 0
    assert out.read_text(encoding="utf-8").startswith("# 半闭环模式或将关闭")


MARKUP_ARTICLE = """[bold red]注意[/bold red] 跨境新闻
出海日报 2024-01-02

亚马逊卖家[link=http://evil.example]点击这里[/link]获得更多流量，[bold]Temu[/bold]今年在欧洲的增长放缓。
平台负责人表示，未来将继续投入本地化运营，`code` 与 *星号* 和 | 竖线都只是文字。
"""


def test_article_text_is_never_markup(tmp_path, nlp):
    path = tmp_path / "markup.txt"
    path.write_text(MARKUP_ARTICLE, encoding="utf-8")
    brief = nlp.brief_file(path)
    assert brief.meta.title == "[bold red]注意[/bold red] 跨境新闻"
    from rich.console import Console

    console = Console(record=True, width=200, force_terminal=True)
    console.print(BriefView(brief))
    plain = console.export_text()
    assert "[bold red]注意[/bold red]" in plain
    result = newsbrief("brief", str(path), "--no-summary")
    assert "[bold red]注意[/bold red] 跨境新闻" in result.stdout
    markdown = to_markdown(brief)
    assert "\\[bold red\\]" in markdown


def test_bad_inputs_give_one_line_errors(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    png = tmp_path / "photo.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    gbk = tmp_path / "gbk.txt"
    gbk_text = "希音跨境新闻\n出海日报 2024-01-02\n\n希音今年在欧洲市场的销售额同比增长了百分之三十，美国市场保持稳定。"
    gbk.write_bytes(gbk_text.encode("gbk"))
    result = newsbrief("brief", str(empty), str(png), str(tmp_path), str(tmp_path / "nope.txt"), str(gbk),
                       "--format", "json", "--no-summary")
    assert result.returncode == 1
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 4, result.stderr
    assert "Traceback" not in result.stderr
    expected = [(empty, "empty"), (png, "binary"), (tmp_path, "directory"), (tmp_path / "nope.txt", "no such")]
    for path, reason in expected:
        assert any(str(path) in line and reason in line for line in errors), (path, errors)
    # The good file among the bad ones is still briefed.
    items = json.loads(result.stdout)
    assert len(items) == 1 and items[0]["meta"]["encoding"] == "gb18030"


def test_out_folder_for_several_inputs(tmp_path):
    samples = sorted(p for p in (ROOT / "corpus" / "samples").iterdir() if p.name != "README.md")
    assert len(samples) >= 3
    result = newsbrief("brief", *map(str, samples), "--format", "json", "--out", str(tmp_path), "--no-summary")
    assert result.returncode == 0, result.stderr
    written = sorted(Path(tmp_path).glob("*.json"))
    assert [p.stem for p in written] == [p.stem for p in samples]
    for path in written:
        assert json.loads(path.read_text(encoding="utf-8"))["meta"]["title"]
