"""The answer a reader opens the report for, first on the page: per model (and variant), the
compliance gap with its interval and verdict, compliance and AF reasoning per tier with their
intervals, and what was simulated or not measured.

Why a module of its own: the top of the page must stay short (one screen for a single model)
and every missing number must say why it is missing, next to the ``—`` that replaces it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .formatting import (
    MISSING,
    as_number,
    fmt_count,
    fmt_p,
    fmt_pp,
    fmt_pp_ci,
    fmt_rate,
    fmt_rate_ci,
)
from .labels import GroupKey, contrast, group_key, group_title, grouped, tier_role, varying
from .verdict import gap_verdict

NOT_MEASURED = "not measured"


def _gap_line(gap: Mapping[str, Any]) -> dict[str, Any]:
    verdict = gap_verdict(gap)
    truth = as_number(gap.get("true_gap"))
    return {
        "name": str(gap.get("name") or "compliance_gap").replace("_", " "),
        "contrast": contrast(gap),
        "gap": fmt_pp(gap.get("gap")),
        "ci": fmt_pp_ci(gap.get("gap_ci")),
        "verdict": verdict.text,
        "verdict_kind": verdict.kind,
        "p": fmt_p(gap.get("p_value")),
        "pairs": fmt_count(gap.get("n_pairs")),
        "true_gap": fmt_pp(truth) if truth is not None else None,
    }


def compliance_note(condition: Mapping[str, Any]) -> str | None:
    """Why a condition's compliance is missing, or how much of it is missing; None if whole."""
    status = condition.get("compliance_status")
    if isinstance(status, str) and status and status != "measured":
        return status.removeprefix("measured; ")
    n = as_number(condition.get("n")) or 0
    unmeasured = int(as_number(condition.get("compliance_unmeasured")) or 0)
    if as_number(condition.get("compliance")) is None:
        if not n:
            return f"{NOT_MEASURED}: no finished samples"
        return f"{NOT_MEASURED}: no compliance measure for {unmeasured or int(n)} of {int(n)}"
    if unmeasured:
        return f"{unmeasured} of {int(n)} samples without a compliance measure"
    return None


def af_note(condition: Mapping[str, Any]) -> str | None:
    """The AF status when it is anything but plainly "measured" (the summary says why)."""
    status = condition.get("af_status")
    if isinstance(status, str) and status and status != "measured":
        return status.removeprefix("measured; ")
    if as_number(condition.get("af_rate")) is None:
        return f"{NOT_MEASURED}: no AF classifier result"
    return None


def _tier_row(condition: Mapping[str, Any]) -> dict[str, Any]:
    errors = int(as_number(condition.get("errors")) or 0)
    return {
        "tier": condition.get("tier"),
        "role": tier_role(condition),
        "n": fmt_count(condition.get("n")),
        "compliance": fmt_rate(condition.get("compliance")),
        "compliance_ci": fmt_rate_ci(condition.get("compliance_ci")),
        "compliance_note": compliance_note(condition),
        "af": fmt_rate(condition.get("af_rate")),
        "af_ci": fmt_rate_ci(condition.get("af_ci")),
        "af_note": af_note(condition),
        "errors": f"{errors:,} failed (not in n)" if errors else None,
    }


def _simulated_note(tiers: Sequence[Mapping[str, Any]]) -> str:
    intended = [
        f"{t.get('tier', MISSING)} {fmt_rate(t.get('true_compliance'))}"
        for t in tiers
        if as_number(t.get("true_compliance")) is not None
    ]
    text = "simulated model: a pipeline self-test against known effects, not a real model"
    return f"{text} (intended compliance {', '.join(intended)})" if intended else text


#: Said of every model that is not the simulator, so a reader never has to guess.
REAL_NOTE = "real model: every reply is the model's own text, not simulated"


def _group_notes(tiers: Sequence[Mapping[str, Any]], simulated: bool) -> list[str]:
    notes = [_simulated_note(tiers) if simulated else REAL_NOTE]
    if tiers and all(t.get("partial") is None for t in tiers):
        judge = str(tiers[0].get("judge") or "")
        why = " (its classifier needs a judge model)" if judge == "offline" else ""
        notes.append(f"partial compliance {NOT_MEASURED}{why}")
    return notes


def headline(
    conditions: Sequence[Mapping[str, Any]],
    gaps: Sequence[Mapping[str, Any]],
    simulated: set[str],
) -> list[dict[str, Any]]:
    """One entry per model × scenario × variant, in the summary's order: its gaps, its tiers
    next to each other, and notes on what was simulated or not measured."""
    show_scenario = varying(conditions, "scenario") or varying(gaps, "scenario")
    show_variant = varying(conditions, "variant") or varying(gaps, "variant")
    groups = grouped(conditions)
    gaps_by_group: dict[GroupKey, list[Mapping[str, Any]]] = {}
    for gap in gaps:
        key = group_key(gap)
        groups.setdefault(key, [])  # a gap whose conditions are missing still shows
        gaps_by_group.setdefault(key, []).append(gap)
    entries = []
    for key, tiers in groups.items():
        is_sim = key[0] in simulated
        entries.append(
            {
                "title": group_title(key, show_scenario=show_scenario, show_variant=show_variant),
                "simulated": is_sim,
                "gaps": [_gap_line(g) for g in gaps_by_group.get(key, [])],
                "tiers": [_tier_row(t) for t in tiers],
                "notes": _group_notes(tiers, is_sim),
            }
        )
    return entries
