"""The lines a command prints after a run: one per gap, then where summary and report are."""

from __future__ import annotations

from typing import Any

import typer

from ..report.labels import af_source_note
from ..report.measurement import measurement_warnings
from ..report.motivations import why_warning_lines
from ..report.panel import panel_lines
from ..report.routes import mixed_route_lines


def print_result(info: dict[str, Any]) -> None:
    partial = partial_label(info["summary_data"])
    for gap in info["summary_data"]["gaps"]:
        typer.echo(f"{partial}: {gap_line(gap)}" if partial else gap_line(gap))
    for line in af_warning_lines(info["summary_data"]["conditions"]):
        typer.echo(line)
    for line in af_source_lines(info["summary_data"]["conditions"]):
        typer.echo(line)
    for line in measurement_lines(info["summary_data"]):
        typer.echo(line)
    for line in panel_lines(info["summary_data"]):
        typer.echo(line)
    for line in mixed_route_lines(info["summary_data"]["conditions"]):
        typer.echo(f"warning: {line}")
    for line in why_warning_lines(info["summary_data"]["conditions"]):
        typer.echo(f"warning: {line}")
    typer.echo(f"summary: {info['summary']}")
    typer.echo(f"report:  {info['report']}")


def partial_label(summary: dict[str, Any]) -> str:
    """`partial (41 of 200 samples)` for a run that did not finish, else ""."""
    if summary.get("complete", True):
        return ""
    return f"partial ({summary.get('samples_done')} of {summary.get('samples_planned')} samples)"


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


def af_warning_lines(conditions: list[dict[str, Any]]) -> list[str]:
    """A warning per condition whose AF rate was not measured because the classifier left
    most of its samples unscored (the rate is then missing, never 0%)."""
    return [
        f"warning: {c['model']} [{c['variant']}] {c['tier']}: AF rate {c['af_status']}"
        for c in conditions
        if str(c.get("af_status") or "").startswith("not measured") and c.get("af_unscored")
    ]


def af_source_lines(conditions: list[dict[str, Any]]) -> list[str]:
    """A note per condition whose AF verdicts read native reasoning, or whose native
    reasoning was redacted; nothing for runs that only read scratchpads."""
    lines = []
    for c in conditions:
        note = af_source_note(c)
        if note:
            lines.append(f"note: {c['model']} [{c['variant']}] {c['tier']}: {note}")
    return lines


def measurement_lines(summary: dict[str, Any]) -> list[str]:
    """Warnings for compliance not measured (or partly) and for replies that left the
    reasoning dialect the prompt asked for."""
    return [f"warning: {w}" for w in measurement_warnings(summary)]


def _pp(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:+.1f} pp"


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"
