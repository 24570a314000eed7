"""How far a run got: the samples its logs planned and finished, and whether it ended.

Why: an interrupted run (Ctrl-C, a killed process, a task that stopped) leaves logs that
hold part of the samples. The summary, the report and the console must then say
"partial (41 of 200)" rather than present the part as the whole, and the run must say
which command resumes it. Inspect may also return no logs at all after Ctrl-C, so the
run's logs are found in its log folder by what they ran (task arguments and model).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Log states of a task that did not end: stopped by Ctrl-C, or killed while running.
INTERRUPTED = frozenset({"cancelled", "started"})

ConditionKey = tuple[str, str, str, str]  # (model, scenario, variant, tier)


@dataclass
class Progress:
    """What the logs planned (per condition) and how each task ended."""

    planned: dict[ConditionKey, int] = field(default_factory=dict)
    statuses: list[str] = field(default_factory=list)
    #: Samples planned by logs whose sample ids do not name a tier (not afbench's task).
    planned_elsewhere: int = 0

    @property
    def samples_planned(self) -> int:
        return sum(self.planned.values()) + self.planned_elsewhere

    @property
    def interrupted(self) -> bool:
        return any(s in INTERRUPTED for s in self.statuses)

    @property
    def ended(self) -> bool:
        """Every task ran to its end (some samples may still have failed)."""
        return bool(self.statuses) and all(s == "success" for s in self.statuses)


def read_progress(log_files: list[str]) -> Progress:
    """The planned samples of each log (its sample ids × epochs, by the tier each id
    names) and each log's status, from the headers alone."""
    from inspect_ai.log import read_eval_log

    from ._util.model_names import display_model_name

    progress = Progress()
    for path in log_files:
        header = read_eval_log(path, header_only=True)
        progress.statuses.append(str(header.status))
        meta = header.eval.metadata or {}
        model = display_model_name(header.eval.model)
        scenario = meta.get("afbench_scenario")
        variant = meta.get("afbench_variant", "default")
        epochs = header.eval.config.epochs or 1
        ids = header.eval.dataset.sample_ids or []
        if not ids:
            progress.planned_elsewhere += (header.eval.dataset.samples or 0) * epochs
        for sample_id in ids:
            _, sep, tier = str(sample_id).rpartition("__")
            if not sep or scenario is None:
                progress.planned_elsewhere += epochs
                continue
            key = (model, str(scenario), str(variant), tier)
            progress.planned[key] = progress.planned.get(key, 0) + epochs
    return progress


def progress_fields(summary: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Add to the summary how far the run got: per condition `samples_done` (finished,
    failed ones included) and `samples_planned`; overall the same and `complete`.
    Returns the overall fields."""
    done_total = 0
    for cond in summary["conditions"]:
        key = (cond["model"], cond["scenario"], cond["variant"], cond["tier"])
        done = int(cond.get("n") or 0) + int(cond.get("errors") or 0)
        done_total += done
        cond["samples_done"] = done
        cond["samples_planned"] = progress.planned.get(key, done)
    planned = max(progress.samples_planned, done_total)
    overall = {
        "complete": progress.ended and done_total >= planned,
        "samples_done": done_total,
        "samples_planned": planned,
    }
    summary.update(overall)
    return overall


def task_identity(options: Any) -> dict[str, Any]:
    """Every argument of a task as its log records them (`TaskOptions`: all fields, with
    the values `task_args` gives), what `find_run_logs` matches."""
    return {**options.model_dump(mode="json"), **options.task_args()}


def find_run_logs(log_dir: Path, expected: list[tuple[dict[str, Any], str]]) -> list[str]:
    """The newest log in `log_dir` for each expected (task arguments, model) pair.

    Inspect records every task argument, defaults included; `expected` holds all of them
    (`task_identity`), so a log matches when it recorded the same
    value for each. Logs of other runs in the same folder (other options) are left out."""
    from inspect_ai.log import list_eval_logs, read_eval_log

    from .outputs import local_path

    if not log_dir.is_dir():
        return []
    found: dict[int, str] = {}
    for info in list_eval_logs(str(log_dir), descending=True):
        header = read_eval_log(info, header_only=True)
        args = header.eval.task_args or {}
        for i, (wanted, model) in enumerate(expected):
            if i in found or header.eval.model != model:
                continue
            if all(args.get(k) == v for k, v in wanted.items()):
                found[i] = local_path(info.name)
    return [found[i] for i in sorted(found)]


def already_finished(log_dir: Path, expected: list[tuple[dict[str, Any], str]]) -> bool:
    """Every expected log is in `log_dir` and its task ended (`success`): running the same
    tasks again would reuse them all."""
    from inspect_ai.log import read_eval_log

    logs = find_run_logs(log_dir, expected)
    return len(logs) == len(expected) and all(
        read_eval_log(path, header_only=True).status == "success" for path in logs
    )
