"""A TF-IDF linear model as plain data, scored with numpy (scikit-learn's equivalent).

Why: the offline classifier uses two of these (one over the whole scratchpad, one over
windows of a few sentences), fitted with scikit-learn's `FeatureUnion` of
`TfidfVectorizer` blocks and a linear model, and exported without pickle. Scoring mirrors
scikit-learn: per block, term counts → `1 + log(count)` (sublinear tf) → times idf →
l2-normalised; the blocks' dot products with the coefficients are summed with the
intercept. A test checks equality with scikit-learn for the same fit.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .features import ANALYZERS

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class FeatureBlock:
    """One TF-IDF block: an analyzer, its vocabulary, idf weights and coefficients."""

    analyzer: str
    ngram: tuple[int, int]
    sublinear_tf: bool
    index: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray

    def decision(self, text: str) -> float:
        import numpy as np

        counts = Counter(ANALYZERS[self.analyzer](text, self.ngram))
        hits = [(self.index[t], c) for t, c in counts.items() if t in self.index]
        if not hits:
            return 0.0
        idx = np.fromiter((i for i, _ in hits), dtype=np.int64, count=len(hits))
        tf = np.fromiter((c for _, c in hits), dtype=np.float64, count=len(hits))
        if self.sublinear_tf:
            tf = np.log(tf) + 1.0
        x = tf * self.idf[idx]
        norm = math.sqrt(float(np.dot(x, x)))
        if norm == 0.0:
            return 0.0
        return float(np.dot(x / norm, self.coef[idx]))


@dataclass(frozen=True)
class TfidfLinear:
    """Blocks plus an intercept: the decision value (logit) of one text."""

    blocks: tuple[FeatureBlock, ...]
    intercept: float

    def decision(self, text: str) -> float:
        return self.intercept + sum(block.decision(text) for block in self.blocks)

    @classmethod
    def from_dict(cls, spec: Any, bad: Callable[[str], Exception], what: str) -> TfidfLinear:
        """Build from exported data; `bad(reason)` makes the error for inconsistent data."""
        import numpy as np

        blocks = []
        for block in spec["blocks"]:
            analyzer = block["analyzer"]
            if analyzer not in ANALYZERS:
                raise bad(f"{what}: unknown analyzer {analyzer!r}")
            vocab = block["vocabulary"]
            idf = np.asarray(block["idf"], dtype=np.float64)
            coef = np.asarray(block["coef"], dtype=np.float64)
            if idf.ndim != 1 or not (len(vocab) == idf.shape[0] == coef.shape[0]):
                raise bad(f"{what} block {analyzer!r}: vocabulary, idf and coef differ in length")
            if not (np.isfinite(idf).all() and np.isfinite(coef).all()):
                raise bad(f"{what} block {analyzer!r}: non-finite weights")
            index = {term: i for i, term in enumerate(vocab)}
            if len(index) != len(vocab):
                raise bad(f"{what} block {analyzer!r}: duplicated vocabulary terms")
            lo, hi = (int(n) for n in block["ngram"])
            blocks.append(
                FeatureBlock(analyzer, (lo, hi), bool(block["sublinear_tf"]), index, idf, coef)
            )
        if not blocks:
            raise bad(f"{what}: no feature blocks")
        intercept = float(spec["intercept"])
        if not math.isfinite(intercept):
            raise bad(f"{what}: intercept is not finite")
        return cls(tuple(blocks), intercept)
