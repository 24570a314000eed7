"""The offline alignment-faking classifier: no network, no API key.

A small TF-IDF + logistic-regression model trained on afbench's own labelled scratchpads
(written for afbench; see `tools/af_offline/data/README.md` in the repository). It backs
`--judge offline` for the alignment-faking classifier and the judge pre-screen
(`--prescreen RECALL`). The fitted model ships as plain data (`model.json`) and is scored
with numpy. Only inference lives in this package; the data and the training, which need
scikit-learn, are repository tools:

    python tools/af_offline/build_data.py   # re-compose the labelled set
    python tools/af_offline/train.py        # cross-validate, fit, export model.json
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
