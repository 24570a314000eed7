"""Reading a training file: chat examples or plain documents, never a mix.

A file is either chat data (`{"messages": [...]}` per line: the chat template is applied
and the loss falls on the assistant turns) or document data (`{"text": ...}` per line:
synthetic documents trained as plain text, a causal LM on the whole text). The two are
trained differently, so the format is decided per file and a line of the other kind, a
line that is not JSON, or a malformed example stops the run *before* any model loads,
with the file and line number. Other keys on a line (provenance, ids) are allowed and
ignored.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ...errors import ConfigError


class TrainingDataError(ConfigError):
    """The training file cannot be used: the message names the file and, where it applies,
    the line."""

    hint = (
        'fix the line named above: one JSON object per line, {"messages": [...]} (chat) or '
        '{"text": ...} (documents), not both kinds in one file'
    )


DataFormat = Literal["chat", "text"]

ROLES = ("system", "user", "assistant")


@dataclass
class TrainingData:
    """A validated training file, normalised: messages hold only role and content."""

    path: Path
    format: DataFormat
    sha256: str
    examples: list[dict[str, Any]] = field(repr=False)

    @property
    def n_examples(self) -> int:
        return len(self.examples)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_training_data(path: Path) -> TrainingData:
    """Read and check a `.jsonl` training file; raise `ConfigError` naming the bad line."""
    path = Path(path)
    if not path.is_file():
        raise TrainingDataError(f"no such training file: {path}")
    examples: list[dict[str, Any]] = []
    fmt: DataFormat | None = None
    first_line = 0
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise TrainingDataError(
            f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise TrainingDataError(f"{where}: not valid JSON ({exc.msg})") from None
        if not isinstance(record, dict):
            raise TrainingDataError(f"{where}: expected a JSON object, got {type(record).__name__}")
        kind = _line_format(record, where)
        if fmt is None:
            fmt, first_line = kind, number
        elif kind != fmt:
            raise TrainingDataError(
                f"{where}: mixed training file: this line is {_describe(kind)} but line "
                f"{first_line} is {_describe(fmt)}; put chat examples and documents in "
                "separate files"
            )
        examples.append(
            _chat_example(record, where) if kind == "chat" else _text_example(record, where)
        )
    if fmt is None:
        raise TrainingDataError(f"{path}: no training examples (the file is empty)")
    return TrainingData(path=path, format=fmt, sha256=file_sha256(path), examples=examples)


def _describe(fmt: DataFormat) -> str:
    return 'chat data ("messages")' if fmt == "chat" else 'document data ("text")'


def _line_format(record: dict[str, Any], where: str) -> DataFormat:
    has_messages, has_text = "messages" in record, "text" in record
    if has_messages and has_text:
        raise TrainingDataError(
            f'{where}: has both "messages" and "text"; a line must be one or the other'
        )
    if has_messages:
        return "chat"
    if has_text:
        return "text"
    keys = ", ".join(sorted(record)) or "none"
    raise TrainingDataError(
        f'{where}: expected "messages" (chat data) or "text" (document data); keys found: {keys}'
    )


def _text_example(record: dict[str, Any], where: str) -> dict[str, Any]:
    text = record["text"]
    if not isinstance(text, str) or not text.strip():
        raise TrainingDataError(f'{where}: "text" must be a non-empty string')
    return {"text": text}


def _chat_example(record: dict[str, Any], where: str) -> dict[str, Any]:
    messages = record["messages"]
    if not isinstance(messages, list) or not messages:
        raise TrainingDataError(f'{where}: "messages" must be a non-empty list')
    out: list[dict[str, str]] = []
    for index, message in enumerate(messages):
        at = f"{where}: message {index + 1}"
        if not isinstance(message, dict):
            raise TrainingDataError(f"{at}: expected an object with role and content")
        role = message.get("role")
        if role not in ROLES:
            raise TrainingDataError(f"{at}: role must be one of {', '.join(ROLES)}, got {role!r}")
        out.append({"role": role, "content": _content_text(message.get("content"), at)})
    if not any(m["role"] == "assistant" and m["content"].strip() for m in out):
        raise TrainingDataError(
            f"{where}: no assistant message with content, so nothing to train on"
        )
    return {"messages": out}


def _content_text(content: Any, at: str) -> str:
    """A string, or OpenAI-style text parts joined (no images in training data)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for part in content:
            if not (isinstance(part, dict) and part.get("type") == "text"):
                raise TrainingDataError(f"{at}: only text content is supported")
            parts.append(str(part.get("text", "")))
        return "".join(parts)
    raise TrainingDataError(f"{at}: content must be a string")


def write_jsonl(examples: list[dict[str, Any]]) -> str:
    """The examples as JSON lines (what the API backends upload)."""
    return "".join(json.dumps(example, ensure_ascii=False) + "\n" for example in examples)
