"""Reading a small YAML file of settings, with errors that name the file and the line.

Shared by every loader of a user-written YAML file (scenario and variant manifests;
sweep files and universes can use it too). The error class is the caller's, so each
loader keeps its own error family.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def read_text(path: Path, what: str, error: type[Exception]) -> str:
    """The file's UTF-8 text; `error("<path>: ...")` if it cannot be read or decoded."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise error(f"{path}: cannot read {what} ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise error(f"{path}: {what} is not UTF-8 ({exc.reason})") from None


def yaml_mapping(text: str, where: object, expected: str, error: type[Exception]) -> dict[Any, Any]:
    """The YAML document's top-level mapping; `error` names `where` and the line if the
    text is not YAML, and says what was `expected` if it is not a mapping."""
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise error(f"{where}: malformed YAML{yaml_location(exc)}") from None
    if not isinstance(data, dict):
        raise error(f"{where}: expected {expected}")
    return data


def yaml_location(exc: Exception) -> str:
    """` at line L, column C: problem` (or `: problem`) for a YAML parse error."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    if mark is None:
        return f": {problem}"
    return f" at line {mark.line + 1}, column {mark.column + 1}: {problem}"
