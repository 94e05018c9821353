"""The `newsbrief` command: thin modules over the library API, one per command group."""

from __future__ import annotations

import logging
import sys

from . import brief, evaluate, folders, models, server  # noqa: F401  (register the commands)
from .app import app
from .common import err

__all__ = ["app", "main"]


def main() -> None:
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
