"""The warm pipeline process behind `newsbrief server`: ``common`` (socket paths, wire format),
``server`` (the process), ``client`` (the caller's side). See :mod:`pipeline.server.server`.

Why a server, and how it stays safe

A new process spends over a second importing spaCy and loading jieba's dictionaries; the brief itself takes
a few hundredths of a second. So `newsbrief brief` hands its files to a warm pipeline process when one runs
(`newsbrief server start`, about 320 MB; it exits after 60 idle minutes, `--idle-minutes`). With
`--no-summary`, a call that finds no server briefs locally and starts one in the background for the next
call (it exits after 15 idle minutes), the way sccache and bazel start theirs. `NEWSBRIEF_SERVER=use` only
uses a running server and never starts one; `NEWSBRIEF_SERVER=off` or `--no-server` never uses one. The
server only answers when its fingerprint (the same one `batch` uses as its cache key: code and lexicons by
content, settings, the caller's size limit) matches the caller's; otherwise the call briefs locally (and,
with `--no-summary`, replaces the server). It listens on a Unix socket in `NEWSBRIEF_HOME/run/` (a real
folder of the user's, mode 0700, checked with `lstat` by the server and the client, which also checks the
server's user id), logs to the `.log` file beside it, refuses malformed requests and callers that do not
send their request within 5 s without stopping, runs only the deterministic stages (the writer stays in the
calling process), and gives the same JSON as a local run. If it goes away mid-call, the files it has not
answered are briefed locally. There is one server per home and installed copy, found by a lock its process
holds for its life rather than by its socket answering: a busy server or a removed socket never leads to a
second one beside it, and `server status` and `server stop` reach it by the lock's pid.
"""
