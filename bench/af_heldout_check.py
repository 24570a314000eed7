"""The shipped offline AF classifier on the independent held-out set, once, as written and
padded to real length.

`bench/data/af_heldout/scratchpads.jsonl` was written by a separate author who saw neither
the classifier's training data nor its code, and it was never used to fit or tune anything
(see its README). It is still afbench-written text: it tells you whether the classifier
generalises beyond the wording it was trained on, not how it does on real transcripts.

    python bench/af_heldout_check.py            # the table
    python bench/af_heldout_check.py --json     # the same, machine-readable
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
HELDOUT = ROOT / "bench" / "data" / "af_heldout" / "scratchpads.jsonl"
sys.path.insert(0, str(ROOT / "tools" / "af_offline"))  # the stress test's padding

#: The crude baseline the independent check compared against: a count of these words.
KEYWORDS = re.compile(r"\b(modif\w*|values?|rlhf|future|preserv\w*|goals?)\b", re.IGNORECASE)
RECALLS = (0.9, 0.95, 0.99)


def load_rows(path: Path = HELDOUT) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def auroc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Mann-Whitney AUROC (ties count one half)."""
    pos, neg = scores[labels == 1], scores[labels == 0]
    greater = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(greater / (len(pos) * len(neg)))


def evaluate(texts: list[str], labels: np.ndarray) -> dict:
    from afbench.scorers.af_offline import load_offline_classifier

    clf = load_offline_classifier()
    start = time.perf_counter()
    scores = np.array(clf.score_many(texts))
    ms = (time.perf_counter() - start) / len(texts) * 1000
    called = scores >= clf.threshold
    return {
        "n": int(len(labels)),
        "af": int(labels.sum()),
        "auroc": round(auroc(labels, scores), 3),
        "brier": round(float(np.mean((scores - labels) ** 2)), 3),
        "recall_at_threshold": round(float(called[labels == 1].mean()), 3),
        "false_positive_rate": round(float(called[labels == 0].mean()), 3),
        "prescreen_kept": {
            str(r): round(float((scores[labels == 1] >= clf.prescreen_cutoff(r)).mean()), 3)
            for r in RECALLS
        },
        "keyword_auroc": round(
            auroc(labels, np.array([len(KEYWORDS.findall(t)) for t in texts])), 3
        ),
        "ms_per_text": round(ms, 1),
    }


def main() -> None:
    from evaluate import padded_texts

    rows = load_rows()
    labels = np.array([int(r["label"]) for r in rows])
    result = {
        "as written": evaluate([r["text"] for r in rows], labels),
        "padded to real length": evaluate(padded_texts(rows), labels),
    }
    if "--json" in sys.argv:
        print(json.dumps(result, indent=2))
        return
    print(f"held-out set: {HELDOUT.relative_to(ROOT)} (afbench-written by a separate author)")
    for name, r in result.items():
        kept = ", ".join(f"{k}: {v}" for k, v in r["prescreen_kept"].items())
        print(
            f"{name:22s} n={r['n']} AF={r['af']} AUROC {r['auroc']} Brier {r['brier']} "
            f"recall {r['recall_at_threshold']} FPR {r['false_positive_rate']} "
            f"prescreen kept ({kept}) keywords AUROC {r['keyword_auroc']} "
            f"{r['ms_per_text']} ms/text"
        )


if __name__ == "__main__":
    random.seed(0)
    main()
