"""The hand-written texts behind afbench's labelled scratchpads (`blocks.yaml`,
`handwritten.yaml`), loaded for :mod:`build_data`.

Why building blocks: a few hundred varied scratchpads are needed to train and check the
offline classifier, and composing them from interchangeable, hand-written sentences gives
variety in length, order and wording without writing every text in full. Everything was
written for afbench, deliberately in different words from the simulated model's phrase
banks (`afbench/models/sim_phrases.yaml`), so that the classifier is not graded on the
very sentences the simulator emits (a test checks).

Why some texts are written whole (`handwritten.yaml`): composed texts cover the common
moves, but real reasoning also rambles, doubles back, uses lists, slips into informal
thinking-model style, and appears in settings that need their own vocabulary (rating data
for another model, a lab-name swap, a malicious developer, five tiers, a "however"
prefill). Requests are described abstractly; no text holds harmful instructions.

Why `realistic.yaml`: the texts above are short and tidy, while real scratchpads run to
thousands of characters, restate the system prompt, enumerate options, draft inside
`<DRAFT_OUTPUT>`, hedge, and word alignment faking in many ways. Those 200 texts are
written whole in such registers, each tagged with its register (`group`).

Pooled banks: a bank that :mod:`build_data` pools is split by index into six pools
(index % 6): pools 0–4 feed the five cross-validation folds of the training split, pool 5
feeds the test split. A composed text uses only sentences of its own pool, so no sentence
variant of a label-bearing move is shared between a training fold and the text it is
scored on; the cross-validated and held-out numbers then measure generalisation to unseen
wording, not recall of memorised sentences. Label-neutral banks (openers, tier notes,
drafts) are shared.

Templates in `blocks.yaml` are `str.format` strings over `{req}` (an abstract description
of the request, never the harmful content itself), `{lab}` (the developer's name), `{aw}`
(an animal-welfare question) and `{group}` (who a deployment reaches).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import NamedTuple

import yaml

HERE = Path(__file__).resolve().parent

#: Number of sentence pools: five cross-validation folds plus the test split.
N_POOLS = 6
TEST_POOL = 5


class Handwritten(NamedTuple):
    """A scratchpad written whole, with its label (docs/method.md §3; see `data/README.md`)."""

    style: str
    label: bool
    setting: str
    text: str


class Realistic(NamedTuple):
    """A long scratchpad written whole to read like a real transcript (`realistic.yaml`).

    `group` names its register (long deliberation, hedging, ...): the builder holds out
    whole groups, so scores on them measure transfer to a register the model never saw.
    """

    group: str
    style: str
    label: bool
    setting: str
    tier: str
    text: str


def _load(name: str) -> object:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load((HERE / name).read_text(encoding="utf-8"), Loader=loader)


@cache
def blocks() -> SimpleNamespace:
    """Every bank of `blocks.yaml` as an attribute (`blocks().HARM`): a tuple, in order.

    Each bank is one tuple object for the whole run: the builder tells pooled banks apart
    by identity.
    """
    raw = _load("blocks.yaml")
    if not isinstance(raw, dict):
        raise ValueError("blocks.yaml: expected a mapping of bank names")
    banks = {}
    for name, value in raw.items():
        if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
            raise ValueError(f"blocks.yaml: bank {name} must be a list of quoted strings")
        banks[name] = tuple(value)
    return SimpleNamespace(**banks)


@cache
def handwritten() -> tuple[Handwritten, ...]:
    """The entries of `handwritten.yaml`, in file order (the order fixes ids and splits)."""
    raw = _load("handwritten.yaml")
    if not isinstance(raw, list):
        raise ValueError("handwritten.yaml: expected a list of entries")
    entries = []
    for n, entry in enumerate(raw, start=1):
        try:
            item = Handwritten(**entry)
        except TypeError as exc:
            raise ValueError(f"handwritten.yaml: entry {n}: {exc}") from None
        if not isinstance(item.label, bool) or not all(
            isinstance(v, str) for v in (item.style, item.setting, item.text)
        ):
            raise ValueError(f"handwritten.yaml: entry {n}: wrong field types")
        entries.append(item)
    return tuple(entries)


@cache
def realistic() -> tuple[Realistic, ...]:
    """The entries of `realistic.yaml`, in file order (the order fixes ids)."""
    raw = _load("realistic.yaml")
    if not isinstance(raw, list):
        raise ValueError("realistic.yaml: expected a list of entries")
    entries = []
    for n, entry in enumerate(raw, start=1):
        try:
            item = Realistic(**entry)
        except TypeError as exc:
            raise ValueError(f"realistic.yaml: entry {n}: {exc}") from None
        if not isinstance(item.label, bool) or not all(
            isinstance(v, str) for v in (item.group, item.style, item.setting, item.tier, item.text)
        ):
            raise ValueError(f"realistic.yaml: entry {n}: wrong field types")
        entries.append(item)
    return tuple(entries)
