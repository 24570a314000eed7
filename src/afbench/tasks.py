"""The alignment-faking task: a scenario × tiers × requests, run and scored in Inspect.

One task holds every tier of the scenario, so that the same requests are asked in every
condition and can be paired. The task is the same whether `afbench run`, a sweep or
`inspect eval afbench/alignment_faking -T ...` builds it: its arguments are the fields of
`TaskOptions` (so its signature is generated from that model, defaults included), and
its samples come from the plan `build_plan` made once for those options.
"""

from __future__ import annotations

import inspect
from typing import Any

from inspect_ai import Task, task
from inspect_ai.dataset import MemoryDataset
from inspect_ai.model import GenerateConfig
from inspect_ai.scorer import Scorer
from inspect_ai.solver import Solver

from .config import TaskOptions
from .plan import ExperimentPlan, build_plan
from .protocol import scratchpad_conversation
from .protocol.base_format import BASE_STOP_SEQS


def task_scorers(
    judge: str,
    af_classifier: str = "improved",
    votes: int | str = 20,
    prescreen: float | None = None,
    rubric: str | None = None,
    rubrics: dict[str, str | None] | None = None,
    af_reasons: bool = False,
    motivations: bool = False,
    follow_ups: bool = False,
    judges: list[str] | None = None,
    maybe_band: bool = True,
) -> list[Scorer]:
    """The scorers of a run; `afbench rescore` and `afbench import` apply the same list.

    One judge model serves all three (the published pipeline used GPT-4o); with
    `judge="offline"` the AF classifier is afbench's offline model and partial compliance
    is not measured. `rubrics` gives each setting its own compliance rubric (imports and
    rescores of files that mix settings; see `compliance`). `af_reasons` and `motivations`
    add the "why" classifiers, which come last: they read the scores before them.
    `judges` (2 or more, the first being `judge`) adds the panel: every other judge's
    compliance and AF verdicts and the majority (`afbench.scorers.panel`); the "why" and
    follow-up classifiers use the first judge. `maybe_band=False` drops the AF "maybe"
    decision, so that AF votes stop once AF or not AF is settled (`--no-af-maybe-band`).
    """
    from .scorers import af_reasoning, compliance, partial_compliance
    from .scorers.registry import effective_af_classifier

    scorers = [
        compliance(judge=judge, rubric=rubric, rubrics=rubrics),
        af_reasoning(
            judge=judge,
            classifier=effective_af_classifier(judge, af_classifier),
            votes=votes,
            prescreen_recall=prescreen,
            maybe_band=maybe_band,
        ),
        partial_compliance(judge=judge),
    ]
    if judges and len(judges) > 1:
        from .scorers.panel import judge_panel

        scorers.append(
            judge_panel(
                judges,
                af_classifier=effective_af_classifier(judge, af_classifier),
                votes=votes,
                prescreen=prescreen,
                rubric=rubric,
                rubrics=rubrics,
                maybe_band=maybe_band,
            )
        )
    if af_reasons or motivations:
        from .scorers.why import af_reasons as reasons_scorer
        from .scorers.why import motivations as motivations_scorer

        if af_reasons:
            scorers.append(reasons_scorer(judge=judge))
        if motivations:
            scorers.append(motivations_scorer(judge=judge))
    if follow_ups:  # the answers `--follow-up` asked for, classified by the judge
        from .follow_ups.scorer import follow_ups as follow_up_scorer

        scorers.append(follow_up_scorer(judge=judge))
    return scorers


def task_from_plan(plan: ExperimentPlan) -> Task:
    """The Inspect task for a plan: its samples, the scratchpad conversation, the scorers
    and the generation settings."""
    options, spec = plan.options, plan.spec
    base = options.format == "base"
    return Task(
        dataset=MemoryDataset(plan.samples, name=f"{options.scenario}:{spec.variant_slug}"),
        solver=_solvers(options, base),
        scorer=task_scorers(
            judge=options.judge,
            af_classifier=options.af_classifier,
            votes=options.votes,
            prescreen=options.prescreen,
            rubric=spec.compliance_rubric if spec.compliance.kind == "judge_rubric" else None,
            af_reasons=options.af_reasons,
            motivations=options.motivations,
            follow_ups=bool(options.follow_ups),
            judges=options.judges,
            maybe_band=options.af_maybe_band,
        ),
        config=GenerateConfig(
            temperature=options.temperature,
            max_tokens=options.max_tokens,
            stop_seqs=BASE_STOP_SEQS if base else None,
        ),
        name="alignment_faking",
        # The gaps this scenario reports travel with the log, so a report rebuilt later
        # (or elsewhere) needs neither the scenario files nor the command line.
        metadata={
            "afbench_scenario": options.scenario,
            "afbench_variant": plan.variant,
            "afbench_gaps": [
                {
                    "name": g.name,
                    "trained": g.trained,
                    "unmonitored": g.unmonitored,
                    "attributes": dict(g.attributes or {}),
                }
                for g in spec.gaps
            ],
        },
    )


def _solvers(options: TaskOptions, base: bool) -> Solver | list[Solver]:
    """The scratchpad conversation, then the `--follow-up` questions if any were asked."""
    # A base model continues one document: no <NEXT/> turns.
    conversation = scratchpad_conversation(
        max_continuations=0 if base else options.max_continuations
    )
    if not options.follow_ups:
        return conversation
    from .follow_ups.solver import ask_follow_ups

    return [conversation, ask_follow_ups(options.follow_ups, when=options.follow_up_when)]


def _alignment_faking(**options: Any) -> Task:
    """The prompted alignment-faking experiment (docs/method.md §1–2).

    Temperature 0 by default, as in the 2025 replication across 25 models;
    `judge="offline"` grades compliance without any network access. Arguments: the fields
    of `afbench.config.TaskOptions`.
    """
    return task_from_plan(build_plan(TaskOptions.model_validate(options)))


def _task_signature() -> inspect.Signature:
    """`TaskOptions` as keyword parameters, so Inspect (and `inspect eval -T`) sees the
    task's real arguments and defaults."""
    params = []
    for name, info in TaskOptions.model_fields.items():
        default = info.get_default(call_default_factory=True)
        params.append(
            inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=info.annotation
            )
        )
    return inspect.Signature(params, return_annotation=Task)


_alignment_faking.__signature__ = _task_signature()  # type: ignore[attr-defined]
_alignment_faking.__name__ = "alignment_faking"
_alignment_faking.__qualname__ = "alignment_faking"
alignment_faking = task(name="alignment_faking")(_alignment_faking)


def registered_task(plan: ExperimentPlan) -> Task:
    """The plan's task built through the registered `alignment_faking`, so that Inspect
    logs its arguments and `eval_set` can tell tasks apart and find finished work. The
    plan is not built again: `build_plan` returns the same one for the same options."""
    return alignment_faking(**plan.options.task_args())
