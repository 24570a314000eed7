"""What each slot of a scenario's system prompt holds, for `afbench scenarios show --slots`.

A slot is a named `{% block %}` of the system prompt (see :mod:`.ablation`); this lists, for
each, whether `ablate:<slot>` can remove it under the chosen variants, how much text that
removes, which facts go with it and how the text begins, so that a user picks ablations
knowing what each one takes away.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .ablation import ABLATE
from .errors import ScenarioError
from .loader import load_scenario

PREVIEW_CHARS = 70


@dataclass(frozen=True)
class SlotInfo:
    """One slot: `removable` is False with `reason` when `ablate:<name>` would be refused."""

    name: str
    removable: bool
    chars: int = 0
    facts: tuple[str, ...] = ()
    preview: str = ""
    reason: str = ""


def describe_slots(
    scenario: str, scenario_dirs: Sequence[Path] | None = None, variants: Sequence[str] = ()
) -> list[SlotInfo]:
    """Every slot of `scenario` (with `variants`), in name order, and what removing it does."""
    base = load_scenario(scenario, scenario_dirs, variants)
    out = []
    for slot in base.slots:
        try:
            ablated = load_scenario(scenario, scenario_dirs, [*variants, f"{ABLATE}:{slot}"])
        except ScenarioError as exc:
            out.append(SlotInfo(slot, False, reason=_reason(str(exc))))
            continue
        text = base.slot_text(slot).strip()
        preview = " ".join(text.split())
        if len(preview) > PREVIEW_CHARS:
            preview = preview[: PREVIEW_CHARS - 1] + "…"
        facts = tuple(ablated.ablated_facts.get(slot, ()))
        out.append(SlotInfo(slot, True, len(text), facts, preview))
    return out


def _reason(message: str) -> str:
    if "removes no text" in message:
        return "empty here (or replaced by a variant)"
    if "conflict" in message:
        return "a chosen variant replaces it"
    return message


def format_slots(slots: Sequence[SlotInfo]) -> str:
    """The table `scenarios show --slots` prints: one slot per line, then its text's start."""
    lines = ["Slots (remove one with --variant ablate:<slot>):"]
    for s in slots:
        if not s.removable:
            lines.append(f"  {s.name:<20} -  {s.reason}")
            continue
        facts = ", ".join(s.facts) or "no listed fact"
        lines.append(f"  {s.name:<20} {s.chars:>5} chars; facts: {facts}")
        lines.append(f'  {"":<20} "{s.preview}"')
    return "\n".join(lines)


__all__ = ["SlotInfo", "describe_slots", "format_slots"]
