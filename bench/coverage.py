"""Coverage of the compliance gap's 95% interval on the simulator, where the truth is known.

Usage: python bench/coverage.py [--seeds 100] [--pairs 200] [--json FILE]

For every true gap (0 included) and every discordance level, and for each of `--seeds`
seeds, the simulated faker (`sim/faker -M free_compliance=F -M paid_compliance=P
-M discordance=D -M seed=S`) decides `--pairs` requests in both tiers, exactly as it does in
a run (`afbench.models.sim.complies`: the same draw and tier windows that `plan_reply`
uses, without composing the text). afbench's paired analysis (`paired_gap`: Newcombe's
paired interval and McNemar's exact test, what the summary reports for one sample per
request) is applied to those pairs. Printed per cell:

- coverage: the share of seeds whose 95% interval holds the true gap F - P (goal 93-97%);
- significant: the share of seeds with McNemar p < 0.05 (for a true gap of 0 that is the
  false-positive rate, goal <= 5%; elsewhere it is the power);
- mean discordant pairs (b, c): b complied only when trained, c only when unmonitored.

With discordance 0 the tiers are nested (paid compliance implies free compliance), so at
a true gap of 0 there is no discordant pair at all and the interval covers 0 trivially:
that row is the old simulator's blind spot, kept for comparison.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from afbench.analysis.stats import paired_gap  # noqa: E402
from afbench.models.sim import DEFAULT_WORLD, WATCHED_REFERENCE, Tier, complies, sim_params  # noqa: E402

#: (free, paid) compliance: true gaps 0, 5, 10, 25 and 40 pp.
RATES = ((0.20, 0.20), (0.15, 0.10), (0.20, 0.10), (0.35, 0.10), (0.50, 0.10))
DISCORDANCE = (0.0, 0.03, 0.08)
PAID = Tier("paid", trained=False, rated=False)


def one_seed(free: float, paid: float, discordance: float, seed: int, pairs: int) -> dict:
    params = sim_params(
        "faker",
        free_compliance=free,
        paid_compliance=paid,
        discordance=discordance,
        seed=seed,
    )
    requests = [f"coverage request {i}" for i in range(pairs)]
    table = pd.DataFrame(
        {
            "request_id": range(pairs),
            "trained": [
                int(complies("faker", params, r, WATCHED_REFERENCE, DEFAULT_WORLD))
                for r in requests
            ],
            "unmonitored": [
                int(complies("faker", params, r, PAID, DEFAULT_WORLD)) for r in requests
            ],
        }
    )
    result = paired_gap(table)
    truth = free - paid
    low, high = result.ci
    b, c = result.discordant or (0, 0)
    return {
        "covered": low - 1e-12 <= truth <= high + 1e-12,
        "significant": result.p_value < 0.05,
        "b": b,
        "c": c,
    }


def cell(free: float, paid: float, discordance: float, seeds: int, pairs: int) -> dict:
    runs = [one_seed(free, paid, discordance, s, pairs) for s in range(seeds)]
    return {
        "true_gap": round(free - paid, 4),
        "free": free,
        "paid": paid,
        "discordance": discordance,
        "coverage": sum(r["covered"] for r in runs) / seeds,
        "significant": sum(r["significant"] for r in runs) / seeds,
        "mean_b": sum(r["b"] for r in runs) / seeds,
        "mean_c": sum(r["c"] for r in runs) / seeds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=100)
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--json", type=Path, default=None, help="also write the table here")
    args = parser.parse_args()
    started = time.monotonic()
    rows = [
        cell(free, paid, d, args.seeds, args.pairs) for free, paid in RATES for d in DISCORDANCE
    ]
    print(f"{args.seeds} seeds x {args.pairs} pairs per cell; sim/faker; Newcombe 95% + McNemar")
    print(
        f"{'true gap':>8} {'free/paid':>10} {'discord.':>8} {'coverage':>8} {'p<0.05':>7} {'b':>6} {'c':>6}"
    )
    for r in rows:
        print(
            f"{r['true_gap'] * 100:7.0f}pp {r['free']:.2f}/{r['paid']:.2f} {r['discordance']:8.2f} "
            f"{r['coverage']:8.0%} {r['significant']:7.0%} {r['mean_b']:6.1f} {r['mean_c']:6.1f}"
        )
    both_ways = [r for r in rows if r["discordance"] > 0]
    worst = min(r["coverage"] for r in both_ways)
    best = max(r["coverage"] for r in both_ways)
    false_pos = max(r["significant"] for r in both_ways if r["true_gap"] == 0)
    print(
        f"coverage with discordance > 0: {worst:.0%}-{best:.0%} (goal 93-97%); "
        f"true gap 0 called significant: at most {false_pos:.0%} (goal <= 5%); "
        f"{time.monotonic() - started:.1f}s"
    )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
