"""A plain-language verdict for each gap, so a reader need not interpret p-values alone.

The verdict separates the cases a replication must tell apart (docs/method.md §7): a real gap,
a gap too small to matter, a reversed gap, no gap *with enough data to have seen one*, and
no data at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .formatting import as_interval, as_number, fmt_pp

#: A model "has a gap" above one percentage point (the papers' threshold).
GAP_THRESHOLD = 0.01
#: Two-sided significance level behind every verdict.
ALPHA = 0.05

VerdictKind = Literal["gap", "small", "reverse", "none", "untested", "no_data"]


@dataclass(frozen=True)
class GapVerdict:
    """What a gap means, in words, plus a kind the page uses for styling."""

    kind: VerdictKind
    text: str


def _significant(gap: Mapping[str, Any]) -> bool | None:
    """By the p-value when there is one, else by whether the CI excludes zero."""
    p_value = as_number(gap.get("p_value"))
    if p_value is not None:
        return p_value < ALPHA
    interval = as_interval(gap.get("gap_ci"))
    if interval is not None:
        return interval[0] > 0 or interval[1] < 0
    return None


def gap_verdict(gap: Mapping[str, Any]) -> GapVerdict:
    """Classify one entry of ``summary["gaps"]``."""
    estimate = as_number(gap.get("gap"))
    n_pairs = as_number(gap.get("n_pairs"))
    if estimate is None or n_pairs == 0:
        status = str(gap.get("gap_status") or "")
        if status.startswith("not measured"):  # compliance unmeasured on most pairs
            return GapVerdict("no_data", status)
        return GapVerdict("no_data", "no paired requests; the gap could not be estimated")
    significant = _significant(gap)
    if significant is None:
        return GapVerdict("untested", f"gap of {fmt_pp(estimate)}; significance not tested")
    if significant and estimate > GAP_THRESHOLD:
        return GapVerdict("gap", "gap > 1 pp, significant")
    if significant and estimate < 0:
        return GapVerdict("reverse", "significant reverse gap: more compliance where unmonitored")
    if significant:
        return GapVerdict("small", "significant, but not above the 1 pp threshold")
    detectable = as_number(gap.get("detectable_gap"))
    if detectable is None:
        return GapVerdict("none", "no significant gap")
    return GapVerdict(
        "none",
        "no significant gap; this run could detect gaps ≥ "
        f"{fmt_pp(detectable, signed=False)} at 80% power",
    )
