"""Quality figures for the leave-one-group-out table (no model code here).

For each held-out group: AUROC, Brier score, recall and false-positive rate at the
threshold, and the share of AF texts each pre-screen cutoff keeps (its measured recall),
for the texts as written and padded to real length. Every operating point (calibration,
threshold, cutoffs) was fitted without the group it is applied to.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from evaluate import PRESCREEN_RECALLS, Operating, OutOfGroup, fit_operating, subgroup_of

#: The pre-screen recalls the table reports.
TABLE_RECALLS: tuple[float, ...] = (0.9, 0.95, 0.99)


def auroc(labels: Sequence[int], scores: Sequence[float]) -> float | None:
    """Area under the ROC curve (ties count half); None without both classes."""
    pos = sorted(s for s, y in zip(scores, labels, strict=True) if y)
    neg = sorted(s for s, y in zip(scores, labels, strict=True) if not y)
    if not pos or not neg:
        return None
    import numpy as np

    neg_arr = np.asarray(neg)
    wins = sum(
        np.searchsorted(neg_arr, p, side="left")
        + 0.5
        * (np.searchsorted(neg_arr, p, side="right") - np.searchsorted(neg_arr, p, side="left"))
        for p in pos
    )
    return float(wins) / (len(pos) * len(neg))


def brier(labels: Sequence[int], probs: Sequence[float]) -> float:
    return sum((p - y) ** 2 for p, y in zip(probs, labels, strict=True)) / len(labels)


def figures(labels, probs, thresholds, cutoffs: dict[float, Any]) -> dict[str, Any]:
    """The table's figures for one set of texts.

    `thresholds` and each `cutoffs[recall]` hold one value per text (the operating point
    fitted without that text's group).
    """
    import numpy as np

    y = np.asarray(labels, dtype=bool)
    p = np.asarray(probs, dtype=np.float64)

    def share(mask, sel) -> float | None:
        return float(mask[sel].mean()) if sel.any() else None

    return {
        "n": int(len(y)),
        "n_af": int(y.sum()),
        "auroc": auroc(y.tolist(), p.tolist()),
        "brier": brier(y.astype(int).tolist(), p.tolist()),
        "recall": share(p >= thresholds, y),
        "fpr": share(p >= thresholds, ~y),
        "prescreen_kept": {str(r): share(p >= cutoffs[r], y) for r in PRESCREEN_RECALLS},
        "prescreen_skipped_non_af": {str(r): share(p < cutoffs[r], ~y) for r in PRESCREEN_RECALLS},
    }


def logo_table(oog: OutOfGroup) -> dict[str, Any]:
    """Per held-out group (and pooled): figures as written and padded.

    Each group's probabilities, threshold and cutoffs come from an operating point
    fitted on the other groups' out-of-group logits; the pooled row gathers them.
    """
    import numpy as np

    labels = np.asarray([int(r["label"]) for r in oog.rows])
    groups = np.asarray(oog.groups)
    subgroups = np.asarray([subgroup_of(r) for r in oog.rows])
    n = len(labels)
    probs = {"plain": np.zeros(n), "padded": np.zeros(n)}
    thresholds = np.zeros(n)
    cutoffs = {r: np.zeros(n) for r in PRESCREEN_RECALLS}
    for g in sorted(set(oog.groups)):
        held = groups == g
        op: Operating = fit_operating(oog.plain[~held], oog.padded[~held], labels[~held])
        probs["plain"][held] = op.prob(oog.plain[held])
        probs["padded"][held] = op.prob(oog.padded[held])
        thresholds[held] = op.threshold
        for r in PRESCREEN_RECALLS:
            cutoffs[r][held] = op.cutoffs[r][0]
    names = {g: groups == g for g in sorted(set(oog.groups))}
    names.update({s: subgroups == s for s in sorted(set(subgroups.tolist())) if s not in names})
    names["pooled"] = np.ones(n, dtype=bool)
    return {
        name: {
            kind: figures(
                labels[sel],
                probs[kind][sel],
                thresholds[sel],
                {r: c[sel] for r, c in cutoffs.items()},
            )
            for kind in probs
        }
        for name, sel in names.items()
    }


def _fmt(v: float | None) -> str:
    return "  —  " if v is None else f"{v:.3f}"


def format_table(table: dict[str, Any]) -> list[str]:
    """The table as text lines (what train.py and the bench print)."""
    head = (
        f"{'held-out group':<30} {'text':<6} {'n':>4} {'AF':>4}  AUROC  Brier  recall   FPR  "
        + "  ".join(f"kept@{r:<4}" for r in TABLE_RECALLS)
    )
    lines = [head, "-" * len(head)]
    # model.json stores keys sorted; print groups, their registers, then the pooled row.
    names = sorted((n for n in table if n != "pooled"), key=lambda n: (n.split(":")[0], n))
    for name in [*names, "pooled"]:
        for kind in ("plain", "padded"):
            f = table[name][kind]
            kept = "  ".join(f"{_fmt(f['prescreen_kept'][str(r)]):>9}" for r in TABLE_RECALLS)
            lines.append(
                f"{name:<30} {kind:<6} {f['n']:>4} {f['n_af']:>4}  {_fmt(f['auroc'])}  "
                f"{_fmt(f['brier'])}  {_fmt(f['recall'])}  {_fmt(f['fpr'])}  {kept}"
            )
    return lines
