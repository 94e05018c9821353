"""The Typer application and its command groups; command modules register on these."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(
    name="newsbrief",
    help="English briefs and fact sheets from Chinese cross-border e-commerce news.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
model_app = typer.Typer(help="Writer models: list and pull.", no_args_is_help=True)
server_app = typer.Typer(help="A warm pipeline process that makes `newsbrief brief` start fast.", no_args_is_help=True)
eval_app = typer.Typer(help="Score extraction against gold annotations.", no_args_is_help=True)
app.add_typer(model_app, name="model")
app.add_typer(server_app, name="server")
app.add_typer(eval_app, name="eval")


def _version_callback(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"newsbrief {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version_callback, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """newsbrief: English briefs from Chinese news."""
