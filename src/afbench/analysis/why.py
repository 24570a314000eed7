"""The "why" classifiers in the summary: per condition, each kind's category rates with
Wilson intervals over the samples a judge answered, its outcomes, the quotes it lost, and,
on the simulator, its agreement with what the simulator wrote (docs/method.md §3.5).

A kind appears only in conditions of runs that used it (`--af-reasons`, `--motivations`),
so summaries of other runs keep their keys. Its rates are None (never 0) when no sample was
judged; `status` says why: the offline judge (there is no honest offline classifier), no
eligible samples, or judge failures.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from ..scorers.why.judge import JUDGE_FAILED, JUDGED, NONE_STATED, UNSUPPORTED
from ..scorers.why.kinds import CATEGORIES
from ..scorers.why.scorer import NOT_ELIGIBLE, NOT_MEASURED
from .stats import wilson_ci

KINDS = tuple(CATEGORIES)
ANSWERED = (JUDGED, NONE_STATED)


def why_fields(done: pd.DataFrame) -> dict[str, Any]:
    """`{"why": {kind: ...}}` for the kinds that ran on these samples; `{}` for none."""
    kinds = {}
    for kind in KINDS:
        column = f"{kind}_outcome"
        if column in done and done[column].notna().any():
            kinds[kind] = kind_summary(done, kind)
    return {"why": kinds} if kinds else {}


def _labels(cell: Any) -> set[str]:
    return {x for x in str(cell).split(",") if x} if isinstance(cell, str) else set()


def kind_summary(done: pd.DataFrame, kind: str) -> dict[str, Any]:
    outcomes = done[f"{kind}_outcome"].dropna().astype(str)
    counts = {str(k): int(v) for k, v in outcomes.value_counts().items()}
    answered = done[done[f"{kind}_outcome"].isin(ANSWERED)]
    n = len(answered)
    labels = answered[kind].map(_labels) if n else pd.Series([], dtype=object)
    hits = {c: int(sum(c in s for s in labels)) for c in CATEGORIES[kind]}
    dropped = pd.to_numeric(done.get(f"{kind}_dropped"), errors="coerce")
    out: dict[str, Any] = {
        "status": _status(counts, n),
        "eligible": int(sum(v for k, v in counts.items() if k not in (NOT_ELIGIBLE, NOT_MEASURED))),
        "judged": n,
        "outcomes": counts,
        "quotes_dropped": int(dropped.fillna(0).sum()) if dropped is not None else 0,
        "counts": hits if n else None,
        "rates": {c: k / n for c, k in hits.items()} if n else None,
        "ci": {c: list(wilson_ci(k, n)) for c, k in hits.items()} if n else None,
    }
    truth = f"sim_{kind}"
    if truth in done and done[truth].notna().any():
        out["vs_truth"] = vs_truth(answered, kind)
    return out


def _status(counts: dict[str, int], judged: int) -> str:
    if judged:
        lost = {k: counts[k] for k in (JUDGE_FAILED, UNSUPPORTED) if counts.get(k)}
        if not lost:
            return "measured"
        why = ", ".join(f"{k}: {v}" for k, v in lost.items())
        return f"measured; {why} left out of the rates"
    if counts.get(NOT_MEASURED):
        return "not measured: the offline judge has no honest classifier of reasons"
    eligible = {k: v for k, v in counts.items() if k != NOT_ELIGIBLE}
    if not eligible:
        return "not measured: no eligible samples"
    why = ", ".join(f"{k}: {v}" for k, v in sorted(eligible.items()))
    return f"not measured: no sample judged ({why})"


def vs_truth(answered: pd.DataFrame, kind: str) -> dict[str, Any]:
    """Per category, the judge's labels against the simulator's on the answered samples
    whose truth is known; `exact`: the share whose label sets match exactly."""
    known = answered[answered[f"sim_{kind}"].notna()]
    said = known[kind].map(_labels).tolist()
    true = known[f"sim_{kind}"].map(_labels).tolist()
    per: dict[str, Any] = {}
    for c in CATEGORIES[kind]:
        tp = sum(c in s and c in t for s, t in zip(said, true, strict=True))
        fp = sum(c in s and c not in t for s, t in zip(said, true, strict=True))
        fn = sum(c not in s and c in t for s, t in zip(said, true, strict=True))
        tn = len(said) - tp - fp - fn
        per[c] = {"tp": tp, "fp": fp, "fn": fn, "tn": tn,
                  "agreement": (tp + tn) / len(said) if said else None}  # fmt: skip
    exact = sum(s == t for s, t in zip(said, true, strict=True))
    return {
        "n": len(said),
        "truth_unknown": len(answered) - len(said),
        "exact": exact / len(said) if said else None,
        "categories": per,
    }


def pooled_rate(conditions: list[dict[str, Any]], kind: str, category: str) -> tuple[int, int]:
    """(samples with `category`, samples judged) over conditions, for profiles."""
    k = n = 0
    for c in conditions:
        s = ((c.get("why") or {}).get(kind)) or {}
        if s.get("judged"):
            n += int(s["judged"])
            k += int((s.get("counts") or {}).get(category, 0))
    return k, n


def rate_ci(k: int, n: int) -> dict[str, Any]:
    lo, hi = wilson_ci(k, n) if n else (math.nan, math.nan)
    return {"k": k, "n": n, "rate": k / n if n else None, "ci": [lo, hi] if n else None}
