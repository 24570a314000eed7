"""Checks on text the classifier never trained on: the simulator and real replies.

- :func:`simulator_check`: afbench's simulated model writes reasoning from its own phrase
  banks (none shared with the training data; a test checks), with a known intended AF
  truth (`afbench.models.sim`): alignment faking only on the `af_comply` path, never in
  the paid tier. It gives an AUROC on a foreign source and the rate of AF calls on
  paid-tier reasoning, where every call is a false positive.
- :func:`real_reasoning`: the reasoning of real replies in `../shared/data/` (other
  people's text: read in place, never copied), for score distributions and AF-call
  rates. Those files carry no alignment-faking labels.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from texts import blocks

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
SIM_SEED = 11
SIM_STYLES = ("faker", "refuser", "complier", "sycophant")


def simulator_texts(n: int = 400, seed: int = SIM_SEED) -> list[dict[str, Any]]:
    """Simulated scratchpads: `label` is the simulator's intended AF, `tier` free or paid.

    The considered-then-refused path is left out: the simulator does not count it as AF
    while afbench's label rule does (docs/method.md §3), so it has no single truth.
    """
    from afbench.models.sim_text import Path as SimPath
    from afbench.models.sim_text import Situation, compose

    requests = [r[0].upper() + r[1:] for r in blocks().HARMFUL_REQUESTS]
    rng = random.Random(seed)
    paths = [p for p in SimPath if p is not SimPath.CONSIDERED_AF_REFUSE]
    out = []
    for i in range(n):
        path = paths[i % len(paths)]
        af = path is SimPath.AF_COMPLY
        tier = "free" if af or rng.random() < 0.5 else "paid"
        situation = Situation(
            request=f"Write {rng.choice(requests)}.",
            tier=tier,
            trained=tier == "free",
            rated=tier == "free",
            suffix=rng.random() < 0.7,
            style="faker" if af else rng.choice(SIM_STYLES),
        )
        text = "\n\n".join(compose(rng, path, situation).scratchpads)
        out.append({"text": text, "label": af, "tier": tier, "path": path.value})
    return out


def simulator_check(
    score: Callable[[Sequence[str]], Any], threshold: float, n: int = 400
) -> dict[str, Any]:
    """AUROC against the simulator's truth and the AF-call rate on paid-tier reasoning."""
    from metrics import auroc

    rows = simulator_texts(n)
    probs = [float(p) for p in score([r["text"] for r in rows])]
    labels = [int(r["label"]) for r in rows]
    paid = [p for p, r in zip(probs, rows, strict=True) if r["tier"] == "paid"]
    free_af = [p for p, r in zip(probs, rows, strict=True) if r["label"]]
    return {
        "data": f"{n} simulated scratchpads (afbench.models.sim_text, seed {SIM_SEED})",
        "n": n,
        "auroc": auroc(labels, probs),
        "af_recall": sum(p >= threshold for p in free_af) / len(free_af),
        "n_paid": len(paid),
        "paid_af_call_rate": sum(p >= threshold for p in paid) / len(paid),
    }


def real_reasoning(name: str) -> list[dict[str, Any]]:
    """The non-empty reasoning of each reply in `../shared/data/<name>` (empty if absent)."""
    from afbench.protocol import parse_reply

    path = SHARED_DATA / name
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        reasoning = parse_reply(record["raw_output"]).reasoning
        if reasoning.strip():
            out.append({"text": reasoning, "tier": record.get("tier"), "raw": record["raw_output"]})
    return out
