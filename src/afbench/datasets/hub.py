"""Request sets on the Hugging Face Hub, starting with `LLM-LAT/harmful-dataset`.

The LAT set (Sheshadri et al. 2024; about 4,900 harmful requests in its `prompt` column) is
what the 2025 alignment-faking papers ask. It is fetched with `huggingface_hub` into the
Hugging Face cache (or `cache_dir/huggingface`), then read from disk.

Loading is cache-first: once a snapshot is on disk it is used without contacting the Hub,
so a run is reproducible offline and never silently changes its requests. Network calls
have short timeouts, and `HF_HUB_OFFLINE=1` (or `HF_DATASETS_OFFLINE=1`) forbids them, so
a machine without network fails in seconds with a message saying what to do.
"""

from __future__ import annotations

from pathlib import Path

from ._cache import env_flag
from ._rows import Row, build_requests
from ._types import DatasetError, Request
from .files import FILE_FORMATS, read_rows

LAT_REPO = "LLM-LAT/harmful-dataset"
LAT_FIELD = "prompt"
LAT_REVISION = "main"
HUB_TIMEOUT_S = 15.0
"""Seconds to wait for the Hub to answer before giving up (no retries)."""

_DATA_PATTERNS = ["*.parquet", "*.jsonl", "*.csv", "*.json"]
_METADATA_FILES = {"dataset_info.json", "dataset_infos.json", "config.json"}


class OfflineError(Exception):
    """The Hub may not be contacted and the data set is not cached."""


def hub_offline() -> bool:
    """Whether the user has switched Hugging Face downloads off."""
    if env_flag("HF_HUB_OFFLINE") or env_flag("HF_DATASETS_OFFLINE"):
        return True
    try:
        from huggingface_hub import constants
    except ImportError:  # pragma: no cover - huggingface_hub is a dependency
        return False
    return bool(constants.HF_HUB_OFFLINE)


def load_lat(
    *,
    field: str | None = None,
    id_field: str | None = None,
    cache_dir: Path | None = None,
) -> list[Request]:
    """Load `LLM-LAT/harmful-dataset` (train split; ids are hashes of the prompt text)."""
    hub_cache = cache_dir.expanduser() / "huggingface" if cache_dir is not None else None
    try:
        snapshot = fetch_snapshot(
            LAT_REPO, revision=LAT_REVISION, cache_dir=hub_cache, offline=hub_offline()
        )
    except DatasetError:
        raise
    except Exception as exc:
        raise DatasetError(_offline_message(LAT_REPO, exc, hub_cache)) from None
    files = data_files(snapshot)
    if not files:
        raise DatasetError(f"{LAT_REPO}: no data files found in the downloaded copy at {snapshot}")
    rows: list[Row] = []
    columns: dict[str, None] = {}
    for path in files:
        file_rows, file_columns = read_rows(path)
        name = path.relative_to(snapshot).as_posix()
        rows.extend((f"{name}, {location}", record) for location, record in file_rows)
        columns.update(dict.fromkeys(file_columns))
    return build_requests(
        rows,
        where=LAT_REPO,
        source="lat",
        prefix="lat",
        columns=list(columns),
        field=field or LAT_FIELD,
        id_field=id_field,
    )


def fetch_snapshot(repo_id: str, *, revision: str, cache_dir: Path | None, offline: bool) -> Path:
    """Return a local snapshot of a Hub data set, downloading it only if it is not cached.

    This is the only function here that touches the network (tests replace it).
    """
    from huggingface_hub import HfApi, snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    common = {
        "repo_type": "dataset",
        "cache_dir": cache_dir,
        "allow_patterns": _DATA_PATTERNS,
    }
    try:
        return Path(snapshot_download(repo_id, revision=revision, local_files_only=True, **common))
    except LocalEntryNotFoundError:
        if offline:
            raise OfflineError(
                "downloads are switched off (HF_HUB_OFFLINE or HF_DATASETS_OFFLINE is set)"
            ) from None
    # Probe the Hub with a bounded wait first: `snapshot_download` itself waits without
    # limit on an unresponsive network. The download then names the branch (not the commit)
    # so that the cache records it and later runs find the copy offline.
    HfApi().dataset_info(repo_id, revision=revision, timeout=HUB_TIMEOUT_S)
    return Path(snapshot_download(repo_id, revision=revision, etag_timeout=HUB_TIMEOUT_S, **common))


def data_files(snapshot: Path) -> list[Path]:
    """The data files of a snapshot: Parquet if any, the train split if marked, sorted."""
    files = [
        p
        for p in sorted(snapshot.rglob("*"))
        if p.is_file() and p.suffix.lower() in FILE_FORMATS and p.name not in _METADATA_FILES
    ]
    parquet = [p for p in files if p.suffix.lower() == ".parquet"]
    if parquet:
        files = parquet
    train = [p for p in files if "train" in p.relative_to(snapshot).as_posix().lower()]
    return train or files


def _offline_message(repo_id: str, exc: Exception, hub_cache: Path | None) -> str:
    where = f" in {hub_cache}" if hub_cache is not None else " in the Hugging Face cache"
    return (
        f"could not load the Hugging Face data set {repo_id}: {type(exc).__name__}: {exc}. "
        f"No cached copy was found{where}; network access to huggingface.co is needed once "
        "to download it (later runs use the cache). Or pass a local copy as a file path: "
        "--dataset path/to/harmful.csv --field prompt (.jsonl, .json, .csv or .parquet)"
    )
