"""Read request rows from local files: JSONL, JSON (a list of objects), CSV and Parquet.

Parsing works on bytes so that a downloaded file can be checked *before* it is written
to the cache, with the same rules and messages as a file on disk.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ._rows import Row, build_requests, columns_of, id_prefix
from ._types import DatasetError, Request

FILE_FORMATS: tuple[str, ...] = (".jsonl", ".json", ".csv", ".parquet")
"""File suffixes `load_requests` accepts as a local dataset."""


def load_file(
    path: Path,
    *,
    field: str | None = None,
    id_field: str | None = None,
    source: str | None = None,
    prefix: str | None = None,
) -> list[Request]:
    """Load requests from a local file; the format follows the suffix."""
    suffix = path.suffix.lower()
    if suffix not in FILE_FORMATS:
        raise DatasetError(
            f"{path}: unsupported file type '{path.suffix}' (use {', '.join(FILE_FORMATS)})"
        )
    if not path.is_file():
        raise DatasetError(f"{path}: file not found")
    rows, columns = read_rows(path)
    return build_requests(
        rows,
        where=str(path),
        source=source if source is not None else str(path),
        prefix=prefix if prefix is not None else id_prefix(path.stem),
        columns=columns,
        field=field,
        id_field=id_field,
    )


def read_rows(path: Path) -> tuple[list[Row], list[str]]:
    """Read the raw rows and column names of a local file of a supported format."""
    if path.suffix.lower() == ".parquet":
        return read_parquet_rows(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read file ({exc.strerror or exc})") from None
    return parse_rows(data, path.suffix.lower(), str(path))


def parse_rows(data: bytes, suffix: str, where: str) -> tuple[list[Row], list[str]]:
    """Parse JSONL, JSON or CSV bytes into rows and their column names."""
    text = decode_utf8(data, where)
    if not text.strip():
        raise DatasetError(f"{where}: the file is empty")
    if suffix == ".jsonl":
        rows = _jsonl_rows(text, where)
        return rows, columns_of(rows)
    if suffix == ".json":
        rows = _json_rows(text, where)
        return rows, columns_of(rows)
    if suffix == ".csv":
        return _csv_rows(text, where)
    raise DatasetError(f"{where}: unsupported file type '{suffix}'")


def decode_utf8(data: bytes, where: str) -> str:
    """Decode UTF-8 (a leading byte-order mark is allowed), naming the bad line if any."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DatasetError(
            f"{where}, line {line}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at "
            f"offset {exc.start}); re-save the file as UTF-8"
        ) from None


def _jsonl_rows(text: str, where: str) -> list[Row]:
    rows: list[Row] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{where}, line {number}: invalid JSON ({exc.msg})") from None
        if not isinstance(record, dict):
            raise DatasetError(
                f"{where}, line {number}: expected a JSON object, got {type(record).__name__}"
            )
        rows.append((f"line {number}", record))
    return rows


def _json_rows(text: str, where: str) -> list[Row]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DatasetError(
            f"{where}, line {exc.lineno}: invalid JSON ({exc.msg}, column {exc.colno})"
        ) from None
    if not isinstance(data, list):
        raise DatasetError(
            f"{where}: expected a JSON list of objects, got {type(data).__name__} "
            "(for one object per line, use a .jsonl file)"
        )
    rows: list[Row] = []
    for number, record in enumerate(data, start=1):
        if not isinstance(record, dict):
            raise DatasetError(
                f"{where}, item {number}: expected a JSON object, got {type(record).__name__}"
            )
        rows.append((f"item {number}", record))
    return rows


def _csv_rows(text: str, where: str) -> tuple[list[Row], list[str]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames
        if not header:
            raise DatasetError(f"{where}: the file is empty")
        columns = [name.strip() for name in header]
        repeated = sorted({name for name in columns if columns.count(name) > 1})
        if repeated:
            raise DatasetError(f"{where}, line 1: repeated column names: {', '.join(repeated)}")
        reader.fieldnames = columns
        rows: list[Row] = []
        for record in reader:
            record.pop(None, None)  # type: ignore[call-overload]  # surplus cells
            rows.append((f"line {reader.line_num}", record))
    except csv.Error as exc:
        raise DatasetError(f"{where}, line {reader.line_num}: malformed CSV ({exc})") from None
    return rows, columns


def read_parquet_rows(path: Path) -> tuple[list[Row], list[str]]:
    """Read a Parquet file (the format Hugging Face stores data sets in)."""
    try:
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - pyarrow comes with `datasets`
        raise DatasetError(f"{path}: reading Parquet needs pyarrow (pip install pyarrow)") from None
    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises several unrelated types
        raise DatasetError(f"{path}: not a readable Parquet file ({exc})") from None
    records = table.to_pylist()
    if not records:
        raise DatasetError(f"{path}: the file holds no rows")
    rows: list[Row] = [(f"row {n}", record) for n, record in enumerate(records, start=1)]
    return rows, list(table.column_names)
