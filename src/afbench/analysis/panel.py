"""A judge panel in the per-sample table and the summary.

In the table, a sample scored by a panel takes the panel's majority as its `complied` and
`af` (so every rate, gap and figure is the panel's decision) and says so in `decided_by`
(`panel`, or `panel_tie` where the judges split and the tie counted as no). Each judge's
own verdicts stay in `panel_votes`.

The summary gives, per condition and over the whole run, each judge's compliance and AF
rates, their agreement (Cohen's kappa for two judges, Fleiss' for more:
`afbench.analysis.agreement`), the ties, and the majority's rates. Runs without a panel
get none of these keys.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd

from .agreement import panel_agreement

PANEL = "panel"
PANEL_TIE = "panel_tie"


def apply_panel(row: dict[str, Any]) -> None:
    """Make the panel's majority the sample's decision (no change without a panel)."""
    if not isinstance(row.get("panel_votes"), str):
        return
    complied = row.get("panel_complied")
    if complied is not None and not math.isnan(complied):
        row["complied"] = complied
        row["decided_by"] = PANEL_TIE if row.get("panel_complied_tie") else PANEL
    af = row.get("panel_af")
    if af is not None and not math.isnan(af):
        row["af"] = af


def _votes(done: pd.DataFrame) -> list[dict[str, dict[str, float | None]]]:
    out = []
    for cell in done["panel_votes"]:
        try:
            value = json.loads(cell) if isinstance(cell, str) else None
        except ValueError:
            value = None
        out.append(value if isinstance(value, dict) else {})
    return out


def _measure(votes: list[dict[str, Any]], judges: list[str], key: str) -> dict[str, Any] | None:
    rows = [[(v.get(j) or {}).get(key) for j in judges] for v in votes]
    if not any(x is not None for r in rows for x in r):
        return None  # e.g. AF from a classifier that calls no judge
    rates: dict[str, Any] = {}
    for i, judge in enumerate(judges):
        given = [r[i] for r in rows if r[i] is not None]
        rates[judge] = {"rate": sum(given) / len(given) if given else None, "n": len(given)}
    return {"rates": rates, **panel_agreement(rows)}


def panel_fields(done: pd.DataFrame) -> dict[str, Any]:
    """`{"panel": {...}}` for the samples of a condition (or a run) scored by a panel."""
    if "panel_votes" not in done or not done["panel_votes"].notna().any():
        return {}
    scored = done[done["panel_votes"].notna()]
    votes = _votes(scored)
    judges = list(dict.fromkeys(j for v in votes for j in v))
    result: dict[str, Any] = {"judges": judges, "n": len(scored)}
    for name, key in (("compliance", "complied"), ("af", "af")):
        measured = _measure(votes, judges, key)
        if measured is None:
            continue
        column = scored[f"panel_{key}"]
        measured["majority_rate"] = float(column.mean()) if column.notna().any() else None
        measured["ties"] = int((scored[f"panel_{key}_tie"] == True).sum())  # noqa: E712
        result[name] = measured
    return {"panel": result}
