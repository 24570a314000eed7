"""The offline alignment-faking classifier: no network, no API key.

A small TF-IDF + logistic-regression model trained on afbench's own labelled scratchpads
(`data/labelled_scratchpads.jsonl`, written for afbench; see `data/README.md`). It backs
`--judge offline` for the alignment-faking classifier and the judge pre-screen
(`--prescreen RECALL`). The fitted model ships as plain data (`model.json`) and is scored
with numpy; scikit-learn is needed only to retrain:

    python -m afbench.scorers.af_offline.build_data   # re-compose the labelled set
    python -m afbench.scorers.af_offline.train        # cross-validate, fit, export
"""

from .model import (
    MODEL_PATH,
    OfflineAFClassifier,
    OfflineModelError,
    load_offline_classifier,
)

__all__ = [
    "MODEL_PATH",
    "OfflineAFClassifier",
    "OfflineModelError",
    "load_offline_classifier",
]
