"""RSS and Atom feeds: poll them, brief each new item once, keep the state beside the outputs.

State lives in ``OUT/feeds.json`` (per feed: ETag, Last-Modified, failures, next poll, items
seen by entry id or link), written atomically after every poll, so a restart never briefs an old
item again. Requests are conditional (304 costs nothing), and a failing feed backs off
(the interval doubled per failure, at most six hours) while the others go on.
"""

from __future__ import annotations

import json
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import InputError, NewsbriefError
from ..files import write_atomic
from .web import get, is_url

STATE_NAME = "feeds.json"
MAX_BACKOFF_SECONDS = 6 * 3600
FEED_MAX_BYTES = 10 * 1024 * 1024


@dataclass
class FeedState:
    etag: str | None = None
    modified: str | None = None
    failures: int = 0
    next_poll: float = 0.0
    seen: dict[str, str] = field(default_factory=dict)  # entry id (or link) -> link


class FeedPoller:
    def __init__(self, feeds: list[str], out: Path, *, interval: float) -> None:
        for feed in feeds:
            if not is_url(feed):
                raise InputError(feed, "not an http or https feed URL")
        self.feeds = list(dict.fromkeys(feeds))
        self.path = Path(out) / STATE_NAME
        self.interval = interval
        self.state = {feed: FeedState() for feed in self.feeds}
        try:
            saved = json.loads(self.path.read_text(encoding="utf-8")).get("feeds", {})
            for feed, values in saved.items():
                if feed in self.state and isinstance(values, dict):
                    self.state[feed] = FeedState(**{k: v for k, v in values.items() if k in FeedState.__annotations__})
        except (OSError, ValueError, AttributeError, TypeError):
            pass  # no state yet (or unreadable): every item is new once

    def save(self) -> None:
        write_atomic(self.path, json.dumps({"version": 1, "feeds": {f: asdict(s) for f, s in self.state.items()}},
                                           ensure_ascii=False, indent=1) + "\n")

    def due(self, now: float, everything: bool = False) -> list[str]:
        return [f for f in self.feeds if everything or self.state[f].next_poll <= now]

    def poll(self, feed: str, now: float) -> list[tuple[str, str]]:
        """New items of `feed` as (key, link); raises InputError (and backs off) when it fails."""
        import feedparser

        state = self.state[feed]
        headers = {"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"}
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.modified:
            headers["If-Modified-Since"] = state.modified
        try:
            response = get(feed, max_bytes=FEED_MAX_BYTES, headers=headers)
            if response.status == 304:
                items = []
            else:
                parsed = feedparser.parse(response.body)
                if parsed.bozo and not any(entry.get("link") for entry in parsed.entries):
                    raise InputError(feed, f"not a readable feed ({type(parsed.bozo_exception).__name__})")
                state.etag, state.modified = response.headers.get("etag"), response.headers.get("last-modified")
                items = []
                for entry in parsed.entries:
                    link = entry.get("link") or ""
                    key = entry.get("id") or link
                    if is_url(link) and key not in state.seen:
                        items.append((key, link))
        except InputError:
            state.failures += 1
            state.next_poll = now + min(self.interval * 2 ** state.failures, MAX_BACKOFF_SECONDS)
            raise
        state.failures = 0
        state.next_poll = now + self.interval
        return items

    def mark_seen(self, feed: str, key: str, link: str) -> None:
        self.state[feed].seen[key] = link


def read_opml(path: Path) -> list[str]:
    """The feed URLs of an OPML file (outline elements with an xmlUrl)."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise InputError(path, f"not a readable OPML file ({exc})") from None
    feeds = [o.get("xmlUrl", "").strip() for o in root.iter("outline") if o.get("xmlUrl")]
    if not feeds:
        raise InputError(path, "no feeds in this OPML file (no outline with an xmlUrl)")
    return feeds


def watch_feeds(
    feeds: list[str],
    out: Path,
    *,
    run,  # pipeline.folders.BatchRun, entered
    interval: float = 900.0,
    once: bool = False,
    stop: threading.Event | None = None,
    on_result: Callable | None = None,
    on_error: Callable[[str], None] | None = None,
) -> int:
    """Poll `feeds` (every feed once with `once`, else until `stop`), briefing each new item into
    the run's output folder. Returns the number of items briefed."""
    poller = FeedPoller(feeds, out, interval=interval)
    stop = stop or threading.Event()
    briefed = 0
    while True:
        now = time.time()
        new: list[tuple[str, str, str]] = []
        for feed in poller.due(now, everything=once):
            try:
                new += [(feed, key, link) for key, link in poller.poll(feed, now)]
            except NewsbriefError as exc:
                if on_error:
                    on_error(str(exc))
        links = list(dict.fromkeys(link for _, _, link in new))
        if links:
            report = run.run(links, (lambda result, done, total: on_result(result)) if on_result else None)
            briefed += report.count("ok")
        for feed, key, link in new:  # failed items too: a PDF link is not fetched at every poll
            poller.mark_seen(feed, key, link)
        poller.save()
        next_poll = min((poller.state[f].next_poll for f in poller.feeds), default=time.time() + interval)
        if once or stop.wait(max(1.0, next_poll - time.time())):
            return briefed
