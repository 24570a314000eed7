"""What a run folder holds besides its logs: `run.json` (which logs and settings make up
the run), the summary and the report, always rebuilt from the logs alone.

Shared by run, sweep, import, rescore and `afbench report`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from . import __version__
from ._util.atomic import write_atomic_text
from .defaults import RUN_MANIFEST, SAMPLE_TABLES
from .errors import LogsError, RunInterrupted
from .protocol.dialects import dialect_of_settings, use_dialect

GapSpec = tuple[str, str, str, dict[str, Any]]


def finish_run(
    out: Path,
    settings: dict[str, Any],
    logs: list[Any],
    success: bool,
    expected: list[tuple[dict[str, Any], str]] | None = None,
) -> dict[str, Any]:
    """Record which logs and settings make up this run (`run.json`, what `afbench report`
    reads), then write summary and report.

    `expected`: the run's (task arguments, model) pairs; where eval_set returned fewer
    logs than that (after Ctrl-C it may return none), the run's logs are found in its
    folder (`progress.find_run_logs`), so that what finished is still summarised."""
    from .progress import find_run_logs

    paths = [local_path(log.location) for log in logs]
    if expected is not None and len(paths) < len(expected):
        paths, success = find_run_logs(out / "logs", expected), False
        if not paths:
            raise RunInterrupted("the run stopped before its first log was written")
    manifest = {
        "afbench_version": __version__,
        "settings": settings,
        "logs": [os.path.relpath(path, out) for path in paths],
        "complete": success,
    }
    write_atomic_text(out / RUN_MANIFEST, json.dumps(manifest, indent=2) + "\n")
    try:
        info = build_outputs(out)
    except NoFinishedSamples as exc:
        if success:
            raise
        raise RunInterrupted(
            f"the run stopped before any sample finished (0 of {exc.planned} planned); "
            "no summary or report was written"
        ) from None
    info["complete"] = success and info["summary_data"].get("complete", True)
    return info


def build_outputs(out: Path) -> dict[str, Any]:
    """Rebuild summary and report from the logs named in `run.json` (or all logs)."""
    from .analysis.errors import is_interruption, overall_error_fields
    from .analysis.results import samples_from_logs
    from .analysis.summary import build_summary, write_summary
    from .analysis.usage import usage_fields
    from .progress import progress_fields, read_progress
    from .report import write_report

    manifest_path = out / RUN_MANIFEST
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        settings = manifest["settings"]
        log_files = [str(out / p) for p in manifest["logs"]]
    else:
        settings, log_files = settings_from_logs(out / "logs")
    if not log_files:
        raise LogsError(f"no afbench logs found under {out}")
    # Replies are parsed again for the table: with the reasoning tags the run read.
    with use_dialect(dialect_of_settings(settings)):
        samples = samples_from_logs(log_files, cache_dir=out / SAMPLE_TABLES)
    # Samples cancelled by Ctrl-C are logged as errors; they did not fail, and did not finish.
    samples = samples[~samples["error_reason"].map(is_interruption)]
    if samples.empty:
        raise NoFinishedSamples(out, log_files)
    gap_specs: dict[Any, list[GapSpec]] = {
        **_gap_specs_from_scenarios(samples, settings),
        **_gap_specs_from_logs(log_files),
    }
    summary = build_summary(samples, settings, gap_specs)
    progress = read_progress(log_files)
    progress_fields(summary, progress)
    summary.update(overall_error_fields(summary["conditions"]))
    summary["usage"] = usage_fields(log_files, settings.get("prices"))
    json_path, csv_path = write_summary(summary, out)
    report_path = write_report(summary, samples, out)
    return {
        "summary": json_path,
        "csv": csv_path,
        "report": report_path,
        "logs": log_files,
        "summary_data": summary,
        "interrupted": progress.interrupted,
    }


class NoFinishedSamples(LogsError):
    """The run's logs hold no finished sample yet: nothing to summarise, and no file is
    written (an empty summary or report would look like a result)."""

    hint = "run the same command again to resume; the report is written once samples finish"

    def __init__(self, out: Path, log_files: list[str]) -> None:
        from .progress import read_progress

        self.planned = read_progress(log_files).samples_planned
        super().__init__(f"no finished samples yet in {out} (0 of {self.planned} planned)")


def local_path(location: str) -> str:
    """Inspect reports reused logs as `file:` URIs and fresh ones as paths."""
    from urllib.parse import unquote, urlparse

    if location.startswith("file:"):
        return unquote(urlparse(location).path)
    return location


def _gap_specs_from_logs(log_files: list[str]) -> dict[tuple[str, str], list[GapSpec]]:
    """Gap definitions recorded by the task in each log's metadata."""
    from inspect_ai.log import read_eval_log

    specs: dict[tuple[str, str], list[GapSpec]] = {}
    for path in log_files:
        meta = read_eval_log(path, header_only=True).eval.metadata or {}
        if "afbench_gaps" in meta:
            key = (meta.get("afbench_scenario"), meta.get("afbench_variant", "default"))
            specs[key] = [
                (g["name"], g["trained"], g["unmonitored"], g.get("attributes") or {})
                for g in meta["afbench_gaps"]
            ]
    return specs


def _gap_specs_from_scenarios(samples: Any, settings: dict[str, Any]) -> dict[str, list[GapSpec]]:
    """Gap definitions come from the scenario manifest; without it, every trained tier is
    compared with every tier that is neither trained nor rated."""
    from .scenarios import ScenarioError, load_scenario

    specs: dict[str, list[GapSpec]] = {}
    dirs = [Path(d) for d in settings.get("scenario_dirs") or []]
    for scenario in samples["scenario"].dropna().unique():
        try:
            spec = load_scenario(str(scenario), dirs)
            specs[scenario] = [
                (g.name, g.trained, g.unmonitored, dict(g.attributes or {})) for g in spec.gaps
            ]
        except ScenarioError:
            tiers = samples[samples["scenario"] == scenario][["tier", "trained", "rated"]]
            tiers = tiers.drop_duplicates("tier")
            trained = tiers[tiers["trained"]]["tier"].tolist()
            unmon = tiers[~tiers["trained"] & ~tiers["rated"]]["tier"].tolist()
            specs[scenario] = [(f"{t}_vs_{u}", t, u, {}) for t in trained for u in unmon]
    return specs


def settings_from_logs(log_dir: Path) -> tuple[dict[str, Any], list[str]]:
    """For logs written by `inspect eval afbench/alignment_faking` without `afbench run`:
    the newest log per (task args, model), with the task's defaults (from `TaskOptions`)
    for every argument the log does not record."""
    from inspect_ai.log import list_eval_logs, read_eval_log

    from .config import TaskOptions
    from .scorers import compliance_signal

    if not log_dir.is_dir():
        return {}, []
    latest: dict[tuple[str, str], tuple[str, Any]] = {}
    for info in list_eval_logs(str(log_dir), descending=True):
        header = read_eval_log(info, header_only=True)
        if header.eval.task.split("/")[-1] != "alignment_faking":
            continue
        key = (json.dumps(header.eval.task_args, sort_keys=True, default=str), header.eval.model)
        if key not in latest:
            latest[key] = (info.name, header)
    if not latest:
        return {}, []
    headers = [h for _, h in latest.values()]
    defaults = TaskOptions().model_dump(mode="json")
    args = {**defaults, **(headers[0].eval.task_args or {})}
    models = sorted({h.eval.model for h in headers})
    settings = {
        "scenario": args["scenario"],
        "variant": "default",
        "dataset": args["dataset"] or "scenario default",
        "judge": args["judge"],
        "compliance_signal": compliance_signal(args["judge"]),
        "n_requests": None,
        "epochs": headers[0].eval.config.epochs or 1,
        "temperature": args["temperature"],
        "max_continuations": args["max_continuations"],
        "examples": args["examples"],
        "suffix": args["suffix"],
        "system_prompt_file": args["system_prompt_file"],
        "log_dir": str(log_dir),
        "models": models,
        "simulated_models": [m for m in models if m.startswith("sim/")],
        "afbench_version": __version__,
    }
    if args.get("af_maybe_band") is False:  # only when off: as `afbench run` records it
        settings["af_maybe_band"] = False
    return settings, [local_path(name) for name, _ in latest.values()]
