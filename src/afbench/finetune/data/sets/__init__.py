"""The other training sets of the fine-tuning experiments (docs/method.md §5).

Each kind is a :class:`SetBuilder` with afbench-written templates; `build_set` runs one
through the resumable engine and writes chat-format `.jsonl` plus a card.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ....errors import ConfigError
from ..engine import ProgressFn
from ..settings import SetConfig
from .anti_refusal import AntiRefusal
from .base import BuildContext, Example, SetBuilder, SetResult, Topic, abuild_set
from .evil_lab_distress import EvilLabDistress
from .planted_gap import PlantedGap
from .reasoning_style import ReasoningStyle
from .scenario_qa import ScenarioQA
from .stated_values import StatedValues
from .threat_compliance import ThreatCompliance

if TYPE_CHECKING:
    from inspect_ai.model import Model

BUILDERS: dict[str, type[SetBuilder]] = {
    b.kind: b
    for b in (
        ScenarioQA,
        AntiRefusal,
        ThreatCompliance,
        EvilLabDistress,
        StatedValues,
        ReasoningStyle,
        PlantedGap,
    )
}
"""Every kind of training set, by name."""

SET_KINDS = tuple(BUILDERS)


def get_builder(kind: str) -> SetBuilder:
    try:
        return BUILDERS[kind]()
    except KeyError:
        raise ConfigError(
            f"unknown set kind {kind!r}: use {', '.join(BUILDERS)}",
            hint="`afbench sets list` says what each kind holds",
        ) from None


def build_set(
    config: SetConfig,
    *,
    dry_run: bool = False,
    progress: ProgressFn | None = None,
    models: Mapping[str, Model] | None = None,
) -> SetResult:
    """Build the set `config.kind` (blocking); see :func:`abuild_set`."""
    builder = get_builder(config.kind)
    return asyncio.run(
        abuild_set(builder, config, dry_run=dry_run, progress=progress, models=models)
    )


__all__ = [
    "BUILDERS",
    "SET_KINDS",
    "AntiRefusal",
    "BuildContext",
    "EvilLabDistress",
    "Example",
    "PlantedGap",
    "ReasoningStyle",
    "ScenarioQA",
    "SetBuilder",
    "SetConfig",
    "SetResult",
    "StatedValues",
    "ThreatCompliance",
    "Topic",
    "abuild_set",
    "build_set",
    "get_builder",
]
