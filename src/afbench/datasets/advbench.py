"""AdvBench harmful behaviours (Zou et al. 2023): 520 requests, the minimal-notebook set.

The CSV is downloaded once from GitHub and cached; later runs read the cache and need
no network. The file has no ids, so ids are hashes of the request text.
"""

from __future__ import annotations

from pathlib import Path

from ._cache import resolve_cache_dir, write_atomic
from ._rows import build_requests
from ._types import DatasetError, Request
from .files import parse_rows

ADVBENCH_URL = (
    "https://raw.githubusercontent.com/llm-attacks/llm-attacks/main/"
    "data/advbench/harmful_behaviors.csv"
)
ADVBENCH_FIELD = "goal"
ADVBENCH_CACHE_FILE = Path("advbench") / "harmful_behaviors.csv"
DOWNLOAD_TIMEOUT_S = 20.0


def advbench_cache_path(cache_dir: Path | None = None) -> Path:
    """Where the AdvBench CSV is (or will be) cached."""
    return resolve_cache_dir(cache_dir) / ADVBENCH_CACHE_FILE


def load_advbench(
    *,
    field: str | None = None,
    id_field: str | None = None,
    cache_dir: Path | None = None,
) -> list[Request]:
    """Load AdvBench, from the cache when present, else by downloading it once."""
    path = advbench_cache_path(cache_dir)
    field = field or ADVBENCH_FIELD
    if path.is_file():
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DatasetError(f"{path}: cannot read cached AdvBench ({exc.strerror})") from None
        return _parse(data, str(path), field, id_field, hint=f" (delete {path} to download again)")

    try:
        data = http_get(ADVBENCH_URL, timeout=DOWNLOAD_TIMEOUT_S)
    except Exception as exc:
        raise DatasetError(
            f"could not download AdvBench from {ADVBENCH_URL}: {type(exc).__name__}: {exc}. "
            "Network access to raw.githubusercontent.com is needed once; the file is then "
            f"cached at {path}. Or pass a local copy as a file path: "
            "--dataset path/to/harmful_behaviors.csv --field goal"
        ) from None
    # Check the download before caching it, so a bad response is never kept.
    requests = _parse(
        data, ADVBENCH_URL, field, id_field, hint=" (the download was not cached; try again later)"
    )
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise DatasetError(f"{path}: cannot write the AdvBench cache ({exc.strerror})") from None
    return requests


def http_get(url: str, *, timeout: float) -> bytes:
    """Fetch a URL with a bounded wait; the one network call of this module (tests replace it)."""
    import httpx

    response = httpx.get(url, timeout=timeout, follow_redirects=True)
    response.raise_for_status()
    return response.content


def _parse(
    data: bytes, where: str, field: str, id_field: str | None, *, hint: str
) -> list[Request]:
    try:
        rows, columns = parse_rows(data, ".csv", where)
        return build_requests(
            rows,
            where=where,
            source="advbench",
            prefix="advbench",
            columns=columns,
            field=field,
            id_field=id_field,
        )
    except DatasetError as exc:
        raise DatasetError(f"{exc}{hint}") from None
