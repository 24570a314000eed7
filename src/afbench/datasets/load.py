"""`load_requests`: one entry point for every request set afbench can ask."""

from __future__ import annotations

from pathlib import Path

from ._types import DatasetError, Request
from .files import FILE_FORMATS

NAMED_DATASETS: tuple[str, ...] = ("builtin", "lat", "advbench", "animal_welfare")
"""Request sets known by name; anything else must be a path to a local file."""

MAX_REQUEST_CHARS = 100_000
"""Longest request asked by default (about 25k tokens). Published request sets hold a few
hundred characters a row; a row of megabytes is nearly always a broken file (an unclosed
quote in a CSV swallowing the lines after it), and would be sent to every model, in every
tier, at full price. `max_request_chars` raises the limit for a request meant to be long."""


def load_requests(
    dataset: str | Path = "builtin",
    *,
    field: str | None = None,
    id_field: str | None = None,
    limit: int | None = None,
    cache_dir: Path | None = None,
    max_request_chars: int | None = MAX_REQUEST_CHARS,
) -> list[Request]:
    """Load the requests of a data set, in source order.

    Args:
        dataset: `builtin` (afbench's own set), `animal_welfare` (afbench's animal-welfare
            questions, for the animal_welfare setting), `lat` (`LLM-LAT/harmful-dataset` on the
            Hugging Face Hub), `advbench` (AdvBench harmful behaviours), or a path to a
            `.jsonl`, `.json` (list of objects), `.csv` or `.parquet` file.
        field: Column holding the request text. Defaults: `prompt` for `lat`, `goal` for
            `advbench`, else the first of `request`, `prompt`, `goal`, `question`,
            `user_request`, `input` that the file has.
        id_field: Column holding a unique id; defaults to `id` when present. Without ids,
            each request gets `<prefix>-<sha1 of its text>[:10]`, the same on every run.
        limit: Keep only the first N requests (after duplicates are removed).
        cache_dir: Where downloads are cached (default `~/.cache/afbench/datasets`; `lat`
            uses the Hugging Face cache unless a folder is given).
        max_request_chars: Refuse a request (among those kept) longer than this; None
            for no limit.

    Raises:
        DatasetError: The input is missing, malformed or cannot be downloaded, or a
            request is too long; the message names the file and the line, row or request.
    """
    if limit is not None and limit < 0:
        raise DatasetError(f"limit must be zero or more, got {limit}")
    if max_request_chars is not None and max_request_chars < 1:
        raise DatasetError(f"max_request_chars must be 1 or more, got {max_request_chars}")
    requests = _load(dataset, field=field, id_field=id_field, cache_dir=cache_dir)
    requests = requests if limit is None else requests[:limit]
    if max_request_chars is not None:
        _check_lengths(requests, str(dataset), max_request_chars)
    return requests


def _check_lengths(requests: list[Request], where: str, limit: int) -> None:
    too_long = [(i, r) for i, r in enumerate(requests, start=1) if len(r.request) > limit]
    if not too_long:
        return
    index, first = too_long[0]
    more = f" (and {len(too_long) - 1} more)" if len(too_long) > 1 else ""
    raise DatasetError(
        f"{where}: request {index} (id '{first.id}') is {len(first.request):,} characters "
        f"long, over the limit of {limit:,}{more}. A row this long is usually a broken "
        "file (an unclosed quote in a CSV, lines run together); if it is meant, raise "
        "the limit with --max-request-chars"
    )


def _load(
    dataset: str | Path,
    *,
    field: str | None,
    id_field: str | None,
    cache_dir: Path | None,
) -> list[Request]:
    name = str(dataset).strip()
    key = name.lower()
    if not isinstance(dataset, Path) and key in NAMED_DATASETS:
        if key == "builtin":
            from .builtin import load_builtin

            return load_builtin(field=field, id_field=id_field)
        if key == "animal_welfare":
            from .builtin import load_animal_welfare

            return load_animal_welfare(field=field, id_field=id_field)
        if key == "lat":
            from .hub import load_lat

            return load_lat(field=field, id_field=id_field, cache_dir=cache_dir)
        from .advbench import load_advbench

        return load_advbench(field=field, id_field=id_field, cache_dir=cache_dir)

    path = Path(name).expanduser()
    if path.suffix.lower() in FILE_FORMATS or path.is_file():
        from .files import load_file

        return load_file(path, field=field, id_field=id_field)
    raise DatasetError(
        f"unknown dataset '{name}': use {', '.join(NAMED_DATASETS)}, or a path to a "
        f"{', '.join(FILE_FORMATS)} file"
    )
