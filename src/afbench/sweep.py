"""`afbench sweep FILE.yaml`: models × settings × variants × datasets in one resumable run.

A sweep is Inspect's `eval_set` over one task per (setting, variants, dataset) and every
model, so interrupting it and running it again finishes only what is missing, and adding a
row to the file runs only the new combinations. Each model may carry its own generation
settings, model arguments, provider batch mode and prompt caching. The result is one
summary and one report, with a models × variants table of gaps and AF rates.
"""

from __future__ import annotations

import contextvars
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .datasets import MAX_REQUEST_CHARS
from .errors import ConfigError


class SweepModel(BaseModel):
    """One model of the sweep, with what only it needs."""

    model_config = ConfigDict(extra="forbid")

    model: str
    args: dict[str, Any] = Field(default_factory=dict)
    generate: dict[str, Any] = Field(default_factory=dict)
    batch: bool | int = False
    cache_prompt: bool | None = None


class SweepConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    models: list[SweepModel] = Field(min_length=1)
    settings: list[str] = Field(default_factory=lambda: ["helpful_only"], min_length=1)
    variants: list[str | list[str]] = Field(default_factory=lambda: ["default"], min_length=1)
    datasets: list[str | None] = Field(default_factory=lambda: [None], min_length=1)
    formats: list[str] = Field(default_factory=lambda: ["chat"], min_length=1)
    judge: str = "openai/gpt-4o"
    af_classifier: str = "improved"
    votes: int | str = 20
    limit: int | None = Field(default=None, ge=1)
    max_request_chars: int = Field(default=MAX_REQUEST_CHARS, ge=1)
    epochs: int = Field(default=1, ge=1, le=100)
    out: Path | None = None
    max_continuations: int = Field(default=4, ge=0, le=20)
    scenario_dirs: list[Path] = Field(default_factory=list)
    log_realtime: bool = True

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


def load_sweep(path: Path) -> SweepConfig:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read sweep file {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"sweep file {path} is not UTF-8 text") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"sweep file {path}{where}: malformed YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"sweep file {path}: expected a mapping of settings at the top level")
    try:
        return SweepConfig.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'file'}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"sweep file {path}: {problems}") from None


def run_sweep(path: Path, out: Path | None = None, display: str = "plain") -> dict[str, Any]:
    from inspect_ai import eval_set

    from . import __version__
    from .models.hf_continue import continuing_model
    from .runner import (
        DEFAULT_ATTEMPT_TIMEOUT,
        DEFAULT_MAX_RETRIES,
        DEFAULT_TIMEOUT,
        RunConfig,
        build_model,
        check_output_dir,
        finish_run,
        prepare,
        prepare_judge,
    )
    from .tasks import alignment_faking

    sweep = load_sweep(path)
    out = out or sweep.out or Path("runs") / path.stem
    combos = [
        (setting, variants, dataset)
        for setting in sweep.settings
        for variants in sweep.variant_sets()
        for dataset in sweep.datasets
    ]
    # Validate every combination and every model before the first call.
    labels = []
    for setting, variants, dataset in combos:
        for entry in sweep.models:
            config = RunConfig(
                models=[entry.model],
                scenario=setting,
                variants=variants,
                dataset=dataset,
                limit=sweep.limit,
                max_request_chars=sweep.max_request_chars,
                judge=sweep.judge,
                out=out,
                model_args=entry.args,
                scenario_dirs=sweep.scenario_dirs,
            )
            _, resolved = prepare(config, check_out=False)
        labels.append(f"{setting} [{resolved['variant']}]")
    check_output_dir(out)
    tasks = [
        alignment_faking(
            scenario=setting,
            variants=variants or None,
            dataset=dataset,
            limit=sweep.limit,
            max_request_chars=sweep.max_request_chars,
            judge=sweep.judge,
            af_classifier=sweep.af_classifier,
            votes=sweep.votes,
            max_continuations=sweep.max_continuations,
            scenario_dirs=[str(d) for d in sweep.scenario_dirs] or None,
        )
        for setting, variants, dataset in combos
    ]
    models: list[Any] = []
    for entry in sweep.models:
        name = continuing_model(entry.model)
        generate = {
            "temperature": 0.0,
            "max_retries": DEFAULT_MAX_RETRIES,
            "timeout": DEFAULT_TIMEOUT,
            "attempt_timeout": DEFAULT_ATTEMPT_TIMEOUT,
            **entry.generate,
        }
        if entry.batch:
            generate["batch"] = entry.batch
        if entry.cache_prompt is not None:
            generate["cache_prompt"] = entry.cache_prompt
        models.append(build_model(name, generate, entry.args))
    prepare_judge(sweep.judge)
    # A copied context: the run's retry settings must not leak into later calls.
    success, logs = contextvars.copy_context().run(
        eval_set,
        tasks=tasks,
        model=models,
        log_dir=str(out / "logs"),
        epochs=sweep.epochs,
        display=display,  # type: ignore[arg-type]
        fail_on_error=False,
        retry_on_error=2,
        retry_attempts=2,
        retry_wait=1,
        log_dir_allow_dirty=True,
        log_realtime=sweep.log_realtime,
        score_display=False,
    )
    from .scorers import compliance_signal

    settings = {
        "scenario": ", ".join(sweep.settings),
        "variant": ", ".join(sorted(set(labels))),
        "sweep_file": str(path),
        "dataset": ", ".join(str(d or "scenario default") for d in sweep.datasets),
        "judge": sweep.judge,
        "compliance_signal": compliance_signal(sweep.judge),
        "n_requests": sweep.limit,
        "epochs": sweep.epochs,
        "temperature": 0.0,
        "max_continuations": sweep.max_continuations,
        "log_dir": str(out / "logs"),
        "models": [m.model for m in sweep.models],
        "simulated_models": [m.model for m in sweep.models if m.model.startswith("sim/")],
        "afbench_version": __version__,
    }
    info = finish_run(out, settings, logs, success)
    return info
