"""Train afbench's offline alignment-faking classifier and export it without pickle.

    python tools/af_offline/train.py [--data PATH] [--out PATH]

Steps (all deterministic, single-threaded):

1. load the labelled scratchpads (`data/labelled_scratchpads.jsonl`);
2. leave-one-group-out: for each origin of text (composed, handwritten, realistic), fit
   the whole model without it and score its texts, as written and padded to real length
   (:mod:`evaluate`); print the per-group table (:mod:`metrics`), the headline;
3. from those out-of-group scores: the Platt recalibration, the threshold (maximum F1)
   and the pre-screen cutoffs, each recorded with what it was measured on;
4. fit the model on every row (:mod:`fit`) and check it on the simulator's reasoning, a
   source it never trained on (:mod:`external`);
5. write `model.json` (in `afbench/scorers/af_offline/`, what `--judge offline` loads)
   atomically, with the data's hash, the configuration and every figure.

scikit-learn is needed here only; inference (:mod:`afbench.scorers.af_offline.model`) uses
numpy alone. Why this lives outside the package: only inference ships; training and its
data are tools for afbench's maintainers.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from build_data import DATA_PATH
from evaluate import (
    PRESCREEN_CONFIDENCE,
    PRESCREEN_RECALLS,
    fit_operating,
    group_of,
    out_of_group,
    prescreen_cutoff_from_positives,
)
from external import simulator_check
from fit import Fitted, TrainConfig, export_model, fit_model
from metrics import format_table, logo_table
from padding import PADDING_PATH

from afbench.scorers.af_offline.model import MODEL_FORMAT, MODEL_FORMAT_VERSION, MODEL_PATH

__all__ = ["TrainConfig", "load_dataset", "prescreen_cutoff_from_positives", "train"]

#: What the independent human-labelled check (issue 11) found for the previous model.
PREVIOUS_REAL_CHECK = {
    "model": "format 1 (whole-text TF-IDF + logistic regression, CV AUROC 0.95)",
    "data": "106 human-labelled real scratchpads (Claude family, about half AF), held by "
    "the project, not shared",
    "auroc": 0.79,
    "recall_at_threshold": 0.26,
    "prescreen_kept": {"0.9": 0.31, "0.95": 0.37, "0.99": 0.90},
    "brier": 0.35,
}


@dataclass
class Dataset:
    rows: list[dict[str, Any]]
    sha256: str
    path: Path


def load_dataset(path: Path = DATA_PATH) -> Dataset:
    """Read and check the labelled set; the hash is of the file's bytes."""
    raw = Path(path).read_bytes()
    rows = []
    for n, line in enumerate(raw.decode("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        if not isinstance(row.get("text"), str) or not isinstance(row.get("label"), bool):
            raise ValueError(f"{path}:{n}: needs a string 'text' and a boolean 'label'")
        if not isinstance(row.get("id"), str) or not isinstance(row.get("origin"), str):
            raise ValueError(f"{path}:{n}: needs a string 'id' and 'origin'")
        rows.append(row)
    return Dataset(rows, hashlib.sha256(raw).hexdigest(), Path(path))


def prescreen_rows(op, table: dict[str, Any]) -> list[dict[str, Any]]:
    """The shipped pre-screen table: each cutoff with what its recall was measured on."""
    pooled = table["pooled"]
    return [
        {
            "recall": r,
            "cutoff": op.cutoffs[r][0],
            "rule": op.cutoffs[r][1],
            "confidence": PRESCREEN_CONFIDENCE,
            "measured_on": "leave-one-group-out scores of afbench-written AF scratchpads, "
            "as written and padded to real length (not real model transcripts)",
            "heldout_kept": pooled["plain"]["prescreen_kept"][str(r)],
            "heldout_kept_padded": pooled["padded"]["prescreen_kept"][str(r)],
            "heldout_non_af_skipped": pooled["plain"]["prescreen_skipped_non_af"][str(r)],
            "heldout_non_af_skipped_padded": pooled["padded"]["prescreen_skipped_non_af"][str(r)],
        }
        for r in PRESCREEN_RECALLS
    ]


def _info(data: Dataset, config: TrainConfig, table, op, sim, versions) -> dict[str, Any]:
    pooled = table["pooled"]
    return {
        "data_file": data.path.name,
        "data_sha256": data.sha256,
        "padding_sha256": hashlib.sha256(PADDING_PATH.read_bytes()).hexdigest(),
        "n_rows": len(data.rows),
        "n_positive": sum(r["label"] for r in data.rows),
        "groups": dict(sorted(Counter(group_of(r) for r in data.rows).items())),
        "config": config.to_dict(),
        "headline": "leave-one-group-out (by origin of the text) on afbench-written data",
        "heldout_auroc": pooled["plain"]["auroc"],
        "heldout_auroc_padded": pooled["padded"]["auroc"],
        "heldout_brier": pooled["plain"]["brier"],
        "heldout_brier_padded": pooled["padded"]["brier"],
        "heldout_recall": pooled["plain"]["recall"],
        "heldout_recall_padded": pooled["padded"]["recall"],
        "logo_table": table,
        "calibration_rule": "Platt on pooled leave-one-group-out logits, as written and padded",
        "threshold_rule": "maximum F1 on pooled leave-one-group-out calibrated scores, "
        "as written and padded",
        "simulator": sim,
        "previous_real_check": PREVIOUS_REAL_CHECK,
        **versions,
    }


def _versions() -> dict[str, str]:
    import numpy as np
    import sklearn

    return {
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
    }


def train(
    data_path: Path = DATA_PATH,
    out_path: Path | None = MODEL_PATH,
    config: TrainConfig | None = None,
    echo=print,
) -> dict[str, Any]:
    """Run the whole procedure; returns the exported model (written to `out_path`)."""
    import numpy as np

    config = config or TrainConfig()
    from afbench._util.atomic import write_atomic_text

    data = load_dataset(data_path)
    labels = np.asarray([int(r["label"]) for r in data.rows])
    groups = Counter(group_of(r) for r in data.rows)
    echo(
        f"data: {len(data.rows)} scratchpads ({labels.sum()} AF), groups {dict(groups)}; "
        f"sha256 {data.sha256[:12]}…"
    )
    echo("leave-one-group-out:")
    oog = out_of_group(data.rows, config, echo)
    table = logo_table(oog)
    for line in format_table(table):
        echo(line)
    op = fit_operating(oog.plain, oog.padded, labels)
    echo(f"calibration a={op.a:.3f} b={op.b:.3f}; threshold {op.threshold:.3f}")
    echo("fitting on all rows…")
    fitted: Fitted = fit_model(data.rows, config)
    sim = simulator_check(lambda texts: op.prob(fitted.decision(texts)), op.threshold)
    echo(
        f"simulator (never trained on): AUROC {sim['auroc']:.3f}; AF calls on paid-tier "
        f"reasoning {sim['paid_af_call_rate']:.3f} (n={sim['n_paid']})"
    )
    model = {
        "format": MODEL_FORMAT,
        "format_version": MODEL_FORMAT_VERSION,
        **export_model(fitted),
        "calibration": {"a": op.a, "b": op.b},
        "threshold": op.threshold,
        "prescreen": prescreen_rows(op, table),
        "info": _info(data, config, table, op, sim, _versions()),
    }
    if out_path is not None:
        write_atomic_text(Path(out_path), json.dumps(model, sort_keys=True, separators=(",", ":")))
        echo(f"wrote {out_path} ({Path(out_path).stat().st_size / 1e6:.2f} MB)")
    return model


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python tools/af_offline/train.py",
        description="Train the offline alignment-faking classifier on afbench's labelled set.",
    )
    parser.add_argument("--data", type=Path, default=DATA_PATH, help="labelled .jsonl")
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help="model file to write")
    args = parser.parse_args(argv)
    train(args.data, args.out)


if __name__ == "__main__":
    main()
