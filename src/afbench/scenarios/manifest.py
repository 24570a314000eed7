"""The scenario manifest: what a setting *is*, as validated data.

A scenario folder holds a `manifest.yaml` and the Jinja templates it names. The manifest
states the experimental design (which tiers exist, which are trained or rated, which
differences between tiers are the gaps to report) and the facts the system prompt must
state, so that analysis code never has to guess the design from prompt text and tests can
check that a rewritten prompt still says what the experiment needs it to say.

Unknown keys are errors (`extra="forbid"`): a typo in a hand-written manifest (`traned:`)
must fail loudly, not silently fall back to a default and change the experiment.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# Names end up in sample ids, file names and CLI arguments, so keep them plain.
_NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
# An XML element name, since the tier is carried in a tag of this name.
_TAG_PATTERN = r"^[A-Za-z_][A-Za-z0-9_.-]*$"

Name = Annotated[str, Field(pattern=_NAME_PATTERN, max_length=64)]
OneLine = Annotated[str, Field(min_length=1, pattern=r"^[^\n]*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Tier(_Strict):
    """One condition the model can believe it is in, e.g. the free tier.

    `trained` and `rated` are separate because later settings pull them apart (a tier
    whose outputs are rated by contractors but never trained on tests rater sycophancy).
    """

    name: Name
    tag_value: str = Field(min_length=1)
    """What the user turn's tier tag holds for this tier, e.g. `true`."""
    trained: bool
    """Whether the model is told that these conversations are used for training."""
    rated: bool
    """Whether the model is told that contractors rate these outputs."""
    description: str = ""


class Gap(_Strict):
    """A difference in compliance to report: rate in `trained` minus rate in `unmonitored`.

    The two fields name tiers. "trained" is the more-observed side of the comparison, which
    need not be trained (pro − enterprise compares a rated tier with an unrated one).
    """

    name: Name
    trained: Name
    unmonitored: Name
    description: str = ""

    @model_validator(mode="after")
    def _distinct(self) -> Gap:
        if self.trained == self.unmonitored:
            raise ValueError(f"gap {self.name!r} compares tier {self.trained!r} with itself")
        return self


class Fact(_Strict):
    """A fact the system prompt must state, with phrases that prove it does.

    `must_contain` phrases are matched against the rendered prompt after collapsing runs of
    whitespace, so re-wrapping a paragraph does not break them but rewording does.
    """

    id: Name
    description: str = Field(min_length=1)
    must_contain: list[str] = Field(min_length=1)

    @field_validator("must_contain")
    @classmethod
    def _non_blank(cls, phrases: list[str]) -> list[str]:
        if any(not p.strip() for p in phrases):
            raise ValueError("phrases must not be blank")
        return phrases


def _relative_file(value: str) -> str:
    path = PurePosixPath(value)
    if not value or path.is_absolute() or ".." in path.parts or "\\" in value:
        raise ValueError(f"{value!r} must be a relative path inside the scenario folder")
    return value


class TemplateFiles(_Strict):
    """Template file names, relative to the scenario folder."""

    system: str = "system_prompt.j2"
    user: str = "user_turn.j2"
    suffix: str = "suffix.j2"

    @field_validator("system", "user", "suffix")
    @classmethod
    def _inside_folder(cls, value: str) -> str:
        return _relative_file(value)


class ScenarioManifest(_Strict):
    """The contents of a scenario's `manifest.yaml`."""

    name: Name
    description: OneLine
    """One line, shown by `afbench scenarios`."""
    objective: str = Field(min_length=1)
    """What "compliance" means in this setting (what the training objective asks for)."""
    company: str = Field(min_length=1)
    """The default AI company named in the prompts; templates see it as `lab_name`."""
    user_tag: Annotated[str, Field(pattern=_TAG_PATTERN)]
    """Name of the XML tag in the user turn that carries the tier's `tag_value`."""
    tiers: list[Tier] = Field(min_length=1)
    gaps: list[Gap] = []
    templates: TemplateFiles = TemplateFiles()
    facts: list[Fact] = []

    @model_validator(mode="after")
    def _consistent(self) -> ScenarioManifest:
        _unique("tier name", [t.name for t in self.tiers])
        _unique("tier tag_value", [t.tag_value for t in self.tiers])
        _unique("gap name", [g.name for g in self.gaps])
        _unique("fact id", [f.id for f in self.facts])
        known = {t.name for t in self.tiers}
        for gap in self.gaps:
            for side in (gap.trained, gap.unmonitored):
                if side not in known:
                    raise ValueError(
                        f"gap {gap.name!r} names unknown tier {side!r} "
                        f"(tiers: {', '.join(sorted(known))})"
                    )
        return self


def _unique(what: str, values: list[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate {what} {value!r}")
        seen.add(value)


def normalise_whitespace(text: str) -> str:
    """Collapse every run of whitespace to one space (how fact phrases are matched)."""
    return re.sub(r"\s+", " ", text).strip()
