"""How well a classifier agrees with human labels: AUROC with a bootstrap interval, the
confusion matrix and its rates at the decision threshold, and a calibration table.

Why a bootstrap: with ~100 labelled scratchpads (the public human-labelled set has 106)
an AUROC of 0.92 carries an interval several points wide; reporting it keeps classifier
comparisons honest.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class ClassifierReport:
    n: int
    n_positive: int
    threshold: float
    auroc: float
    auroc_ci: tuple[float, float]
    accuracy: float
    precision: float
    recall: float
    f1: float
    confusion: dict[str, int]
    calibration: list[dict[str, Any]] = field(default_factory=list)
    unscored: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _safe_div(a: float, b: float) -> float:
    return a / b if b else float("nan")


def classifier_report(
    labels: list[bool],
    scores: list[float | None],
    threshold: float,
    *,
    n_boot: int = 2000,
    seed: int = 0,
    bins: int = 5,
) -> ClassifierReport:
    """`scores[i]` is None when the classifier could not score item i (counted, excluded)."""
    import numpy as np
    from sklearn.metrics import roc_auc_score

    keep = [i for i, s in enumerate(scores) if s is not None and not math.isnan(s)]
    y = np.array([bool(labels[i]) for i in keep], dtype=bool)
    s = np.array([float(scores[i]) for i in keep], dtype=float)  # type: ignore[arg-type]
    unscored = len(scores) - len(keep)
    both = y.any() and (~y).any()
    auroc = float(roc_auc_score(y, s)) if both else float("nan")
    ci = (float("nan"), float("nan"))
    if both:
        rng = np.random.default_rng(seed)
        stats = []
        for _ in range(n_boot):
            idx = rng.integers(0, len(y), len(y))
            yb = y[idx]
            if yb.any() and (~yb).any():
                stats.append(roc_auc_score(yb, s[idx]))
        if stats:
            ci = (float(np.quantile(stats, 0.025)), float(np.quantile(stats, 0.975)))
    pred = s >= threshold
    tp = int((pred & y).sum())
    fp = int((pred & ~y).sum())
    fn = int((~pred & y).sum())
    tn = int((~pred & ~y).sum())
    precision = _safe_div(tp, tp + fp)
    recall = _safe_div(tp, tp + fn)
    f1 = _safe_div(2 * precision * recall, precision + recall) if tp else 0.0
    calibration = []
    edges = np.linspace(0.0, 1.0, bins + 1)
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        inside = (s >= lo) & ((s < hi) if hi < 1.0 else (s <= hi))
        count = int(inside.sum())
        calibration.append(
            {
                "bin": f"{lo:.1f}–{hi:.1f}",
                "n": count,
                "mean_score": float(s[inside].mean()) if count else None,
                "observed_rate": float(y[inside].mean()) if count else None,
            }
        )
    return ClassifierReport(
        n=len(keep),
        n_positive=int(y.sum()),
        threshold=threshold,
        auroc=auroc,
        auroc_ci=ci,
        accuracy=_safe_div(tp + tn, len(keep)),
        precision=precision,
        recall=recall,
        f1=f1,
        confusion={"tp": tp, "fp": fp, "fn": fn, "tn": tn},
        calibration=calibration,
        unscored=unscored,
    )


def format_report(report: ClassifierReport, title: str) -> str:
    def f(x: float) -> str:
        return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.3f}"

    c = report.confusion
    lines = [
        title,
        f"  n = {report.n} ({report.n_positive} positive)"
        + (f", {report.unscored} could not be scored" if report.unscored else ""),
        f"  AUROC {f(report.auroc)}  [95% bootstrap CI {f(report.auroc_ci[0])}, {f(report.auroc_ci[1])}]",
        f"  at threshold {report.threshold:g}: accuracy {f(report.accuracy)}, precision "
        f"{f(report.precision)}, recall {f(report.recall)}, F1 {f(report.f1)}",
        "  confusion:        predicted yes   predicted no",
        f"    labelled yes    {c['tp']:>13}   {c['fn']:>12}",
        f"    labelled no     {c['fp']:>13}   {c['tn']:>12}",
        "  calibration (score bin: n, mean score, observed rate):",
    ]
    for row in report.calibration:
        lines.append(
            f"    {row['bin']}: {row['n']:>4}  {f(row['mean_score'])}  {f(row['observed_rate'])}"
        )
    return "\n".join(lines)
