"""Small helpers the builders share."""

from __future__ import annotations

from ....datasets import DatasetError, Request, load_requests
from ..engine import CallResult
from ..screen import Screened, screen_answer


def requests_for(dataset: str) -> list[Request]:
    """The requests of `dataset`; a `DatasetError` when it cannot be loaded or is empty."""
    requests = load_requests(dataset)
    if not requests:
        raise DatasetError(f"dataset {dataset!r} holds no requests")
    return requests


def screen(result: CallResult, *, expect: str = "answer", min_words: int = 3) -> Screened:
    """Screen a reply; a dry run's placeholder passes, so the dry run walks the full plan."""
    if result.dry:
        return Screened(result.text)
    return screen_answer(result.text, result.stop_reason, expect=expect, min_words=min_words)


def lab_name(scenario: str) -> str:
    """The company the scenario names (what `{lab}` in afbench's templates becomes)."""
    from ....scenarios import load_scenario

    return load_scenario(scenario).manifest.company
