"""The afbench command lines the tests and benches type, written once.

`run_args` builds `afbench run` arguments for the offline judge and a quiet display;
`module_command` turns any arguments into a subprocess command (`python -m afbench.cli`),
for tests that must kill or time a real process.
"""

from __future__ import annotations

import sys
from pathlib import Path


def run_args(
    out: Path,
    *extra: str,
    model: str = "sim/faker",
    limit: int | None = None,
    dataset: Path | str | None = None,
) -> list[str]:
    """`run --model M [--limit N] [--dataset D] --judge offline --out OUT --display none ...`"""
    args = ["run", "--model", model]
    if limit is not None:
        args += ["--limit", str(limit)]
    if dataset is not None:
        args += ["--dataset", str(dataset)]
    return [*args, "--judge", "offline", "--out", str(out), "--display", "none", *extra]


def sweep_args(path: Path, out: Path, *extra: str) -> list[str]:
    return ["sweep", str(path), "--out", str(out), "--display", "none", *extra]


def module_command(*args: str) -> list[str]:
    """The same command as a subprocess of this Python."""
    return [sys.executable, "-m", "afbench.cli", *args]
