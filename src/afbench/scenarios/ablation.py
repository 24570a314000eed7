"""Clause ablations: `--variant ablate:<slot>` removes one named slot of the system prompt.

A *slot* is a named `{% block %}` of a scenario's system prompt (`Scenario.slots`): a
section (`training_effect`, `criteria`) or one clause nested inside a section
(`scratchpad_privacy`, `tier_training`, `values_change`). Variants fill slots with text of
their own; an ablation fills one with nothing, so a sweep over ablations measures which
clause the compliance gap depends on (docs/method.md §4.10). No folder is needed: the
variant is built here, and the facts the removed text stated leave the manifest when the
scenario is loaded (:meth:`afbench.scenarios.Scenario`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ._jinja import InlineOverlay
from .compose import AppliedVariant
from .errors import ScenarioError
from .variant import LABEL_SEPARATOR, SPEC_SEPARATOR, VariantManifest, VariantParameter, VariantSpec

#: The reserved variant name: `ablate:<slot>`.
ABLATE = "ablate"
DESCRIPTION = (
    "Removes one slot (clause) of the system prompt (ablate:<slot>; see scenarios show --slots)."
)


@dataclass(frozen=True)
class AblationVariant(AppliedVariant):
    """An applied `ablate:<slot>`: no folder, its one-block template generated."""

    @property
    def file(self) -> Path:
        return Path(self.spec.label)

    @property
    def slot(self) -> str:
        return self.manifest.slots[0]

    def overlay(self) -> InlineOverlay:
        """The template that empties the slot."""
        return InlineOverlay("{% block " + self.slot + " %}{% endblock %}", self.spec.label)


def ablation_manifest() -> VariantManifest:
    """The manifest `afbench scenarios` lists for `ablate:<slot>` (no slot bound)."""
    return VariantManifest(
        name=ABLATE,
        description=DESCRIPTION,
        parameter=VariantParameter(
            name="slot",
            description="the name of the system prompt's slot to remove",
            example="training_effect",
        ),
    )


def ablation_variant(spec: VariantSpec) -> AblationVariant:
    """The applied variant for `ablate:<slot>`; the slot is checked against the scenario later.

    Raises:
        ScenarioError: no slot given, or a slot name that cannot be a block name.
    """
    if spec.value is None:
        raise ScenarioError(
            f"variant {ABLATE!r} needs a value: {ABLATE}:<slot>, e.g. {ABLATE}:training_effect; "
            "`afbench scenarios show SCENARIO --slots` lists the slots"
        )
    if not spec.value.isidentifier():
        raise ScenarioError(
            f"variant {spec.label!r}: {spec.value!r} is not a slot name (slots are names "
            "like training_effect; `afbench scenarios show SCENARIO --slots` lists them)"
        )
    manifest = ablation_manifest().model_copy(
        update={"template": f"{ABLATE}-{spec.value}.j2", "slots": [spec.value]}
    )
    return AblationVariant(manifest, Path(spec.label), spec)


def ablated_slots(variant_label: str) -> list[str]:
    """The slots a composed variant label removes (`ablate:a+three_tier` → `["a"]`)."""
    prefix = ABLATE + SPEC_SEPARATOR
    parts = variant_label.split(LABEL_SEPARATOR)
    return [p[len(prefix) :] for p in parts if p.startswith(prefix)]


def base_label(variant_label: str) -> str:
    """The label without its ablations (`ablate:a+three_tier` → `three_tier`, else `default`)."""
    prefix = ABLATE + SPEC_SEPARATOR
    rest = [p for p in variant_label.split(LABEL_SEPARATOR) if not p.startswith(prefix)]
    return LABEL_SEPARATOR.join(rest) or "default"


__all__ = [
    "ABLATE",
    "AblationVariant",
    "ablated_slots",
    "ablation_manifest",
    "ablation_variant",
    "base_label",
]
