"""Writes that readers see whole or not at all.

Every file afbench writes for the user (summary, report, run manifest, caches) goes
through here: the data lands in a temporary file in the same folder, which then replaces
the target in one rename, so an interruption never leaves half a file behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates files readable by the owner only; give them the usual mode.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic_text(path: Path, text: str, *, errors: str = "strict") -> None:
    """`errors="backslashreplace"` for text that holds model output (lone surrogates)."""
    write_atomic(path, text.encode("utf-8", errors=errors))
