"""The `afbench` Typer app: each command lives in its own module beside this one and
registers itself here; heavy imports stay inside the commands, so `--help` is fast."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from . import classifiers, results, run, scenarios

app = typer.Typer(
    help="Alignment-faking experiments on any language model, built on Inspect AI.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Docstrings are wrapped at 92 columns in the source; markdown joins their lines, so
    # help reflows to the terminal's width instead of keeping those breaks.
    rich_markup_mode="markdown",
)


def _print_version(value: bool) -> None:
    """`afbench --version`: afbench's version and the Inspect it runs on (read from the
    installed package's metadata, so Inspect itself is not imported)."""
    if not value:
        return
    from importlib.metadata import PackageNotFoundError, version

    from .. import __version__

    try:
        inspect_version = version("inspect_ai")
    except PackageNotFoundError:
        inspect_version = "not installed"
    typer.echo(f"afbench {__version__} (inspect_ai {inspect_version})")
    raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Alignment-faking experiments on any language model, built on Inspect AI."""


for module in (run, results, classifiers, scenarios):
    module.register(app)


def _mount_finetune() -> None:
    """The fine-tuning commands (`docs`, `sets`, `train`); their heavy imports stay inside
    them."""
    from .docs import docs_app
    from .sets import sets_app
    from .train import train

    app.add_typer(docs_app, name="docs")
    app.add_typer(sets_app, name="sets")
    app.command("train")(train)


_mount_finetune()


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted; re-run the same command to resume.", err=True)
        sys.exit(130)
