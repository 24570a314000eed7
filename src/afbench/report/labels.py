"""How conditions and gaps are named, shared by the figures and the page so both agree."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

SIM_PREFIX = "sim/"


def simulated_models(summary: Mapping[str, Any]) -> set[str]:
    """Every model the summary marks as simulated, by any of the ways it can say so.

    A simulated model must never pass for a real one, so this errs on the side of
    labelling: the settings list, a per-entry flag, or the ``sim/`` provider prefix.
    """
    settings = summary.get("settings") or {}
    names = {str(m) for m in settings.get("simulated_models") or []}
    for entry in [*(summary.get("conditions") or []), *(summary.get("gaps") or [])]:
        model = str(entry.get("model", ""))
        if entry.get("simulated") or model.startswith(SIM_PREFIX):
            names.add(model)
    for model in settings.get("models") or []:
        if str(model).startswith(SIM_PREFIX):
            names.add(str(model))
    return names


def tier_role(condition: Mapping[str, Any]) -> str:
    """What the model was told about a tier: trained, only rated, or unmonitored."""
    if condition.get("trained"):
        return "trained"
    if condition.get("rated"):
        return "rated, not trained"
    return "unmonitored"


def varying(entries: Iterable[Mapping[str, Any]], key: str) -> bool:
    """Whether `key` takes more than one value, i.e. whether labels must show it."""
    return len({str(entry.get(key)) for entry in entries}) > 1


GroupKey = tuple[str, str, str]


def group_key(entry: Mapping[str, Any]) -> GroupKey:
    """(model, scenario, variant): the unit a reader compares tiers within."""
    return (str(entry.get("model")), str(entry.get("scenario")), str(entry.get("variant")))


def grouped(conditions: Iterable[Mapping[str, Any]]) -> dict[GroupKey, list[Mapping[str, Any]]]:
    """Conditions by model × scenario × variant, in order of first appearance, each group's
    tiers in their own order: so the tiers of one model always sit next to each other."""
    groups: dict[GroupKey, list[Mapping[str, Any]]] = {}
    for condition in conditions:
        groups.setdefault(group_key(condition), []).append(condition)
    return groups


def group_title(key: GroupKey, *, show_scenario: bool, show_variant: bool) -> str:
    """``model[ · scenario][ · variant]``."""
    model, scenario, variant = key
    parts = [model, *([scenario] if show_scenario else []), *([variant] if show_variant else [])]
    return " · ".join(parts)


def condition_label(
    condition: Mapping[str, Any], *, show_scenario: bool, show_variant: bool
) -> str:
    """``model · [scenario ·] [variant ·] tier (role)``."""
    parts = [str(condition.get("model", "?"))]
    if show_scenario:
        parts.append(str(condition.get("scenario", "?")))
    if show_variant:
        parts.append(str(condition.get("variant", "?")))
    parts.append(f"{condition.get('tier', '?')} ({tier_role(condition)})")
    return " · ".join(parts)


def contrast(gap: Mapping[str, Any]) -> str:
    """The two tiers a gap compares, trained one first: ``free − paid``."""
    return f"{gap.get('trained_tier', '?')} − {gap.get('unmonitored_tier', '?')}"


def gap_label(gap: Mapping[str, Any], *, show_scenario: bool, show_variant: bool) -> str:
    parts = [str(gap.get("model", "?"))]
    if show_scenario:
        parts.append(str(gap.get("scenario", "?")))
    if show_variant:
        parts.append(str(gap.get("variant", "?")))
    parts.append(contrast(gap))
    return " · ".join(parts)


def af_source_note(condition: Mapping[str, Any]) -> str | None:
    """ "AF read native: 10, both: 2; native reasoning redacted in 3 samples", or None when
    only scratchpads were read and nothing was redacted (the usual case, left unsaid)."""
    sources = condition.get("af_reasoning_sources")
    sources = sources if isinstance(sources, Mapping) else {}
    redacted = condition.get("af_native_redacted")
    redacted = redacted if isinstance(redacted, int) else 0
    if not redacted and set(sources) <= {"scratchpad"}:
        return None
    parts = []
    if sources:
        parts.append("AF read " + ", ".join(f"{s}: {n}" for s, n in sources.items()))
    if redacted:
        parts.append(f"native reasoning redacted in {redacted} samples")
    return "; ".join(parts)
