"""Registries of afbench's classifiers and scorers, filled by decorators where each is defined.

Like Inspect's own components, each is registered by name where it is written, and every
list of choices (CLI options, config validation, the per-sample table) is read from here:

- `@af_classifier(name, description=...)`: an alignment-faking classifier of one scratchpad
  (`--af-classifier`), an async function `(text, settings: AfSettings) -> AfResult`.
  Adding one is one module in `afbench.scorers.af` (imported by that package's
  `__init__`) that decorates its function.
- `@classifier(name, description=...)`: what `afbench validate-classifier --classifier`
  compares with human labels, a function `(ClassifierOptions) -> TextClassifier`.
- `@scorer_columns(*columns)`: above an Inspect `@scorer`, the columns its score adds to
  the per-sample table (`afbench.analysis.results`), in the table's order.

Importing `afbench.scorers` registers every built-in one.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ..defaults import DEFAULT_AF_CLASSIFIER, DEFAULT_VOTES, OFFLINE
from ..errors import ConfigError, did_you_mean

if TYPE_CHECKING:
    from .af.classify import AfResult, AfSettings

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


class _Registry(Generic[T]):
    """Entries by name, in the order they were registered."""

    def __init__(self, kind: str, hint: str) -> None:
        self.kind = kind
        self.hint = hint
        self.entries: dict[str, T] = {}
        self._origins: dict[str, str] = {}

    def decorator(self, entry_for: Callable[[Any], T]) -> Callable[[F], F]:
        """A decorator that registers `entry_for(fn)` (an entry with a `name`) and
        returns `fn` unchanged."""

        def register(fn: F) -> F:
            entry = entry_for(fn)
            name: str = entry.name  # type: ignore[attr-defined]
            origin = f"{fn.__module__}.{fn.__qualname__}"
            if self._origins.get(name, origin) != origin:  # the same function again: a reload
                raise ValueError(f"{self.kind} {name!r} is registered twice ({origin})")
            self.entries[name] = entry
            self._origins[name] = origin
            return fn

        return register

    def names(self) -> list[str]:
        return list(self.entries)

    def get(self, name: str) -> T:
        try:
            return self.entries[name]
        except KeyError:
            raise ConfigError(
                f"unknown {self.kind} {name!r}{did_you_mean(name, self.names())}: "
                f"use {choices(self.names())}",
                hint=self.hint,
            ) from None


def choices(names: list[str]) -> str:
    """ "a, b or c": a list of names in words."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _help(entries: dict[str, Any]) -> str:
    return "; ".join(f"{name}: {entry.description}" for name, entry in entries.items())


# --- alignment-faking classifiers ------------------------------------------------------

AfClassify = Callable[[str, "AfSettings"], Awaitable["AfResult"]]


@dataclass(frozen=True)
class AfClassifierInfo:
    """A registered alignment-faking classifier."""

    name: str
    description: str
    fn: AfClassify
    """Classifies one scratchpad: `await fn(text, settings)` (`settings.classifier` is
    this classifier's name)."""
    needs_judge: bool = True
    """False for a classifier that calls no judge model (the log names no judge)."""
    prepare: Callable[[], object] | None = None
    """Called when a scorer is built, so a missing resource fails before any work."""
    threshold: Callable[[], float] | None = None
    """Where its score decides "AF" for `validate-classifier`; None: the judge votes'
    threshold."""


_AF_CLASSIFIERS: _Registry[AfClassifierInfo] = _Registry(
    "AF classifier", "`afbench run --help` lists the alignment-faking classifiers"
)


def af_classifier(
    name: str,
    *,
    description: str,
    needs_judge: bool = True,
    prepare: Callable[[], object] | None = None,
    threshold: Callable[[], float] | None = None,
) -> Callable[[F], F]:
    """Register an alignment-faking classifier: `async def fn(text, settings) -> AfResult`."""
    return _AF_CLASSIFIERS.decorator(
        lambda fn: AfClassifierInfo(name, description, fn, needs_judge, prepare, threshold)
    )


def af_classifier_names() -> list[str]:
    """The registered alignment-faking classifiers, built-ins first: for CLI choices and
    the validation of run and sweep settings."""
    return _AF_CLASSIFIERS.names()


def get_af_classifier(name: str) -> AfClassifierInfo:
    """The classifier registered as `name`; `ConfigError` naming the valid ones if none."""
    return _AF_CLASSIFIERS.get(name)


def af_classifier_help() -> str:
    """ "improved: ...; original: ...; offline: ...": each name with its one-line description."""
    return _help(_AF_CLASSIFIERS.entries)


def effective_af_classifier(judge: str, af_classifier: str = DEFAULT_AF_CLASSIFIER) -> str:
    """The AF classifier a run uses: with the offline judge (`judge` is a model string or
    "offline") it is the offline classifier, whatever was asked for."""
    return OFFLINE if judge == OFFLINE else af_classifier


# --- classifiers validate-classifier compares with labels ------------------------------

TextScore = Callable[[str, str | None], Awaitable[float | None]]


@dataclass(frozen=True)
class ClassifierOptions:
    """What `afbench validate-classifier` passes to a classifier's builder."""

    judge: str
    af_classifier: str = DEFAULT_AF_CLASSIFIER
    votes: int = DEFAULT_VOTES


@dataclass(frozen=True)
class TextClassifier:
    """A classifier ready to score labelled texts."""

    score: TextScore
    """`await score(text, request)`: the score, None where the text could not be scored."""
    threshold: float
    """A score at or above it is a "yes"."""


@dataclass(frozen=True)
class ClassifierInfo:
    name: str
    description: str
    build: Callable[[ClassifierOptions], TextClassifier]
    """Raises `ConfigError` where the options do not suit it (e.g. no offline version)."""


_CLASSIFIERS: _Registry[ClassifierInfo] = _Registry(
    "classifier", "`afbench validate-classifier --help` lists the classifiers"
)


def classifier(name: str, *, description: str) -> Callable[[F], F]:
    """Register a classifier for `validate-classifier`: `def build(options) -> TextClassifier`."""
    return _CLASSIFIERS.decorator(lambda build: ClassifierInfo(name, description, build))


def classifier_names() -> list[str]:
    return _CLASSIFIERS.names()


def get_classifier(name: str) -> ClassifierInfo:
    return _CLASSIFIERS.get(name)


def classifier_help() -> str:
    return _help(_CLASSIFIERS.entries)


# --- scorers and their columns in the per-sample table ---------------------------------

#: `ScoreColumn.on_error` default: an errored sample's column is read as usual.
KEEP: Any = object()


@dataclass(frozen=True)
class ScoreColumn:
    """One column of the per-sample table, read from a score of the sample."""

    name: str
    key: str | None = None
    """The key in the score's value (or metadata); the column's name when None."""
    metadata: bool = False
    """Read from the score's metadata, as it is; else from its value, as a number (NaN
    when missing or not a number, never 0)."""
    on_error: Any = KEEP
    """What the column holds for a sample that errored (or has no primary score)."""
    mixed: bool = False
    """Values mix types or None: the cached table stores them as objects."""
    joined: bool = False
    """A list, stored as one comma-separated string."""
    convert: Callable[[Any], Any] | None = None
    """Turns the metadata value into the cell (e.g. a nested dict into one text), for
    metadata too rich for a table cell; applied to None when the key is missing."""

    def read(self, value: dict[str, Any], metadata: dict[str, Any], error: str | None) -> Any:
        if error and self.on_error is not KEEP:
            return self.on_error
        key = self.key or self.name
        if not self.metadata:
            return number(value.get(key))
        raw = metadata.get(key)
        if self.convert is not None:
            return self.convert(raw)
        return ",".join(raw or []) if self.joined else raw


def number(x: Any) -> float:
    """A score part as a float; missing or unmeasured is NaN (never 0)."""
    try:
        return float(x) if x is not None else math.nan
    except (TypeError, ValueError):
        return math.nan


@dataclass(frozen=True)
class ScorerInfo:
    name: str
    """The scorer's name, which is also its score's name in a sample."""
    fn: Callable[..., Any]
    columns: tuple[ScoreColumn, ...]
    primary: bool
    """Every scored sample has this score; its answer is the sample's output."""


_SCORERS: _Registry[ScorerInfo] = _Registry("scorer", "")


def scorer_columns(
    *columns: ScoreColumn, name: str | None = None, primary: bool = False
) -> Callable[[F], F]:
    """Register an Inspect scorer (place it above `@scorer`) with its table columns; its
    name is the function's unless `name` is given."""
    return _SCORERS.decorator(lambda fn: ScorerInfo(name or fn.__name__, fn, columns, primary))


def scorer_names() -> list[str]:
    return _SCORERS.names()


def get_scorer(name: str) -> ScorerInfo:
    return _SCORERS.get(name)


def scorer_infos() -> list[ScorerInfo]:
    return list(_SCORERS.entries.values())


def primary_scorer() -> str:
    """The score every scored sample has (compliance)."""
    return next(s.name for s in scorer_infos() if s.primary)


def score_columns() -> list[str]:
    """The per-sample table's score columns, scorer by scorer, in registration order."""
    return [c.name for s in scorer_infos() for c in s.columns]
