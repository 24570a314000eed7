"""`afbench run` and `afbench sweep`: the experiment, on one or more models."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ..config import RunConfig
from ._common import DISPLAY_DEFAULT, DisplayOption, resume_command, user_errors
from .options import config_values, with_config_options
from .summary_lines import print_result


@with_config_options(RunConfig)
def run(**values: Any) -> None:
    """Run the experiment on every model (both tiers, same requests), score, summarise, report."""
    from ..runner import run_experiment

    with user_errors():
        config = RunConfig.model_validate(config_values(RunConfig, values))
        if config.dry_run:
            from ..dry_run import estimate_run, render

            typer.echo("\n".join(render(estimate_run(config), "afbench run")))
            return
        info = run_experiment(config)
    _finish(info)


def sweep(
    file: Annotated[Path, typer.Argument(help="A sweep YAML file.")],
    out: Annotated[
        Path | None, typer.Option(help="Run folder (default: the file's `out`, or `runs/<name>`).")
    ] = None,
    display: DisplayOption = DISPLAY_DEFAULT,
    no_preflight: Annotated[
        bool,
        typer.Option(
            "--no-preflight",
            help="Skip the one short request to each model and judge before the sweep.",
        ),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Render every combination and print requests, tokens and dollars per "
            "model and judge (best to worst case); call no model.",
        ),
    ] = False,
    prices: Annotated[
        Path | None,
        typer.Option(help="Price table (YAML) over afbench's own.", metavar="FILE"),
    ] = None,
) -> None:
    """Run models × settings × variants × datasets from a YAML file, resumably, into one
    summary and report (with a models × variants table)."""
    from ..sweep import run_sweep

    if dry_run:
        from ..dry_run import estimate_sweep, render

        with user_errors():
            lines = render(estimate_sweep(file, prices), f"afbench sweep {file}")
        typer.echo("\n".join(lines))
        return
    with user_errors():
        info = run_sweep(file, out, display=display, preflight=False if no_preflight else None)
    _finish(info)


def _finish(info: dict[str, Any]) -> None:
    """The result lines, then why the run is not a clean result (failed samples, an
    interruption) and the exit status that says so: 0 clean, 1 too many failures or
    not finished, 130 interrupted."""
    from ..analysis.health import run_verdict
    from ..defaults import DEFAULT_MAX_ERROR_RATE

    print_result(info)
    complete = bool(info.get("complete", True))
    verdict = run_verdict(
        info["summary_data"],
        complete=complete,
        interrupted=bool(info.get("interrupted")),
        max_error_rate=info.get("max_error_rate", DEFAULT_MAX_ERROR_RATE),
    )
    for line in verdict.lines:
        typer.secho(line, err=True, fg=typer.colors.RED if line.startswith("error") else None)
    if not complete:
        typer.secho(f"resume: run the same command again:\n  {resume_command()}", err=True)
    if verdict.exit_code:
        raise typer.Exit(verdict.exit_code)


def register(app: typer.Typer) -> None:
    app.command()(run)
    app.command()(sweep)


__all__ = ["register", "run", "sweep"]
