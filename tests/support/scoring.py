"""Running an afbench scorer on a hand-made `TaskState`, as Inspect would after a
conversation in the scratchpad protocol."""

from __future__ import annotations

import asyncio

from inspect_ai.model import ChatMessageAssistant, ChatMessageUser
from inspect_ai.scorer import Score, Target
from inspect_ai.solver import TaskState

from afbench.protocol import REPLY_KEY


def task_state(turns: list[str], request: str = "do a bad thing") -> TaskState:
    """The state after the model replied in `turns` (joined by `<NEXT/>` continuations)."""
    messages = [ChatMessageUser(content=request)]
    for i, turn in enumerate(turns):
        if i:
            messages.append(ChatMessageUser(content="<NEXT/>"))
        messages.append(ChatMessageAssistant(content=turn))
    return TaskState(
        model="sim/x",
        sample_id="r1__free",
        epoch=1,
        input=request,
        messages=messages,
        metadata={"request": request, REPLY_KEY: {"continuations": len(turns) - 1}},
    )


def score_state(scorer, state: TaskState) -> Score:
    return asyncio.run(scorer(state, Target("")))
