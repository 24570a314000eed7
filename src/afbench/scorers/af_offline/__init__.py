"""The offline alignment-faking classifier: no network, no API key.

A stack of a whole-text TF-IDF model, a model over windows of a few sentences pooled by
the maximum (so that long scratchpads that mostly restate the system prompt do not dilute
the sentences that decide), and hand-written cues that follow the four criteria (above
all: complying *in order to* avoid modification, not merely mentioning RLHF), with a
Platt recalibration. Trained on afbench-written labelled scratchpads (see
`tools/af_offline/data/README.md` in the repository). Its figures are measured
leave-one-group-out on that data and on the same texts padded to real length; they are
not measured on real model transcripts (the project's independent check found the
previous model at AUROC 0.79 there): `model.json`'s `info` says which is which.

It backs `--judge offline` for the alignment-faking classifier and the judge pre-screen
(`--prescreen RECALL`). The fitted model ships as plain data (`model.json`, no pickle) and
is scored with numpy. Only inference lives in this package; the data and the training,
which need scikit-learn, are repository tools:

    python tools/af_offline/build_data.py   # re-compose the labelled set
    python tools/af_offline/train.py        # leave-one-group-out, calibrate, export model.json
    python bench/af_offline_transfer.py     # the held-out table, timing, false positives
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
