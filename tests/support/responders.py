"""Behaviours for `FakeOpenAIServer`: what the "model" behind it says, and how it fails.

Kept apart from the server so that tests and bench scripts share one definition of
"the simulator served over HTTP" and of "a provider that fails at random": a bench
number and a test then measure the same thing.
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Sequence
from typing import Any

from .openai_server import Fault, FaultPlan, Responder

__all__ = ["FAULT_KINDS", "fixed_reply", "random_faults", "sim_responder"]


def sim_responder(profile: str = "faker", **params: Any) -> Responder:
    """Answer as afbench's simulated model `sim/<profile>` would.

    The server then behaves like a real model that reasons in the scratchpad protocol,
    sometimes needs `<NEXT/>` continuations and complies more in the free tier, while
    afbench reaches it through Inspect's real `openai-api` provider.
    """
    from inspect_ai.model import ChatMessageAssistant, ChatMessageSystem, ChatMessageUser

    from afbench.models import SimulatedModel

    roles = {
        "system": ChatMessageSystem,
        "user": ChatMessageUser,
        "assistant": ChatMessageAssistant,
    }
    sim = SimulatedModel(profile, **params)

    def respond(body: dict[str, Any]) -> str:
        messages = [roles[m["role"]](content=m["content"]) for m in body["messages"]]
        return sim.respond(messages).completion

    return respond


def fixed_reply(text: str) -> Responder:
    """Always answer `text` (one request per sample when it holds an `<OUTPUT>`)."""
    return lambda body: text


FAULT_KINDS: dict[str, Fault] = {
    "rate_limit": Fault.rate_limit(retry_after=1),
    "server_error": Fault.server_error(500),
    "stall": Fault.stall(60),
    "truncated": Fault(truncated=True),
    "garbage": Fault(garbage=True),
}
"""The transient faults a real provider shows: 429 with Retry-After, 500, a request that
hangs past the client's timeout, and a 200 whose body is cut short or is not JSON."""


def random_faults(
    rate: float,
    *,
    seed: int = 0,
    kinds: Sequence[str] = tuple(FAULT_KINDS),
    max_in_a_row: int | None = None,
    record: list[tuple[int, str]] | None = None,
) -> FaultPlan:
    """Fault about `rate` of requests, the kind drawn uniformly from `kinds`.

    The draw depends only on `(seed, request index)`, so a plan is reproducible even
    though concurrent requests arrive in a varying order. `max_in_a_row` bounds how
    often the *same* request (same model and messages: a client's retry) fails in
    succession, which keeps every fault transient and a test's duration bounded.
    `record`, when given, receives `(index, kind)` for every fault injected.
    """
    lock = threading.Lock()
    streak: dict[str, int] = {}

    def plan(index: int, body: dict[str, Any]) -> Fault | None:
        rng = random.Random(f"{seed}:{index}")
        hit = rng.random() < rate
        kind = kinds[rng.randrange(len(kinds))]
        key = json.dumps([body.get("model"), body.get("messages")], sort_keys=True)
        with lock:
            if hit and (max_in_a_row is None or streak.get(key, 0) < max_in_a_row):
                streak[key] = streak.get(key, 0) + 1
                if record is not None:
                    record.append((index, kind))
                return FAULT_KINDS[kind]
            streak.pop(key, None)
            return None

    return plan
