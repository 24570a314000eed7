"""Leave-one-group-out evaluation of the offline classifier, calibration and cutoffs.

Why by group: a random split of afbench's data puts sentences written the same way on
both sides, and the classifier then looks far better than it is on other models'
writing (issue 11: 0.95 cross-validated, 0.79 on real scratchpads). Here each *group*
(the origin of the texts: composed from sentence banks, written whole, written to read
like real transcripts) is scored by a model fitted without it, as written and padded to
real length (:func:`padding.pad_eval`).

Those out-of-group logits then set everything a user relies on:

- the Platt recalibration (`a·z + b`), fitted on all of them, plain and padded;
- the decision threshold (maximum F1 on the calibrated scores);
- the pre-screen cutoffs (a binomial lower bound on recall, over plain and padded
  positives together).

The per-group figures use calibration, threshold and cutoffs fitted on the *other*
groups' out-of-group scores only, so they are held out at every step.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from fit import Fitted, TrainConfig, fit_model
from padding import pad_eval

#: Recalls for which the pre-screen table stores a cutoff.
PRESCREEN_RECALLS: tuple[float, ...] = (0.9, 0.95, 0.98, 0.99, 1.0)
#: Confidence that the true recall on similar text reaches the tabulated recall.
PRESCREEN_CONFIDENCE = 0.9
PAD_SEED = 99


def group_of(row: dict[str, Any]) -> str:
    """The hold-out group: the origin of the text (composed, handwritten, realistic)."""
    return str(row.get("origin", "unknown"))


def subgroup_of(row: dict[str, Any]) -> str:
    """A finer label for the table: realistic rows carry their own `group`."""
    sub = row.get("group")
    return f"{group_of(row)}:{sub}" if sub else group_of(row)


def padded_texts(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Each row's text padded for the stress test; the padding depends on the row id only."""
    return [pad_eval(r["text"], random.Random(f"{PAD_SEED}:{r['id']}")) for r in rows]


@dataclass
class OutOfGroup:
    """Every row's logit from the model fitted without its group, plain and padded."""

    rows: list[dict[str, Any]]
    groups: list[str]
    plain: Any
    padded: Any


def out_of_group(
    rows: Sequence[dict[str, Any]], config: TrainConfig, echo: Callable[[str], None] = print
) -> OutOfGroup:
    import numpy as np

    rows = list(rows)
    groups = [group_of(r) for r in rows]
    plain = np.zeros(len(rows))
    padded = np.zeros(len(rows))
    for g in sorted(set(groups)):
        held = [i for i, gi in enumerate(groups) if gi == g]
        train = [r for r, gi in zip(rows, groups, strict=True) if gi != g]
        echo(f"  hold out {g}: fit on {len(train)} rows, score {len(held)}")
        fitted: Fitted = fit_model(train, config)
        held_rows = [rows[i] for i in held]
        plain[held] = fitted.decision([r["text"] for r in held_rows])
        padded[held] = fitted.decision(padded_texts(held_rows))
    return OutOfGroup(rows, groups, plain, padded)


# --- calibration, threshold and cutoffs ---------------------------------------------------


def fit_platt(logits: Sequence[float], labels: Sequence[int]) -> tuple[float, float]:
    """(a, b) of P = sigmoid(a·z + b), by (nearly unregularised) logistic regression."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    x = np.asarray(logits, dtype=np.float64).reshape(-1, 1)
    lr = LogisticRegression(C=1e6, max_iter=10000, tol=1e-10).fit(x, list(labels))
    return float(lr.coef_[0][0]), float(lr.intercept_[0])


def sigmoid(z):
    import numpy as np

    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64)))


def choose_threshold(labels: Sequence[int], scores: Sequence[float]) -> float:
    """The threshold of maximum F1, placed mid-gap between adjacent distinct scores."""
    import numpy as np

    labels = np.asarray(labels)
    scores = np.asarray(scores, dtype=np.float64)
    distinct = np.unique(scores)[::-1]
    best_f1, best_i = -1.0, 0
    for i, t in enumerate(distinct):
        pred = scores >= t
        tp = int((pred & (labels == 1)).sum())
        fp = int((pred & (labels == 0)).sum())
        fn = int((~pred & (labels == 1)).sum())
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best_f1:
            best_f1, best_i = f1, i
    upper = float(distinct[best_i])
    lower = float(distinct[best_i + 1]) if best_i + 1 < len(distinct) else 0.0
    return (upper + lower) / 2


def _binom_sf(k: int, n: int, p: float) -> float:
    """P(Binomial(n, p) >= k)."""
    return sum(math.comb(n, j) * p**j * (1 - p) ** (n - j) for j in range(k, n + 1))


def prescreen_cutoff_from_positives(
    positive_scores: Sequence[float], recall: float, confidence: float = PRESCREEN_CONFIDENCE
) -> tuple[float, str]:
    """A cutoff that keeps at least `recall` of AF scratchpads, with `confidence`.

    The plain answer is the (1 − recall) quantile of the positives' held-out scores; it
    is lowered to the order statistic that sits below the true quantile with probability
    `confidence` (a binomial bound: s_(k) ≤ q exactly when at least k of n scores fall
    below q). When the sample is too small for any order statistic to give that
    confidence (always for recall 1.0), the cutoff is half the lowest positive score
    seen, and the rule says so.
    """
    s = sorted(float(x) for x in positive_scores)
    n = len(s)
    if not s:
        raise ValueError("no positive scores")
    miss = 1.0 - recall
    best_k = 0
    for k in range(1, n + 1):
        if _binom_sf(k, n, miss) >= confidence:
            best_k = k
        else:
            break
    if best_k == 0:
        return s[0] / 2, "below_all_positives_halved"
    return s[best_k - 1], f"order_statistic_{best_k}_of_{n}"


@dataclass(frozen=True)
class Operating:
    """Calibration, threshold and cutoffs fitted on some out-of-group scores."""

    a: float
    b: float
    threshold: float
    cutoffs: dict[float, tuple[float, str]]

    def prob(self, logits):
        import numpy as np

        return sigmoid(self.a * np.asarray(logits) + self.b)


def fit_operating(plain, padded, labels) -> Operating:
    """From out-of-group logits (plain and padded, same labels): Platt, threshold, cutoffs."""
    import numpy as np

    z = np.concatenate([plain, padded])
    y = np.concatenate([labels, labels]).astype(int)
    a, b = fit_platt(z, y)
    p = sigmoid(a * z + b)
    threshold = choose_threshold(y, p)
    pos = p[y == 1]
    cutoffs = {r: prescreen_cutoff_from_positives(pos, r) for r in PRESCREEN_RECALLS}
    return Operating(a, b, threshold, cutoffs)
