"""`afbench sweep FILE.yaml`: models × settings × variants × datasets in one resumable run.

A sweep is one `afbench run` per combination, run together: every combination becomes
a `RunConfig` (so a sweep file takes the same options, with the same defaults and checks,
as `afbench run`), every combination is checked before the first call, and all tasks go
through the same execution path as a run. Interrupting a sweep and running it again
finishes only what is missing, and adding a row runs only the new combinations. Each
model may carry its own generation settings, model arguments, provider batch mode and
prompt caching. The result is one summary and one report, with a models × variants table.
"""

from __future__ import annotations

import sys
from itertools import product
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .config import RunConfig, validated
from .errors import ConfigError

#: RunConfig fields that the sweep's axes or its model entries decide, or that only a
#: single run has: the rest may be given once at the top of a sweep file.
_NOT_SHARED = {
    "models", "scenario", "variants", "dataset", "format", "model_args", "display",
    "paraphrase", "paraphrases", "paraphraser", "paraphrase_dir", "dry_run", "batch",
}  # fmt: skip
SHARED_OPTIONS = [name for name in RunConfig.model_fields if name not in _NOT_SHARED]


class SweepModel(BaseModel):
    """One model of the sweep, with what only it needs."""

    model_config = ConfigDict(extra="forbid")

    model: str
    args: dict[str, Any] = Field(default_factory=dict)
    generate: dict[str, Any] = Field(default_factory=dict)
    batch: bool | int = False
    cache_prompt: bool | None = None


class SweepConfig(BaseModel):
    """The axes of a sweep, and the run options shared by every combination."""

    model_config = ConfigDict(extra="forbid")

    models: list[SweepModel] = Field(min_length=1)
    settings: list[str] = Field(default_factory=lambda: ["helpful_only"], min_length=1)
    variants: list[str | list[str]] = Field(default_factory=lambda: ["default"], min_length=1)
    datasets: list[str | None] = Field(default_factory=lambda: [None], min_length=1)
    formats: list[str] = Field(default_factory=lambda: ["chat"], min_length=1)
    options: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _shared_options(cls, data: Any) -> Any:
        """Top-level keys that are run options are collected into `options`."""
        if isinstance(data, dict):
            data = dict(data)
            options = {k: data.pop(k) for k in list(data) if k in SHARED_OPTIONS}
            data["options"] = {**data.get("options", {}), **options}
        return data

    @field_validator("models", mode="before")
    @classmethod
    def _model_strings(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"model": m} if isinstance(m, str) else m for m in value]
        return value

    @field_validator("formats")
    @classmethod
    def _formats(cls, value: list[str]) -> list[str]:
        unknown = [f for f in value if f != "chat"]
        if unknown:
            raise ValueError(
                f"format(s) {unknown} are not available yet; this version runs 'chat' only"
            )
        return value

    def variant_sets(self) -> list[list[str]]:
        """Each entry as a list of variant specs; `default` is the empty list."""
        out = []
        for entry in self.variants:
            specs = [entry] if isinstance(entry, str) else list(entry)
            out.append([s for s in specs if s != "default"])
        return out

    def combinations(self) -> list[dict[str, Any]]:
        """One dict of RunConfig values per (setting, variants, dataset, format)."""
        return [
            {"scenario": s, "variants": v, "dataset": d, "format": f}
            for s, v, d, f in product(
                self.settings, self.variant_sets(), self.datasets, self.formats
            )
        ]

    def run_config(self, combination: dict[str, Any], entry: SweepModel, out: Path) -> RunConfig:
        values = {
            **self.options,
            **combination,
            "models": [entry.model],
            "model_args": entry.args,
            "out": out,
        }
        return validated(RunConfig, values, "sweep file")

    def generate_for(self, entry: SweepModel, config: RunConfig) -> dict[str, Any]:
        """The model's GenerateConfig: the run's temperature and retry bounds, then its
        own `generate:` settings, batch mode and prompt caching."""
        generate = {"temperature": config.temperature, **config.generate_options()}
        generate.update(entry.generate)
        if entry.batch:
            generate["batch"] = entry.batch
        if entry.cache_prompt is not None:
            generate["cache_prompt"] = entry.cache_prompt
        return generate


def load_sweep(path: Path) -> SweepConfig:
    from ._util.yaml_file import read_text, yaml_mapping

    text = read_text(path, "sweep file", ConfigError)
    data = yaml_mapping(text, f"sweep file {path}", "a mapping of settings", ConfigError)
    sweep = validated(SweepConfig, data, f"sweep file {path}")
    # Shared options are checked as a run would check them, naming the file.
    models = [m.model for m in sweep.models]
    validated(RunConfig, {**sweep.options, "models": models}, f"sweep file {path}")
    return sweep


def run_sweep(
    path: Path, out: Path | None = None, display: str = "plain", preflight: bool | None = None
) -> dict[str, Any]:
    """Run (or resume) the sweep; `preflight` (None: as the file says) probes every model
    and the judge first (`preflight_live`)."""
    from .execution import build_model, prepare_judge, run_tasks
    from .outputs import finish_run
    from .preflight import check_output_dir
    from .preflight import preflight as check_config
    from .preflight_live import check_reachable, probe_targets
    from .progress import already_finished, task_identity
    from .providers import continuing_model
    from .tasks import registered_task

    sweep = load_sweep(path)
    out = out or sweep.options.get("out") or Path("runs") / path.stem
    out = Path(out)
    # Validate every combination and every model before the first call.
    plans, labels, first = [], [], None
    for combination in sweep.combinations():
        for entry in sweep.models:
            config = sweep.run_config(combination, entry, out)
            plan = check_config(config, check_out=False)
            first = first or config
        plans.append(plan)
        labels.append(f"{combination['scenario']} [{plan.resolved['variant']}]")
    assert first is not None
    check_output_dir(out)
    expected = [
        (task_identity(p.options), continuing_model(e.model)) for p in plans for e in sweep.models
    ]
    probe = first.preflight if preflight is None else preflight
    if probe and not already_finished(out / "logs", expected):
        targets = probe_targets([(e.model, e.args) for e in sweep.models], first.all_judges)
        check_reachable(targets, warn=lambda line: print(line, file=sys.stderr, flush=True))
    models = [build_model(e.model, sweep.generate_for(e, first), e.args) for e in sweep.models]
    for judge in first.all_judges:
        prepare_judge(judge, batch=first.judge_batch)
    try:
        success, logs = run_tasks(
            [registered_task(p) for p in plans],
            models,
            log_dir=out / "logs",
            epochs=first.epochs,
            display=display,
            log_realtime=first.log_realtime,
        )
    except KeyboardInterrupt:  # what finished is in the logs; finish_run finds them
        success, logs = False, []
    settings = sweep_settings(sweep, first, labels, path, out)
    info = finish_run(out, settings, logs, success, expected)
    info["max_error_rate"] = first.max_error_rate
    return info


def sweep_settings(
    sweep: SweepConfig, config: RunConfig, labels: list[str], path: Path, out: Path
) -> dict[str, Any]:
    """What the summary and report show as the sweep's settings."""
    from . import __version__
    from .scorers import compliance_signal

    names = [m.model for m in sweep.models]
    settings: dict[str, Any] = {
        "scenario": ", ".join(sweep.settings),
        "variant": ", ".join(sorted(set(labels))),
        "sweep_file": str(path),
        "dataset": ", ".join(str(d or "scenario default") for d in sweep.datasets),
        "judge": config.judge,
        "compliance_signal": compliance_signal(config.judge),
        "n_requests": config.limit,
        "epochs": config.epochs,
        "temperature": config.temperature,
        "max_continuations": config.max_continuations,
        "log_dir": str(out / "logs"),
        "models": names,
        "simulated_models": [m for m in names if m.startswith("sim/")],
        "afbench_version": __version__,
    }
    return {**settings, **config.optional_settings()}
