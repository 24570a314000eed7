"""Whether a finished run is a result: the exit status a run command ends with, and the
lines that say why.

Why: a run whose every sample failed (a dead server, a wrong model name) used to end
with exit status 0 and a summary of "n/a" gaps, which a script or a tired person reads
as success. A run is now a failure when any condition has no finished sample but failed
ones, or when failed samples pass `--max-error-rate` of the samples; an interrupted run
is named as such, with how far it got.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Exit statuses: a run with too many failures or not finished, and one stopped by Ctrl-C.
FAILED = 1
INTERRUPTED = 130
#: Error groups listed on the console (the summary keeps them all).
SHOWN_GROUPS = 5


@dataclass
class Verdict:
    exit_code: int = 0
    lines: list[str] = field(default_factory=list)


def run_verdict(
    summary: dict[str, Any], *, complete: bool, interrupted: bool, max_error_rate: float
) -> Verdict:
    """The exit status and the lines explaining it (none for a clean, complete run)."""
    verdict = Verdict()
    conditions = summary.get("conditions") or []
    done = sum(int(c.get("n") or 0) + int(c.get("errors") or 0) for c in conditions)
    failed = sum(int(c.get("errors") or 0) for c in conditions)
    for c in conditions:
        if c.get("errors") and not c.get("n"):
            verdict.lines.append(
                f"error: all {c['errors']} samples of {c['model']} [{c['variant']}] "
                f"{c['tier']} failed"
            )
    if done and failed / done > max_error_rate:
        verdict.lines.append(
            f"error: {failed} of {done} samples failed ({100 * failed / done:.1f}%), "
            f"more than --max-error-rate {100 * max_error_rate:g}%"
        )
    if verdict.lines:
        verdict.exit_code = FAILED
    if failed:
        verdict.lines.extend(group_lines(summary.get("error_groups") or []))
    if not complete:
        planned = summary.get("samples_planned", done)
        word = "interrupted" if interrupted else "incomplete"
        verdict.lines.append(
            f"{word}: {done} of {planned} samples finished{_by_condition(conditions)}"
        )
        verdict.exit_code = INTERRUPTED if interrupted else FAILED
    return verdict


def group_lines(groups: list[dict[str, Any]]) -> list[str]:
    """`failed samples by reason:` then `  40 × reason` and an example under each."""
    lines = ["failed samples by reason:"]
    for group in groups[:SHOWN_GROUPS]:
        lines.append(f"  {group['count']} × {group['reason']}")
        if group["example"] and group["example"] != group["reason"]:
            lines.append(f"      e.g. {group['example'][:200]}")
    if len(groups) > SHOWN_GROUPS:
        lines.append(f"  ... {len(groups) - SHOWN_GROUPS} more reasons in summary.json")
    return lines


def _by_condition(conditions: list[dict[str, Any]]) -> str:
    """` (sim/faker free 41/100, paid 40/100)` when the counts per condition are known."""
    parts = [
        f"{c['model']} [{c['variant']}] {c['tier']} {c['samples_done']}/{c['samples_planned']}"
        for c in conditions
        if "samples_planned" in c
    ]
    return f" ({'; '.join(parts)})" if parts and len(parts) <= 8 else ""
