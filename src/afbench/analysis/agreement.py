"""Agreement between the judges of a panel: Cohen's and Fleiss' kappa.

Cohen's kappa for two judges and Fleiss' kappa for three or more: the share of
agreement beyond what the judges' own base rates would give by chance (1: always agree,
0: chance, below 0: worse than chance). Both are computed over the samples every judge
gave a verdict on. A kappa is None where it is undefined: no samples, or chance agreement
already 1 (every judge gave the same single answer throughout; the raw agreement is then
reported alone).

The panel's decision (`afbench.scorers.panel.majority`) is computed where the samples are
scored; this module only measures how far the judges agree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def _valid(x: float | None) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


def cohen_kappa(a: Sequence[int], b: Sequence[int]) -> float | None:
    """Cohen's kappa of two raters' labels on the same items (any hashable labels)."""
    if len(a) != len(b):
        raise ValueError("both raters must rate the same items")
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    labels = set(a) | set(b)
    expected = sum((list(a).count(k) / n) * (list(b).count(k) / n) for k in labels)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def fleiss_kappa(ratings: Sequence[Sequence[int]]) -> float | None:
    """Fleiss' kappa of items rated by the same number of raters: `ratings[i]` holds item
    i's labels, one per rater."""
    items = [list(r) for r in ratings]
    if not items:
        return None
    m = len(items[0])
    if m < 2 or any(len(r) != m for r in items):
        raise ValueError("every item needs the same number (2 or more) of ratings")
    labels = sorted({x for r in items for x in r})
    n = len(items)
    counts = [[r.count(k) for k in labels] for r in items]
    p_item = [(sum(c * c for c in row) - m) / (m * (m - 1)) for row in counts]
    p_bar = sum(p_item) / n
    shares = [sum(row[j] for row in counts) / (n * m) for j in range(len(labels))]
    p_e = sum(p * p for p in shares)
    if p_e == 1:
        return None
    return (p_bar - p_e) / (1 - p_e)


def panel_agreement(votes: Sequence[Sequence[float | None]]) -> dict[str, object]:
    """Agreement of a panel over samples: `votes[i]` is sample i's verdicts, one per judge
    in panel order. Samples missing any judge's verdict are left out."""
    complete = [[int(v) for v in row] for row in votes if row and all(_valid(v) for v in row)]
    judges = len(votes[0]) if votes else 0
    if not complete:
        kappa = None
    elif judges == 2:
        kappa = cohen_kappa([r[0] for r in complete], [r[1] for r in complete])
    else:
        kappa = fleiss_kappa(complete)
    unanimous = sum(len(set(r)) == 1 for r in complete)
    return {
        "kappa": kappa,
        "kappa_kind": "cohen" if judges == 2 else "fleiss",
        "n": len(complete),
        "unanimous": unanimous / len(complete) if complete else None,
    }
