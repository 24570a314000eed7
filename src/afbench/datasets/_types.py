"""The record every loader returns, and the one error every loader raises."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from ..errors import DatasetError

__all__ = ["DatasetError", "Request"]


class Request(BaseModel):
    """One request a model is asked.

    `id` is stable across runs and machines: it comes from the source when the source
    has ids, and otherwise from a hash of the request text. The same request therefore
    gets the same id in every tier and every run, which is what pairs the conditions.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    """Stable, unique id within the loaded set."""

    request: str
    """The request text, stripped of surrounding whitespace."""

    category: str | None = None
    """Harm category where the source gives one (the built-in set always does)."""

    source: str
    """Where the request came from: `builtin`, `lat`, `advbench`, or the file path."""
