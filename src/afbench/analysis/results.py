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
from inspect_ai.scorer import Score

from .. import __version__
from .._util.atomic import write_atomic
from .._util.model_names import display_model_name
from ..protocol import SIM_TRUTH_KEY, parse_reply
from ..protocol.dialects import Dialect, current_dialect
from ..protocol.native import native_reasoning
from ..protocol.prefix import reply_messages
from ..protocol.route import sample_route
from ..scorers.registry import primary_scorer, score_columns, scorer_infos
from .errors import error_reason
from .panel import apply_panel

logger = logging.getLogger(__name__)

#: Bump when the columns or their meaning change: cached tables are then rebuilt.
TABLE_VERSION = 7
#: Columns of the sample itself, before the score columns (which each registered scorer
#: declares: `afbench.scorers.registry.score_columns()`) and after them.
_SAMPLE_HEAD = (
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
)
#: `reasoning` is the scratchpad text of the reply; `native_reasoning` the readable text of
#: the provider's reasoning channel (`afbench.protocol.native`), None where there is none.
#: `error` is Inspect's text of a failed sample's error; `error_reason` its stable reason
#: (`afbench.analysis.errors`), the same for identical failures.
#: `route` is what the provider reported served the sample (`afbench.protocol.route`).
_SAMPLE_TAIL = (
    "request", "output", "reasoning", "native_reasoning", "error", "error_reason", "route",
)  # fmt: skip
_SIM_COLUMNS = (
    "sim_intended_comply",
    "sim_af_reasoning",
    "sim_considered_af",
    "sim_malformed",
    "sim_true_rate",
    "sim_af_reasons",
    "sim_comply_motives",
    "sim_af_motives",
)
# Columns whose values mix types or None; stored as objects so Parquet keeps them as they are.
_SIM_OBJECT_COLUMNS = (*_SIM_COLUMNS[:4], *_SIM_COLUMNS[5:])


def sample_columns() -> list[str]:
    """The per-sample table's columns: the sample's, then each registered scorer's."""
    return [*_SAMPLE_HEAD, *score_columns(), *_SAMPLE_TAIL, *_SIM_COLUMNS]


def _object_columns() -> list[str]:
    mixed = [c.name for s in scorer_infos() for c in s.columns if c.mixed]
    return [*_SIM_OBJECT_COLUMNS, *mixed]


#: The columns with afbench's own scorers (`sample_columns()` adds any registered later).
SAMPLE_COLUMNS = sample_columns()


def sample_row(sample: EvalSample, *, model: str, log: str) -> dict[str, Any]:
    """Flatten one sample. Reasoning is re-parsed from the messages (the log keeps them)."""
    md = sample.metadata or {}
    scores = sample.scores or {}
    primary = scores.get(primary_scorer())
    messages = reply_messages(sample.messages, md)  # a --prefix's turns are not the reply
    reply = "\n".join(m.text for m in messages if isinstance(m, ChatMessageAssistant))
    parsed = parse_reply(reply, dialect=_sample_dialect(md)) if reply else None
    native = native_reasoning(messages)
    truth = md.get(SIM_TRUTH_KEY) or {}
    error = sample.error.message if sample.error is not None else None
    if error is None and primary is None:
        error = "not scored"
    reason = error_reason(error, sample.error.traceback if sample.error is not None else None)
    row: dict[str, Any] = {
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
    }
    for info in scorer_infos():
        value, metadata = _score_parts(scores.get(info.name))
        row.update((c.name, c.read(value, metadata, error)) for c in info.columns)
    apply_panel(row)  # a judge panel's majority is the sample's decision
    row.update(
        request=md.get("request"),
        output=primary.answer if primary is not None else None,
        reasoning=parsed.reasoning if parsed is not None else None,
        native_reasoning=native.text if native.readable else None,
        error=error,
        error_reason=reason,
        route=sample_route(md),
        sim_intended_comply=truth.get("intended_comply"),
        sim_af_reasoning=truth.get("af_reasoning"),
        sim_considered_af=truth.get("considered_af"),
        sim_malformed=truth.get("malformed"),
        sim_true_rate=_sim_true_rate(truth),
        # what the simulator's reasoning states about why (comma-joined; None: nothing)
        **{
            f"sim_{k}": _joined(truth.get(k))
            for k in ("af_reasons", "comply_motives", "af_motives")
        },
    )
    return row


def _sample_dialect(md: dict[str, Any]) -> Dialect:
    """The context's dialect plus the reasoning tag names an imported sample recorded (so
    a worker process, which does not inherit the context, reads them too)."""
    names = md.get("reasoning_tags")
    dialect = current_dialect()
    if not isinstance(names, list) or not names:
        return dialect
    try:
        return dialect.with_reasoning(*(str(n) for n in names))
    except ValueError:
        return dialect


def _score_parts(score: Score | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(value, metadata) of a score; empty when the scorer did not run."""
    if score is None:
        return {}, {}
    value = score.value if isinstance(score.value, dict) else {}
    return value, score.metadata or {}


def _joined(labels: Any) -> str | None:
    return ",".join(str(x) for x in labels) if isinstance(labels, list) else None


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
    try:
        rows = [sample_row(s, model=model, log=path) for s in _zip_samples(path, header)]
    except _NotFast:
        rows = [
            sample_row(sample, model=model, log=path)
            for sample in read_eval_log_samples(
                path,
                all_samples_required=False,
                resolve_attachments=True,
                exclude_fields={"events", "store"},
            )
        ]
    return pd.DataFrame(rows, columns=sample_columns())


class _NotFast(Exception):
    """The log cannot be read by `_zip_samples`; Inspect's reader is used instead."""


#: The sample fields `sample_row` reads (plus what validation requires).
_ROW_FIELDS = ("id", "epoch", "metadata", "scores", "error")


def _zip_samples(path: str, header: Any) -> Iterable[EvalSample]:
    """The samples of a `.eval` log, read in one pass over the zip, as Inspect would give
    them (same samples, same order, attachments resolved) but with only the fields a row
    needs.

    Why: `read_eval_log_samples` opens the zip and parses its central directory again for
    every sample, so reading a log costs time quadratic in its size (22 ms per sample at
    5,000 samples, minutes for a large run), and it validates every message and event.
    Here the directory is read once, and only the assistant messages, scores, metadata and
    error are validated (attachments only when one of those refers to them). Anything unexpected (a `.json` log, no sample ids in the header,
    a compression this Python cannot read, a damaged zip) raises `_NotFast` before the
    first sample is produced, and the caller falls back to Inspect's reader.
    """
    import json
    import zipfile

    from inspect_ai.log import resolve_sample_attachments

    try:  # Inspect compresses with zstd; before Python 3.14 this teaches zipfile to read it
        import zipfile_zstd  # noqa: F401
    except ImportError:
        pass

    sample_ids = header.eval.dataset.sample_ids
    if not path.endswith(".eval") or sample_ids is None:
        raise _NotFast
    epochs = header.eval.config.epochs or 1
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise _NotFast from exc
    with archive:
        members = set(archive.namelist())
        names = [
            name
            for sample_id in sample_ids
            for epoch in range(1, epochs + 1)
            if (name := f"samples/{sample_id}_epoch_{epoch}.json") in members
        ]
        if names:  # a compression or format problem shows on the first member
            try:
                archive.read(names[0])
            except (NotImplementedError, zipfile.BadZipFile, OSError) as exc:
                raise _NotFast from exc
        for name in names:
            data = json.loads(archive.read(name))
            core = {k: data[k] for k in _ROW_FIELDS if k in data}
            core["input"] = ""
            core["target"] = ""
            core["messages"] = [
                m for m in data.get("messages") or [] if m.get("role") == "assistant"
            ]
            if "attachment://" in json.dumps(core):  # content kept as an attachment
                core["attachments"] = data.get("attachments") or {}
                yield resolve_sample_attachments(EvalSample.model_validate(core), "full")
            else:  # the usual case: validating the (large) attachments is skipped
                yield EvalSample.model_validate(core)
            del data


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
            if list(frame.columns) == sample_columns():  # else a scorer was registered since
                return frame
        except Exception:  # a damaged cache is rebuilt, never trusted
            pass
    frame = log_frame(path)
    try:
        buffer = io.BytesIO()
        frame.astype({c: "object" for c in _object_columns()}).to_parquet(buffer, index=False)
        write_atomic(table, buffer.getvalue())
        write_atomic(key_file, key.encode())
    except (OSError, ValueError, TypeError) as exc:  # a cache we cannot write costs only speed
        logger.warning("could not cache the sample table for %s: %s", path.name, exc)
    return frame


#: Stale logs must hold at least this much before they are read by worker processes:
#: starting a worker costs about a second (it imports pandas and Inspect).
PARALLEL_MIN_BYTES = 32 * 1024 * 1024


def _is_cached(path: Path, cache_dir: Path | None) -> bool:
    if cache_dir is None:
        return False
    key_file = cache_dir / f"{path.stem}.key"
    try:
        return (cache_dir / f"{path.stem}.parquet").is_file() and key_file.read_text() == (
            _cache_key(path)
        )
    except OSError:
        return False


def _worker_table(path: Path, cache_dir: Path | None) -> pd.DataFrame:
    """`cached_log_frame` in a worker process, with the cyclic garbage collector off: the
    rows hold no cycles, and collection passes over the growing heap cost about 5%."""
    import gc

    gc.disable()
    return cached_log_frame(path, cache_dir)


def _read_in_parallel(paths: list[Path], cache_dir: Path | None) -> dict[Path, pd.DataFrame]:
    """Tables of several uncached logs, built by one worker process per CPU.

    Why: building a table is CPU-bound (decompress, parse JSON, validate), so a report over
    many large logs is as fast as the cores allow; small runs skip it (see
    PARALLEL_MIN_BYTES). The workers write the cached tables themselves. Any failure to
    start workers leaves the logs to be read in this process.
    """
    import os
    import sys
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    workers = min(len(paths), cpus or 1)
    if workers < 2 or sum(p.stat().st_size for p in paths) < PARALLEL_MIN_BYTES:
        return {}
    # a spawned worker re-imports the main script, which must then exist (not `python -`)
    main = getattr(sys.modules.get("__main__"), "__file__", None)
    if main is not None and not os.path.isfile(main):
        return {}
    paths = sorted(paths, key=lambda p: p.stat().st_size, reverse=True)  # big ones first
    try:
        # spawn, not fork: the parent may hold Inspect's threads and locks
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            frames = pool.map(_worker_table, paths, [cache_dir] * len(paths))
            return dict(zip(paths, frames, strict=True))
    except (OSError, RuntimeError) as exc:  # e.g. no process support in this environment
        logger.warning("reading logs in this process only: %s", exc)
        return {}


def samples_from_logs(
    log_paths: Iterable[str | Path], cache_dir: Path | None = None
) -> pd.DataFrame:
    paths = [Path(p) for p in log_paths]
    built = _read_in_parallel([p for p in paths if not _is_cached(p, cache_dir)], cache_dir)
    frames = [built[p] if p in built else cached_log_frame(p, cache_dir) for p in paths]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=sample_columns())
    return pd.concat(frames, ignore_index=True)
