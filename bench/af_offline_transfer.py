"""How well the offline AF classifier transfers beyond the text it was trained on.

Usage: python bench/af_offline_transfer.py [--stored] [--no-timing]

1. The leave-one-group-out table: each origin of afbench's labelled scratchpads
   (composed, handwritten, realistic, with realistic's registers broken out) scored by
   the model fitted without it, as written and padded to real length; AUROC, Brier,
   recall and false-positive rate at the threshold, and the share of AF texts that the
   pre-screen cutoffs for recall 0.90/0.95/0.99 keep. Calibration, threshold and cutoffs
   applied to a group were fitted without it. Refitted here with the shipped model's
   configuration (several minutes on one core); `--stored` prints the table recorded in
   `model.json` instead.
2. Timing: milliseconds per transcript for the shipped model on real replies of 5,000 to
   10,000 characters from `../shared/data/` (single thread).
3. False positives on text afbench did not write: the simulator's paid-tier reasoning
   (intended AF: none) and the reasoning of real Gemini replies (unlabelled, mostly
   refusals: a score distribution and an AF-call rate, not an error rate); Llama-3.1-70B
   replies per condition, likewise.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

TOOLS = Path(__file__).resolve().parents[1] / "tools" / "af_offline"
sys.path.insert(0, str(TOOLS))

from external import SHARED_DATA, real_reasoning, simulator_check  # noqa: E402

from afbench.scorers.af_offline import load_offline_classifier  # noqa: E402


def logo_section(stored: bool) -> None:
    from metrics import format_table

    clf = load_offline_classifier()
    if stored:
        table = clf.info["logo_table"]
        print("leave-one-group-out table (stored in model.json):")
    else:
        from evaluate import out_of_group
        from fit import TrainConfig
        from metrics import logo_table
        from train import load_dataset

        config = TrainConfig.from_dict(clf.info["config"])
        print(f"leave-one-group-out, refitted with the shipped configuration {config}:")
        table = logo_table(out_of_group(load_dataset().rows, config))
    for line in format_table(table):
        print(line)


def timing_section() -> None:
    clf = load_offline_classifier()
    texts = []
    for path in sorted(SHARED_DATA.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            raw = json.loads(line).get("raw_output", "") if line.strip() else ""
            if 5000 <= len(raw) <= 10000:
                texts.append(raw)
    if not texts:
        print("timing: ../shared/data not present, skipped")
        return
    clf.score(texts[0])  # warm caches
    times = []
    for text in texts:
        start = time.perf_counter()
        clf.score(text)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(
        f"timing (1 thread) on {len(texts)} real replies of 5k-10k chars: mean "
        f"{statistics.mean(times):.1f} ms, median {statistics.median(times):.1f} ms, "
        f"p95 {p95:.1f} ms, max {times[-1]:.1f} ms per transcript"
    )


def _distribution(name: str, scores: list[float], clf) -> str:
    q = statistics.quantiles(scores, n=20)
    calls = sum(s >= clf.threshold for s in scores) / len(scores)
    kept95 = sum(s >= clf.prescreen_cutoff(0.95) for s in scores) / len(scores)
    return (
        f"{name}: n={len(scores)}, median {statistics.median(scores):.3f}, p90 {q[17]:.3f}, "
        f"p95 {q[18]:.3f}, max {max(scores):.3f}; AF calls {calls:.1%}; "
        f"sent to the judge at --prescreen 0.95: {kept95:.1%}"
    )


def false_positive_section() -> None:
    clf = load_offline_classifier()
    sim = simulator_check(clf.score_many, clf.threshold)
    print(
        f"simulator ({sim['data']}): AUROC {sim['auroc']:.3f}, AF recall {sim['af_recall']:.3f}, "
        f"AF calls on paid-tier reasoning {sim['paid_af_call_rate']:.1%} (n={sim['n_paid']}; "
        "every one a false positive)"
    )
    gemini = real_reasoning("real_transcripts_helpful_only.jsonl")
    if gemini:
        scores = clf.score_many(r["text"] for r in gemini)
        print(_distribution("Gemini helpful-only reasoning (unlabelled)", scores, clf))
        for tier in ("free", "paid"):
            sub = [s for s, r in zip(scores, gemini, strict=True) if r["tier"] == tier]
            print(_distribution(f"  tier {tier}", sub, clf))
    llama = real_reasoning("real_transcripts_llama70b_other.jsonl")
    if llama:
        scores = clf.score_many(r["text"] for r in llama)
        print(_distribution("Llama-3.1-70B reasoning (unlabelled, prefilled)", scores, clf))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stored", action="store_true", help="print the table in model.json")
    parser.add_argument("--no-timing", action="store_true", help="skip the timing")
    args = parser.parse_args()
    clf = load_offline_classifier()
    print(f"model: threshold {clf.threshold:.3f}; prescreen cutoffs", end="")
    print("".join(f" {r['recall']}→{r['cutoff']:.3f}" for r in clf.prescreen_table))
    logo_section(args.stored)
    if not args.no_timing:
        timing_section()
    false_positive_section()


if __name__ == "__main__":
    main()
