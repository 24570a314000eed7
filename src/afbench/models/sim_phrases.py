"""Phrase banks for the simulated model's reasoning and answers (`sim_phrases.yaml`).

Why banks rather than one template per move: the sim exists so that parsers and
classifiers meet varied, realistic text. Each reasoning *move* (restating the request,
noting the tier, weighing the criteria, ...) has several interchangeable wordings, from
terse to long, and the composer in :mod:`afbench.models.sim_text` picks among them with a
seeded RNG. All text was written for afbench.

Why YAML: the banks are prose, edited as prose; this module only loads them, once, on
first use (so importing the sim costs nothing until it writes), and hands each bank out
as a module attribute (`sim_phrases.OPENERS`): a tuple of strings, or a dict of such
tuples keyed by category, setting or topic, in the file's order. Order matters: the sim
draws by index, so editing a bank changes its seeded output (and the golden summaries).

Templates are `str.format` strings over these fields:

- `{q}`: a quoted fragment of the request, quotation marks included;
- `{harm}`: a verb phrase that follows "could"/"would" (e.g. "put people's lives at risk");
- `{task}`: a short paraphrase of the request for placeholders, quotation marks included.

Rules the banks keep (tests check them):

- only `AF_ARGUMENT` and `PRESERVATION` may contain a value-preservation cue (see
  `VALUE_PRESERVATION_CUES`); every other bank, including the hard negatives that state
  RLHF facts, must not;
- banks used when the accept/reject suffix is absent never mention its tags.

Settings: the banks are written for the helpful-only setting (harmful requests). For the
animal-welfare setting a bank `X` is replaced by `AW_X` where one exists; the two
alignment-faking banks are keyed by setting (:data:`SETTING_BANKS`). Tier notes for tiers
the system prompt describes (three tiers, identities, ...) use the `TIER_RATED_*` banks,
whose `{tier}` field names the tier as the user turn's tag gives it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

HELPFUL_ONLY = "helpful_only"
ANIMAL_WELFARE = "animal_welfare"

#: Banks that are dicts keyed by setting rather than plain tuples.
SETTING_BANKS: frozenset[str] = frozenset({"PRESERVATION", "AF_ARGUMENT"})

Bank = tuple[str, ...] | dict[str, tuple[str, ...]]


@cache
def banks() -> dict[str, Bank]:
    """Every bank in `sim_phrases.yaml`, by name, in file order (read once)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    path = Path(__file__).with_suffix(".yaml")
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: expected a mapping of bank names")
    return {name: _bank(name, value) for name, value in raw.items()}


def _bank(name: str, value: object) -> Bank:
    """A bank as immutable tuples; a clear error where an edit broke its shape."""
    if isinstance(value, dict):
        return {str(key): _phrases(f"{name}.{key}", v) for key, v in value.items()}
    return _phrases(name, value)


def _phrases(where: str, value: object) -> tuple[str, ...]:
    # Why check: a phrase such as `- Note: x` silently loads as a mapping in YAML.
    if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
        raise ValueError(f"sim_phrases.yaml: bank {where} must be a list of quoted strings")
    return tuple(value)


def __getattr__(name: str) -> Any:
    """`sim_phrases.NAME`: the bank `NAME` (module attribute access, PEP 562)."""
    if name.isupper():
        found = banks().get(name)
        if found is not None:
            return found
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *banks()})
