"""The `newsbrief` command: thin modules over the library API, one per command group."""

from __future__ import annotations

import sys

from . import brief, evaluate, folders, models, server  # noqa: F401  (register the commands)
from .app import app
from .common import err

__all__ = ["app", "main"]


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("newsbrief: interrupted", markup=False)
        sys.exit(130)
