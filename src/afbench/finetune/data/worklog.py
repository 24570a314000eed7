"""The work file: every finished model call, appended the moment it exists.

Why not only Inspect's cache: the cache expires, is shared by every project on the
machine and can be switched off; the work file is the record of *this* data set. A run
that is interrupted (Ctrl-C, a crash, a provider outage) loses at most the calls that were
in flight; re-running the same command reads the file and calls the model only for what
is missing.

Format: one JSON object per line, each line written whole, flushed and fsynced before the
call counts as done. A crash can leave a torn last line; it is ignored on load (that one
call is simply made again). A damaged line elsewhere means the file was edited or
corrupted: it is skipped and counted, never guessed at.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


class WorkLog:
    """Append-only JSONL of call records keyed by `key`; the last record for a key wins."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.torn_tail = False
        self.damaged_lines = 0
        self._valid_size: int | None = None
        self._missing_newline = False

    def load(self) -> dict[str, dict[str, Any]]:
        """Records by key. Sets `torn_tail` and `damaged_lines` for the caller to report."""
        records: dict[str, dict[str, Any]] = {}
        self.torn_tail = False
        self.damaged_lines = 0
        if not self.path.exists():
            return records
        raw = self.path.read_bytes()
        self._valid_size = raw.rfind(b"\n") + 1
        self._missing_newline = bool(raw) and not raw.endswith(b"\n")
        lines = raw.split(b"\n")
        # A file that ends in "\n" splits into [..., b""]; anything else after the last
        # newline is a line whose write did not finish.
        last = len(lines) - 1
        for i, line in enumerate(lines):
            if not line.strip():
                continue
            try:
                record = json.loads(line.decode("utf-8"))
                if not isinstance(record, dict) or "key" not in record:
                    raise ValueError("not a record")
            except (ValueError, UnicodeDecodeError):
                if i == last:
                    self.torn_tail = True
                else:
                    self.damaged_lines += 1
                continue
            records[str(record["key"])] = record
        return records

    def append(self, record: dict[str, Any]) -> None:
        """Write one record as one line and force it to disk."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(record, ensure_ascii=False) + "\n"
        data = line.encode("utf-8", errors="backslashreplace")
        if self.torn_tail and self._valid_size is not None:
            # Cut the torn line off first, so that it does not glue onto this record.
            with open(self.path, "r+b") as handle:
                handle.truncate(self._valid_size)
            self.torn_tail = False
            self._missing_newline = False
        if self._missing_newline:
            data = b"\n" + data  # the last record was whole but its newline was not
            self._missing_newline = False
        with open(self.path, "ab") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
