"""Labelled texts for classifier validation: local `.jsonl` files or the public
human-labelled alignment-faking set on Hugging Face (`hf:<repo>`).

Labels arrive in many spellings; `parse_label` accepts booleans, 0/1 and the usual
strings, and refuses anything else with the line number, so a mislabelled row can never
silently count as negative.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ._types import DatasetError

HUMAN_LABELS_REPO = "jplhughes2/classify_alignment_faking_human_labels"
TEXT_FIELDS = ("text", "scratchpad", "reasoning", "transcript", "response", "output", "completion")
REQUEST_FIELDS = ("request", "user_request", "prompt", "question")
LABEL_FIELDS = ("label", "labels", "human_label", "is_af", "alignment_faking", "gold")
_TRUE = {"true", "yes", "y", "1", "af", "potential_faking", "alignment_faking", "faking", "positive",
         "complied", "compliant", "comply", "partial", "partially_compliant"}  # fmt: skip
_FALSE = {"false", "no", "n", "0", "not_af", "aligned", "not_faking", "negative", "none",
          "refused", "refusal", "non_compliant", "not_partial", "full"}  # fmt: skip


class LabelledText(BaseModel):
    id: str
    text: str
    label: bool
    request: str | None = None
    """The user's request, when the file has it (the compliance judge reads it)."""


def parse_label(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        key = value.strip().lower().replace("-", "_").replace(" ", "_")
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
    raise ValueError(f"unrecognised label {value!r}")


def _rows_to_texts(rows: list[tuple[int, dict[str, Any]]], where: str) -> list[LabelledText]:
    out: list[LabelledText] = []
    for number, row in rows:
        text_field = next((f for f in TEXT_FIELDS if isinstance(row.get(f), str)), None)
        label_field = next((f for f in LABEL_FIELDS if f in row), None)
        if text_field is None:
            raise DatasetError(
                f"{where}, row {number}: no text field (one of {', '.join(TEXT_FIELDS)})"
            )
        if label_field is None:
            raise DatasetError(
                f"{where}, row {number}: no label field (one of {', '.join(LABEL_FIELDS)})"
            )
        try:
            label = parse_label(row[label_field])
        except ValueError as exc:
            raise DatasetError(f"{where}, row {number}: {exc}") from None
        request = next((row[f] for f in REQUEST_FIELDS if isinstance(row.get(f), str)), None)
        out.append(
            LabelledText(
                id=str(row.get("id", number)), text=row[text_field], label=label, request=request
            )
        )
    if not out:
        raise DatasetError(f"{where}: no labelled rows")
    return out


def load_labelled_texts(source: str) -> list[LabelledText]:
    """`PATH.jsonl` or `hf:<repo id>` (e.g. `hf:jplhughes2/classify_alignment_faking_human_labels`)."""
    if source.startswith("hf:"):
        return _load_hub(source[3:])
    path = Path(source)
    if not path.is_file():
        raise DatasetError(f"labels file not found: {path}")
    rows = []
    for number, line in enumerate(path.read_bytes().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise DatasetError(f"{path}, line {number}: not a JSON object ({exc})") from None
        if not isinstance(row, dict):
            raise DatasetError(f"{path}, line {number}: not a JSON object")
        rows.append((number, row))
    return _rows_to_texts(rows, str(path))


def _load_hub(repo: str) -> list[LabelledText]:
    """Download (once, cached by huggingface_hub) and read every data file of the repo."""
    try:
        from huggingface_hub import snapshot_download

        local = Path(
            snapshot_download(
                repo,
                repo_type="dataset",
                allow_patterns=["*.jsonl", "*.json", "*.parquet", "*.csv"],
            )
        )
    except Exception as exc:  # network, auth, offline mode: all end the same way for the user
        raise DatasetError(
            f"could not load the Hugging Face dataset {repo}: {type(exc).__name__}. "
            "Loading it needs network access to huggingface.co once (it is cached afterwards); "
            'offline, pass a local .jsonl of {"text": ..., "label": ...} instead.'
        ) from None
    rows: list[tuple[int, dict[str, Any]]] = []
    for file in sorted(local.rglob("*")):
        if file.suffix == ".jsonl":
            for i, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
                if line.strip():
                    rows.append((i, json.loads(line)))
        elif file.suffix in (".parquet", ".csv"):
            import pandas as pd

            frame = pd.read_parquet(file) if file.suffix == ".parquet" else pd.read_csv(file)
            rows.extend((i + 1, r) for i, r in enumerate(frame.to_dict("records")))
        elif file.suffix == ".json":
            data = json.loads(file.read_text(encoding="utf-8"))
            if isinstance(data, list):
                rows.extend((i + 1, r) for i, r in enumerate(data) if isinstance(r, dict))
    return _rows_to_texts(rows, f"hf:{repo}")
