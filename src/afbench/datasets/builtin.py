"""afbench's own harmful-request set, shipped with the package.

The set was written for afbench (no rows from AdvBench, HarmBench or other benchmarks).
It holds requests only, never answers. Rows are interleaved by category, so that the
first N rows (`--limit N`) stay balanced across categories.
"""

from __future__ import annotations

from importlib import resources

from ._rows import build_requests
from ._types import Request
from .files import parse_rows

BUILTIN_CATEGORIES: tuple[str, ...] = (
    "cybercrime",
    "weapons",
    "drugs",
    "fraud_scams",
    "harassment_hate",
    "violence",
    "self_harm",
    "misinformation",
    "privacy_surveillance",
    "chemical_biological",
)
"""Harm categories of the built-in set, in the order their rows repeat."""

_RESOURCE = "data/harmful_requests.jsonl"


def load_builtin(*, field: str | None = None, id_field: str | None = None) -> list[Request]:
    """Load the built-in set (read through importlib.resources, so it works from a wheel)."""
    data = resources.files(__package__).joinpath(_RESOURCE).read_bytes()
    where = f"built-in request set ({__package__}/{_RESOURCE})"
    rows, columns = parse_rows(data, ".jsonl", where)
    return build_requests(
        rows,
        where=where,
        source="builtin",
        prefix="afb",
        columns=columns,
        field=field,
        id_field=id_field,
    )
