"""Every check that needs no model call, done before the first one.

Order matters: scenario, templates, dataset, provider capabilities, API keys and the
output folder are all checked before anything is asked of a model, so a mistake costs
nothing and leaves nothing half-written.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .config import RunConfig
from .defaults import DEFAULT_JUDGE, OFFLINE
from .errors import ConfigError, ModelSetupError
from .plan import ExperimentPlan, build_plan
from .providers import check_base_support, check_prefill_support, is_local


def preflight(config: RunConfig, *, check_out: bool = True) -> ExperimentPlan:
    """The run's plan, after every check that can fail on bad input."""
    plan = build_plan(config.task_options())
    if config.format == "base":
        for model in config.models:
            check_base_support(model)
        if any(m.startswith(("hf/", "local/")) for m in config.models):
            # a base model reads the raw document, not a chat template
            config.model_args.setdefault("use_chat_template", False)
    elif plan.resolved["prefill"]:
        for model in config.models:
            check_prefill_support(model)
    check_models(config.models, config.model_args, config.judge)
    for judge in config.judges[1:]:  # the rest of a panel
        check_models([], {}, judge)
    if check_out:
        check_output_dir(config.out)
    return plan


def check_models(models: list[str], model_args: dict[str, Any], judge: str) -> None:
    """Construct every model once: Inspect's providers check their keys and SDKs here,
    before any request is made."""
    from inspect_ai.model import get_model

    from ._util.inspect_internals import PrerequisiteError

    wanted = [(m, model_args) for m in models]
    if judge != OFFLINE:
        wanted.append((judge, {}))
    for name, args in wanted:
        role = "judge" if name == judge and name not in models else "model"
        if "/" not in name:
            raise ModelSetupError(
                f"{role} '{name}' is not an Inspect model string: use provider/model, "
                "e.g. openai/gpt-4o, anthropic/claude-3-opus-20240229, sim/faker"
            )
        if name.startswith("local/"):
            from .models.local_files import check_installed

            check_installed(name)  # its files and the extra, before any weight is loaded
        if is_local(name):
            continue  # constructing them loads weights or starts a server; they need no key
        try:
            get_model(name, **args)
        except PrerequisiteError as exc:
            raise ModelSetupError(
                f"cannot use {role} '{name}': {_strip_markup(str(exc))}",
                hint=_missing_key_hint(name, judge),
            ) from None
        except ValueError as exc:
            raise ModelSetupError(
                f"cannot use {role} '{name}': {exc}{_provider_suggestion(name, exc)}"
            ) from None
        except TypeError as exc:  # a -M argument the provider's client does not take
            raise ModelSetupError(
                f"cannot use {role} '{name}' with these model arguments (-M): {exc}"
            ) from None


def _missing_key_hint(name: str, judge: str) -> str | None:
    """For the default judge, the way to run without any key: a first run
    (`afbench run --model sim/faker`) should not need one."""
    if name == judge == DEFAULT_JUDGE:
        return (
            f"{DEFAULT_JUDGE} is the default judge: set its key, or grade without any "
            "API key with --judge offline"
        )
    return None


def _provider_suggestion(name: str, exc: ValueError) -> str:
    """ " (did you mean 'openai/gpt-4o'?)" when Inspect did not recognise the provider."""
    if "not recognized" not in str(exc):
        return ""
    from ._util.inspect_internals import model_api_names
    from .errors import closest
    from .providers import PROVIDERS

    provider, _, rest = name.partition("/")
    try:
        known = {*model_api_names(), *PROVIDERS}
    except Exception:  # the suggestion is a courtesy; Inspect's registry may change
        known = set(PROVIDERS)
    match = closest(provider, sorted(known))
    return f" (did you mean '{match}/{rest}'?)" if match else ""


def check_output_dir(out: Path) -> None:
    try:
        (out / "logs").mkdir(parents=True, exist_ok=True)
        probe = out / ".afbench-write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        raise ConfigError(
            f"output directory {out} is not writable: {exc.strerror}",
            hint="choose another --out folder",
        ) from None


def _strip_markup(text: str) -> str:
    """Inspect's prerequisite messages carry rich markup meant for its own console."""
    text = re.sub(r"\[/?(?:bold|blue|red|yellow|green|italic)\]", "", text)
    lines = [" ".join(line.split()) for line in text.replace("ERROR: ", "").splitlines()]
    return ": ".join(line for line in lines if line)  # one line
