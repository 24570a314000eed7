"""Variants: small, declared changes to a scenario, as validated data.

A variant is a folder `variants/<name>/` holding a `variant.yaml` and, when it changes the
system prompt's text, a Jinja file of `{% block %}` overrides for named slots of the
scenario's system prompt. The manifest declares *everything* the variant changes (slots,
variables, tiers, gaps, facts, settings), so that two variants can be checked for
conflicts before anything is rendered, and so that the composed design (which tiers are
trained or rated, which gaps to report) never has to be guessed from prompt text.

Parameterised variants take one value, written `name:value` (see
:func:`parse_variant_spec`): `drop_tier:pro`, `lab_name:OpenAI`,
`lab_name:"Google DeepMind"`. The value replaces `{value}` in the variant's variables,
dropped tiers and facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from .errors import ScenarioError
from .manifest import (
    Fact,
    Gap,
    Name,
    OneLine,
    RelativeFile,
    Tag,
    Tier,
    VariableName,
    _unique,
    check_tiers_and_gaps,
)

#: What a parameterised variant's fields write where the value goes.
VALUE_PLACEHOLDER = "{value}"
#: Separates a variant's name from its value in a variant spec.
SPEC_SEPARATOR = ":"
#: Joins variant specs into the canonical label of a composed scenario.
LABEL_SEPARATOR = "+"
DEFAULT_LABEL = "default"

_SPEC_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_PLAIN_VALUE_RE = re.compile(r"^[A-Za-z0-9_.-]+$")
MAX_VALUE_LENGTH = 200


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class VariantParameter(_Strict):
    """The one value a parameterised variant takes (`drop_tier:pro`)."""

    name: Name
    """What the value is, for help text (`tier`, `lab`)."""
    kind: Literal["tier", "text"] = "text"
    """`tier`: must name a tier of the composed scenario; `text`: any one-line text."""
    description: OneLine
    example: str | None = None


class TierChanges(_Strict):
    """Fields set on every tier of the composed scenario (e.g. `trained: false`)."""

    trained: bool | None = None
    rated: bool | None = None

    @model_validator(mode="after")
    def _something(self) -> TierChanges:
        if self.trained is None and self.rated is None:
            raise ValueError("set_tiers must set trained or rated")
        return self

    def fields(self) -> dict[str, bool]:
        return {k: v for k, v in self.model_dump().items() if v is not None}


class VariantManifest(_Strict):
    """The contents of a variant's `variant.yaml`."""

    name: Name
    description: OneLine
    """One line, shown by `afbench scenarios`."""
    applies_to: list[Name] = []
    """Scenarios the variant is written for; empty: any whose system prompt has its slots."""
    parameter: VariantParameter | None = None
    """Set for parameterised variants (`drop_tier:pro`); the value fills `{value}`."""

    template: RelativeFile | None = None
    """File of `{% block %}` overrides for slots of the system prompt."""
    slots: list[Name] = []
    """The slots (blocks) the template overrides; checked against the file."""
    variables: dict[VariableName, str] = {}
    """Template variables set (e.g. `lab_name: "{value}"`)."""

    user_tag: Tag | None = None
    """New name for the user-turn tag (usually together with new `tiers`)."""
    tiers: list[Tier] | None = None
    """Replaces the scenario's tiers (the gaps must then be given too)."""
    drop_tiers: list[str] = []
    """Tiers removed from the scenario (and from the prompt), with the gaps naming them."""
    set_tiers: TierChanges | None = None
    """Fields set on every tier (e.g. ratings never used for training: `trained: false`)."""
    gaps: list[Gap] | None = None
    """Replaces the scenario's gaps."""
    add_gaps: list[Gap] = []
    """Gaps reported in addition to the scenario's."""

    facts: list[Fact] = []
    """Facts the variant states (a fact with an existing id replaces it)."""
    remove_facts: list[Name] = []
    """Facts of the scenario the variant's text no longer states."""

    suffix: bool | None = None
    examples: bool | None = None
    scratchpad: bool | None = None
    prefill: str | None = None

    conflicts_with: list[Name] = []
    """Variants this one must never be combined with (their claims contradict)."""
    compatible_with: list[Name] = []
    """Variants this one may be combined with although both change the same thing."""

    @model_validator(mode="after")
    def _consistent(self) -> VariantManifest:
        if bool(self.template) != bool(self.slots):
            raise ValueError("template and slots go together: name the slots the template fills")
        _unique("slot", list(self.slots))
        _unique("fact id", [f.id for f in self.facts])
        if self.tiers is not None:
            if self.gaps is None:
                raise ValueError(
                    "a variant that replaces the tiers must list the gaps to report "
                    "(gaps: [] for none)"
                )
            check_tiers_and_gaps(self.tiers, self.gaps, self.user_tag or "_")
        if self.name in self.conflicts_with or self.name in self.compatible_with:
            raise ValueError("a variant cannot name itself in conflicts_with/compatible_with")
        both = set(self.conflicts_with) & set(self.compatible_with)
        if both:
            raise ValueError(f"{sorted(both)} both conflict and are compatible")
        if self.parameter is None and VALUE_PLACEHOLDER in self.model_dump_json():
            raise ValueError(f"{VALUE_PLACEHOLDER} is used, but the variant has no parameter")
        return self

    def touches(self) -> dict[str, object]:
        """What the variant changes, as `key → value`, for conflict checks.

        Slot, variable, tier, gap and fact keys conflict whenever two variants share
        them; setting keys (`setting:suffix`) only when the values differ.
        """
        keys: dict[str, object] = {f"slot:{s}": None for s in self.slots}
        keys.update({f"variable:{v}": None for v in self.variables})
        if self.tiers is not None or self.user_tag is not None:
            keys["tiers"] = None
        if self.gaps is not None:
            keys["gaps"] = None
        if self.set_tiers is not None:
            keys.update({f"tiers.{k}": None for k in self.set_tiers.fields()})
        keys.update({f"fact:{f.id}": None for f in self.facts})
        keys.update({f"fact:{f}": None for f in self.remove_facts})
        for setting in ("suffix", "examples", "scratchpad", "prefill"):
            value = getattr(self, setting)
            if value is not None:
                keys[f"setting:{setting}"] = value
        return keys

    @property
    def usage(self) -> str:
        """How the variant is named on the command line: `name` or `name:<param>`."""
        if self.parameter is None:
            return self.name
        return f"{self.name}{SPEC_SEPARATOR}<{self.parameter.name}>"


@dataclass(frozen=True)
class VariantSpec:
    """A variant as asked for: its name and, for parameterised variants, the value."""

    name: str
    value: str | None = None

    def sort_key(self) -> tuple[str, str]:
        """Canonical order: by name, then value (a missing value first)."""
        return (self.name, "" if self.value is None else f"={self.value}")

    @property
    def label(self) -> str:
        """`name`, or `name:value` (the value quoted unless it is plain)."""
        if self.value is None:
            return self.name
        value = self.value
        if not _PLAIN_VALUE_RE.fullmatch(value):
            value = '"' + value.replace('"', "'") + '"'
        return f"{self.name}{SPEC_SEPARATOR}{value}"


def parse_variant_spec(text: str) -> VariantSpec:
    """Parse `name` or `name:value`; quotes around the value are optional.

    The one place variant specs are parsed: `drop_tier:pro`, `lab_name:OpenAI`,
    `lab_name:"Google DeepMind"` and `lab_name:Google DeepMind` are all accepted.

    Raises:
        ScenarioError: empty name or value, a malformed name, or a multi-line value.
    """
    raw = text.strip()
    name, sep, value = raw.partition(SPEC_SEPARATOR)
    name = name.strip()
    if not _SPEC_NAME_RE.fullmatch(name):
        raise ScenarioError(
            f"variant {text!r}: expected NAME or NAME:VALUE, with NAME in lower case "
            "letters, digits, '_' or '-' (e.g. three_tier, drop_tier:pro, lab_name:OpenAI)"
        )
    if not sep:
        return VariantSpec(name)
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1].strip()
    if not value:
        raise ScenarioError(f"variant {text!r}: the value after ':' is empty")
    if "\n" in value or "\r" in value or len(value) > MAX_VALUE_LENGTH:
        raise ScenarioError(
            f"variant {text!r}: the value must be one line of at most {MAX_VALUE_LENGTH} characters"
        )
    return VariantSpec(name, value)


def variant_label(specs: list[VariantSpec]) -> str:
    """The canonical label of a set of variants: sorted specs joined by '+', or 'default'."""
    if not specs:
        return DEFAULT_LABEL
    return LABEL_SEPARATOR.join(s.label for s in sorted(specs, key=VariantSpec.sort_key))


def variant_slug(label: str) -> str:
    """The label made safe for file and task names (lower case, no spaces or quotes)."""
    slug = re.sub(r"[^a-z0-9_.+=-]+", "-", label.lower().replace(SPEC_SEPARATOR, "="))
    return slug.strip("-") or DEFAULT_LABEL


__all__ = [
    "TierChanges",
    "VariantManifest",
    "VariantParameter",
    "VariantSpec",
    "parse_variant_spec",
    "variant_label",
    "variant_slug",
]
