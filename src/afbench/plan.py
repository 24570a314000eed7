"""The plan of one task: the scenario loaded once, every (request, tier) sample rendered
once, and the defaults the scenario decided where the options left them open.

`build_plan` is memoised on the options' JSON: the run builds a plan to check everything
before the first model call, and the task that Inspect constructs later gets the same
plan object instead of loading the scenario and the dataset again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from inspect_ai.dataset import Sample
from inspect_ai.model import ChatMessageSystem, ChatMessageUser

from .config import TaskOptions
from .datasets import load_requests
from .errors import ConfigError
from .prompt_check import PromptCheck, check_prompt_text, scenario_tags
from .protocol.base_format import BASE_PREFILL, BASE_VARIANTS, render_base_document
from .protocol.prefill import render_prefill
from .protocol.prefix import PREFIX_TURNS_KEY, PrefixTurn, read_prefix, render_prefix
from .scenarios import Scenario, load_scenario


@dataclass
class ExperimentPlan:
    """One task's scenario, samples and resolved defaults."""

    options: TaskOptions
    spec: Scenario
    samples: list[Sample]
    resolved: dict[str, Any] = field(default_factory=dict)

    @property
    def n_requests(self) -> int:
        return len({s.metadata["request_id"] for s in self.samples if s.metadata})

    @property
    def variant(self) -> str:
        """The condition's label: the variant, and the paraphrase if there is one."""
        return variant_label(self.spec.variant, self.options.paraphrase)


_PLANS: dict[str, ExperimentPlan] = {}
_MAX_PLANS = 64


def build_plan(options: TaskOptions) -> ExperimentPlan:
    """The plan for `options`, built once per distinct options. Everything that can fail
    on bad input (scenario, variants, templates, dataset) fails here."""
    key = options.model_dump_json()
    plan = _PLANS.get(key)
    if plan is None:
        plan = _new_plan(options)
        if len(_PLANS) >= _MAX_PLANS:  # a long-lived process (a notebook) stays small
            _PLANS.pop(next(iter(_PLANS)))
        _PLANS[key] = plan
    return plan


def _new_plan(options: TaskOptions) -> ExperimentPlan:
    spec = load_scenario(
        options.scenario,
        options.scenario_dirs,
        effective_variants(options.variants, options.format),
    )
    if spec.ablated_facts and options.system_prompt_file and options.paraphrase is None:
        raise ConfigError(
            "--variant ablate:<slot> removes a slot of the built-in system prompt, and "
            "--system-prompt-file replaces that prompt: the ablation would change nothing",
            hint="drop --system-prompt-file, or remove the clause from your file yourself",
        )
    prompt = _checked_prompt(options, spec)
    samples = build_samples(options, spec, tier_tag=prompt.tags["tier"] if prompt else None)
    if not samples:
        raise ConfigError("the dataset produced no requests")
    suffix = spec.suffix_default if options.suffix is None else options.suffix
    resolved = {
        "variant": spec.variant,
        "dataset": options.dataset or spec.default_dataset,
        "examples": spec.examples_default if options.examples is None else options.examples,
        "suffix": suffix,
        "prefill": resolved_prefill(options, spec),
        "scratchpad": spec.scratchpad,
        # What really ran (issue 11): the suffix text appended, and the tag names the
        # prompt and the user turns use.
        "suffix_text": spec.suffix_text(spec.tiers[0].name) if suffix else None,
        "tags": _run_tags(spec, prompt),
        "prompt_check": prompt.settings() if prompt else None,
        "prefix": _prefix_setting(options),
    }
    if prompt is not None:
        # The scenario's examples are not in a prompt of the user's own: found, or unknown.
        resolved["examples"] = prompt.dialect.examples
    return ExperimentPlan(options=options, spec=spec, samples=samples, resolved=resolved)


def _prefix_turns(options: TaskOptions) -> list[PrefixTurn]:
    """The `--prefix` file's turns (none without one); base documents have no turns."""
    if options.prefix is None:
        return []
    if options.format == "base":
        raise ConfigError(
            "--prefix needs --format chat: a base model's document has no turns",
            hint="drop --prefix, or run the chat format",
        )
    return read_prefix(options.prefix)


def _prefix_setting(options: TaskOptions) -> dict[str, Any] | None:
    """What the settings record of a prefix: its file, and its turns' roles."""
    turns = _prefix_turns(options)
    if not turns:
        return None
    return {"file": str(options.prefix), "turns": len(turns), "roles": [t.role for t in turns]}


def _run_tags(spec: Scenario, prompt: PromptCheck | None) -> dict[str, str | None]:
    """The tag names the run asks for: the prompt file's where it names them, else the
    scenario's; no reasoning tag where the model is asked not to reason (no-CoT)."""
    tags: dict[str, str | None] = {**(prompt.tags if prompt else scenario_tags(spec))}
    if not spec.scratchpad:
        tags["reasoning"] = None
    return tags


def _checked_prompt(options: TaskOptions, spec: Scenario) -> PromptCheck | None:
    """A prompt file read against the scenario (docs/method.md §1.2). A paraphrase is
    not checked for its setting: its original was."""
    if options.system_prompt_file is None:
        return None
    return check_prompt_text(
        spec.render_system(
            examples=options.examples, system_prompt_file=options.system_prompt_file
        ),
        options.system_prompt_file,
        spec,
        options.scenario_dirs,
        check_setting=options.paraphrase is None,
    )


def resolved_prefill(options: TaskOptions, spec: Scenario) -> str | None:
    """The option, else the scenario's own prefill, else `basic` for a base model."""
    if options.prefill is not None:
        return options.prefill
    if spec.prefill is not None:
        return spec.prefill
    return BASE_PREFILL if options.format == "base" else None


def build_samples(
    options: TaskOptions, spec: Scenario, tier_tag: str | None = None
) -> list[Sample]:
    """Render every (request, tier) pair as an Inspect sample; each sample's id is
    `<request id>__<tier>`, so the same request can be paired across tiers. `tier_tag`:
    the tier tag name the user turns use (a prompt file's), else the scenario's."""
    tier_names = list(options.tiers) if options.tiers else [t.name for t in spec.tiers]
    tier_specs = [spec.tier(name) for name in tier_names]
    dataset = options.dataset or spec.default_dataset
    requests = load_requests(
        dataset,
        field=options.field,
        limit=options.limit,
        max_request_chars=options.max_request_chars,
    )
    prefill = resolved_prefill(options, spec)
    # The system prompt does not depend on the request: it is rendered once.
    system = spec.render_system(
        examples=options.examples, system_prompt_file=options.system_prompt_file
    )
    variant = variant_label(spec.variant, options.paraphrase)
    prefix = _prefix_turns(options)
    earlier = {
        t.name: render_prefix(prefix, tier=t.name, tier_tag=spec.tier_tag_element(t.name, tier_tag))
        for t in tier_specs
    }
    samples = []
    for req in requests:
        for tier in tier_specs:
            user = spec.render_user(
                tier.name, req.request, suffix=options.suffix, tier_tag=tier_tag
            )
            tier_prefill = render_prefill(prefill, tier.name, label=tier.display_label)
            if options.format == "base":
                document = render_base_document(
                    system, user, tier_prefill or "", spec.base_variables()["lab_name"]
                )
                messages: list[Any] = [ChatMessageUser(content=document)]
            else:
                messages = [
                    ChatMessageSystem(content=system),
                    *earlier[tier.name],
                    ChatMessageUser(content=user),
                ]
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
                        "variant": variant,
                        "attributes": dict(tier.attributes or {}),
                        "dataset": dataset,
                        "prefill": tier_prefill if options.format == "chat" else None,
                        "base_prefix": tier_prefill if options.format == "base" else None,
                        "format": options.format,
                        **({PREFIX_TURNS_KEY: len(prefix)} if prefix else {}),
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


def samples_for(**options: Any) -> list[Sample]:
    """The samples a task with these `TaskOptions` values asks (for tests, benches and
    notebooks that want the rendered prompts without running anything)."""
    return build_plan(TaskOptions.model_validate(options)).samples
