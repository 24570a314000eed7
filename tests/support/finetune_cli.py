"""Invoking the fine-tuning commands (`train`, `docs`, `sets`) as a user would, in-process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from typer.testing import CliRunner

from afbench.cli.train import train


def train_app() -> typer.Typer:
    app = typer.Typer()
    app.command()(train)
    return app


def run_train(*args: str) -> Any:
    """`afbench train ARGS`; an unexpected exception is raised, not hidden in the result."""
    result = CliRunner().invoke(train_app(), list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def train_args(data: Path, base: Path | str, out: Path, *extra: str) -> list[str]:
    """`--data DATA --base BASE --out OUT EXTRA...`."""
    return ["--data", str(data), "--base", str(base), "--out", str(out), *extra]


def sub_app(app: typer.Typer, name: str) -> typer.Typer:
    """A root app with `app` mounted as `name`, as `afbench` mounts `docs` and `sets`."""
    root = typer.Typer()
    root.add_typer(app, name=name)
    return root


def invoke(app: typer.Typer, *args: str) -> Any:
    return CliRunner().invoke(app, list(args))
