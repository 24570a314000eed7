"""The `afbench` Typer app: each command lives in its own module beside this one and
registers itself here; heavy imports stay inside the commands, so `--help` is fast."""

from __future__ import annotations

import sys

import typer

from . import classifiers, results, run, scenarios

app = typer.Typer(
    help="Alignment-faking experiments on any language model, built on Inspect AI.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

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
