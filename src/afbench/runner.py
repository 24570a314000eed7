"""`afbench run`: check everything, run the task (and any paraphrased prompts) on every
model through the shared execution path, then write summary and report.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from .config import RunConfig
from .errors import ConfigError
from .execution import build_model, prepare_judge, run_tasks
from .outputs import finish_run
from .plan import ExperimentPlan, build_plan
from .preflight import check_models, preflight
from .progress import already_finished, task_identity
from .providers import continuing_model
from .tasks import registered_task


def run_experiment(config: RunConfig) -> dict[str, Any]:
    """Run (or resume) the experiment and write summary + report. Returns run info."""
    plan = preflight(config)
    prompts = paraphrase_prompts(config, plan)
    plans = all_plans(config, plan, prompts)
    expected = expected_logs(config, plans)
    # A re-run of a finished run asks no model anything: nothing to probe.
    if config.preflight and not already_finished(config.out / "logs", expected):
        live_check(config)
    generate = config.generate_options()
    eval_options: dict[str, Any] = {"model_args": config.model_args, **generate}
    if config.max_connections:
        # A sample keeps its slot while it is scored and logged, not only while it waits
        # for the model: with as many slots as connections, connections sit idle (bench/
        # throughput.py: 52 -> 58 samples/s at 20 connections and 200 ms latency).
        eval_options["max_samples"] = 2 * config.max_connections
    models = [build_model(m, generate, config.model_args) for m in config.models]
    for judge in config.all_judges:
        prepare_judge(judge, batch=config.judge_batch)
    try:
        success, logs = run_tasks(
            [registered_task(p) for p in plans],
            models,
            log_dir=config.out / "logs",
            epochs=config.epochs,
            display=config.display,
            log_realtime=config.log_realtime,
            **eval_options,
        )
    except KeyboardInterrupt:  # what finished is in the logs; finish_run finds them
        success, logs = False, []
    resolved = {**plan.resolved, "paraphrases": [str(p) for p in prompts]}
    settings = config.settings(plan.n_requests, resolved)
    info = finish_run(config.out, settings, logs, success, expected)
    info["max_error_rate"] = config.max_error_rate
    return info


def all_plans(config: RunConfig, plan: ExperimentPlan, prompts: list[Path]) -> list[ExperimentPlan]:
    """The run's plan, then one per paraphrased system prompt."""
    return [plan] + [
        build_plan(config.task_options(system_prompt_file=path, paraphrase=f"paraphrase:{i:02d}"))
        for i, path in enumerate(prompts, start=1)
    ]


def expected_logs(config: RunConfig, plans: list[ExperimentPlan]) -> list[tuple[dict, str]]:
    """(task arguments, model) of every log the run writes (`progress.find_run_logs`)."""
    return [(task_identity(p.options), continuing_model(m)) for p in plans for m in config.models]


def live_check(config: RunConfig) -> None:
    """One short request to each evaluated model and the judge before any sample
    (`preflight_live`); the paraphraser, if any, has been asked already."""
    from .preflight_live import check_reachable, probe_targets

    models = [(m, config.model_args) for m in config.models]
    check_reachable(probe_targets(models, config.all_judges), warn=warn)


def warn(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def paraphrase_prompts(config: RunConfig, plan: ExperimentPlan) -> list[Path]:
    """The paraphrased system prompts to run besides the original: supplied files, or K
    generated once by the paraphraser (cached) — before any evaluated model is called."""
    from .paraphrase import generate_paraphrases, paraphrase_files

    if config.paraphrase_dir is not None:
        return paraphrase_files(config.paraphrase_dir)
    if not config.paraphrases:
        return []
    if not config.paraphraser:
        raise ConfigError(
            "--paraphrases needs --paraphraser MODEL (or --paraphrase-dir DIR)",
            hint="add --paraphraser MODEL, or give ready paraphrases with --paraphrase-dir",
        )
    if config.system_prompt_file is not None:
        source = config.system_prompt_file.read_text(encoding="utf-8")
    else:
        source = plan.spec.render_system(examples=plan.resolved.get("examples"))
    check_models([config.paraphraser], {}, "offline")
    return generate_paraphrases(source, config.paraphrases, config.paraphraser)
