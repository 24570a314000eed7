"""The follow-up answers in the report: a table of their categories per condition, and
each example's questions and answers beside its transcript (model text made safe by
`excerpt`, and escaped by the template like every other value)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from .formatting import MISSING, fmt_rate
from .text import excerpt

#: Characters of a follow-up answer shown beside an example.
ANSWER_LIMIT = 1500


def _counts(counts: Mapping[str, Any] | None) -> str:
    return "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in (counts or {}).items()) or MISSING


def follow_up_rows(conditions: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per condition and question: answers, categories, what was not measured and,
    on the simulator, the judge's agreement with the category the simulator meant."""
    rows = []
    for c in conditions:
        info = c.get("follow_ups")
        if not isinstance(info, Mapping):
            continue
        where = f"{c.get('model')} [{c.get('variant')}] {c.get('tier')}"
        n = info.get("asked", 0) + info.get("not_asked", 0)
        if not info.get("questions"):
            rows.append({"where": where, "question": MISSING, "answered": "0",
                         "categories": f"not asked ({info.get('not_asked')} refused)",
                         "not_measured": MISSING, "truth": MISSING})  # fmt: skip
        for name, q in (info.get("questions") or {}).items():
            truth = q.get("vs_truth")
            rows.append(
                {
                    "where": where,
                    "question": name,
                    "answered": f"{q.get('answered')} of {n}",
                    "categories": _counts(q.get("categories")),
                    "not_measured": _counts(q.get("not_measured")),
                    "truth": (
                        f"{fmt_rate(truth.get('agreement'))} of {truth.get('n')}"
                        if isinstance(truth, Mapping)
                        else MISSING
                    ),
                }
            )
    return rows


def sample_follow_ups(row: Mapping[str, Any]) -> list[dict[str, str | None]]:
    """An example's follow-ups: question, answer (cut) and the category or why none."""
    cell = row.get("follow_ups")
    try:
        records = json.loads(cell) if isinstance(cell, str) and cell else []
    except ValueError:
        return []
    out = []
    for r in records if isinstance(records, list) else []:
        if not isinstance(r, dict):
            continue
        decided = str(r.get("decided_by") or "")
        verdict = r.get("category") if decided == "judge" else decided.replace("_", " ") or None
        out.append(
            {
                "question": excerpt(r.get("question")),
                "answer": excerpt(r.get("answer"), ANSWER_LIMIT) or "(no answer)",
                "verdict": str(verdict) if verdict else MISSING,
            }
        )
    return out
