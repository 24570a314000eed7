"""What `afbench docs generate` and `afbench sets build` share: progress lines, the
usage line, and how an interrupted or aborted generation ends."""

from __future__ import annotations

import inspect
import sys
import time
from collections.abc import Callable
from typing import Annotated, Any

import typer

from ._common import fail, user_errors

#: `--dry-run`, the one option of these commands that is not a setting of the model.
DRY_RUN = inspect.Parameter(
    "dry_run",
    inspect.Parameter.KEYWORD_ONLY,
    default=False,
    annotation=Annotated[
        bool, typer.Option("--dry-run", help="Show the plan and prompts; call no model.")
    ],
)

STAGE_LABELS = {
    "types": "document types",
    "ideas": "ideas",
    "doc": "documents",
    "judge": "fact judge",
}


class Printer:
    """Progress as plain lines on stderr: `documents 120/400`, at most every 2 s per stage
    and always at 0 and at the end (a log file, not a terminal, often reads it)."""

    def __init__(self, interval: float = 2.0) -> None:
        self.interval = interval
        self.last: dict[str, float] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done not in (0, total) and now - self.last.get(stage, 0.0) < self.interval:
            return
        self.last[stage] = now
        label = STAGE_LABELS.get(stage, stage)
        typer.echo(f"{label} {done}/{total}", err=True)


def run_generation(fn: Callable[..., Any], config: Any, *, dry_run: bool) -> Any:
    """`fn(config)` with progress lines; a dry run prints its plan and returns None. Bad
    input exits 2, too many failed calls 1, Ctrl-C 130 (what finished is saved)."""
    from ..finetune.data.engine import GenerationAborted

    with user_errors():
        try:
            result = fn(config, dry_run=dry_run, progress=None if dry_run else Printer())
        except GenerationAborted as exc:
            fail(exc.message, hint=exc.hint, code=1)
        except KeyboardInterrupt:
            typer.echo(
                "interrupted; finished work is saved, re-run the same command to continue.",
                err=True,
            )
            sys.exit(130)
    if dry_run:
        typer.echo(result.dry_run_text)
        return None
    return result


def report(card: dict[str, Any], kept: str, files: str, noun: str) -> None:
    """What a finished generation says: what was kept, the calls and their cost, the
    files, and whether a re-run has failed calls to retry."""
    typer.echo(kept)
    typer.echo(usage_line(card))
    typer.echo(files)
    errors = card["counts"]["errors"]
    if errors:
        typer.echo(f"{errors} {noun} failed; re-run the same command to retry them.")


def usage_line(card: dict[str, Any]) -> str:
    usage, calls = card["usage"], card["calls"]
    cost = usage.get("cost_usd")
    cost_text = (
        f"${cost:,.4f}"
        if cost is not None
        else "cost unknown (pass --price-input/--price-output, $ per 1M tokens)"
    )
    return (
        f"calls: {calls['made']} made, {calls['reused']} reused, {calls['failed']} failed; "
        f"tokens: {usage['input_tokens']:,} in, {usage['output_tokens']:,} out; {cost_text}"
    )


def dropped_text(counts: dict[str, Any]) -> str:
    """`refusal 2, near_duplicate 1`, or `none`."""
    return ", ".join(f"{k} {v}" for k, v in counts["dropped"].items() if v) or "none"
