"""What every command shares: one-line errors, consoles with the theme, option types, settings."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..errors import NewsbriefError
from ..output.terminal import make_console
from ..settings import Settings, SettingsError, max_bytes_from_mb

err = make_console(stderr=True, soft_wrap=True)

ModelOption = Annotated[str | None, typer.Option(help="Registry name, model folder, .gguf file or Hub id.")]
NoSummary = Annotated[bool, typer.Option("--no-summary", help="Fact sheets only: skip the model.")]
OutFolder = Annotated[Path, typer.Option("--out", "-o", help="Output folder.")]
MaxMb = Annotated[float, typer.Option(help="Refuse input files larger than this many MB.")]
MaxChars = Annotated[int | None, typer.Option(help="Refuse articles longer than this many characters after "
                                              "decoding [default: 300000].", show_default=False)]
Debug = Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")]


class OutputFormat(StrEnum):
    rich = "rich"
    json = "json"
    md = "md"


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a one-line error (never markup-interpreted) and return the exit to raise."""
    err.print(f"newsbrief: error: {message}", markup=False)
    return typer.Exit(code)


def note(message: str) -> None:
    err.print(f"newsbrief: note: {message}", markup=False)


def settings_for(max_mb: float | None = None, max_chars: int | None = None, **overrides) -> Settings:
    """The environment's settings with the command's options applied; bad values are one line."""
    try:
        max_bytes = max_bytes_from_mb(max_mb) if max_mb is not None else None
        if max_chars is not None and max_chars <= 0:
            raise SettingsError(f"--max-chars {max_chars}: must be more than 0")
        return Settings.from_env(max_bytes=max_bytes, max_chars=max_chars, **overrides)
    except NewsbriefError as exc:
        raise fail(str(exc)) from None


def load_writer(no_summary: bool, model: str | None, settings: Settings, **options):
    """The writer for a command, or None with --no-summary; loaded once per run."""
    if no_summary:
        return None
    from ..writer import default_writer

    return default_writer(model, settings=settings, **options)
