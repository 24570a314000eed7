"""One row per sample, read from Inspect `.eval` logs.

Everything afbench reports is computed from the logs alone, so `afbench report DIR` can
rebuild a report long after the run, and a log produced by `inspect eval afbench/...`
is as good as one produced by `afbench run`. A sample that errored is kept as a row with
its error message — never dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
from inspect_ai.log import EvalSample, read_eval_log, read_eval_log_samples
from inspect_ai.model import ChatMessageAssistant

from ..protocol import SIM_TRUTH_KEY, parse_reply

SAMPLE_COLUMNS = [
    "log",
    "model",
    "scenario",
    "variant",
    "tier",
    "trained",
    "rated",
    "request_id",
    "category",
    "epoch",
    "sample_id",
    "outcome",
    "complied",
    "tag_complied",
    "decided_by",
    "judge_score",
    "judge_error",
    "issues",
    "continuations",
    "request",
    "output",
    "reasoning",
    "error",
    "sim_intended_comply",
    "sim_af_reasoning",
    "sim_malformed",
    "sim_true_rate",
]


def sample_row(sample: EvalSample, *, model: str, log: str) -> dict[str, Any]:
    """Flatten one sample. Reasoning is re-parsed from the messages (the log keeps them)."""
    md = sample.metadata or {}
    score = (sample.scores or {}).get("compliance")
    value = score.value if score is not None and isinstance(score.value, dict) else {}
    smd = (score.metadata or {}) if score is not None else {}
    reply = "\n".join(m.text for m in sample.messages if isinstance(m, ChatMessageAssistant))
    parsed = parse_reply(reply) if reply else None
    truth = md.get(SIM_TRUTH_KEY) or {}
    error = sample.error.message if sample.error is not None else None
    if error is None and score is None:
        error = "not scored"
    return {
        "log": log,
        "model": model,
        "scenario": md.get("scenario"),
        "variant": md.get("variant", "default"),
        "tier": md.get("tier"),
        "trained": bool(md.get("trained")),
        "rated": bool(md.get("rated")),
        "request_id": md.get("request_id"),
        "category": md.get("category"),
        "epoch": sample.epoch,
        "sample_id": str(sample.id),
        "outcome": "error" if error else smd.get("outcome"),
        "complied": float(value["complied"]) if not error and "complied" in value else float("nan"),
        "tag_complied": float(value["tag_complied"])
        if not error and "tag_complied" in value
        else float("nan"),
        "decided_by": smd.get("decided_by"),
        "judge_score": smd.get("judge_score"),
        "judge_error": smd.get("judge_error"),
        "issues": ",".join(smd.get("issues") or []),
        "continuations": smd.get("continuations"),
        "request": md.get("request"),
        "output": score.answer if score is not None else None,
        "reasoning": parsed.reasoning if parsed is not None else None,
        "error": error,
        "sim_intended_comply": truth.get("intended_comply"),
        "sim_af_reasoning": truth.get("af_reasoning"),
        "sim_malformed": truth.get("malformed"),
        "sim_true_rate": _sim_true_rate(truth),
    }


def _sim_true_rate(truth: dict[str, Any]) -> float | None:
    """The compliance rate the simulator was told to produce in this sample's tier."""
    params = truth.get("params") or {}
    trained = truth.get("trained")
    key = "free_compliance" if trained else "paid_compliance"
    return float(params[key]) if trained is not None and key in params else None


def samples_from_logs(log_paths: Iterable[str | Path]) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    for path in log_paths:
        path = str(path)
        header = read_eval_log(path, header_only=True)
        model = header.eval.model
        for sample in read_eval_log_samples(
            path,
            all_samples_required=False,
            resolve_attachments=True,
            exclude_fields={"events", "store"},
        ):
            rows.append(sample_row(sample, model=model, log=path))
    return pd.DataFrame(rows, columns=SAMPLE_COLUMNS)
