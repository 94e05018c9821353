"""`newsbrief brief`, `schema` and `components`."""

from __future__ import annotations

import io
import json
import os
import sys
import traceback
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

import typer

from ..errors import NewsbriefError
from ..files import write_atomic
from ..sources.web import is_url
from .app import app
from .common import (
    Debug,
    MaxChars,
    MaxMb,
    ModelOption,
    NoSummary,
    OutputFormat,
    err,
    fail,
    load_writer,
    note,
    settings_for,
)

_SUFFIX = {OutputFormat.json: ".json", OutputFormat.md: ".md", OutputFormat.rich: ".txt"}


def render(brief, fmt: OutputFormat, width: int | None = None) -> str:
    from ..output import BriefView, make_console, to_json, to_markdown

    if fmt is OutputFormat.json:
        return to_json(brief)
    if fmt is OutputFormat.md:
        return to_markdown(brief)
    buffer = io.StringIO()
    make_console(file=buffer, width=width or 120, force_terminal=False).print(BriefView(brief))
    return buffer.getvalue()


def output_targets(inputs: list[Path], out: Path | str, fmt: OutputFormat) -> dict[int, Path]:
    """Where each input's brief goes: `out` itself for one input (inside it when it is a folder, or
    named as one with a trailing slash: --out newdir/), else `out/<name><suffix>`, with -2, -3 … when
    two inputs share a name (a/x.txt, b/x.txt)."""
    as_folder = str(out).endswith(("/", os.sep))
    out = Path(out)
    if len(inputs) == 1 and not out.is_dir() and not as_folder:
        return {0: out}
    targets: dict[int, Path] = {}
    taken: set[str] = set()
    for index, path in enumerate(inputs):
        name, n = path.stem or "article", 2
        while name.casefold() in taken:
            name, n = f"{path.stem}-{n}", n + 1
        taken.add(name.casefold())
        targets[index] = out / (name + _SUFFIX[fmt])
    return targets


@app.command()
def brief(
    files: Annotated[list[str], typer.Argument(help="Article files (.txt, .md, .html) or web page URLs.",
                                               show_default=False)],
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.rich,
    out: Annotated[
        str | None,
        typer.Option("--out", "-o", help="Write to this file (one input) or folder (several inputs, or a name "
                                         "ending in /)."),
    ] = None,
    max_mb: MaxMb = 5.0,
    max_chars: MaxChars = None,
    no_summary: NoSummary = False,
    model: ModelOption = None,
    sentences: Annotated[int, typer.Option(help="Key sentences to put into English.")] = 5,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Generate again instead of reusing cached English.")]
    = False,
    use_server: Annotated[
        bool,
        typer.Option("--server/--no-server", help="Use the `newsbrief server` process for the fact sheets "
                     "(NEWSBRIEF_SERVER: auto = use it and start it when missing, use = only if running, off)."),
    ] = True,
    debug: Debug = False,
) -> None:
    """Brief Chinese article files: English title and summary, keywords, figures and entities.

    The fact sheets come from a warm `newsbrief server` process when one runs, which saves over a
    second of start-up per call. With --no-summary and NEWSBRIEF_SERVER unset or "auto", a call
    that finds none starts one in the background for the next call (it exits after 15 idle
    minutes). Exit status: 0 when every file was briefed, 1 when any failed (the others are
    still written).
    """
    from ..api import brief_files
    from ..output import BriefView
    from ..output.terminal import make_console

    settings = settings_for(max_mb, max_chars, server_mode=None if use_server else "off")
    targets = output_targets([Path(urlsplit(f).path if is_url(f) else f) for f in files], out, fmt) \
        if out is not None else {}
    several = len(files) > 1
    written: list[str] = []
    failures = 0
    english_failed = False
    json_items: list[str] = []
    with ModelStatus(err) as status:
        try:
            # The model loads on a thread while the fact sheets are made; the first generation waits.
            writer = load_writer(no_summary, model, settings, sentences=sentences, use_cache=not no_cache,
                                 background=True)
            if writer is not None:
                status.loading = writer.generator
                writer.progress = status.generation
                status.update(f"fact sheets of {len(files)} article{'s' if several else ''} (the model loads "
                              "meanwhile)")
            results = brief_files(files, summary=writer is not None, writer=writer, settings=settings,
                                  on_note=note, helper=True)
            for index, result in enumerate(results):
                if result.brief is None:
                    failures += 1
                    status.print(f"newsbrief: error: {result.error}")
                    continue
                if result.english_error and not english_failed:  # the fact sheets are still written below
                    english_failed = True
                    failures += 1
                    status.print(f"newsbrief: error: the English could not be written: {result.english_error}")
                if out is not None:
                    target = targets[index]
                    try:
                        write_atomic(target, render(result.brief, fmt))
                    except NewsbriefError as exc:  # this output is lost, the others are still written
                        failures += 1
                        status.print(f"newsbrief: error: {exc}")
                        continue
                    written.append(str(target))
                    status.print(f"wrote {target}")
                elif fmt is OutputFormat.rich:
                    status.stop()
                    make_console().print(BriefView(result.brief))
                    written.append(result.path)
                elif fmt is OutputFormat.json and several:
                    json_items.append(render(result.brief, fmt))
                else:
                    sys.stdout.write(render(result.brief, fmt))
                    written.append(result.path)
        except NewsbriefError as exc:  # the model or the pipeline itself could not be loaded
            if debug:
                traceback.print_exc()
            raise fail(str(exc)) from None
        except KeyboardInterrupt:
            status.stop()
            kept = f"kept the {len(written)} brief{'s' if len(written) != 1 else ''} already written" + (
                f" ({', '.join(written[:3])}{' …' if len(written) > 3 else ''})" if written else "")
            raise fail(f"interrupted: {kept}; nothing else was written", code=130) from None
    if json_items:
        sys.stdout.write("[\n" + ",\n".join(item.rstrip("\n") for item in json_items) + "\n]\n")
    if failures:
        raise typer.Exit(1)


class ModelStatus:
    """What the command is doing while the model loads and writes: a rich status line on a terminal,
    plain lines (one per phase) otherwise."""

    def __init__(self, console) -> None:
        self.console = console
        self.live = console.is_terminal
        self._status = None
        self._said: set[str] = set()
        self.loading = None  # a generator loading in the background, waited for at the first generation

    def __enter__(self) -> ModelStatus:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def update(self, message: str, *, plain: bool = True) -> None:
        if self.live:
            if self._status is None:
                self._status = self.console.status(message)
                self._status.start()
            else:
                self._status.update(message)
        elif plain and message.split(" (")[0] not in self._said:
            self._said.add(message.split(" (")[0])
            self.console.print(f"newsbrief: {message}", markup=False)

    def generation(self, what: str, done: int, total: int) -> None:
        """The writer's progress: `what` (writing, retrying), pieces done of total. The first call
        waits for the model that loads in the background (and raises its error)."""
        if self.loading is not None and hasattr(self.loading, "wait"):
            generator, self.loading = self.loading, None
            self.update(f"loading the model {generator.label} (the first load of a session takes longest)",
                        plain=False)  # without a terminal, said once it worked
            seconds = generator.wait()
            self.update(f"loaded the model {generator.label} in {seconds:.0f} s")
        if self.live:
            self.update(f"{what} English: {done}/{total} pieces")
        else:
            self.update(f"{what} English ({total} pieces)")

    def print(self, message: str) -> None:
        self.console.print(message, markup=False)

    def stop(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None
            self.live = False  # once the output has started, no status line over it


@app.command()
def schema() -> None:
    """Print the JSON Schema of a brief."""
    from ..output import schema_json

    sys.stdout.write(schema_json())


@app.command()
def components() -> None:
    """List the registered pipeline components."""
    from ..nlp import Pipeline  # noqa: F401  (registers the built-in components)
    from ..registry import registered

    typer.echo(json.dumps(registered()))
