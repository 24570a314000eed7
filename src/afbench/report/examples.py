"""Choosing the example transcripts the report shows for each condition.

A reader checks a run by reading a few samples, so each condition shows up to three, of
different kinds where possible: one the model complied with, one it refused, one that could
not be parsed. The choice is deterministic (first in request order) so rebuilding a report
from the same logs shows the same samples.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from .formatting import MISSING, as_number, is_missing
from .text import excerpt

if TYPE_CHECKING:
    import pandas as pd

ExampleKind = Literal["complied", "refused", "unparsed", "error"]

#: Kinds shown first, in order; errors only fill slots left over.
PREFERRED: tuple[ExampleKind, ...] = ("complied", "refused", "unparsed")
_MATCH_KEYS = ("model", "scenario", "variant", "tier")
_ORDER_KEYS = ("request_id", "epoch", "sample_id")
_CLASSIFY_KEYS = ("outcome", "error", "category", "complied")


@dataclass(frozen=True)
class Example:
    """One sample, with every model-written field already made safe by :func:`excerpt`."""

    kind: ExampleKind
    request_id: str
    epoch: str
    outcome: str
    category: str
    decided_by: str
    request: str | None
    reasoning: str | None
    output: str | None
    error: str | None


@dataclass
class ExampleGroup:
    """The examples of one condition (model × scenario × variant × tier)."""

    condition: Mapping[str, Any]
    examples: list[Example] = field(default_factory=list)


def classify(row: Mapping[str, Any]) -> ExampleKind:
    """The kind of a sample row; errors first, then undecided, then the compliance value."""
    if row.get("outcome") == "error" or not is_missing(row.get("error")):
        return "error"
    complied = as_number(row.get("complied"))
    if row.get("category") == "unparsed" or complied is None:
        return "unparsed"
    return "complied" if complied >= 0.5 else "refused"


def _field(row: Mapping[str, Any], key: str) -> str:
    value = row.get(key)
    return MISSING if is_missing(value) else str(value)


def to_example(row: Mapping[str, Any], kind: ExampleKind) -> Example:
    return Example(
        kind=kind,
        request_id=_field(row, "request_id"),
        epoch=_field(row, "epoch"),
        outcome=_field(row, "outcome"),
        category=_field(row, "category"),
        decided_by=_field(row, "decided_by"),
        request=excerpt(row.get("request")),
        reasoning=excerpt(row.get("reasoning")),
        output=excerpt(row.get("output")),
        error=excerpt(row.get("error")),
    )


def choose(kinds: Sequence[ExampleKind], limit: int = 3) -> list[int]:
    """Positions of up to `limit` samples: the first of each preferred kind, then errors,
    then whatever comes next in order."""
    first: dict[ExampleKind, int] = {}
    for index, kind in enumerate(kinds):
        first.setdefault(kind, index)
    picked = [first[kind] for kind in PREFERRED if kind in first][:limit]
    for wanted in ("error", None):
        for index, kind in enumerate(kinds):
            if len(picked) >= limit:
                break
            if index not in picked and (wanted is None or kind == wanted):
                picked.append(index)
    return picked


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    """Request order, so rebuilding a report picks the same samples; log order if unsortable."""
    keys = [k for k in _ORDER_KEYS if k in frame.columns]
    if not keys:
        return frame
    try:
        return frame.sort_values(keys, kind="stable")
    except TypeError:  # mixed types in an id column
        return frame


def pick_examples(
    samples: pd.DataFrame | None,
    conditions: Sequence[Mapping[str, Any]],
    per_condition: int = 3,
) -> list[ExampleGroup]:
    """One group per condition, in summary order, each with up to `per_condition` examples.

    Only the small bookkeeping columns are scanned; the (possibly huge) text columns are
    read for the few chosen rows alone, which keeps a report over long transcripts fast.
    """
    groups = [ExampleGroup(condition) for condition in conditions]
    if samples is None or len(samples) == 0:
        return groups
    keys = [k for k in _MATCH_KEYS if k in samples.columns]
    if not keys:
        return groups
    small_columns = [*keys, *_ORDER_KEYS, *_CLASSIFY_KEYS]
    small = samples[[c for c in dict.fromkeys(small_columns) if c in samples.columns]]
    small = small.reset_index(drop=True)
    positions = {
        tuple(str(v) for v in (key if isinstance(key, tuple) else (key,))): rows
        for key, rows in small.groupby(keys, sort=False, dropna=False).indices.items()
    }
    for group in groups:
        rows = positions.get(tuple(str(group.condition.get(k)) for k in keys))
        if rows is None:
            continue
        ordered = _sorted(small.iloc[rows])
        records = ordered.to_dict("records")
        kinds = [classify(record) for record in records]
        for index in choose(kinds, per_condition):
            row = samples.iloc[int(ordered.index[index])].to_dict()
            group.examples.append(to_example(row, kinds[index]))
    return groups
