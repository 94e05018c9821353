"""Fetching what the user names: pages and feeds over HTTP(S), politely and within bounds.

Only URLs the user gave (or items of feeds the user gave) are fetched: no other request is made.
Every failure is an :class:`~pipeline.errors.InputError` naming the URL in one line.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import datetime

from ..errors import InputError

FETCH_SECONDS = 20.0  # a whole response, not one read: a server that trickles is cut off
MAX_REDIRECTS = 5
_URL = re.compile(r"https?://[^\s/]+", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE)
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


def is_url(name: str) -> bool:
    return bool(_URL.match(name))


def user_agent() -> str:
    from .. import __version__

    return f"newsbrief/{__version__} (English briefs of Chinese news; fetches only what its user names)"


@dataclass
class Response:
    url: str  # after redirects
    status: int
    headers: dict[str, str]
    body: bytes
    fetched: datetime = field(default_factory=datetime.now)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


def get(url: str, *, max_bytes: int, headers: dict[str, str] | None = None, seconds: float | None = None,
        max_redirects: int = MAX_REDIRECTS) -> Response:
    """GET `url`, following at most `max_redirects` redirects, reading at most `max_bytes` (after
    gzip/deflate decoding) within `seconds` in all. A 304 is returned; other 4xx/5xx are errors."""
    import httpx

    if not is_url(url):
        raise InputError(url, "not an http or https URL")
    seconds = seconds or FETCH_SECONDS
    deadline = time.monotonic() + seconds
    request_headers = {"User-Agent": user_agent(), "Accept-Encoding": "gzip, deflate", **(headers or {})}
    try:
        with httpx.Client(follow_redirects=True, max_redirects=max_redirects, timeout=seconds) as client, \
                client.stream("GET", url, headers=request_headers) as response:
            if response.status_code >= 400:
                raise InputError(url, f"HTTP {response.status_code} {response.reason_phrase}".strip())
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise InputError(url, f"response too large ({int(declared) / 1e6:.1f} MB; the limit is "
                                 f"{max_bytes / 1e6:.1f} MB)")
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    raise InputError(url, f"response too large (over {max_bytes / 1e6:.1f} MB)")
                if time.monotonic() > deadline:
                    raise InputError(url, f"no complete answer within {seconds:g} s")
            return Response(str(response.url), response.status_code,
                            {k.lower(): v for k, v in response.headers.items()}, bytes(body))
    except httpx.TooManyRedirects:
        raise InputError(url, f"more than {max_redirects} redirects") from None
    except httpx.TimeoutException:
        raise InputError(url, f"no answer within {seconds:g} s") from None
    except httpx.HTTPError as exc:
        raise InputError(url, f"cannot fetch ({type(exc).__name__}: {exc})") from None


@dataclass
class Page:
    url: str
    text: str
    encoding: str
    body: bytes
    fetched: datetime


def fetch_page(url: str, *, max_bytes: int, seconds: float | None = None) -> Page:
    """A web page as text: its charset from the HTTP header, else from `<meta charset>`, else detected."""
    from ..ingest import decode_bytes

    response = get(url, max_bytes=max_bytes, seconds=seconds)
    if response.status == 304 or not response.body:
        raise InputError(url, "empty response")
    if response.content_type and response.content_type not in PAGE_TYPES:
        raise InputError(url, f"not a web page ({response.content_type})")
    declared = re.search(r"charset=([\w.:-]+)", response.headers.get("content-type", ""), re.IGNORECASE)
    meta = _META_CHARSET.search(response.body[:4096])
    encoding = declared.group(1) if declared else meta.group(1).decode("ascii") if meta else None
    if encoding:
        encoding = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030"}.get(encoding.lower(), encoding)
        try:
            return Page(response.url, response.body.decode(encoding), encoding, response.body, response.fetched)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration: detect instead
    text, detected = decode_bytes(response.body, url)
    return Page(response.url, text, detected, response.body, response.fetched)
