"""`afbench run`: validate everything, run the task on every model with Inspect's
`eval_set` (so a re-run reuses finished work), then write summary and report.

Order matters: every check that can fail on bad input — scenario, templates, dataset,
output directory, API keys — happens before the first model call, so a mistake costs
nothing and leaves nothing half-written.
"""

from __future__ import annotations

import contextvars
import json
import os
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from . import __version__
from ._util.atomic import write_atomic_text
from .datasets.load import MAX_REQUEST_CHARS
from .errors import ConfigError

#: Bounded retries: a request is tried at most 1 + DEFAULT_MAX_RETRIES times, each attempt
#: for at most DEFAULT_ATTEMPT_TIMEOUT seconds, all attempts within DEFAULT_TIMEOUT seconds.
DEFAULT_MAX_RETRIES = 6
DEFAULT_ATTEMPT_TIMEOUT = 180
DEFAULT_TIMEOUT = 900

RUN_MANIFEST = "run.json"
#: Compact per-sample tables (Parquet), one per log, rebuilt whenever a log changes.
SAMPLE_TABLES = "samples"


class RunConfig(BaseModel):
    """Everything one `afbench run` needs; also what the report shows as settings."""

    model_config = ConfigDict(extra="forbid")

    models: list[str] = Field(min_length=1)
    scenario: str = "helpful_only"
    variants: list[str] = Field(default_factory=list)
    tiers: list[str] | None = None
    dataset: str | None = None
    field: str | None = None
    limit: int | None = Field(default=None, ge=1)
    max_request_chars: int = Field(default=MAX_REQUEST_CHARS, ge=1)
    epochs: int = Field(default=1, ge=1, le=100)
    judge: str = "openai/gpt-4o"
    af_classifier: str = Field(default="improved", pattern="^(improved|original|offline)$")
    votes: int | str = 20
    prescreen: float | None = Field(default=None, gt=0.0, le=1.0)
    out: Path = Path("runs/latest")
    model_args: dict[str, Any] = Field(default_factory=dict)
    examples: bool | None = None
    suffix: bool | None = None
    system_prompt_file: Path | None = None
    scenario_dirs: list[Path] = Field(default_factory=list)
    prefill: str | None = None
    format: str = Field(default="chat", pattern="^(chat|base)$")
    paraphrases: int | None = Field(default=None, ge=1, le=50)
    paraphraser: str | None = None
    paraphrase_dir: Path | None = None
    max_continuations: int = Field(default=4, ge=0, le=20)
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    max_tokens: int = Field(default=4000, ge=1)
    max_connections: int | None = Field(default=None, ge=1)
    # Inspect retries failed requests forever by default; a research run should end.
    max_retries: int = Field(default=DEFAULT_MAX_RETRIES, ge=0, le=100)
    timeout: int = Field(default=DEFAULT_TIMEOUT, ge=1)
    attempt_timeout: int = Field(default=DEFAULT_ATTEMPT_TIMEOUT, ge=1)
    display: str = "plain"
    # Inspect's realtime sample buffer: live samples in `inspect view`, and finished but
    # not yet flushed samples recovered after a crash. Off saves about a quarter of the
    # CPU a sample costs, which matters only when the client, not the model, is the limit.
    log_realtime: bool = True

    @field_validator("votes")
    @classmethod
    def _votes(cls, v: int | str) -> int | str:
        if v == "full" or (isinstance(v, int) and 1 <= v <= 200):
            return v
        if isinstance(v, str) and v.isdigit() and 1 <= int(v) <= 200:
            return int(v)
        raise ValueError("votes must be a number from 1 to 200, or 'full'")

    @field_validator("system_prompt_file")
    @classmethod
    def _prompt_file_exists(cls, v: Path | None) -> Path | None:
        if v is not None and not v.is_file():
            raise ValueError(f"system prompt file not found: {v}")
        return v

    def task_args(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "variants": self.variants or None,
            "tiers": self.tiers,
            "dataset": self.dataset,
            "field": self.field,
            "limit": self.limit,
            "max_request_chars": self.max_request_chars,
            "examples": self.examples,
            "suffix": self.suffix,
            "system_prompt_file": str(self.system_prompt_file) if self.system_prompt_file else None,
            "scenario_dirs": [str(d) for d in self.scenario_dirs] or None,
            "prefill": self.prefill,
            "format": self.format,
            "max_continuations": self.max_continuations,
            "judge": self.judge,
            "af_classifier": self.af_classifier,
            "votes": self.votes,
            "prescreen": self.prescreen,
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
        }

    def settings(self, n_requests: int, resolved: dict[str, Any] | None = None) -> dict[str, Any]:
        """`resolved`: what the scenario decided where the command left it open."""
        from .scorers import OFFLINE, compliance_signal

        resolved = resolved or {}
        return {
            "scenario": self.scenario,
            "variant": resolved.get("variant", "default"),
            "variants": self.variants,
            "tiers": self.tiers,
            "dataset": resolved.get("dataset", self.dataset),
            "field": self.field,
            "judge": self.judge,
            "compliance_signal": compliance_signal(self.judge),
            "af_classifier": "offline" if self.judge == OFFLINE else self.af_classifier,
            "votes": self.votes,
            "prescreen": self.prescreen,
            "n_requests": n_requests,
            "max_request_chars": self.max_request_chars,
            "epochs": self.epochs,
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "max_continuations": self.max_continuations,
            "examples": resolved.get("examples", self.examples),
            "suffix": resolved.get("suffix", self.suffix),
            "system_prompt_file": str(self.system_prompt_file) if self.system_prompt_file else None,
            "scenario_dirs": [str(d) for d in self.scenario_dirs],
            "prefill": resolved.get("prefill", self.prefill),
            "format": self.format,
            "paraphrases": resolved.get("paraphrases") or None,
            "paraphraser": self.paraphraser,
            "max_retries": self.max_retries,
            "timeout": self.timeout,
            "attempt_timeout": self.attempt_timeout,
            "log_realtime": self.log_realtime,
            "log_dir": str(self.out / "logs"),
            "models": self.models,
            "model_args": {k: _redact(k, v) for k, v in self.model_args.items()},
            "simulated_models": [m for m in self.models if m.startswith("sim/")],
            "afbench_version": __version__,
        }


#: Providers that run locally: checked when they start, not constructed up front.
LOCAL_PROVIDERS = {
    "hf", "hf-continue", "vllm", "vllm-completions", "sglang", "ollama", "llama-cpp-python",
    "transformer_lens", "nnterp",
}  # fmt: skip

_SECRET_KEY = re.compile(r"key|token|secret|password|authorization", re.IGNORECASE)


def _redact(key: str, value: Any) -> Any:
    if isinstance(value, dict):  # e.g. -M default_headers={"X-Api-Key": ...}
        return {k: _redact(str(k), v) for k, v in value.items()}
    return "***" if _SECRET_KEY.search(key) else value


def _fingerprint(key: str, value: Any) -> Any:
    """What a log may record of a model argument: secret-looking values (by name) become
    a short hash, which keeps runs with different values apart without revealing any."""
    import hashlib

    if isinstance(value, dict):
        return {k: _fingerprint(str(k), v) for k, v in value.items()}
    if _SECRET_KEY.search(key):
        return "sha256:" + hashlib.sha256(repr(value).encode()).hexdigest()[:12]
    return value


def _strip_markup(text: str) -> str:
    return re.sub(r"\[/?(?:bold|blue|red|yellow|green|italic)\]", "", text).strip()


def check_models(models: list[str], model_args: dict[str, Any], judge: str) -> None:
    """Construct every model once: Inspect's providers check their keys and SDKs here,
    before any request is made."""
    from inspect_ai._util.error import PrerequisiteError
    from inspect_ai.model import get_model

    from .scorers import OFFLINE

    wanted = [(m, model_args) for m in models]
    if judge != OFFLINE:
        wanted.append((judge, {}))
    for name, args in wanted:
        role = "judge" if name == judge and name not in models else "model"
        if "/" not in name:
            raise ConfigError(
                f"{role} '{name}' is not an Inspect model string: use provider/model, "
                "e.g. openai/gpt-4o, anthropic/claude-3-opus-20240229, sim/faker"
            )
        if name.split("/", 1)[0] in LOCAL_PROVIDERS:
            continue  # constructing them loads weights or starts a server; they need no key
        try:
            get_model(name, **args)
        except PrerequisiteError as exc:
            raise ConfigError(f"cannot use {role} '{name}': {_strip_markup(str(exc))}") from None
        except ValueError as exc:
            raise ConfigError(f"cannot use {role} '{name}': {exc}") from None
        except TypeError as exc:  # a -M argument the provider's client does not take
            raise ConfigError(
                f"cannot use {role} '{name}' with these model arguments (-M): {exc}"
            ) from None


def check_output_dir(out: Path) -> None:
    try:
        (out / "logs").mkdir(parents=True, exist_ok=True)
        probe = out / ".afbench-write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        raise ConfigError(f"output directory {out} is not writable: {exc.strerror}") from None


def prepare(config: RunConfig, *, check_out: bool = True) -> tuple[int, dict[str, Any]]:
    """All checks that need no model call; returns the number of requests and the settings
    the scenario decided (variant label, dataset, examples, suffix, prefill)."""
    from .datasets import DatasetError
    from .scenarios import ScenarioError, load_scenario
    from .tasks import build_samples

    try:
        samples = build_samples(
            **{
                k: v
                for k, v in config.task_args().items()
                if k
                not in (
                    "max_continuations",
                    "judge",
                    "af_classifier",
                    "votes",
                    "prescreen",
                    "temperature",
                    "max_tokens",
                )
            }
        )
        from .tasks import effective_variants

        spec = load_scenario(
            config.scenario,
            config.scenario_dirs,
            effective_variants(config.variants, config.format),
        )
    except (ScenarioError, DatasetError, ConfigError) as exc:
        raise ConfigError(str(exc)) from None
    if not samples:
        raise ConfigError("the dataset produced no requests")
    resolved = {
        "variant": spec.variant,
        "dataset": config.dataset or spec.default_dataset,
        "examples": spec.examples_default if config.examples is None else config.examples,
        "suffix": spec.suffix_default if config.suffix is None else config.suffix,
        "prefill": config.prefill
        if config.prefill is not None
        else (spec.prefill or ("basic" if config.format == "base" else None)),
        "scratchpad": spec.scratchpad,
    }
    if config.format == "base":
        from .protocol.base_format import check_base_support

        for model in config.models:
            check_base_support(model)
        if any(m.startswith("hf/") for m in config.models):
            # a base model reads the raw document, not a chat template
            config.model_args.setdefault("use_chat_template", False)
    elif resolved["prefill"]:
        from .protocol.prefill import check_prefill_support

        for model in config.models:
            check_prefill_support(model)
    check_models(config.models, config.model_args, config.judge)
    if check_out:
        check_output_dir(config.out)
    return len({s.metadata["request_id"] for s in samples if s.metadata}), resolved


def run_experiment(config: RunConfig) -> dict[str, Any]:
    """Run (or resume) the experiment and write summary + report. Returns run info."""
    from inspect_ai import eval_set

    from .tasks import alignment_faking

    n_requests, resolved = prepare(config)
    log_dir = config.out / "logs"
    tasks = [alignment_faking(**config.task_args())]
    prompts = paraphrase_prompts(config, resolved)
    for index, path in enumerate(prompts, start=1):
        args = {**config.task_args(), "system_prompt_file": str(path)}
        tasks.append(alignment_faking(**args, paraphrase=f"paraphrase:{index:02d}"))
    resolved["paraphrases"] = [str(p) for p in prompts]
    extra: dict[str, Any] = {
        "max_retries": config.max_retries,
        "timeout": config.timeout,
        "attempt_timeout": config.attempt_timeout,
    }
    samples: dict[str, Any] = {}
    if config.max_connections:
        extra["max_connections"] = config.max_connections
        # A sample keeps its slot while it is scored and logged, not only while it waits
        # for the model: with as many slots as connections, connections sit idle (bench/
        # throughput.py: 52 -> 58 samples/s at 20 connections and 200 ms latency).
        samples["max_samples"] = 2 * config.max_connections
    models = resolve_models(config, extra)

    # Inspect leaves the eval's generate config (retries, timeouts) as the active config of
    # the calling context; a copied context keeps it from leaking into the caller's later
    # model calls (a notebook, a test) after run_experiment returns.
    success, logs = contextvars.copy_context().run(
        eval_set,
        tasks=tasks,
        model=models,  # type: ignore[arg-type]
        model_args=config.model_args,
        **samples,
        log_dir=str(log_dir),
        epochs=config.epochs,
        display=config.display,  # type: ignore[arg-type]
        fail_on_error=False,
        retry_on_error=2,
        retry_attempts=2,
        retry_wait=1,
        log_dir_allow_dirty=True,
        log_realtime=config.log_realtime,
        score_display=False,
        **extra,
    )
    return finish_run(config.out, config.settings(n_requests, resolved), logs, success)


def finish_run(
    out: Path, settings: dict[str, Any], logs: list[Any], success: bool
) -> dict[str, Any]:
    """Record which logs and settings make up this run (`run.json`, what `afbench report`
    reads), then write summary and report. Shared by run, sweep and import."""
    manifest = {
        "afbench_version": __version__,
        "settings": settings,
        "logs": [os.path.relpath(_local_path(log.location), out) for log in logs],
        "complete": success,
    }
    write_atomic_text(out / RUN_MANIFEST, json.dumps(manifest, indent=2) + "\n")
    info = build_outputs(out)
    info["complete"] = success
    return info


def resolve_models(config: RunConfig, generate: dict[str, Any]) -> list[Any]:
    """The models to hand to `eval_set` (see `build_model`), with the judge prepared too."""
    from .models.hf_continue import continuing_model

    models = [build_model(continuing_model(m), generate, config.model_args) for m in config.models]
    prepare_judge(config.judge)
    return models


def build_model(name: str, generate: dict[str, Any], model_args: dict[str, Any]) -> Any:
    """One model for `eval_set`: a remote provider as a `Model` whose retry policy also
    covers malformed response bodies and whose logged arguments hide secrets; a local
    provider (vLLM, hf, ...) as its string, so that Inspect constructs it where it always
    does (loading weights or starting a server).

    `generate` is the GenerateConfig (as a dict) that eval_set would otherwise give it.
    """
    from inspect_ai.model import GenerateConfig, get_model

    if name.split("/", 1)[0] in LOCAL_PROVIDERS:
        return name
    model = get_model(name, config=GenerateConfig(**generate), memoize=False, **model_args)
    retry_malformed_bodies(model.api)
    # Inspect writes model.model_args into every log header and eval-set.json, dropping
    # only `api_key` (and aws_*): any other secret-looking argument is fingerprinted.
    model.model_args = {k: _fingerprint(k, v) for k, v in model.model_args.items()}
    return model


def prepare_judge(judge: str) -> None:
    """Give the judge the same retry policy: the scorers call `get_model(judge)`, which
    returns the memoized instance prepared here."""
    from inspect_ai.model import get_model

    from .scorers import OFFLINE

    if judge != OFFLINE and judge.split("/", 1)[0] not in LOCAL_PROVIDERS:
        retry_malformed_bodies(get_model(judge).api)


def retry_malformed_bodies(api: Any) -> None:
    """Treat a response whose body cannot be parsed as a transient fault: retry it.

    Why: a provider (or a proxy or load balancer in front of it) sometimes answers 200
    with an HTML error page, or the connection drops mid-body. The SDKs surface that as
    `json.JSONDecodeError` (openai, anthropic) or openai's `APIResponseValidationError`,
    which no Inspect provider classifies as retryable, so the sample fails and only
    eval_set's sample-level retry (which restarts the whole conversation, at most twice)
    catches it. Retried here, such a fault costs one request, bounded like any other by
    `max_retries` and `timeout`. Every other exception is classified by the provider.
    """
    import json

    from inspect_ai.model._model import RetryDecision

    original = api.should_retry
    if getattr(original, "_afbench_malformed_bodies", False):
        return

    def should_retry(ex: BaseException) -> Any:
        if isinstance(ex, json.JSONDecodeError) or type(ex).__name__ in _MALFORMED_BODY_ERRORS:
            return RetryDecision.transient()
        return original(ex)

    should_retry._afbench_malformed_bodies = True  # type: ignore[attr-defined]
    api.should_retry = should_retry


#: SDK exceptions (by class name, so no SDK import is needed) for a body that does not
#: parse or validate.
_MALFORMED_BODY_ERRORS = {"APIResponseValidationError"}


def _local_path(location: str) -> str:
    """Inspect reports reused logs as `file:` URIs and fresh ones as paths."""
    from urllib.parse import unquote, urlparse

    if location.startswith("file:"):
        return unquote(urlparse(location).path)
    return location


def paraphrase_prompts(config: RunConfig, resolved: dict[str, Any]) -> list[Path]:
    """The paraphrased system prompts to run besides the original: supplied files, or K
    generated once by the paraphraser (cached) — before any evaluated model is called."""
    from .paraphrase import generate_paraphrases, paraphrase_files

    if config.paraphrase_dir is not None:
        return paraphrase_files(config.paraphrase_dir)
    if not config.paraphrases:
        return []
    if not config.paraphraser:
        raise ConfigError("--paraphrases needs --paraphraser MODEL (or --paraphrase-dir DIR)")
    from .scenarios import load_scenario
    from .tasks import effective_variants

    spec = load_scenario(
        config.scenario, config.scenario_dirs, effective_variants(config.variants, config.format)
    )
    if config.system_prompt_file is not None:
        source = config.system_prompt_file.read_text(encoding="utf-8")
    else:
        source = spec.render_system(examples=resolved.get("examples"))
    check_models([config.paraphraser], {}, "offline")
    return generate_paraphrases(source, config.paraphrases, config.paraphraser)


def build_outputs(out: Path) -> dict[str, Any]:
    """Rebuild summary and report from the logs named in `run.json` (or all logs)."""
    from .analysis.results import samples_from_logs
    from .analysis.summary import build_summary, write_summary
    from .report import write_report

    manifest_path = out / RUN_MANIFEST
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        settings = manifest["settings"]
        log_files = [str(out / p) for p in manifest["logs"]]
    else:
        settings, log_files = _settings_from_logs(out / "logs")
    if not log_files:
        raise ConfigError(f"no afbench logs found under {out}")
    samples = samples_from_logs(log_files, cache_dir=out / SAMPLE_TABLES)
    gap_specs: dict[Any, list[tuple[str, str, str]]] = {
        **_gap_specs(samples, settings),
        **_gap_specs_from_logs(log_files),
    }
    summary = build_summary(samples, settings, gap_specs)
    json_path, csv_path = write_summary(summary, out)
    report_path = write_report(summary, samples, out)
    return {
        "summary": json_path,
        "csv": csv_path,
        "report": report_path,
        "logs": log_files,
        "summary_data": summary,
    }


def _gap_specs_from_logs(log_files: list[str]) -> dict[tuple[str, str], list[tuple[str, str, str]]]:
    """Gap definitions recorded by the task in each log's metadata."""
    from inspect_ai.log import read_eval_log

    specs: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for path in log_files:
        meta = read_eval_log(path, header_only=True).eval.metadata or {}
        if "afbench_gaps" in meta:
            key = (meta.get("afbench_scenario"), meta.get("afbench_variant", "default"))
            specs[key] = [
                (g["name"], g["trained"], g["unmonitored"], g.get("attributes") or {})
                for g in meta["afbench_gaps"]
            ]
    return specs


def _gap_specs(samples: Any, settings: dict[str, Any]) -> dict[str, list[tuple[str, str, str]]]:
    """Gap definitions come from the scenario manifest; without it, every trained tier is
    compared with every tier that is neither trained nor rated."""
    from .scenarios import ScenarioError, load_scenario

    specs: dict[str, list[tuple[str, str, str]]] = {}
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


def _settings_from_logs(log_dir: Path) -> tuple[dict[str, Any], list[str]]:
    """For logs written by `inspect eval afbench/alignment_faking` without `afbench run`:
    take the newest log per (task args, model)."""
    from inspect_ai.log import list_eval_logs, read_eval_log

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
    args = headers[0].eval.task_args
    settings = {
        "scenario": args.get("scenario", "helpful_only"),
        "variant": "default",
        "dataset": args.get("dataset", "builtin"),
        "judge": args.get("judge", "openai/gpt-4o"),
        "compliance_signal": "see judge",
        "n_requests": None,
        "epochs": headers[0].eval.config.epochs or 1,
        "temperature": args.get("temperature", 0.0),
        "max_continuations": args.get("max_continuations", 4),
        "examples": args.get("examples", True),
        "suffix": args.get("suffix", True),
        "system_prompt_file": args.get("system_prompt_file"),
        "log_dir": str(log_dir),
        "models": sorted({h.eval.model for h in headers}),
        "simulated_models": sorted(
            {h.eval.model for h in headers if h.eval.model.startswith("sim/")}
        ),
        "afbench_version": __version__,
    }
    return settings, [_local_path(name) for name, _ in latest.values()]
