"""Where downloaded request sets are kept, and how they are written safely."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

DEFAULT_CACHE_DIR = Path("~/.cache/afbench/datasets")


def resolve_cache_dir(cache_dir: Path | None) -> Path:
    """The cache folder to use (the default one when none is given)."""
    return (cache_dir if cache_dir is not None else DEFAULT_CACHE_DIR).expanduser()


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see either the old file or the whole new one.

    The bytes go to a temporary file in the same folder, which then replaces the target in
    one rename; an interrupted download therefore never leaves a truncated cache behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def env_flag(name: str) -> bool:
    """True when an environment variable is set to a truthy value (1, true, yes, on)."""
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}
