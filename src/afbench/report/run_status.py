"""What the report says first about a run that is not a clean result: that its numbers
are partial (an interrupted run: "partial (41 of 200 samples)"), and which samples
failed, grouped by reason with one example each. The text is model- and provider-side:
the template escapes it like everything else."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Reasons listed in the report (the summary keeps them all).
SHOWN_REASONS = 10


def run_status_context(summary: Mapping[str, Any]) -> dict[str, Any]:
    """`partial_banner`, `failure_line` and `failure_groups` for the template."""
    done, planned = summary.get("samples_done"), summary.get("samples_planned")
    partial = None
    if summary.get("complete") is False:
        partial = (
            f"Partial results ({done} of {planned} samples finished): every number in this "
            "report is partial. Run the same command again to resume the run."
        )
    failed = int(summary.get("samples_failed") or 0)
    groups = list(summary.get("error_groups") or [])
    return {
        "partial_banner": partial,
        "failure_line": f"{failed} of {done} samples failed" if failed and done else None,
        "failure_groups": groups[:SHOWN_REASONS],
    }
