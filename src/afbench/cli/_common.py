"""What every afbench command shares: the one way an error reaches the user, `key=value`
parsing, and the options that mean the same thing in every command (`--out`, `--display`,
`--votes`, `--judge`).

A command never prints a traceback for a mistake the user can fix: it raises an
`AfbenchError` (or pydantic's `ValidationError` for a bad option value) and `fail` turns
it into `error: <what>` and `hint: <what to do>` on stderr and exit status 2.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from ..defaults import DEFAULT_DISPLAY, DEFAULT_JUDGE, DEFAULT_VOTES
from ..errors import AfbenchError, RunInterrupted

#: Exit status for a usage or input error (as click uses for a bad option).
USAGE_ERROR = 2


def fail(message: str, *, hint: str | None = None, code: int = USAGE_ERROR) -> NoReturn:
    """Print `error: ...` (and `hint: ...`) on stderr and exit."""
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    if hint:
        typer.secho(f"hint: {hint}", err=True)
    raise typer.Exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn afbench's errors and pydantic's validation errors into `fail`: the one place a
    command's errors become what the user reads."""
    from pydantic import ValidationError

    try:
        yield
    except RunInterrupted as exc:
        fail(exc.message, hint=f"{exc.hint}:\n  {resume_command()}", code=exc.exit_code)
    except AfbenchError as exc:
        fail(exc.message, hint=exc.hint or None, code=exc.exit_code)
    except ValidationError as exc:
        fail(validation_message(exc))


def resume_command() -> str:
    """The command line this process was started with, to run again (it resumes): as
    typed for `afbench ...` and `python -m afbench.cli ...`; inside a test runner, where
    the process is not afbench, the command's own words."""
    import os
    import shlex
    import sys

    import click

    argv0 = sys.argv[0] if sys.argv else ""
    if os.path.basename(argv0) == "afbench":
        return shlex.join([argv0, *sys.argv[1:]])
    if argv0.endswith(os.path.join("afbench", "cli", "__main__.py")):
        return shlex.join([sys.executable, "-m", "afbench.cli", *sys.argv[1:]])
    ctx = click.get_current_context(silent=True)
    command = ctx.command_path.split(" ", 1)[-1] if ctx is not None else "run"
    return f"afbench {command} ... (the same options)"


def validation_message(exc: Any) -> str:
    """pydantic's errors as the options the user typed: `--max-tokens: ...`."""
    parts = []
    for err in exc.errors():
        msg = str(err["msg"]).removeprefix("Value error, ")
        loc = ".".join(str(x) for x in err["loc"])
        parts.append(f"--{loc.replace('_', '-')}: {msg}" if loc else msg)
    return "; ".join(parts)


def parse_kv(items: list[str] | None, option: str) -> dict[str, Any]:
    """`key=value` pairs; values read as YAML scalars (numbers, booleans) like Inspect's -M."""
    import yaml

    out: dict[str, Any] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            fail(f"{option} expects key=value, got '{item}'")
        try:
            out[key.strip()] = yaml.safe_load(value) if value.strip() else ""
        except yaml.YAMLError:
            out[key.strip()] = value
    return out


def parse_votes(value: str) -> int | str:
    """`--votes`: a number, or `full` (every vote, no sequential stopping)."""
    return int(value) if value.strip().isdigit() else value.strip()


def run_folder(positional: Path | None, option: Path | None, default: Path | None = None) -> Path:
    """The run folder of a command that reads one: `--out DIR` (as every command names it),
    or the folder given positionally (kept for earlier scripts)."""
    if positional is not None and option is not None and positional != option:
        fail(f"two run folders given: {positional} and --out {option}; give one")
    folder = option or positional or default
    if folder is None:
        fail("which run folder? give --out DIR")
    return folder


def run_root(folder: Path) -> Path:
    """A run folder given as itself or as its `logs/` folder (where `inspect view` and a
    file browser lead): the run folder either way."""
    from ..defaults import RUN_MANIFEST

    if folder.name == "logs" and not (folder / RUN_MANIFEST).is_file():
        parent = folder.resolve().parent
        if (parent / RUN_MANIFEST).is_file() or any(folder.glob("*.eval")):
            return parent
    return folder


# Options that mean the same thing in every command that takes them.
OutOption = Annotated[Path, typer.Option("--out", help="Run folder (logs, summary, report).")]
DisplayOption = Annotated[
    str, typer.Option("--display", help="Inspect display: plain, rich, full, none.")
]
JudgeOption = Annotated[
    str, typer.Option("--judge", help="Judge model for every classifier, or 'offline'.")
]
VotesOption = Annotated[
    str,
    typer.Option("--votes", help="AF judge votes per scratchpad (sequential voting), or 'full'."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]

DISPLAY_DEFAULT = DEFAULT_DISPLAY
JUDGE_DEFAULT = DEFAULT_JUDGE
VOTES_DEFAULT = str(DEFAULT_VOTES)
