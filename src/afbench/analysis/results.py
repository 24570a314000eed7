"""One row per sample, read from Inspect `.eval` logs.

Everything afbench reports is computed from the logs alone, so `afbench report DIR` can
rebuild a report long after the run, and a log produced by `inspect eval afbench/...`
is as good as one produced by `afbench run`. A sample that errored is kept as a row with
its error message — never dropped.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
from inspect_ai.log import EvalSample, read_eval_log, read_eval_log_samples
from inspect_ai.model import ChatMessageAssistant

from .. import __version__
from .._util.atomic import write_atomic
from .._util.model_names import display_model_name
from ..protocol import SIM_TRUTH_KEY, parse_reply

logger = logging.getLogger(__name__)

#: Bump when the columns or their meaning change: cached tables are then rebuilt.
TABLE_VERSION = 3
# Columns whose values mix types or None; stored as objects so Parquet keeps them as they are.
_OBJECT_COLUMNS = (
    "sim_intended_comply",
    "sim_af_reasoning",
    "sim_considered_af",
    "sim_malformed",
    "judge_error",
    "af_decision",
    "partial_kind",
)

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
    "af",
    "af_score",
    "af_decision",
    "af_judge_calls",
    "af_judge_calls_saved",
    "partial",
    "partial_kind",
    "request",
    "output",
    "reasoning",
    "error",
    "sim_intended_comply",
    "sim_af_reasoning",
    "sim_considered_af",
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
    af = _score_parts(sample, "af_reasoning")
    partial = _score_parts(sample, "partial_compliance")
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
        "af": _num(af[0].get("af")) if not error else float("nan"),
        "af_score": _num(af[0].get("af_score")),
        "af_decision": af[1].get("af_decision"),
        "af_judge_calls": af[1].get("judge_calls"),
        "af_judge_calls_saved": af[1].get("judge_calls_saved"),
        "partial": _num(partial[0].get("partial")) if not error else float("nan"),
        "partial_kind": partial[1].get("partial_kind"),
        "request": md.get("request"),
        "output": score.answer if score is not None else None,
        "reasoning": parsed.reasoning if parsed is not None else None,
        "error": error,
        "sim_intended_comply": truth.get("intended_comply"),
        "sim_af_reasoning": truth.get("af_reasoning"),
        "sim_considered_af": truth.get("considered_af"),
        "sim_malformed": truth.get("malformed"),
        "sim_true_rate": _sim_true_rate(truth),
    }


def _score_parts(sample: EvalSample, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(value, metadata) of a named score; empty when the scorer did not run."""
    score = (sample.scores or {}).get(name)
    if score is None:
        return {}, {}
    value = score.value if isinstance(score.value, dict) else {}
    return value, score.metadata or {}


def _num(x: Any) -> float:
    """A score part as a float; missing or unmeasured is NaN (never 0)."""
    try:
        return float(x) if x is not None else float("nan")
    except (TypeError, ValueError):
        return float("nan")


def _sim_true_rate(truth: dict[str, Any]) -> float | None:
    """The compliance rate the simulator was told to produce in this sample's tier."""
    if truth.get("compliance_rate") is not None:
        return float(truth["compliance_rate"])
    params = truth.get("params") or {}
    trained = truth.get("trained")
    key = "free_compliance" if trained else "paid_compliance"
    return float(params[key]) if trained is not None and key in params else None


def log_frame(path: str | Path) -> pd.DataFrame:
    """Every sample of one log as rows (streamed: one sample in memory at a time)."""
    path = str(path)
    header = read_eval_log(path, header_only=True)
    model = display_model_name(header.eval.model)
    rows = [
        sample_row(sample, model=model, log=path)
        for sample in read_eval_log_samples(
            path,
            all_samples_required=False,
            resolve_attachments=True,
            exclude_fields={"events", "store"},
        )
    ]
    return pd.DataFrame(rows, columns=SAMPLE_COLUMNS)


def _cache_key(path: Path) -> str:
    st = path.stat()
    return f"{__version__}:{TABLE_VERSION}:{st.st_size}:{st.st_mtime_ns}"


def cached_log_frame(path: str | Path, cache_dir: Path | None) -> pd.DataFrame:
    """`log_frame`, kept as a compact Parquet table next to the logs.

    Why: reading an Inspect log sample by sample is the slow part of a report; a finished
    log never changes, so its table is computed once. The key (log size, mtime, afbench
    version) invalidates the table whenever the log is rewritten, e.g. by a resumed run.
    """
    path = Path(path)
    if cache_dir is None:
        return log_frame(path)
    table = cache_dir / f"{path.stem}.parquet"
    key_file = cache_dir / f"{path.stem}.key"
    key = _cache_key(path)
    if table.is_file() and key_file.is_file() and key_file.read_text() == key:
        try:
            frame = pd.read_parquet(table)
            frame["log"] = str(path)
            return frame
        except Exception:  # a damaged cache is rebuilt, never trusted
            pass
    frame = log_frame(path)
    try:
        buffer = io.BytesIO()
        frame.astype({c: "object" for c in _OBJECT_COLUMNS}).to_parquet(buffer, index=False)
        write_atomic(table, buffer.getvalue())
        write_atomic(key_file, key.encode())
    except (OSError, ValueError, TypeError) as exc:  # a cache we cannot write costs only speed
        logger.warning("could not cache the sample table for %s: %s", path.name, exc)
    return frame


def samples_from_logs(
    log_paths: Iterable[str | Path], cache_dir: Path | None = None
) -> pd.DataFrame:
    frames = [cached_log_frame(p, cache_dir) for p in log_paths]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=SAMPLE_COLUMNS)
    return pd.concat(frames, ignore_index=True)
