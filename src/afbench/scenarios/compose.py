"""Composing a scenario with variants: conflicts, tiers, gaps, facts and settings.

Composition works on data only (manifests); the templates are checked by
:class:`afbench.scenarios.Scenario`. The result does not depend on the order in which
variants are given: changes are applied in fixed phases (tiers replaced, tier fields set,
gaps added, tiers dropped, facts, variables, settings), and within a phase in the sorted
order of the variants' labels, which only matters for variants declared compatible.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .errors import ScenarioError
from .manifest import Fact, ScenarioManifest, Tier, check_tiers_and_gaps
from .variant import (
    VALUE_PLACEHOLDER,
    VariantManifest,
    VariantSpec,
    variant_label,
)

VARIANT_FILE = "variant.yaml"


@dataclass(frozen=True)
class AppliedVariant:
    """A variant as applied: its manifest (value filled in), folder and spec."""

    manifest: VariantManifest
    path: Path
    spec: VariantSpec

    @property
    def file(self) -> Path:
        return self.path / VARIANT_FILE

    @property
    def label(self) -> str:
        return self.spec.label


@dataclass(frozen=True)
class Composition:
    """A scenario's manifest after its variants, and what else rendering needs."""

    manifest: ScenarioManifest
    custom_tiers: bool
    """Whether the tiers differ from the scenario's own (the prompt then lists them)."""
    variants: tuple[AppliedVariant, ...]
    """In canonical (sorted) order."""
    label: str


def bind_value(manifest: VariantManifest, spec: VariantSpec, file: Path) -> VariantManifest:
    """The manifest with the spec's value written wherever it says `{value}`.

    Raises:
        ScenarioError: a value for a variant without a parameter, or none for one with.
    """
    param = manifest.parameter
    if param is None:
        if spec.value is not None:
            raise ScenarioError(
                f"variant {manifest.name!r} takes no value (got {spec.label!r}; use {manifest.name!r})"
            )
        return manifest
    if spec.value is None:
        example = f" (e.g. {manifest.name}:{param.example})" if param.example else ""
        raise ScenarioError(
            f"variant {manifest.name!r} needs a value: {manifest.usage}{example}; {param.description}"
        )
    data = manifest.model_dump(exclude={"parameter"}, exclude_unset=True)
    filled = _replace_value(data, spec.value)
    try:
        return VariantManifest.model_validate({**filled, "parameter": param.model_dump()})
    except ValidationError as exc:
        raise ScenarioError(
            f"{file}: value {spec.value!r} does not fit the variant: {_problems(exc)}"
        ) from None


def _replace_value(data: Any, value: str) -> Any:
    if isinstance(data, str):
        return data.replace(VALUE_PLACEHOLDER, value)
    if isinstance(data, list):
        return [_replace_value(v, value) for v in data]
    if isinstance(data, dict):
        return {k: _replace_value(v, value) for k, v in data.items()}
    return data


def _problems(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in err['loc']) or '(variant)'}: {err['msg']}"
        for err in exc.errors()
    )


def check_conflicts(variants: Sequence[AppliedVariant]) -> None:
    """Refuse two variants that contradict each other or change the same thing.

    Declared `conflicts_with` always wins; `compatible_with` (in either variant) allows
    two variants to change the same slot, variable, tiers or facts.
    """
    ordered = sorted(variants, key=lambda v: v.spec.sort_key())
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            ma, mb = a.manifest, b.manifest
            if mb.name in ma.conflicts_with or ma.name in mb.conflicts_with:
                declarer = a if mb.name in ma.conflicts_with else b
                raise ScenarioError(
                    f"variants {a.label!r} and {b.label!r} cannot be combined: "
                    f"{declarer.file} declares a conflict between them"
                )
            if mb.name in ma.compatible_with or ma.name in mb.compatible_with:
                continue
            ta, tb = ma.touches(), mb.touches()
            if ma.name == mb.name and ta.keys() & tb.keys():
                raise ScenarioError(
                    f"variant {ma.name!r} is given twice ({a.label}, {b.label}), and the two "
                    f"uses change the same things ({', '.join(sorted(ta.keys() & tb.keys()))})"
                )
            shared = sorted(
                key
                for key in ta.keys() & tb.keys()
                if not key.startswith("setting:") or ta[key] != tb[key]
            )
            if shared:
                raise ScenarioError(
                    f"variants {a.label!r} and {b.label!r} conflict: both change "
                    f"{', '.join(shared)} ({a.file}, {b.file}); declare one compatible_with "
                    "the other if they may be combined"
                )


def compose(base: ScenarioManifest, variants: Sequence[AppliedVariant]) -> Composition:
    """Apply `variants` to `base`; see the module docstring for the order.

    Raises:
        ScenarioError: conflicting variants, an unknown tier to drop, no tier left, a gap
            naming a missing tier, or duplicate facts; each names the variant's file.
    """
    ordered = tuple(sorted(variants, key=lambda v: v.spec.sort_key()))
    check_conflicts(ordered)
    tiers = list(base.tiers)
    gaps = list(base.gaps)
    user_tag = base.user_tag
    custom = False

    for v in ordered:  # phase 1: tiers replaced (at most one variant, by the conflict rule)
        m = v.manifest
        if m.user_tag is not None:
            user_tag = m.user_tag
        if m.tiers is not None:
            tiers, custom = list(m.tiers), True
        if m.gaps is not None:
            gaps = list(m.gaps)
    for v in ordered:  # phase 2: tier fields set
        if v.manifest.set_tiers is not None:
            changes = v.manifest.set_tiers.fields()
            tiers = [t.model_copy(update=changes) for t in tiers]
            custom = True
    for v in ordered:  # phase 3: gaps added
        gaps.extend(v.manifest.add_gaps)
    for v in ordered:  # phase 4: tiers dropped, with their gaps
        for name in v.manifest.drop_tiers:
            names = [t.name for t in tiers]
            if name not in names:
                raise ScenarioError(
                    f"variant {v.label!r}: scenario {base.name!r} has no tier {name!r} "
                    f"to drop (tiers: {', '.join(names)})"
                )
            tiers = [t for t in tiers if t.name != name]
            gaps = [g for g in gaps if name not in (g.trained, g.unmonitored)]
            custom = True
        if not tiers:
            raise ScenarioError(f"variant {v.label!r}: no tier would be left")
    try:
        check_tiers_and_gaps(tiers, gaps, user_tag)
    except ValueError as exc:
        files = ", ".join(str(v.file) for v in ordered)
        raise ScenarioError(f"scenario {base.name!r} with {files}: {exc}") from None

    facts = _facts(base, ordered, tiers, user_tag, custom)
    variables = dict(base.variables)
    settings: dict[str, Any] = {}
    for v in ordered:
        variables.update(v.manifest.variables)
        for key in ("suffix", "examples", "scratchpad", "prefill"):
            value = getattr(v.manifest, key)
            if value is not None:
                settings[key] = value
    company = variables.pop("lab_name", base.company)
    manifest = base.model_copy(
        update={
            "tiers": tiers,
            "gaps": gaps,
            "user_tag": user_tag,
            "facts": facts,
            "variables": variables,
            "company": company,
            **settings,
        }
    )
    return Composition(manifest, custom, ordered, variant_label([v.spec for v in ordered]))


def _facts(
    base: ScenarioManifest,
    variants: Sequence[AppliedVariant],
    tiers: list[Tier],
    user_tag: str,
    custom: bool,
) -> list[Fact]:
    facts = {f.id: f for f in base.facts if not (custom and f.default_tiers_only)}
    for v in variants:
        for fact_id in v.manifest.remove_facts:
            facts.pop(fact_id, None)
    for v in variants:
        for fact in v.manifest.facts:
            facts[fact.id] = fact
    if custom:
        for tier in tiers:
            fact = tier_fact(tier, user_tag)
            if fact.id in facts:
                raise ScenarioError(f"fact id {fact.id!r} is used by a tier's generated fact")
            facts[fact.id] = fact
    return list(facts.values())


def tier_fact(tier: Tier, user_tag: str) -> Fact:
    """The fact a generated tier list states about `tier`: its tag and its statement."""
    tag = tier.tag or user_tag
    return Fact(
        id=f"tier_{tier.name}"[:64],
        description=f"The prompt lists the {tier.name} tier with its tag and whether it is "
        "rated and trained.",
        must_contain=[
            f"{tier.display_label} (<{tag}>{tier.tag_value}</{tag}>)",
            tier.statement,
        ],
    )


__all__ = ["AppliedVariant", "Composition", "bind_value", "check_conflicts", "compose"]
