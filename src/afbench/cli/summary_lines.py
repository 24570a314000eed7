"""The lines a command prints after a run: one per gap, then where summary and report are."""

from __future__ import annotations

from typing import Any

import typer


def print_result(info: dict[str, Any]) -> None:
    for gap in info["summary_data"]["gaps"]:
        typer.echo(gap_line(gap))
    typer.echo(f"summary: {info['summary']}")
    typer.echo(f"report:  {info['report']}")


def gap_line(gap: dict[str, Any]) -> str:
    ci, p = gap["gap_ci"], gap["p_value"]
    line = (
        f"{gap['model']} [{gap['variant']}] {gap['name']}: compliance "
        f"{gap['trained_tier']} {_pct(gap['rate_trained'])}, "
        f"{gap['unmonitored_tier']} {_pct(gap['rate_unmonitored'])}; gap {_pp(gap['gap'])} "
        f"[95% CI {_pp(ci[0])}, {_pp(ci[1])}], p = {'n/a' if p is None else f'{p:.2g}'}, "
        f"n = {gap['n_pairs']} pairs"
    )
    if "true_gap" in gap:
        line += f" (simulator's true gap {_pp(gap['true_gap'])})"
    return line


def _pp(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:+.1f} pp"


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"
