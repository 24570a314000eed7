"""`afbench run` and `afbench sweep`: the experiment, on one or more models."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ..config import RunConfig
from ._common import DISPLAY_DEFAULT, DisplayOption, user_errors
from .options import config_values, with_config_options
from .summary_lines import print_result


@with_config_options(RunConfig)
def run(**values: Any) -> None:
    """Run the experiment on every model (both tiers, same requests), score, summarise, report."""
    from ..runner import run_experiment

    with user_errors():
        config = RunConfig.model_validate(config_values(RunConfig, values))
        info = run_experiment(config)
    _finish(info)


def sweep(
    file: Annotated[Path, typer.Argument(help="A sweep YAML file.")],
    out: Annotated[
        Path | None, typer.Option(help="Run folder (default: the file's `out`, or runs/<name>).")
    ] = None,
    display: DisplayOption = DISPLAY_DEFAULT,
) -> None:
    """Run models × settings × variants × datasets from a YAML file, resumably, into one
    summary and report (with a models × variants table)."""
    from ..sweep import run_sweep

    with user_errors():
        info = run_sweep(file, out, display=display)
    _finish(info)


def _finish(info: dict[str, Any]) -> None:
    print_result(info)
    if not info.get("complete", True):
        typer.secho(
            "warning: some tasks did not complete; re-run the same command to resume.", err=True
        )
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command()(run)
    app.command()(sweep)


__all__ = ["register", "run", "sweep"]
