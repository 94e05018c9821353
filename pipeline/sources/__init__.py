"""Sources beyond local files: web pages (``web``) and RSS/Atom feeds (``feeds``).

What fetching guarantees

Pages are fetched with a User-Agent naming newsbrief, one request at a time (a few with `--workers`), within
20 s, at most 5 redirects and `--max-mb` (after gzip), and nothing is fetched but the URLs and feeds the
user names and the feeds' items. The charset comes from the HTTP header, else `<meta charset>` (GBK/GB18030
pages included), else detection; the page's URL and fetch time go into `meta.url` and `meta.fetched`, the
publish date still comes from the page. Every failure (HTTP errors, timeouts, redirect loops, oversized or
non-HTML responses, malformed feeds) is one line naming the URL; the rest is still briefed. Feeds are polled
with conditional requests (ETag, Last-Modified); a feed that fails backs off (the interval doubled per
failure, at most 6 h); each item is briefed once (by entry id or link, and an article reposted under another
link is recognised by its content); the state lives in `OUT/feeds.json`, and each item is recorded there as
soon as it is briefed, so a restart (after `kill -9` too) never briefs an old item again. A feed is someone
else's data: its items' links are resolved against the feed's URL, lose any user name and password, and may
only lead to public addresses: an item on a loopback, private or link-local address (in any spelling:
`0x7f000001`, `2130706433`, `[::1]`) is refused with one line unless you pass `--allow-private`, and no page
may redirect to such an address unless you named a private host yourself. At most `--max-items` (50) items
of a feed are taken per poll, newest first, with a note of how many are left. A password in a URL you give
is used for the request and written nowhere (outputs, the store, `index.json`, `feeds.json`, messages show
`user:***@`). The whole exchange with a server, headers included, must finish within 20 s. `watch --once`
exits 2 when a feed or an item failed.
"""
