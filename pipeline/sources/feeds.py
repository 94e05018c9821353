"""RSS and Atom feeds: poll them, brief each new item once, keep the state beside the outputs.

State lives in ``OUT/feeds.json`` (per feed: ETag, Last-Modified, failures, next poll, items
seen by entry id or link), written atomically after every poll, so a restart never briefs an old
item again. Requests are conditional (304 costs nothing), and a failing feed backs off
(the interval doubled per failure, at most six hours) while the others go on.

A feed is data from someone else: its items' links are resolved against the feed's URL, lose any
user name and password, may only lead to public addresses (unless the user allows private ones),
and at most `max_items` of them, newest first, are taken per poll. Feeds are named in the state by
their URL without its password.
"""

from __future__ import annotations

import json
import math
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from ..errors import InputError, NewsbriefError
from ..files import write_atomic
from .web import get, is_url, private_address, redact_url, without_userinfo

STATE_NAME = "feeds.json"
MAX_BACKOFF_SECONDS = 6 * 3600
FEED_MAX_BYTES = 10 * 1024 * 1024
MAX_ITEMS = 50  # per feed and poll, newest first: a feed of 10,000 items is not 10,000 requests


@dataclass
class FeedState:
    etag: str | None = None
    modified: str | None = None
    failures: int = 0
    next_poll: float = 0.0
    seen: dict[str, str] = field(default_factory=dict)  # entry id (or link) -> link

    @classmethod
    def from_saved(cls, values: object) -> FeedState:
        """A saved state, each field taken only when it has its type (a hand-edited or damaged
        feeds.json: `seen` as a string, `etag: 5`): a wrong field is as if never saved."""
        if not isinstance(values, dict):
            return cls()
        state = cls()
        for name, kind in (("etag", str), ("modified", str)):
            if isinstance(values.get(name), kind):
                setattr(state, name, values[name])
        if isinstance(values.get("failures"), int) and not isinstance(values.get("failures"), bool):
            state.failures = max(0, min(values["failures"], 64))
        if isinstance(values.get("next_poll"), int | float) and math.isfinite(values["next_poll"]):
            state.next_poll = float(values["next_poll"])
        seen = values.get("seen")
        if isinstance(seen, dict):
            state.seen = {k: v for k, v in seen.items() if isinstance(k, str) and isinstance(v, str)}
        return state


class FeedPoller:
    def __init__(self, feeds: list[str], out: Path, *, interval: float, allow_private: bool = False,
                 max_items: int = MAX_ITEMS) -> None:
        for feed in feeds:
            if not is_url(feed):
                raise InputError(redact_url(feed), "not an http or https feed URL")
        self.feeds = list(dict.fromkeys(feeds))
        self.path = Path(out) / STATE_NAME
        self.interval = interval
        self.allow_private = allow_private
        self.max_items = max_items
        self.left: dict[str, int] = {}  # items a poll did not take (beyond max_items), per feed
        self.state = {feed: FeedState() for feed in self.feeds}
        try:
            saved = json.loads(self.path.read_text(encoding="utf-8")).get("feeds", {})
            by_name = {redact_url(feed): feed for feed in self.feeds}
            for name, values in saved.items():
                if name in by_name:
                    self.state[by_name[name]] = FeedState.from_saved(values)
        except (OSError, ValueError, AttributeError, TypeError):
            pass  # no state yet (or unreadable): every item is new once

    def save(self) -> None:
        feeds = {redact_url(f): asdict(s) for f, s in self.state.items()}
        write_atomic(self.path, json.dumps({"version": 1, "feeds": feeds}, ensure_ascii=False, indent=1) + "\n")

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
            elif not response.body.strip():
                raise InputError(redact_url(feed), "empty response (no feed)")
            else:
                parsed = feedparser.parse(response.body)
                if parsed.bozo and not any(entry.get("link") for entry in parsed.entries):
                    raise InputError(feed, f"not a readable feed ({type(parsed.bozo_exception).__name__})")
                state.etag, state.modified = response.headers.get("etag"), response.headers.get("last-modified")
                items, taken = [], set()
                for entry in parsed.entries:
                    # /news/1.html and //host/1.html are relative to the feed; credentials are dropped.
                    link = without_userinfo(urljoin(response.url or feed, (entry.get("link") or "").strip()))
                    key = str(entry.get("id") or link)
                    key = without_userinfo(key) if is_url(key) else key  # an id may carry them too
                    if is_url(link) and key not in state.seen and key not in taken:
                        items.append((key, link))
                        taken.add(key)
                # Newest first (feeds list them so; a dated feed is sorted), at most max_items a poll.
                self.left[feed] = max(0, len(items) - self.max_items)
                items = items[:self.max_items]
        except InputError:
            state.failures += 1
            state.next_poll = now + min(self.interval * 2 ** state.failures, MAX_BACKOFF_SECONDS)
            raise
        state.failures = 0
        state.next_poll = now + self.interval
        return items

    def mark_seen(self, feed: str, key: str, link: str) -> None:
        self.state[feed].seen[key] = link

    def refused(self, link: str) -> str | None:
        """Why an item's link is not fetched: it leads to a private or local address."""
        if self.allow_private:
            return None
        address = private_address(link)
        return f"{link}: refused: a private or local address ({address}); allow with --allow-private" \
            if address else None


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
    allow_private: bool = False,
    max_items: int = MAX_ITEMS,
    on_note: Callable[[str], None] | None = None,
) -> int:
    """Poll `feeds` (every feed once with `once`, else until `stop`), briefing each new item into
    the run's output folder. Returns the number of items briefed."""
    for bad in (f for f in feeds if not is_url(f)):  # one file:/// line in an OPML file stops only itself
        if on_error:
            on_error(f"{redact_url(bad)}: not an http or https feed URL")
    feeds = [f for f in feeds if is_url(f)]
    if not feeds:
        raise InputError("feeds", "no http or https feed to poll")
    poller = FeedPoller(feeds, out, interval=interval, allow_private=allow_private, max_items=max_items)
    stop = stop or threading.Event()
    briefed = 0
    while True:
        now = time.time()
        new: list[tuple[str, str, str]] = []
        for feed in poller.due(now, everything=once):
            try:
                items = poller.poll(feed, now)
            except NewsbriefError as exc:
                if on_error:
                    on_error(str(exc))
                continue
            if poller.left.get(feed) and on_note:
                on_note(f"{redact_url(feed)}: {poller.left[feed]} more item(s) left for the next polls "
                        f"(at most {poller.max_items} a poll)")
            for key, link in items:
                why = poller.refused(link)
                if why is None:
                    new.append((feed, key, link))
                    continue
                poller.mark_seen(feed, key, link)  # refused once, not at every poll
                if on_error:
                    on_error(why)
        links = list(dict.fromkeys(link for _, _, link in new))
        items_of: dict[str, list[tuple[str, str]]] = {}
        for feed, key, link in new:
            items_of.setdefault(link, []).append((feed, key))

        def record(result, done: int, total: int, items_of: dict = items_of) -> None:
            # Each item is recorded as soon as it is briefed (failed ones too: a PDF link is not fetched
            # at every poll), so a run killed halfway never briefs those again.
            for feed, key in items_of.pop(str(result.path), []):
                poller.mark_seen(feed, key, str(result.path))
            poller.save()
            if on_result:
                on_result(result)

        if links:
            report = run.run(links, record)
            briefed += report.count("ok")
        for link, entries in items_of.items():
            for feed, key in entries:
                poller.mark_seen(feed, key, link)
        poller.save()
        next_poll = min((poller.state[f].next_poll for f in poller.feeds), default=time.time() + interval)
        if once or stop.wait(max(1.0, next_poll - time.time())):
            return briefed
