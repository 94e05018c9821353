"""Fetching what the user names: pages and feeds over HTTP(S), politely and within bounds.

Only URLs the user gave (or items of feeds the user gave) are fetched: no other request is made.
Every failure is an :class:`~pipeline.errors.InputError` naming the URL in one line.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from ..errors import InputError

FETCH_SECONDS = 20.0  # a whole response, not one read: a server that trickles is cut off
MAX_REDIRECTS = 5
_URL = re.compile(r"https?://[^\s/]+", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE)
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


def is_url(name: str) -> bool:
    return bool(_URL.match(name))


def redact_url(url: str) -> str:
    """The URL without its password (http://user:secret@host/ -> http://user:***@host/): what any
    output, state file or message may say of it."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def without_userinfo(url: str) -> str:
    """A feed item's link without user name or password: credentials are never sent where a feed leads."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def private_address(url: str) -> str | None:
    """The first address the URL's host resolves to that is not on the public internet (loopback,
    private ranges, link-local, reserved; IPv6 too; 0x7f000001 and 2130706433 are 127.0.0.1), else
    None. A host that does not resolve is left to the request to report."""
    host = urlsplit(url).hostname
    if not host:
        return None
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return None
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        mapped = getattr(address, "ipv4_mapped", None)
        if not (mapped or address).is_global:
            return str(address)
    return None


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

    shown = redact_url(url)
    if not is_url(url):
        raise InputError(shown, "not an http or https URL")
    seconds = seconds or FETCH_SECONDS
    deadline = time.monotonic() + seconds
    request_headers = {"User-Agent": user_agent(), "Accept-Encoding": "gzip, deflate", **(headers or {})}
    # A public page may not lead to a private address: a redirect there is refused (the user who names
    # a private host has chosen it; a page on the internet has not).
    private_allowed = private_address(url) is not None

    def check_destination(request) -> None:
        if not private_allowed and (address := private_address(str(request.url))):
            raise InputError(shown, f"refused: a redirect to a private or local address ({address})")

    client = httpx.Client(follow_redirects=True, max_redirects=max_redirects, timeout=seconds,
                          event_hooks={"request": [check_destination]})
    # httpx's timeouts bound each read, not the exchange: a server sending its headers a byte at a
    # time would hold us for minutes. At the deadline the client is closed under the request.
    watchdog = threading.Timer(seconds, client.close)
    watchdog.daemon = True
    watchdog.start()
    try:
        with client, client.stream("GET", url, headers=request_headers) as response:
            if response.status_code >= 400:
                raise InputError(shown, f"HTTP {response.status_code} {response.reason_phrase}".strip())
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise InputError(shown, f"response too large ({int(declared) / 1e6:.1f} MB; the limit is "
                                 f"{max_bytes / 1e6:.1f} MB)")
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    raise InputError(shown, f"response too large (over {max_bytes / 1e6:.1f} MB)")
                if time.monotonic() > deadline:
                    raise InputError(shown, f"no complete answer within {seconds:g} s")
            return Response(redact_url(str(response.url)), response.status_code,
                            {k.lower(): v for k, v in response.headers.items()}, bytes(body))
    except httpx.TooManyRedirects:
        raise InputError(shown, f"more than {max_redirects} redirects") from None
    except (httpx.HTTPError, RuntimeError) as exc:
        if time.monotonic() >= deadline:  # closed by the watchdog
            raise InputError(shown, f"no answer within {seconds:g} s (headers and body)") from None
        if isinstance(exc, RuntimeError):
            raise
        if isinstance(exc, httpx.TimeoutException):
            raise InputError(shown, f"no answer within {seconds:g} s") from None
        raise InputError(shown, f"cannot fetch ({type(exc).__name__}: {redact_url(str(exc))})") from None
    finally:
        watchdog.cancel()



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
        raise InputError(redact_url(url), "empty response")
    if response.content_type and response.content_type not in PAGE_TYPES:
        raise InputError(redact_url(url), f"not a web page ({response.content_type})")
    declared = re.search(r"charset=([\w.:-]+)", response.headers.get("content-type", ""), re.IGNORECASE)
    meta = _META_CHARSET.search(response.body[:4096])
    encoding = declared.group(1) if declared else meta.group(1).decode("ascii") if meta else None
    if encoding:
        encoding = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030"}.get(encoding.lower(), encoding)
        try:
            return Page(response.url, response.body.decode(encoding), encoding, response.body, response.fetched)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration: detect instead
    text, detected = decode_bytes(response.body, redact_url(url))
    return Page(response.url, text, detected, response.body, response.fetched)
