"""Train afbench's offline alignment-faking classifier and export it without pickle.

    python tools/af_offline/train.py [--data PATH] [--out PATH]

Steps (all deterministic):

1. load the labelled scratchpads (`data/labelled_scratchpads.jsonl`);
2. choose the model on the training split by 5-fold cross-validation over a small grid
   (word n-grams alone or with character n-grams, times the regularisation strength). The
   folds are the data's own `fold` field: composed texts of one fold use sentence variants
   no other fold uses, so the cross-validated AUROC measures generalisation to new wording;
3. from the chosen configuration's cross-validated (out-of-fold) scores, pick the decision
   threshold (maximum F1) and the pre-screen table (see :func:`prescreen_table`);
4. fit on the whole training split, report the held-out test split (AUROC, accuracy,
   precision, recall, F1 at the threshold, accuracy per style);
5. write `model.json` (in `afbench/scorers/af_offline/`, what `--judge offline` loads)
   atomically: vocabulary, idf, coefficients, threshold, pre-screen table
   and metadata (data hash, library versions, CV and test figures).

scikit-learn is needed here only; inference (:mod:`afbench.scorers.af_offline.model`) uses
numpy alone. Why this lives outside the package: only inference ships; training and its
data are tools for afbench's maintainers.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import platform
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from build_data import DATA_PATH

from afbench.scorers.af_offline.features import ANALYZERS
from afbench.scorers.af_offline.model import MODEL_FORMAT, MODEL_FORMAT_VERSION, MODEL_PATH

N_FOLDS = 5
#: Recalls for which the pre-screen table stores a cutoff.
PRESCREEN_RECALLS: tuple[float, ...] = (0.9, 0.95, 0.98, 0.99, 1.0)
#: Confidence that the true recall on similar text reaches the tabulated recall.
PRESCREEN_CONFIDENCE = 0.9


@dataclass(frozen=True)
class TrainConfig:
    """One model configuration (a point of the cross-validation grid)."""

    blocks: tuple[str, ...] = ("word", "char")
    C: float = 1.0
    word_ngram: tuple[int, int] = (1, 2)
    char_ngram: tuple[int, int] = (3, 5)
    min_df: int = 2
    max_features: int | None = 20000
    class_weight: str | None = "balanced"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainConfig:
        return cls(
            blocks=tuple(data["blocks"]),
            C=float(data["C"]),
            word_ngram=tuple(data["word_ngram"]),  # type: ignore[arg-type]
            char_ngram=tuple(data["char_ngram"]),  # type: ignore[arg-type]
            min_df=int(data["min_df"]),
            max_features=data["max_features"],
            class_weight=data["class_weight"],
        )

    def label(self) -> str:
        return f"{'+'.join(self.blocks)} C={self.C:g}"


GRID: tuple[TrainConfig, ...] = tuple(
    TrainConfig(blocks=blocks, C=c)
    for blocks in (("word",), ("word", "char"))
    for c in (0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
)


@dataclass
class Dataset:
    rows: list[dict[str, Any]]
    sha256: str
    path: Path
    train: list[dict[str, Any]] = field(init=False)
    test: list[dict[str, Any]] = field(init=False)

    def __post_init__(self) -> None:
        self.train = [r for r in self.rows if r["split"] == "train"]
        self.test = [r for r in self.rows if r["split"] == "test"]


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
        if row.get("split") not in ("train", "test"):
            raise ValueError(f"{path}:{n}: 'split' must be train or test")
        if row["split"] == "train" and row.get("fold") not in range(N_FOLDS):
            raise ValueError(f"{path}:{n}: training rows need a 'fold' in 0..{N_FOLDS - 1}")
        rows.append(row)
    return Dataset(rows, hashlib.sha256(raw).hexdigest(), Path(path))


def make_pipeline(config: TrainConfig):
    """The scikit-learn model for a configuration (TF-IDF blocks → logistic regression)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    ngrams = {"word": config.word_ngram, "char": config.char_ngram}
    union = FeatureUnion(
        [
            (
                name,
                TfidfVectorizer(
                    analyzer=partial(ANALYZERS[name], ngram=ngrams[name]),
                    min_df=config.min_df,
                    max_features=config.max_features,
                    sublinear_tf=True,
                    norm="l2",
                    use_idf=True,
                    smooth_idf=True,
                ),
            )
            for name in config.blocks
        ]
    )
    clf = LogisticRegression(C=config.C, class_weight=config.class_weight, max_iter=10000, tol=1e-8)
    return Pipeline([("features", union), ("clf", clf)])


def fit_pipeline(texts: Sequence[str], labels: Sequence[bool], config: TrainConfig):
    """Fit one configuration, single-threaded.

    Why one thread: the problem is tiny, and OpenMP/BLAS worker threads spinning on a busy
    two-core machine made a one-second fit take ten times longer.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return make_pipeline(config).fit(list(texts), [int(y) for y in labels])


def out_of_fold_scores(rows: Sequence[dict[str, Any]], config: TrainConfig):
    """Scores of each training row from the model fitted without its fold."""
    import numpy as np
    from sklearn.metrics import roc_auc_score

    texts = [r["text"] for r in rows]
    labels = np.array([int(r["label"]) for r in rows])
    folds = np.array([r["fold"] for r in rows])
    scores = np.zeros(len(rows))
    fold_aurocs = []
    for k in range(N_FOLDS):
        held = folds == k
        model = fit_pipeline(
            [t for t, h in zip(texts, held, strict=True) if not h], labels[~held], config
        )
        scores[held] = model.predict_proba([t for t, h in zip(texts, held, strict=True) if h])[:, 1]
        fold_aurocs.append(float(roc_auc_score(labels[held], scores[held])))
    return scores, fold_aurocs


def choose_threshold(labels: Sequence[int], scores: Sequence[float]) -> float:
    """The threshold of maximum F1 on (cross-validated) scores, placed mid-gap."""
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

    The plain answer is the (1 − recall) quantile of the positives' cross-validated
    scores; it is lowered to the order statistic that sits below the true quantile with
    probability `confidence` (a binomial bound: s_(k) ≤ q exactly when at least k of n
    scores fall below q). When the sample is too small for any order statistic to give
    that confidence (always for recall 1.0), the cutoff is half the lowest positive score
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


def prescreen_table(
    cv_pos: Sequence[float],
    cv_neg: Sequence[float],
    test_pos: Sequence[float],
    test_neg: Sequence[float],
) -> list[dict[str, Any]]:
    def frac(values: Sequence[float], pred) -> float | None:
        return sum(1 for v in values if pred(v)) / len(values) if values else None

    table = []
    for r in PRESCREEN_RECALLS:
        cutoff, rule = prescreen_cutoff_from_positives(cv_pos, r)
        table.append(
            {
                "recall": r,
                "cutoff": cutoff,
                "rule": rule,
                "confidence": PRESCREEN_CONFIDENCE,
                "cv_recall": frac(cv_pos, lambda v, c=cutoff: v >= c),
                "cv_negatives_skipped": frac(cv_neg, lambda v, c=cutoff: v < c),
                "test_recall": frac(test_pos, lambda v, c=cutoff: v >= c),
                "test_negatives_skipped": frac(test_neg, lambda v, c=cutoff: v < c),
            }
        )
    return table


def rates(labels: Sequence[int], scores: Sequence[float], threshold: float) -> dict[str, Any]:
    tp = sum(1 for y, s in zip(labels, scores, strict=True) if y and s >= threshold)
    fp = sum(1 for y, s in zip(labels, scores, strict=True) if not y and s >= threshold)
    fn = sum(1 for y, s in zip(labels, scores, strict=True) if y and s < threshold)
    tn = len(labels) - tp - fp - fn
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return {
        "accuracy": (tp + tn) / len(labels),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "confusion": {"tp": tp, "fp": fp, "fn": fn, "tn": tn},
    }


def export_model(pipeline, config: TrainConfig) -> dict[str, Any]:
    """The fitted pipeline as plain data (what :mod:`afbench.scorers.af_offline.model` reads)."""
    union = pipeline.named_steps["features"]
    clf = pipeline.named_steps["clf"]
    coef = clf.coef_[0]
    blocks, offset = [], 0
    ngrams = {"word": config.word_ngram, "char": config.char_ngram}
    for name, vectorizer in union.transformer_list:
        vocab = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
        n = len(vocab)
        blocks.append(
            {
                "analyzer": name,
                "ngram": list(ngrams[name]),
                "sublinear_tf": True,
                "vocabulary": vocab,
                "idf": [float(v) for v in vectorizer.idf_],
                "coef": [float(v) for v in coef[offset : offset + n]],
            }
        )
        offset += n
    if offset != coef.shape[0]:
        raise RuntimeError("feature count does not match the coefficients")
    return {"blocks": blocks, "intercept": float(clf.intercept_[0])}


@dataclass(frozen=True)
class _CVResult:
    """Cross-validation of one grid point: out-of-fold scores and fold AUROCs."""

    config: TrainConfig
    oof: Any
    fold_aurocs: list[float]
    mean: float
    sd: float


def cross_validate(
    train_rows: Sequence[dict[str, Any]], grid: Sequence[TrainConfig], echo=print
) -> tuple[_CVResult, list[_CVResult]]:
    """Every grid point's fixed-fold CV; the best (ties go to the earlier) and all."""
    import numpy as np

    echo(f"{N_FOLDS}-fold cross-validation on the training split (fixed folds):")
    results = []
    for config in grid:
        oof, fold_aurocs = out_of_fold_scores(train_rows, config)
        mean, sd = float(np.mean(fold_aurocs)), float(np.std(fold_aurocs, ddof=1))
        results.append(_CVResult(config, oof, fold_aurocs, mean, sd))
        echo(f"  {config.label():<18} AUROC {mean:.3f} ± {sd:.3f}")
    # Best mean fold AUROC; ties go to the earlier (simpler, more regularised) grid point.
    best = max(results, key=lambda r: round(r.mean, 6))
    echo(f"chosen: {best.config.label()}")
    folds = ", ".join(f"{a:.3f}" for a in best.fold_aurocs)
    echo(f"CV AUROC {best.mean:.3f} ± {best.sd:.3f} (folds {folds})")
    return best, results


def per_style_accuracy(
    rows: Sequence[dict[str, Any]], scores: Sequence[float], threshold: float
) -> dict[str, dict[str, Any]]:
    """Accuracy at the threshold for each style (every style has a single label)."""
    per_style: dict[str, dict[str, Any]] = {}
    for row, s in zip(rows, scores, strict=True):
        entry = per_style.setdefault(row["style"], {"n": 0, "correct": 0, "label": row["label"]})
        entry["n"] += 1
        entry["correct"] += int((s >= threshold) == row["label"])
    for entry in per_style.values():
        entry["accuracy"] = entry["correct"] / entry["n"]
    return per_style


def _split_by_label(scores: Sequence[float], labels: Sequence[int]) -> tuple[list, list]:
    pos = [s for s, y in zip(scores, labels, strict=True) if y]
    neg = [s for s, y in zip(scores, labels, strict=True) if not y]
    return pos, neg


def _echo_test_report(
    echo,
    threshold: float,
    test_auroc: float,
    y_test: Sequence[int],
    test_rates: dict[str, Any],
    per_style: dict[str, dict[str, Any]],
    table: Sequence[dict[str, Any]],
) -> None:
    echo(f"threshold {threshold:.3f} (max F1 on cross-validated scores)")
    echo(f"held-out test AUROC {test_auroc:.3f} (n={len(y_test)}, {sum(y_test)} AF)")
    echo(
        "test at threshold: accuracy {accuracy:.3f}  precision {precision:.3f}  "
        "recall {recall:.3f}  F1 {f1:.3f}".format(**test_rates)
    )
    echo("test accuracy per style:")
    for style in sorted(per_style):
        e = per_style[style]
        echo(
            f"  {style:<28} {'AF' if e['label'] else '--'}  {e['correct']:>2}/{e['n']:<2} {e['accuracy']:.2f}"
        )
    echo("pre-screen (skip the judge when score < cutoff):")
    echo(
        "  recall  cutoff    rule                          CV recall  test recall  test non-AF skipped"
    )
    for row in table:
        echo(
            f"  {row['recall']:<6}  {row['cutoff']:.4f}  {row['rule']:<28}  "
            f"{row['cv_recall']:.3f}      {row['test_recall']:.3f}        {row['test_negatives_skipped']:.3f}"
        )


def train(
    data_path: Path = DATA_PATH,
    out_path: Path | None = MODEL_PATH,
    grid: Sequence[TrainConfig] = GRID,
    echo=print,
) -> dict[str, Any]:
    """Run the whole procedure; returns the exported model (written to `out_path`)."""
    import numpy as np
    import sklearn
    from sklearn.metrics import roc_auc_score

    from afbench._util.atomic import write_atomic_text

    data = load_dataset(data_path)
    train_rows, test_rows = data.train, data.test
    y_train = [int(r["label"]) for r in train_rows]
    y_test = [int(r["label"]) for r in test_rows]
    echo(
        f"data: {len(data.rows)} scratchpads ({sum(r['label'] for r in data.rows)} AF), "
        f"train {len(train_rows)}, test {len(test_rows)}; sha256 {data.sha256[:12]}…"
    )
    best, results = cross_validate(train_rows, grid, echo)
    config, oof = best.config, best.oof
    threshold = choose_threshold(y_train, oof)

    pipeline = fit_pipeline([r["text"] for r in train_rows], y_train, config)
    test_scores = pipeline.predict_proba([r["text"] for r in test_rows])[:, 1].tolist()
    test_auroc = float(roc_auc_score(y_test, test_scores))
    test_rates = rates(y_test, test_scores, threshold)
    per_style = per_style_accuracy(test_rows, test_scores, threshold)
    table = prescreen_table(*_split_by_label(oof, y_train), *_split_by_label(test_scores, y_test))
    _echo_test_report(echo, threshold, test_auroc, y_test, test_rates, per_style, table)

    model = {
        "format": MODEL_FORMAT,
        "format_version": MODEL_FORMAT_VERSION,
        **export_model(pipeline, config),
        "threshold": threshold,
        "prescreen": table,
        "info": {
            "data_file": data.path.name,
            "data_sha256": data.sha256,
            "n_train": len(train_rows),
            "n_train_positive": sum(y_train),
            "n_test": len(test_rows),
            "n_test_positive": sum(y_test),
            "config": {**asdict(config), "blocks": list(config.blocks)},
            "cv_auroc": best.mean,
            "cv_auroc_sd": best.sd,
            "cv_fold_aurocs": best.fold_aurocs,
            "cv_pooled_auroc": float(roc_auc_score(y_train, oof)),
            "cv_at_threshold": rates(y_train, oof.tolist(), threshold),
            "cv_grid": [
                {"config": r.config.label(), "auroc": r.mean, "auroc_sd": r.sd} for r in results
            ],
            "test_auroc": test_auroc,
            "test_at_threshold": test_rates,
            "test_per_style": per_style,
            "threshold_rule": "maximum F1 on cross-validated training scores",
            "sklearn_version": sklearn.__version__,
            "numpy_version": np.__version__,
            "python_version": platform.python_version(),
        },
    }
    if out_path is not None:
        write_atomic_text(Path(out_path), json.dumps(model, sort_keys=True, separators=(",", ":")))
        size = Path(out_path).stat().st_size
        echo(f"wrote {out_path} ({size / 1e6:.2f} MB)")
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
