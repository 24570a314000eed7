"""afbench's own request sets, shipped with the package.

`builtin`: harmful requests for the helpful-only setting. `animal_welfare`: harmless user
questions on which animal welfare bears, for the animal-welfare setting. Both were written
for afbench (no rows from AdvBench, HarmBench, the papers' question sets or other
benchmarks) and hold requests only, never answers. Rows are interleaved by category, so
that the first N rows (`--limit N`) stay balanced across categories.
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

ANIMAL_WELFARE_CATEGORIES: tuple[str, ...] = (
    "farming",
    "food",
    "pets",
    "wildlife",
    "policy",
    "ethics",
)
"""Topics of the animal-welfare question set, in the order their rows repeat."""

_RESOURCE = "data/harmful_requests.jsonl"
_ANIMAL_WELFARE_RESOURCE = "data/animal_welfare_questions.jsonl"


def load_builtin(*, field: str | None = None, id_field: str | None = None) -> list[Request]:
    """Load the built-in set (read through importlib.resources, so it works from a wheel)."""
    return _load_resource(_RESOURCE, "builtin", "afb", field=field, id_field=id_field)


def load_animal_welfare(*, field: str | None = None, id_field: str | None = None) -> list[Request]:
    """Load the animal-welfare question set (ids `aw-0001`, ...)."""
    return _load_resource(
        _ANIMAL_WELFARE_RESOURCE, "animal_welfare", "aw", field=field, id_field=id_field
    )


def _load_resource(
    resource: str, source: str, prefix: str, *, field: str | None, id_field: str | None
) -> list[Request]:
    data = resources.files(__package__).joinpath(resource).read_bytes()
    where = f"built-in request set ({__package__}/{resource})"
    rows, columns = parse_rows(data, ".jsonl", where)
    return build_requests(
        rows,
        where=where,
        source=source,
        prefix=prefix,
        columns=columns,
        field=field,
        id_field=id_field,
    )
