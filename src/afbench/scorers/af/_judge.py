"""Asking a judge model for a reply in a required format, with bounded retries.

A reply that breaks the format, or a call that fails outright, is retried; after the
last attempt the caller gets no verdict and counts it as invalid — never as a "no".
Error texts kept in metadata are shortened and stripped of anything that looks like a
credential, because provider errors sometimes echo request details.
"""

from __future__ import annotations

import asyncio
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


#: Judges that returned fewer choices than asked, or refused `n`: asked one vote a call.
_NO_CHOICES: set[str] = set()


def num_choices_usable(model: Model, wanted: bool | None = None) -> bool:
    """Whether to ask this judge for several votes in one request: as `wanted`, else as
    the provider table says, unless the judge already showed it does not honour `n`."""
    from ...providers import supports_num_choices

    name = judge_name(model)
    if name in _NO_CHOICES:
        return False
    return supports_num_choices(name) if wanted is None else wanted


async def ask_judge_many(
    model: Model,
    messages: list[ChatMessage],
    parse: Callable[[str], T],
    k: int,
    *,
    temperature: float,
    max_tokens: int,
    retries: int,
) -> tuple[list[JudgeAnswer[T]], int]:
    """`k` replies to the same prompt from one request (`num_choices=k`: the prompt is
    billed once), and the number of requests made. Replies that break the format are asked
    again the same way, at most `retries` more rounds. A judge that refuses `n` or returns
    fewer choices gets the missing replies as separate calls (`ask_judge`), and is asked
    one reply a call from then on."""
    answers: list[JudgeAnswer[T] | None] = [None] * k
    errors: list[str | None] = [None] * k
    raws: list[str | None] = [None] * k
    requests, fell_back = 0, False
    for _ in range(retries + 1):
        open_ = [i for i, a in enumerate(answers) if a is None]
        if not open_:
            break
        requests += 1
        config = GenerateConfig(
            temperature=temperature, max_tokens=max_tokens, num_choices=len(open_)
        )
        try:
            output = await model.generate(messages, config=config)
        except Exception:  # e.g. a server that rejects `n`: separate calls instead
            fell_back = True
            break
        texts = [c.message.text for c in output.choices][: len(open_)]
        for i, raw in zip(open_, texts, strict=False):
            raws[i] = raw
            try:
                answers[i] = JudgeAnswer(parse(raw), 1, None, raw)
            except JudgeFormatError as exc:
                errors[i] = str(exc)
        if len(texts) < len(open_):
            fell_back = True
            break
    if fell_back:  # one call per missing reply from now on, with the usual retries
        _NO_CHOICES.add(judge_name(model))
        missing = [i for i, a in enumerate(answers) if a is None]
        singles = await asyncio.gather(
            *(
                ask_judge(model, messages, parse, temperature=temperature,
                          max_tokens=max_tokens, retries=retries)
                for _ in missing
            )
        )  # fmt: skip
        for i, answer in zip(missing, singles, strict=True):
            requests += answer.calls
            answers[i] = answer
    done = [a or JudgeAnswer(None, 1, errors[i], raws[i]) for i, a in enumerate(answers)]
    return done, requests
