"""Choosing the example transcripts the report shows, and pairing each with its other tiers.

A reader checks a run by reading samples of every kind it counted, so per model × scenario ×
variant the report shows one request for each kind present (:mod:`.example_kinds`: the
summary's categories, no tag, unmeasured, unscored, failed), and beside it the same request
in the other tiers: the pair is what the compliance gap is made of. The choice is
deterministic (trained tier first, then request order) so rebuilding a report from the same
logs shows the same samples. Only small bookkeeping columns are scanned; the (possibly huge)
text columns are read for the chosen rows alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .example_kinds import (
    KIND_BY_KEY,
    KINDS,
    ExampleKind,
    af_score_text,
    af_verdict,
    compliance_text,
    kinds_of,
)
from .follow_ups import sample_follow_ups
from .formatting import MISSING, is_missing
from .labels import GroupKey, grouped, tier_role
from .motivations import sample_why
from .text import excerpt

if TYPE_CHECKING:
    import pandas as pd

_GROUP_KEYS = ("model", "scenario", "variant")
_ORDER_KEYS = ("request_id", "epoch", "sample_id")
_CLASSIFY_KEYS = ("tier", "outcome", "error", "complied", "partial", "af")
QUOTE_LIMIT = 300
QUOTES_SHOWN = 6


@dataclass(frozen=True)
class Example:
    """One sample (one tier of one request), every model-written field made safe by
    :func:`excerpt`."""

    kind: str
    """The sample's own kind (`example_kinds.kinds_of`, first entry)."""
    tier: str
    role: str
    chosen: bool
    """Whether this sample shows one of the example's kinds (else it is only the partner)."""
    request_id: str
    epoch: str
    outcome: str
    category: str
    """The request's harm category."""
    decided_by: str
    compliance: str
    af_verdict: str
    af_score: str
    af_quotes: list[str]
    request: str | None
    reasoning: str | None
    output: str | None
    error: str | None
    native_reasoning: str | None = None
    """The readable text of the model's native reasoning channel, where it had one."""
    follow_ups: list[dict[str, str | None]] = field(default_factory=list)
    """The `--follow-up` questions asked after the reply, their answers and categories."""
    why: list[str] = field(default_factory=list)
    """The reasons and motives the "why" judges found, with their quotes (`--af-reasons`,
    `--motivations`)."""


@dataclass
class PairedExample:
    """One request shown for `kinds`, in every tier of its condition group."""

    kinds: list[ExampleKind]
    samples: list[Example] = field(default_factory=list)

    @property
    def request(self) -> str | None:
        return next((s.request for s in self.samples if s.request is not None), None)


@dataclass
class ExampleGroup:
    """The examples of one model × scenario × variant; `conditions` are its tiers."""

    key: GroupKey
    conditions: list[Mapping[str, Any]]
    examples: list[PairedExample] = field(default_factory=list)


def _field(row: Mapping[str, Any], key: str) -> str:
    value = row.get(key)
    return MISSING if is_missing(value) else str(value)


def _quotes(row: Mapping[str, Any]) -> list[str]:
    value = row.get("af_quotes")
    if is_missing(value) or not str(value).strip():
        return []
    lines = [line for line in str(value).splitlines() if line.strip()]
    return [excerpt(line, QUOTE_LIMIT) or "" for line in lines[:QUOTES_SHOWN]]


def to_example(row: Mapping[str, Any], condition: Mapping[str, Any], chosen: bool) -> Example:
    return Example(
        kind=kinds_of(row)[0],
        tier=_field(row, "tier"),
        role=tier_role(condition),
        chosen=chosen,
        request_id=_field(row, "request_id"),
        epoch=_field(row, "epoch"),
        outcome=_field(row, "outcome"),
        category=_field(row, "category"),
        decided_by=_field(row, "decided_by"),
        compliance=compliance_text(row),
        af_verdict=af_verdict(row),
        af_score=af_score_text(row),
        af_quotes=_quotes(row),
        request=excerpt(row.get("request")),
        reasoning=excerpt(row.get("reasoning")),
        output=excerpt(row.get("output")),
        error=excerpt(row.get("error")),
        native_reasoning=excerpt(row.get("native_reasoning")),
        follow_ups=sample_follow_ups(row),
        why=sample_why(row),
    )


def choose(rows: Sequence[Sequence[str]], pairs: Sequence[Any]) -> list[tuple[Any, list[str]]]:
    """For each kind in :data:`KINDS` order, the first row (in the given order) showing it.

    `rows[i]` are the kinds of row i and `pairs[i]` its request (id, epoch). A request is
    shown once: a kind whose rows all belong to requests already shown joins the first of
    those. Returns (request, kinds) in the order the requests were first chosen.
    """
    chosen: dict[Any, list[str]] = {}
    for kind in KINDS:
        matching = [i for i, kinds in enumerate(rows) if kind.key in kinds]
        if not matching:
            continue
        fresh = next((i for i in matching if pairs[i] not in chosen), None)
        pair = pairs[fresh if fresh is not None else matching[0]]
        chosen.setdefault(pair, []).append(kind.key)
    return list(chosen.items())


def _ordered(small: pd.DataFrame, tiers: list[str]) -> pd.DataFrame:
    """Trained tier first (the summary's tier order), then request order."""
    frame = small.assign(_tier_rank=[_rank(t, tiers) for t in small["tier"].astype(str)])
    keys = ["_tier_rank", *[k for k in _ORDER_KEYS if k in frame.columns]]
    try:
        return frame.sort_values(keys, kind="stable")
    except TypeError:  # mixed types in an id column
        return frame.sort_values("_tier_rank", kind="stable")


def _rank(tier: str, tiers: list[str]) -> int:
    return tiers.index(tier) if tier in tiers else len(tiers)


def _pair_key(record: Mapping[str, Any]) -> tuple[str, str]:
    return (str(record.get("request_id")), str(record.get("epoch")))


def _fill_group(group: ExampleGroup, samples: pd.DataFrame, small: pd.DataFrame) -> None:
    tiers = [str(c.get("tier")) for c in group.conditions]
    by_tier = {str(c.get("tier")): c for c in group.conditions}
    ordered = _ordered(small, tiers)
    records = ordered.to_dict("records")
    pairs = [_pair_key(r) for r in records]
    kinds = [kinds_of(r) for r in records]
    for pair, pair_kinds in choose(kinds, pairs):
        members = [i for i, p in enumerate(pairs) if p == pair]
        chosen_rows = {i for i in members if set(kinds[i]) & set(pair_kinds)}
        example = PairedExample([KIND_BY_KEY[k] for k in pair_kinds])
        for i in members:
            row = samples.iloc[int(ordered.index[i])].to_dict()
            condition = by_tier.get(str(row.get("tier")), {})
            example.samples.append(to_example(row, condition, i in chosen_rows))
        group.examples.append(example)


def pick_examples(
    samples: pd.DataFrame | None, conditions: Sequence[Mapping[str, Any]]
) -> list[ExampleGroup]:
    """One group per model × scenario × variant (summary order) with its paired examples."""
    groups = [ExampleGroup(key, list(tiers)) for key, tiers in grouped(conditions).items()]
    if samples is None or len(samples) == 0:
        return groups
    if not all(k in samples.columns for k in (*_GROUP_KEYS, "tier")):
        return groups
    wanted = [*_GROUP_KEYS, *_ORDER_KEYS, *_CLASSIFY_KEYS]
    small = samples[[c for c in dict.fromkeys(wanted) if c in samples.columns]]
    small = small.reset_index(drop=True)  # row labels are now positions in `samples`
    indices = small.groupby(list(_GROUP_KEYS), sort=False, dropna=False).indices
    positions = {tuple(str(v) for v in key): rows for key, rows in indices.items()}
    for group in groups:
        rows = positions.get(group.key)
        if rows is not None:
            _fill_group(group, samples, small.iloc[rows])
    return groups
