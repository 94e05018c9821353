from __future__ import annotations

import html
import tracemalloc
from datetime import datetime
from pathlib import Path

import pytest

from pipeline import InputError, ingest_file, ingest_text
from pipeline.ingest import decode_bytes, parse_byline

from .conftest import SEED, SHARED

SEED_TITLE = "半闭环模式或将关闭,TikTok美国电商业务另觅商机"


def raw_body_lines(gold: dict) -> list[str]:
    """Lines of the scraped seed file that are article body (not title, byline or boilerplate)."""
    lines = [ln.replace("\xa0", " ").strip() for ln in SEED.read_text(encoding="utf-8").splitlines()]
    skip = set(gold["boilerplate"]) | {SEED_TITLE, "TT123跨境电商 2023-08-15 15:41"}
    return [ln for ln in lines if ln and ln not in skip]


def test_seed_metadata(shared):
    article = ingest_file(SEED)
    assert article.title == SEED_TITLE
    assert article.source == "TT123跨境电商"
    assert article.published == datetime(2023, 8, 15, 15, 41)
    assert article.published_precision == "minute"
    assert article.encoding == "utf-8"


def test_seed_boilerplate_removed_and_body_kept(seed_gold):
    article = ingest_file(SEED)
    cleaned_lines = article.text.split("\n")
    for boilerplate in seed_gold["boilerplate"]:
        assert boilerplate not in cleaned_lines
    assert "扫码下载app" not in article.text
    assert "加载中" not in article.text
    assert "(TT123跨境电商)" not in article.text
    body = raw_body_lines(seed_gold)
    assert len(body) == 39
    for line in body:
        expected = line.removesuffix("(TT123跨境电商)")
        assert expected in cleaned_lines, expected
    # Offsets: paragraphs point exactly at their lines.
    for (start, end), line in zip(article.paragraphs, cleaned_lines, strict=True):
        assert article.text[start:end] == line


def test_same_article_as_gbk_and_html(tmp_path, seed_gold):
    reference = ingest_file(SEED)
    gbk = tmp_path / "seed_gbk.txt"
    # GBK has no no-break space; a GBK copy of the page holds plain spaces there.
    gbk.write_bytes(SEED.read_text(encoding="utf-8").replace("\xa0", " ").encode("gbk"))
    from_gbk = ingest_file(gbk)
    assert from_gbk.encoding == "gb18030"
    assert from_gbk.text == reference.text
    assert (from_gbk.title, from_gbk.source, from_gbk.published) == (
        reference.title, reference.source, reference.published)

    # An HTML page of the same article, built here from the body lines (third-party text
    # is never stored in the project): navigation, share widgets and a footer around it.
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in raw_body_lines(seed_gold))
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{SEED_TITLE} - TT123跨境电商</title>
<meta property="og:title" content="{SEED_TITLE}">
<meta property="og:site_name" content="TT123跨境电商">
<meta property="article:published_time" content="2023-08-15T15:41:00+08:00">
</head><body><nav><a href="/">首页</a> <a href="/news">跨境资讯</a> <a href="/app">下载APP</a></nav>
<div class="share">分享到: 微信 微博</div>
<article><h1>{SEED_TITLE}</h1><div class="meta">TT123跨境电商 2023-08-15 15:41</div>
{paragraphs}</article>
<footer><p>版权所有 © TT123跨境电商</p><p>扫码下载app 最新资讯实时掌握</p></footer></body></html>"""
    page_path = tmp_path / "seed.html"
    page_path.write_text(page, encoding="utf-8")
    from_html = ingest_file(page_path)
    assert from_html.format == "html"
    assert from_html.title == reference.title
    assert from_html.source == reference.source
    assert from_html.published == reference.published
    assert from_html.text == reference.text


def test_every_shared_article_ingests(manifest):
    assert len(manifest) == 13
    for row in manifest:
        article = ingest_file(SHARED / "corpus" / "articles" / row["file"])
        # The manifest gives the title line as published; outlet tags are metadata, not title.
        assert article.title in row["title"] and all(tag in row["title"] for tag in article.title_tags), row["file"]
        assert len(row["title"]) - len(article.title) <= 4 + sum(len(tag) for tag in article.title_tags)
        assert article.published is not None, row["file"]
        assert article.published.isoformat().startswith(row["date"]), row["file"]
        assert article.source and row["publisher"] in article.source, row["file"]
        assert len(article.text) > 200


def test_secondary_byline_refines_month_date(shared):
    article = ingest_file(SHARED / "corpus" / "articles" / "09_employment_prices_stable.txt")
    assert article.published == datetime(2020, 7, 26, 7, 1, 37)
    assert article.source == "中新网"
    assert not article.text.startswith("2020-07-26")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("TT123跨境电商 2023-08-15 15:41", ("TT123跨境电商", datetime(2023, 8, 15, 15, 41), "minute")),
        ("36氪 2021-06-03", ("36氪", datetime(2021, 6, 3), "day")),
        ("中新网 2020-07", ("中新网", datetime(2020, 7, 1), "month")),
        ("开菠萝财经 via 36氪 2022-05-07", ("开菠萝财经 via 36氪", datetime(2022, 5, 7), "day")),
        ("亿邦动力 2022年2月25日", ("亿邦动力", datetime(2022, 2, 25), "day")),
        ("TikTok美国电商业务2023年8月15日宣布裁员。", None),
        ("2023年美国二手市场规模达到1741亿美元,同比增长12%,预计明年还将保持增长,市场前景广阔", None),
    ],
)
def test_parse_byline(line, expected):
    assert parse_byline(line) == expected


SAMPLE_TEXT = "跨境电商平台希音今年第一季度营收同比增长百分之二十，美国市场贡献过半。"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "big5", "utf-16"])
def test_decodes_chinese_encodings(encoding):
    traditional = "跨境電商平台希音今年第一季度營收同比增長百分之二十，美國市場貢獻過半。"
    text = SAMPLE_TEXT if encoding != "big5" else traditional
    decoded, name = decode_bytes(text.encode(encoding))
    assert decoded.lstrip("\ufeff") == text
    assert name in {"utf-8", "utf-8-sig", "gb18030", "big5", "big5hkscs", "utf-16"}


def test_markdown_front_matter_and_syntax():
    md = "---\ntitle: 测试标题\nsource: 出海日报\ndate: 2024-05-09\n---\n\n# 测试标题\n\n![图](a.png)\n\n" \
         "**希音**完成[融资](http://x)，估值达到1000亿美元，投资方包括多家知名机构。这是第二句话，内容更多一些。\n"
    article = ingest_text(md, fmt="markdown")
    assert article.title == "测试标题"
    assert article.source == "出海日报"
    assert article.published == datetime(2024, 5, 9)
    assert article.text.startswith("希音完成融资，")
    assert "http" not in article.text and "**" not in article.text


# ----------------------------------------------------------------------------- bad input


def _error(path: Path) -> str:
    with pytest.raises(InputError) as info:
        ingest_file(path)
    message = str(info.value)
    assert message.startswith(str(path))
    assert "\n" not in message
    return message


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert "empty" in _error(path)


def test_whitespace_only_file(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text(" \n\u3000\n\n", encoding="utf-8")
    assert "no article text" in _error(path)


def test_binary_file(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert "binary" in _error(path)
    blob = tmp_path / "blob.txt"
    blob.write_bytes(b"abc\x00\x01\x02" * 100)
    assert "binary" in _error(blob)


def test_directory_and_missing_path(tmp_path):
    assert "directory" in _error(tmp_path)
    assert "no such file" in _error(tmp_path / "missing.txt")


def test_non_chinese_text(tmp_path):
    path = tmp_path / "english.txt"
    path.write_text("Market update\nAmazon sellers reported strong growth in the second quarter. " * 20)
    assert "not Chinese" in _error(path)


def test_huge_file_refused_with_bounded_memory(tmp_path):
    path = tmp_path / "huge.txt"
    line = ("跨境电商市场持续增长。" * 50 + "\n").encode("utf-8")
    with path.open("wb") as handle:
        for _ in range(20 * 1024 * 1024 // len(line) + 1):
            handle.write(line)
    assert path.stat().st_size > 20 * 1024 * 1024
    tracemalloc.start()
    message = _error(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "too large" in message
    assert peak < 1024 * 1024


def test_html_without_article(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>x</title></head><body><nav>首页</nav></body></html>", encoding="utf-8")
    message = _error(path)
    assert "no article text" in message or "too little article text" in message


def test_html_sniffed_in_txt_file(tmp_path):
    path = tmp_path / "page.txt"
    body = "".join(f"<p>第{i}段：亚马逊卖家在东南亚市场的销售额持续增长，跨境物流成本下降。</p>" for i in range(6))
    path.write_text(f"<!DOCTYPE html><html><head><title>亚马逊卖家动态</title></head><body><article>"
                    f"<h1>亚马逊卖家动态</h1>{body}</article></body></html>", encoding="utf-8")
    article = ingest_file(path)
    assert article.format == "html"
    assert "<p>" not in article.text and "东南亚市场" in article.text


@pytest.mark.parametrize(
    ("title", "source", "expected", "tags"),
    [
        ("36氪首发 | 跨境ERP公司获数千万元天使轮融资", "36氪", "跨境ERP公司获数千万元天使轮融资", ["36氪首发"]),
        ("36氪出海首发｜DTC品牌完成Pre-A轮融资", "36氪出海", "DTC品牌完成Pre-A轮融资", ["36氪出海首发"]),
        ("部长会议表示将加速推动区域经济复苏-新华网", "新华网", "部长会议表示将加速推动区域经济复苏", ["新华网"]),
        ("就业与物价总体平稳 - 中新网", "中新网", "就业与物价总体平稳", ["中新网"]),
        ("报告称市场回暖_新浪财经", "新浪财经", "报告称市场回暖", ["新浪财经"]),
        ("SHEIN，值不值1000亿美元？", "开菠萝财经 via 36氪", "SHEIN，值不值1000亿美元？", []),
        ("亿邦动力：TikTok小店再添三国", "亿邦动力 via 36氪", "亿邦动力：TikTok小店再添三国", []),  # no tag separator
        ("独家 | 某平台GMV翻倍", "36氪", "独家 | 某平台GMV翻倍", []),  # a tag that does not name the source
        ("新华网 | 新华网", "新华网", "新华网 | 新华网", []),  # never the whole title
        ("标题 - 新华网", None, "标题 - 新华网", []),  # no byline, no evidence
    ],
)
def test_outlet_tags_leave_the_title(title, source, expected, tags):
    from pipeline.ingest.clean import split_title_tags

    assert split_title_tags(title, source) == (expected, tags)


def test_title_tags_reach_the_brief(shared):
    from pipeline import brief_file

    meta = brief_file(SHARED / "corpus" / "articles" / "14_36kr_tiktok_ecommerce_gmv_2021.txt").meta
    assert meta.title == "TikTok电商 2021年GMV最高近60亿，今年目标翻一倍" and meta.title_tags == ["36氪独家"]
