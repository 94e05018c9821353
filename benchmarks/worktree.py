"""A git revision checked out beside this checkout, for the benchmarks and scripts that measure against a
baseline commit."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def revision_tree(rev: str, path: Path) -> Iterator[Path]:
    """`rev` checked out (detached) at `path`, and the worktree removed again afterwards. Raises
    CalledProcessError, with git's message in `stderr`, when git cannot check it out."""
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(path), rev], check=True,
                   capture_output=True, text=True)
    try:
        yield path
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(path)], capture_output=True,
                       check=False)
