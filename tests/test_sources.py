"""Web pages and feeds, served by a local HTTP server on 127.0.0.1 that the tests start. Pages and
feeds are written by the project (corpus/samples), never third-party text; nothing needs the internet."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from pipeline import Pipeline, brief_files
from pipeline.folders import BatchRun
from pipeline.sources.feeds import read_opml, watch_feeds

from .conftest import ROOT, digest_entries

SAMPLE_HTML = (ROOT / "corpus" / "samples" / "03_amazon_sellers_q2.html").read_bytes()
SAMPLE_TEXT = (ROOT / "corpus" / "samples" / "01_temu_europe_growth.txt").read_text(encoding="utf-8")


def gbk_page() -> bytes:
    title, _, body = SAMPLE_TEXT.partition("\n")
    paragraphs = "".join(f"<p>{line}</p>" for line in body.splitlines()[2:] if line.strip())
    return (f'<html><head><meta charset="gbk"><title>{title}</title></head>'
            f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>").encode("gbk")


def rss(items: list[tuple[str, str]]) -> bytes:
    entries = "".join(f"<item><title>{t}</title><link>{link}</link><guid>{link}#id</guid></item>" for t, link in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>测试</title>'
            f"<link>http://127.0.0.1/</link><description>d</description>{entries}</channel></rss>").encode()


def atom(items: list[tuple[str, str]]) -> bytes:
    entries = "".join(f'<entry><title>{t}</title><id>urn:{i}</id><link href="{link}"/>'
                      f"<updated>2024-08-02T00:00:00Z</updated></entry>" for i, (t, link) in enumerate(items))
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
            f"<id>urn:feed</id><updated>2024-08-02T00:00:00Z</updated>{entries}</feed>").encode()


def same_fact_sheet(a, b) -> None:
    assert a.text == b.text and a.figures == b.figures and a.entities == b.entities and a.keywords == b.keywords
    assert (a.meta.title, a.meta.published, a.meta.source) == (b.meta.title, b.meta.published, b.meta.source)


def test_a_page_gives_the_fact_sheet_of_its_saved_html(site, nlp, tmp_path):
    url = site.page("/news/amazon.html", SAMPLE_HTML)
    saved = tmp_path / "amazon.html"
    saved.write_bytes(SAMPLE_HTML)
    [from_web], [from_file] = list(brief_files([url], pipeline=nlp)), list(brief_files([saved], pipeline=nlp))
    same_fact_sheet(from_web.brief, from_file.brief)
    assert from_web.brief.meta.url == url and from_web.brief.meta.file == url
    assert from_web.brief.meta.fetched is not None and from_web.brief.meta.published.year == 2024  # from the page


def test_gbk_declared_only_in_meta_and_gzip(site, nlp):
    plain = site.page("/gbk.html", gbk_page(), content_type="text/html")
    zipped = site.page("/gz.html", SAMPLE_HTML, X_Gzip="1")
    site.routes["/gz.html"][1]["X-Gzip"] = "1"
    results = list(brief_files([plain, zipped], pipeline=nlp))
    assert all(r.ok for r in results), [r.error for r in results]
    assert results[0].brief.meta.title == SAMPLE_TEXT.splitlines()[0]
    assert results[0].brief.meta.encoding == "gb18030"
    assert "1741" not in results[1].brief.text or results[1].brief.figures  # decoded, not gzip bytes


def test_every_fetch_failure_is_one_line_and_the_others_go_on(site, monkeypatch):
    import pipeline.sources.web as web

    monkeypatch.setattr(web, "FETCH_SECONDS", 1.0)
    good = site.page("/good.html", SAMPLE_HTML)
    site.page("/error.html", b"boom", status=500)
    site.page("/report.pdf", b"%PDF-1.4", content_type="application/pdf")
    site.page("/big.html", SAMPLE_HTML * 40)
    urls = [site.base + p for p in ("/missing.html", "/error.html", "/loop", "/hang", "/report.pdf", "/big.html")]
    nlp = Pipeline(max_bytes=50_000)
    started = time.monotonic()
    results = list(brief_files([*urls, good], pipeline=nlp))
    assert time.monotonic() - started < 30
    errors = [r.error for r in results[:-1]]
    assert all(e and e.startswith("http://127.0.0.1") and "\n" not in e for e in errors)
    for error, expected in zip(errors, ["HTTP 404", "HTTP 500", "redirects", "no answer", "not a web page",
                                        "too large"], strict=True):
        assert expected in error, error
    assert results[-1].ok  # the good page is still briefed


def feed_run(tmp_path: Path, feeds: list[str], errors: list[str], out: Path | None = None) -> tuple[int, Path]:
    out = out or tmp_path / "out"
    with BatchRun(out, pipeline=Pipeline()) as run:  # the local server stands in for the internet
        count = watch_feeds(feeds, out, run=run, once=True, on_error=errors.append, allow_private=True)
    return count, out


def test_rss_and_atom_items_are_briefed_once(site, tmp_path):
    page = site.page("/a.html", SAMPLE_HTML)
    feed_rss = site.page("/rss.xml", rss([("亚马逊", page)]), content_type="application/rss+xml", ETag='"v1"')
    feed_atom = site.page("/atom.xml", atom([("Temu", site.page("/b.html", gbk_page(), "text/html"))]),
                          content_type="application/atom+xml")
    errors: list[str] = []
    count, out = feed_run(tmp_path, [feed_rss, feed_atom], errors)
    assert count == 2 and not errors
    # a second poll: the RSS feed answers 304, the Atom feed has nothing new; nothing is fetched again
    count, _ = feed_run(tmp_path, [feed_rss, feed_atom], errors)
    assert count == 0 and site.hits["/a.html"] == 1 and site.hits["/b.html"] == 1
    # a new item appears between two polls: briefed once
    new_page = site.page("/c.html", SAMPLE_HTML.replace(b"18%", b"19%"))
    site.page("/rss.xml", rss([("亚马逊", page), ("新", new_page)]), content_type="application/rss+xml", ETag='"v2"')
    count, _ = feed_run(tmp_path, [feed_rss, feed_atom], errors)
    assert count == 1 and site.hits["/c.html"] == 1 and site.hits["/a.html"] == 1
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))["files"]
    assert set(index) == {page, new_page, site.base + "/b.html"}
    assert digest_entries(out) == 3
    # the same article under a new link (a repost): fetched, recognised by its content, not briefed twice
    repost = site.page("/repost.html", SAMPLE_HTML)
    site.page("/rss.xml", rss([("亚马逊", page), ("新", new_page), ("转载", repost)]),
              content_type="application/rss+xml", ETag='"v3"')
    count, _ = feed_run(tmp_path, [feed_rss, feed_atom], errors)
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))["files"]
    assert count == 0 and index[repost]["slug"] == index[page]["slug"]
    assert digest_entries(out) == 3


def test_broken_feeds_are_one_line_and_back_off(site, tmp_path):
    good = site.page("/good.xml", rss([("亚马逊", site.page("/a.html", SAMPLE_HTML))]))
    site.page("/bad.xml", b"<rss><channel><item>not a feed", content_type="application/rss+xml")
    site.page("/500.xml", b"boom", status=500)
    pdf_feed = site.page("/pdf.xml", rss([("PDF", site.page("/r.pdf", b"%PDF", "application/pdf"))]))
    errors: list[str] = []
    count, out = feed_run(tmp_path, [site.base + "/bad.xml", site.base + "/500.xml", site.base + "/404.xml",
                                     pdf_feed, good], errors)
    assert count == 1
    assert len(errors) == 3 and all("\n" not in e for e in errors)
    assert any("not a readable feed" in e for e in errors) and any("HTTP 500" in e for e in errors)
    state = json.loads((out / "feeds.json").read_text(encoding="utf-8"))["feeds"]
    assert state[site.base + "/500.xml"]["failures"] == 1 and state[site.base + "/500.xml"]["next_poll"] > time.time()
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))["files"]
    assert "not a web page" in index[site.base + "/r.pdf"]["error"]
    feed_run(tmp_path, [pdf_feed], errors)
    assert site.hits["/r.pdf"] == 1  # a failed item is not fetched again at every poll


def test_cli_watch_once_with_opml_and_batch_with_a_url_list(site, tmp_path):
    page = site.page("/a.html", SAMPLE_HTML)
    feed = site.page("/rss.xml", rss([("亚马逊", page)]))
    opml = tmp_path / "feeds.opml"
    opml.write_text(f'<opml version="2.0"><body><outline text="t" xmlUrl="{feed}"/></body></opml>', encoding="utf-8")
    assert read_opml(opml) == [feed]
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "watch", "--opml", str(opml), "--out",
                             str(tmp_path / "w"), "--once", "--no-summary", "--allow-private"], capture_output=True,
                            text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0 and "ok " + page in result.stderr, result.stderr
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# pages\n{page}\n{site.base}/gone.html\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "batch", str(urls), "--out", str(tmp_path / "b"),
                             "--no-summary"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 2, result.stderr
    index = json.loads((tmp_path / "b" / "index.json").read_text(encoding="utf-8"))["files"]
    assert index[page]["status"] == "ok" and "HTTP 404" in index[site.base + "/gone.html"]["error"]
