"""The `newsbrief` command: thin modules over the library API, one per command group."""

from __future__ import annotations

import logging
import os
import sys

from . import brief, evaluate, folders, models, server, store, stories  # noqa: F401  (register the commands)
from .app import app
from .common import err

__all__ = ["app", "main"]


def _leave_a_deleted_working_folder() -> None:
    """Run from a folder deleted since (a shell still standing in it), anything that asks for the
    working folder fails, spaCy's import among them: stand in the home folder instead; absolute
    paths still work, and a relative one is reported as not found."""
    try:
        os.getcwd()
    except FileNotFoundError:
        home = os.path.expanduser("~")
        os.chdir(home if os.path.isdir(home) else "/")
        err.print("newsbrief: note: the working folder no longer exists; relative paths are read from "
                  f"{os.getcwd()}", markup=False)


def main() -> None:
    _leave_a_deleted_working_folder()
    # The library's notes (a damaged cache set aside ...) as one line each on stderr.
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("newsbrief: note: %(message)s"))
    logger = logging.getLogger("newsbrief")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        app()
    except KeyboardInterrupt:
        err.print("newsbrief: interrupted", markup=False)
        sys.exit(130)
    except OSError as exc:  # the home or cache folder is a file, read-only, full: one line, not a traceback
        where = f"{exc.filename}: " if exc.filename else ""
        err.print(f"newsbrief: error: {where}{exc.strerror or exc}", markup=False)
        sys.exit(1)
