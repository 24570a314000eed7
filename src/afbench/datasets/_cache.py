"""Where downloaded request sets are kept, and how they are written safely."""

from __future__ import annotations

import os
from pathlib import Path

from .._util.atomic import write_atomic  # noqa: F401  (re-exported for the loaders)

DEFAULT_CACHE_DIR = Path("~/.cache/afbench/datasets")


def resolve_cache_dir(cache_dir: Path | None) -> Path:
    """The cache folder to use (the default one when none is given)."""
    return (cache_dir if cache_dir is not None else DEFAULT_CACHE_DIR).expanduser()


def env_flag(name: str) -> bool:
    """True when an environment variable is set to a truthy value (1, true, yes, on)."""
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}
