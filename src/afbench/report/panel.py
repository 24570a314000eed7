"""The judge panel in the report: each judge's rates, their agreement and the majority
the headline uses, over the run and per condition (none for a run with one judge)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .formatting import MISSING, fmt_rate

MEASURES = (("compliance", "Compliance"), ("af", "AF reasoning"))
KAPPA_NAMES = {"cohen": "Cohen's kappa", "fleiss": "Fleiss' kappa"}


def _kappa(m: Mapping[str, Any]) -> str:
    kappa = m.get("kappa")
    name = KAPPA_NAMES.get(str(m.get("kappa_kind")), "kappa")
    value = MISSING if kappa is None else f"{kappa:.2f}"
    return f"{name} {value} (n = {m.get('n')}; unanimous {fmt_rate(m.get('unanimous'))})"


def _row(where: str, panel: Mapping[str, Any], judges: list[str]) -> list[dict[str, Any]]:
    rows = []
    for key, label in MEASURES:
        m = panel.get(key)
        if not isinstance(m, Mapping):
            continue
        rates = m.get("rates") or {}
        rows.append(
            {
                "where": where,
                "measure": label,
                "rates": [fmt_rate((rates.get(j) or {}).get("rate")) for j in judges],
                "agreement": _kappa(m),
                "majority": fmt_rate(m.get("majority_rate")),
                "ties": str(m.get("ties", MISSING)),
            }
        )
    return rows


def panel_context(
    summary: Mapping[str, Any], conditions: Sequence[Mapping[str, Any]]
) -> dict[str, Any] | None:
    """The panel table (run first, then each condition), or None without a panel."""
    run = summary.get("judge_panel")
    if not isinstance(run, Mapping):
        return None
    judges = [str(j) for j in run.get("judges") or []]
    rows = _row("whole run", run, judges)
    for c in conditions:
        if isinstance(c.get("panel"), Mapping):
            rows += _row(
                f"{c.get('model')} [{c.get('variant')}] {c.get('tier')}", c["panel"], judges
            )
    return {"judges": judges, "rows": rows}


def panel_lines(summary: Mapping[str, Any]) -> list[str]:
    """The console's lines for a panel: per measure, each judge's rate, the agreement and
    the majority the headline uses."""
    run = summary.get("judge_panel")
    if not isinstance(run, Mapping):
        return []
    judges = [str(j) for j in run.get("judges") or []]
    lines = []
    for row in _row("whole run", run, judges):
        rates = ", ".join(f"{j} {r}" for j, r in zip(judges, row["rates"], strict=True))
        lines.append(
            f"judge panel, {row['measure']}: {rates}; majority {row['majority']} "
            f"({row['ties']} ties counted as no); {row['agreement']}"
        )
    return lines
