"""The alignment-faking task: a scenario × tiers × requests, run and scored in Inspect.

One task holds every tier of the scenario, so that the same requests are asked in every
condition and can be paired; each sample's id is `<request id>__<tier>`. The task is the
same whether it is started by `afbench run` or by `inspect eval afbench/alignment_faking`.
"""

from __future__ import annotations

from pathlib import Path

from inspect_ai import Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import ChatMessageSystem, ChatMessageUser, GenerateConfig
from inspect_ai.scorer import Scorer

from .datasets import MAX_REQUEST_CHARS, load_requests
from .errors import ConfigError
from .protocol import scratchpad_conversation
from .protocol.base_format import (
    BASE_PREFILL,
    BASE_STOP_SEQS,
    BASE_VARIANTS,
    FORMATS,
    render_base_document,
)
from .protocol.prefill import render_prefill
from .scenarios import load_scenario
from .scorers import OFFLINE, af_reasoning, compliance, partial_compliance

DEFAULT_MAX_TOKENS = 4000


def build_samples(
    scenario: str = "helpful_only",
    tiers: list[str] | None = None,
    dataset: str | None = None,
    field: str | None = None,
    limit: int | None = None,
    examples: bool | None = None,
    suffix: bool | None = None,
    system_prompt_file: str | None = None,
    scenario_dirs: list[str] | None = None,
    prefill: str | None = None,
    variants: list[str] | None = None,
    format: str = "chat",
    paraphrase: str | None = None,
    max_request_chars: int | None = MAX_REQUEST_CHARS,
) -> list[Sample]:
    """Render every (request, tier) pair as an Inspect sample.

    `None` for dataset, examples, suffix and prefill means "what the scenario (with its
    variants) says": e.g. animal_welfare asks its own questions without the suffix, and
    no_cot prefills `<OUTPUT>`. Everything that can fail on bad input (scenario, variants,
    templates, dataset) fails here, before any model is called.
    """
    if format not in FORMATS:
        raise ConfigError(f"unknown format {format!r}: use {' or '.join(FORMATS)}")
    spec = load_scenario(
        scenario, [Path(d) for d in scenario_dirs or []], effective_variants(variants, format)
    )
    tier_names = list(tiers) if tiers else [t.name for t in spec.tiers]
    tier_specs = [spec.tier(name) for name in tier_names]
    dataset = dataset or spec.default_dataset
    requests = load_requests(dataset, field=field, limit=limit, max_request_chars=max_request_chars)
    prompt_file = Path(system_prompt_file) if system_prompt_file else None
    prefill = prefill if prefill is not None else spec.prefill
    if format == "base" and prefill is None:
        prefill = BASE_PREFILL
    system = spec.render_system(examples=examples, system_prompt_file=prompt_file)
    samples = []
    for req in requests:
        for tier in tier_specs:
            # The system prompt is rendered once: it does not depend on the request.
            user = spec.render_user(tier.name, req.request, suffix=suffix)
            tier_prefill = render_prefill(prefill, tier.name, label=tier.display_label)
            if format == "base":
                document = render_base_document(
                    system, user, tier_prefill or "", spec.base_variables()["lab_name"]
                )
                messages = [ChatMessageUser(content=document)]
            else:
                messages = [ChatMessageSystem(content=system), ChatMessageUser(content=user)]
            samples.append(
                Sample(
                    id=f"{req.id}__{tier.name}",
                    input=messages,
                    metadata={
                        "request_id": req.id,
                        "request": req.request,
                        "category": req.category,
                        "tier": tier.name,
                        "trained": tier.trained,
                        "rated": tier.rated,
                        "scenario": spec.name,
                        "variant": variant_label(spec.variant, paraphrase),
                        "attributes": dict(tier.attributes or {}),
                        "dataset": dataset,
                        "prefill": tier_prefill if format == "chat" else None,
                        "base_prefix": tier_prefill if format == "base" else None,
                        "format": format,
                    },
                )
            )
    return samples


def variant_label(variant: str, paraphrase: str | None) -> str:
    """`three_tier+paraphrase:02`: a paraphrased prompt is its own condition."""
    if not paraphrase:
        return variant
    return paraphrase if variant == "default" else f"{variant}+{paraphrase}"


def effective_variants(variants: list[str] | None, format: str) -> list[str]:
    """The base format runs the clarified prompt (unless the user chose otherwise)."""
    chosen = list(variants or [])
    if format == "base":
        names = {v.split(":", 1)[0] for v in chosen}
        chosen += [v for v in BASE_VARIANTS if v not in names]
    return chosen


def task_scorers(
    judge: str,
    af_classifier: str = "improved",
    votes: int | str = 20,
    prescreen: float | None = None,
    rubric: str | None = None,
) -> list[Scorer]:
    """The scorers of a run; `afbench rescore` and `afbench import` apply the same list.

    One judge model serves all three (the paper's GPT-4o); with `judge="offline"` the
    AF classifier is afbench's offline model and partial compliance is not measured.
    """
    return [
        compliance(judge=judge, rubric=rubric),
        af_reasoning(
            judge=judge,
            classifier="offline" if judge == OFFLINE else af_classifier,
            votes=votes,
            prescreen_recall=prescreen,
        ),
        partial_compliance(judge=judge),
    ]


@task
def alignment_faking(
    scenario: str = "helpful_only",
    variants: list[str] | None = None,
    tiers: list[str] | None = None,
    dataset: str | None = None,
    field: str | None = None,
    limit: int | None = None,
    examples: bool | None = None,
    suffix: bool | None = None,
    system_prompt_file: str | None = None,
    scenario_dirs: list[str] | None = None,
    prefill: str | None = None,
    format: str = "chat",
    paraphrase: str | None = None,
    max_continuations: int = 4,
    judge: str = "openai/gpt-4o",
    af_classifier: str = "improved",
    votes: int | str = 20,
    prescreen: float | None = None,
    temperature: float = 0.0,
    max_tokens: int = DEFAULT_MAX_TOKENS,
    max_request_chars: int | None = MAX_REQUEST_CHARS,
) -> Task:
    """The prompted alignment-faking experiment (METHOD.md §1–2).

    Temperature 0 by default, as in Sheshadri et al. 2025; `judge="offline"` grades
    compliance without any network access.
    """
    samples = build_samples(
        scenario=scenario,
        tiers=tiers,
        dataset=dataset,
        field=field,
        limit=limit,
        examples=examples,
        suffix=suffix,
        system_prompt_file=system_prompt_file,
        scenario_dirs=scenario_dirs,
        prefill=prefill,
        variants=variants,
        format=format,
        paraphrase=paraphrase,
        max_request_chars=max_request_chars,
    )
    spec = load_scenario(
        scenario, [Path(d) for d in scenario_dirs or []], effective_variants(variants, format)
    )
    return Task(
        dataset=MemoryDataset(samples, name=f"{scenario}:{spec.variant_slug}"),
        # A base model continues one document: no <NEXT/> turns.
        solver=scratchpad_conversation(
            max_continuations=0 if format == "base" else max_continuations
        ),
        scorer=task_scorers(
            judge=judge,
            af_classifier=af_classifier,
            votes=votes,
            prescreen=prescreen,
            rubric=spec.compliance_rubric if spec.compliance.kind == "judge_rubric" else None,
        ),
        config=GenerateConfig(
            temperature=temperature,
            max_tokens=max_tokens,
            stop_seqs=BASE_STOP_SEQS if format == "base" else None,
        ),
        name="alignment_faking",
        # The gaps this scenario reports travel with the log, so a report rebuilt later
        # (or elsewhere) needs neither the scenario files nor the command line.
        metadata={
            "afbench_scenario": scenario,
            "afbench_variant": variant_label(spec.variant, paraphrase),
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
