"""`newsbrief server start|stop|status`."""

from __future__ import annotations

import os
import time
from typing import Annotated

import typer

from .app import server_app
from .common import err, fail, settings_for


def _server_line(info: dict) -> str:
    started = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(info["started"]))
    return f"pid {info['pid']}, started {started}, {info['served']} article(s) briefed"


@server_app.command("start")
def server_start(
    idle_minutes: Annotated[float, typer.Option(help="Exit after this many minutes without a request (0: never).")]
    = 60.0,
    foreground: Annotated[bool, typer.Option("--foreground", help="Run in this terminal until Ctrl-C.")] = False,
    restart: Annotated[bool, typer.Option("--restart", help="Stop a running server first.")] = False,
) -> None:
    """Start the pipeline server (in the background unless --foreground).

    It keeps spaCy, jieba and the gazetteer loaded, about 320 MB, and `newsbrief brief` uses it
    whenever it runs the same code, lexicons and settings. The writer model is not kept in it.
    """
    from ..errors import NewsbriefError
    from ..server.client import start_background, status, stop_server
    from ..server.common import expected_fingerprint, lock_holder, socket_path
    from ..server.server import PipelineServer

    settings = settings_for()
    idle = idle_minutes * 60 or None
    info = status(settings)
    if info is not None:
        if not restart and info["fingerprint"] == expected_fingerprint(settings):
            err.print(f"newsbrief server already running ({_server_line(info)})", markup=False)
            return
        stop_server(settings)
    elif (holder := lock_holder(socket_path(settings))) is not None:
        if not restart:  # running, but busy or its socket removed: never a second one beside it
            raise fail(f"a newsbrief server (pid {holder}) runs but does not answer; "
                       "`newsbrief server start --restart` or `newsbrief server stop`")
        stop_server(settings)
    try:
        if foreground:
            server = PipelineServer(settings=settings, idle_timeout=idle)
            server.serve(on_ready=lambda s: err.print(
                f"{time.strftime('%Y-%m-%d %H:%M:%S')} newsbrief server listening on {s.path} "
                f"(pid {os.getpid()}); Ctrl-C stops", markup=False))
            err.print(f"{time.strftime('%Y-%m-%d %H:%M:%S')} newsbrief server stopped after briefing "
                      f"{server.served} article(s)", markup=False)
        else:
            info = start_background(settings, idle_timeout=idle)
            err.print(f"newsbrief server started ({_server_line(info)})", markup=False)
    except NewsbriefError as exc:
        raise fail(str(exc)) from None


@server_app.command("stop")
def server_stop() -> None:
    """Stop the pipeline server."""
    from ..server.client import stop_server

    pid = stop_server(settings_for())
    err.print("no newsbrief server running" if pid is None else f"newsbrief server stopped (pid {pid})",
              markup=False)


@server_app.command("status")
def server_status() -> None:
    """Whether a pipeline server is running, and whether `newsbrief brief` can use it. Exit 1 when none runs."""
    from ..server.client import status
    from ..server.common import expected_fingerprint, lock_holder, socket_path

    settings = settings_for()
    info = status(settings)
    if info is None:
        holder = lock_holder(socket_path(settings))
        if holder is not None:
            typer.echo(f"newsbrief server running (pid {holder}) but not answering: busy, or its socket removed; "
                       "`newsbrief server stop` stops it")
            raise typer.Exit(1)
        typer.echo(f"no newsbrief server running (socket: {socket_path(settings)})")
        raise typer.Exit(1)
    usable = "in use by newsbrief brief" if info["fingerprint"] == expected_fingerprint(settings) else \
        "stale: other code, lexicons or settings, restart it with `newsbrief server start --restart`"
    typer.echo(f"newsbrief server running: {_server_line(info)}; {usable} (socket: {socket_path(settings)})")
