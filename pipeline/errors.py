"""Errors a user can act on. Each renders as one line naming the file."""

from __future__ import annotations

from pathlib import Path


class NewsbriefError(Exception):
    """Base class for errors shown to the user as a single line."""


class InputError(NewsbriefError):
    """An input file that cannot be briefed, with the reason why."""

    def __init__(self, path: str | Path | None, reason: str) -> None:
        self.path = str(path) if path is not None else "<text>"
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class OutputError(NewsbriefError):
    """An output that cannot be written where the user asked, with the reason why."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


def first_line(exc: BaseException) -> str:
    """A library's exception in one line: its first line of text, else its type's name."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def os_reason(exc: OSError) -> str:
    """An OSError in a few words, naming the other path involved when it is not the one reported."""
    reason = exc.strerror or type(exc).__name__
    return f"{reason}: {exc.filename}" if exc.filename else reason


class ResourceError(NewsbriefError):
    """A project resource (lexicon, gazetteer, model) is missing or broken."""
