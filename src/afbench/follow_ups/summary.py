"""The follow-up answers of a condition, counted: per question, how many samples answered,
how the judge classified them, what was not measured (and why), and, on the simulator,
how often the judge's category matched the one the simulator meant."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pandas as pd


def _records(cell: Any) -> list[dict[str, Any]]:
    if not isinstance(cell, str) or not cell:
        return []
    try:
        value = json.loads(cell)
    except ValueError:
        return []
    return [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []


def follow_up_fields(done: pd.DataFrame) -> dict[str, Any]:
    """`{"follow_ups": {...}}` for a condition whose samples were asked follow-ups, else
    {} (runs without `--follow-up` keep their summary's shape)."""
    if "follow_ups" not in done or not done["follow_ups"].notna().any():
        return {}
    per_sample = [_records(cell) for cell in done["follow_ups"]]
    questions: dict[str, dict[str, Any]] = {}
    for records in per_sample:
        for r in records:
            _count(questions, r)
    for entry in questions.values():
        entry["categories"] = dict(entry["categories"].most_common())
        entry["not_measured"] = dict(entry["not_measured"].most_common())
        truth = entry.pop("_truth")
        if truth["n"]:
            entry["vs_truth"] = {**truth, "agreement": truth["agree"] / truth["n"]}
    asked = sum(1 for records in per_sample if records)
    return {"follow_ups": {"asked": asked, "not_asked": len(done) - asked, "questions": questions}}


def _count(questions: dict[str, dict[str, Any]], r: dict[str, Any]) -> None:
    name = str(r.get("name"))
    entry = questions.setdefault(
        name,
        {
            "question": r.get("question"),
            "answered": 0,
            "categories": Counter(),
            "not_measured": Counter(),
            "_truth": {"n": 0, "agree": 0},
        },
    )
    if r.get("answer") is not None:
        entry["answered"] += 1
    decided = str(r.get("decided_by") or "")
    if decided == "judge" and r.get("category"):
        entry["categories"][r["category"]] += 1
        if r.get("sim_category"):
            entry["_truth"]["n"] += 1
            entry["_truth"]["agree"] += int(r["sim_category"] == r["category"])
    else:
        entry["not_measured"][decided.split(":", 1)[-1] or "not_scored"] += 1
