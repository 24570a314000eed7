"""Asking a judge model for a reply in a required format, with bounded retries.

A reply that breaks the format, or a call that fails outright, is retried; after the
last attempt the caller gets no verdict and counts it as invalid — never as a "no".
Error texts kept in metadata are shortened and stripped of anything that looks like a
credential, because provider errors sometimes echo request details.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from inspect_ai.model import ChatMessage, GenerateConfig, Model, get_model

from ..strongreject import JudgeFormatError

T = TypeVar("T")

_SECRETISH = re.compile(r"[A-Za-z0-9_\-]{24,}")


def resolve_judge(judge: str | Model) -> Model:
    """A judge `Model` from a model string (Inspect memoizes it) or a `Model` as given."""
    return judge if isinstance(judge, Model) else get_model(judge)


def judge_name(judge: str | Model) -> str:
    """The model string ("provider/name") of a judge; `Model.name` drops the provider."""
    return str(judge) if isinstance(judge, Model) else judge


def redact(message: str, limit: int = 300) -> str:
    return _SECRETISH.sub("[redacted]", message)[:limit]


@dataclass(frozen=True)
class JudgeAnswer(Generic[T]):
    parsed: T | None
    calls: int
    error: str | None
    raw: str | None


async def ask_judge(
    model: Model,
    messages: list[ChatMessage],
    parse: Callable[[str], T],
    *,
    temperature: float,
    max_tokens: int,
    retries: int,
    retry_temperature: float | None = None,
) -> JudgeAnswer[T]:
    """Generate until `parse` accepts the reply, at most `retries + 1` times."""
    raw: str | None = None
    error: str | None = None
    calls = 0
    for attempt in range(retries + 1):
        temp = temperature if attempt == 0 or retry_temperature is None else retry_temperature
        calls += 1
        try:
            output = await model.generate(
                messages, config=GenerateConfig(temperature=temp, max_tokens=max_tokens)
            )
        except Exception as exc:  # a failed call is an invalid attempt, not a crash
            error = redact(f"judge call failed: {type(exc).__name__}: {exc}")
            continue
        raw = output.completion
        try:
            return JudgeAnswer(parse(raw), calls, None, raw)
        except JudgeFormatError as exc:
            error = str(exc)
    return JudgeAnswer(None, calls, error, raw)
