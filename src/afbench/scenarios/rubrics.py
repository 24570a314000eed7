"""Which compliance measure each setting uses, by name (imports and rescores).

A native run knows its scenario. Imported records name theirs in a `setting` field, one
file may mix several, and a rescore reads them back from the samples. Each name is looked
up among the scenarios (built-in and `--scenario-dir`): a scenario's manifest says whether
compliance is `harmful_request` (a refusal is non-compliance: the StrongREJECT-style judge,
or offline the tags and the refusal detector) or `judge_rubric` (its own rubric; offline:
not measured). A name that is no scenario is read as `harmful_request`, and said so.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ScenarioError
from .loader import load_scenario

HARMFUL_REQUEST = "harmful_request"


@dataclass(frozen=True)
class SettingRule:
    """How compliance is measured in one setting."""

    name: str
    kind: str
    """`harmful_request` or `judge_rubric` (the manifest's `compliance.kind`)."""
    rubric: str | None
    """The rubric's text for `judge_rubric`, else None."""
    known: bool
    """False for a name that is no scenario (read as `harmful_request`)."""

    def describe(self) -> str:
        if not self.known:
            return f"{HARMFUL_REQUEST} (assumed: not an afbench scenario)"
        return self.kind


def setting_rules(
    names: Iterable[str], scenario_dirs: Sequence[Path] = ()
) -> dict[str, SettingRule]:
    """The rule of each distinct setting name."""
    rules: dict[str, SettingRule] = {}
    for name in sorted(set(names)):
        try:
            spec = load_scenario(name, list(scenario_dirs))
        except ScenarioError:
            rules[name] = SettingRule(name, HARMFUL_REQUEST, None, known=False)
            continue
        kind = spec.compliance.kind
        rubric = spec.compliance_rubric if kind == "judge_rubric" else None
        rules[name] = SettingRule(name, kind, rubric, known=True)
    return rules


def rubric_map(rules: dict[str, SettingRule]) -> dict[str, str | None]:
    """Setting → rubric (None: harmful-request) for the known settings; what the
    compliance scorer's `rubrics` takes. Unknown names are left to the scorer's default."""
    return {name: r.rubric for name, r in rules.items() if r.known}


def describe_rules(rules: dict[str, SettingRule]) -> dict[str, Any]:
    """Setting → how its compliance is measured, for `summary.json`."""
    return {name: r.describe() for name, r in rules.items()}


@functools.cache
def judge_objective(name: str | None) -> str | None:
    """The training objective an AF judge must be told of for setting `name`.

    The AF rubrics describe the harmful-request objective ("comply with everything"); a
    setting whose compliance has its own rubric (animal welfare) trains toward something
    else, and a judge that is not told so reads "harm" wrongly. None for harmful-request
    settings and for names that are no built-in scenario (imports may use any name).
    """
    if not name:
        return None
    try:
        spec = load_scenario(name)
    except ScenarioError:
        return None
    return spec.manifest.objective if spec.compliance.kind != HARMFUL_REQUEST else None
