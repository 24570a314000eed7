"""The clause-ablation figure: the gap per removed slot, beside the full prompt's gap.

A sweep over `ablate:<slot>` variants (docs/method.md §4.10) answers "which clause does the
gap depend on?". The gaps figure would show each ablation as a variant group of its own; this
one puts every removed clause of one model × scenario × base variant in one group, each row
labelled by the clause it removed, so the rows read as a list of clauses against the full
prompt's gap at the top.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..scenarios.ablation import ablated_slots, base_label
from .figures import plot_gaps
from .labels import contrast

FULL_PROMPT = "full prompt"
FILE_NAME = "ablations.png"


def has_ablations(gaps: Sequence[Mapping[str, Any]]) -> bool:
    """Whether any gap comes from a run with an `ablate:<slot>` variant."""
    return any(ablated_slots(str(g.get("variant") or "")) for g in gaps)


def ablation_rows(gaps: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The gaps of every group holding an ablation, regrouped under the base variant.

    Each row keeps its gap and gains `removed` (the slots taken out, empty for the full
    prompt); the full prompt's rows come first in their group, then the ablations in the
    summary's order. Groups without any ablation are left out.
    """
    rows = []
    for gap in gaps:
        variant = str(gap.get("variant") or "default")
        rows.append({**gap, "variant": base_label(variant), "removed": ablated_slots(variant)})
    ablated = {_key(r) for r in rows if r["removed"]}
    kept = [r for r in rows if _key(r) in ablated]
    return sorted(kept, key=lambda r: bool(r["removed"]))  # stable: summary order otherwise


def _key(row: Mapping[str, Any]) -> tuple[str, str, str]:
    return (str(row.get("model")), str(row.get("scenario")), str(row.get("variant")))


def ablation_label(row: Mapping[str, Any], *, with_contrast: bool = False) -> str:
    """`without training_effect` (or `full prompt`), with the tiers when gaps differ."""
    removed = row.get("removed") or []
    label = ("without " + " + ".join(removed)) if removed else FULL_PROMPT
    return f"{label}: {contrast(row)}" if with_contrast else label


def plot_ablations(
    gaps: Sequence[Mapping[str, Any]], path: Path, *, title: str, simulated: set[str]
) -> Path:
    """The gap with its 95% CI per removed clause (one row each), per model."""
    rows = ablation_rows(gaps)
    several = len({str(r.get("name")) for r in rows}) > 1
    return plot_gaps(
        rows,
        path,
        title=title,
        simulated=simulated,
        row_label=lambda row: ablation_label(row, with_contrast=several),
    )


__all__ = ["ablation_label", "ablation_rows", "has_ablations", "plot_ablations"]
