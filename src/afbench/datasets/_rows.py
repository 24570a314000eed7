"""Turn raw rows (from any file format) into validated `Request`s.

Every source funnels through `build_requests`, so field detection, id rules, duplicate
handling and error wording are the same for the built-in set, the public sets and a
user's own file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ._types import DatasetError, Request

logger = logging.getLogger(__name__)

DEFAULT_REQUEST_FIELDS: tuple[str, ...] = (
    "request",
    "prompt",
    "goal",
    "question",
    "user_request",
    "input",
)
"""Column names tried, in order, when the caller names no request field."""

DEFAULT_ID_FIELD = "id"
CATEGORY_FIELD = "category"

Row = tuple[str, Mapping[str, Any]]
"""A raw row: where it is (`"line 4"`, `"row 12"`) and its fields."""


def stable_id(prefix: str, text: str) -> str:
    """Id for a request whose source has none: the prefix and a hash of the text.

    A content hash (not the row number) keeps the id valid when rows are added,
    removed or reordered, so paired analyses across runs still line up.
    """
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    return f"{prefix}-{digest}"


def id_prefix(name: str) -> str:
    """A file stem made safe to use as an id prefix (no spaces or odd characters)."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-.")
    return cleaned or "file"


def columns_of(rows: Sequence[Row]) -> list[str]:
    """Every field name seen in the rows, in first-seen order."""
    seen: dict[str, None] = {}
    for _, record in rows:
        for key in record:
            if isinstance(key, str):
                seen.setdefault(key, None)
    return list(seen)


def build_requests(
    rows: Sequence[Row],
    *,
    where: str,
    source: str,
    prefix: str,
    columns: Sequence[str] | None = None,
    field: str | None = None,
    id_field: str | None = None,
) -> list[Request]:
    """Validate rows and convert them to requests, in row order.

    Args:
        rows: Raw rows with their locations.
        where: How to name the input in error messages (usually the file path).
        source: Value for `Request.source`.
        prefix: Id prefix for rows without an id.
        columns: Column names of the input (the CSV header); derived from rows if None.
        field: Request column; None tries `DEFAULT_REQUEST_FIELDS` in order.
        id_field: Id column; None uses `id` when the input has it, else hashed ids.
    """
    if not rows:
        raise DatasetError(f"{where}: the file holds no rows")
    cols = list(columns) if columns is not None else columns_of(rows)
    field, id_field = _resolve_fields(cols, field, id_field, where)
    has_category = CATEGORY_FIELD in cols and CATEGORY_FIELD not in (field, id_field)
    found = _convert_rows(rows, field, id_field, has_category, where, source, prefix)
    found.report(where, id_field)
    return found.kept


def _resolve_fields(
    cols: list[str], field: str | None, id_field: str | None, where: str
) -> tuple[str, str | None]:
    """The request column and the id column (None: ids are hashed from the text)."""
    found = ", ".join(cols) if cols else "none"
    if field is None:
        field = next((name for name in DEFAULT_REQUEST_FIELDS if name in cols), None)
        if field is None:
            raise DatasetError(
                f"{where}: no request column found (tried {', '.join(DEFAULT_REQUEST_FIELDS)}; "
                f"columns found: {found}); name it with --field"
            )
    elif field not in cols:
        raise DatasetError(f"{where}: no column '{field}' (columns found: {found})")

    if id_field is not None and id_field not in cols:
        raise DatasetError(f"{where}: no id column '{id_field}' (columns found: {found})")
    if id_field is None and DEFAULT_ID_FIELD in cols:
        id_field = DEFAULT_ID_FIELD
    return field, id_field


@dataclass
class _Rows:
    """The requests kept and the repeats found on the way."""

    kept: list[Request] = dataclasses.field(default_factory=list)
    duplicate_ids: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    dropped: list[str] = dataclasses.field(default_factory=list)
    repeated_texts: list[str] = dataclasses.field(default_factory=list)

    def report(self, where: str, id_field: str | None) -> None:
        """Refuse duplicate ids; log dropped repeats and texts repeated under another id."""
        if self.duplicate_ids:
            shown = "; ".join(
                f"'{rid}' ({', '.join(locs)})" for rid, locs in list(self.duplicate_ids.items())[:5]
            )
            n = len(self.duplicate_ids)
            more = f" and {n - 5} more" if n > 5 else ""
            raise DatasetError(f"{where}: duplicate ids in column '{id_field}': {shown}{more}")
        _warn_some(
            "%s: dropped %d duplicate request(s), keeping the first of each: %s%s",
            where,
            self.dropped,
            "; ",
        )
        _warn_some(
            "%s: %d request(s) repeat an earlier request's text under a different id (%s%s)",
            where,
            self.repeated_texts,
            ", ",
        )


def _warn_some(message: str, where: str, items: list[str], sep: str) -> None:
    """Log `message` with the number of items and the first five of them (if any)."""
    if items:
        logger.warning(
            message, where, len(items), sep.join(items[:5]), " ..." if len(items) > 5 else ""
        )


def _convert_rows(
    rows: Sequence[Row],
    text_field: str,
    id_field: str | None,
    has_category: bool,
    where: str,
    source: str,
    prefix: str,
) -> _Rows:
    """Each row's id, text and category, in row order: with an id column a repeated id is
    an error (collected), without one a repeated text is dropped (hashed ids collide)."""
    found = _Rows()
    first_seen_id: dict[str, str] = {}
    first_seen_text: dict[str, str] = {}
    for location, record in rows:
        text = _request_text(record, text_field, where, location)
        if id_field is not None:
            rid = _row_id(record, id_field, where, location)
            if rid in first_seen_id:
                found.duplicate_ids.setdefault(rid, [first_seen_id[rid]]).append(location)
                continue
            first_seen_id[rid] = location
            if text in first_seen_text:
                found.repeated_texts.append(location)
        else:
            rid = stable_id(prefix, text)
            if rid in first_seen_id:
                found.dropped.append(f"{location} repeats {first_seen_id[rid]}")
                continue
            first_seen_id[rid] = location
        first_seen_text.setdefault(text, location)
        category = _category(record) if has_category else None
        found.kept.append(Request(id=rid, request=text, category=category, source=source))
    return found


def _request_text(record: Mapping[str, Any], field: str, where: str, location: str) -> str:
    if field not in record or record[field] is None:
        present = ", ".join(k for k in record if isinstance(k, str)) or "none"
        raise DatasetError(f"{where}, {location}: no '{field}' field (fields: {present})")
    value = record[field]
    if not isinstance(value, str):
        raise DatasetError(
            f"{where}, {location}: '{field}' must be text, got {type(value).__name__}"
        )
    text = value.strip()
    if not text:
        raise DatasetError(f"{where}, {location}: '{field}' is empty")
    return text


def _row_id(record: Mapping[str, Any], id_field: str, where: str, location: str) -> str:
    value = record.get(id_field)
    if value is None:
        raise DatasetError(
            f"{where}, {location}: no '{id_field}' value (give every row an id, or none)"
        )
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise DatasetError(
            f"{where}, {location}: id '{id_field}' must be text or an integer, "
            f"got {type(value).__name__}"
        )
    rid = str(value).strip()
    if not rid:
        raise DatasetError(f"{where}, {location}: id '{id_field}' is empty")
    return rid


def _category(record: Mapping[str, Any]) -> str | None:
    value = record.get(CATEGORY_FIELD)
    if value is None:
        return None
    text = str(value).strip()
    return text or None
