"""Asking the follow-up questions, in the same conversation, after the final output.

Each question is asked on its own branch of the finished conversation (the question
follows the model's last turn; the other questions' answers are not in its context), so
one answer cannot colour the next and their order does not matter. The branches are not
added to `state.messages`: the reply the scorers parse stays exactly what it was. The
answers, and the simulator's truth about them, go to the sample's metadata; every call is
still in the log's transcript as a model event.

`when="complied"` (the default) asks only after a final output that did not refuse by
afbench's offline signals (accept tag, or no refusal found): the judge's verdict comes
only at scoring, after the conversation. `when="always"` asks after every reply.
"""

from __future__ import annotations

from typing import Any

from inspect_ai.model import ChatMessageUser, get_model
from inspect_ai.solver import Generate, Solver, TaskState, solver

from ..models.sim_keys import SIM_OUTPUT_KEY
from ..protocol import joined_reply, parse_reply
from ..protocol.route import record_route
from .questions import resolve_all

#: Key in the sample's metadata: {"asked": bool, "skipped": why or None, "answers": [...]}.
FOLLOW_UP_KEY = "afbench_follow_ups"


def did_not_refuse(state: TaskState) -> bool:
    """Whether the final output may have complied: not refused by tag or refusal phrases
    (an untagged answer that does not refuse counts as "may have")."""
    from ..scorers.compliance import offline_decision

    parsed = parse_reply(joined_reply(state))
    if parsed.output is None:
        return False
    return offline_decision(parsed)[0] != 0


@solver
def ask_follow_ups(questions: list[str], when: str = "complied") -> Solver:
    """Ask each question after the final output; see the module docstring."""
    resolved = resolve_all(questions)

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        if when == "complied" and not did_not_refuse(state):
            state.metadata[FOLLOW_UP_KEY] = {"asked": False, "skipped": "refused", "answers": []}
            return state
        model = get_model()
        answers = []
        for question in resolved:
            answers.append(await _ask(model, state, question.name, question.text))
        state.metadata[FOLLOW_UP_KEY] = {"asked": True, "skipped": None, "answers": answers}
        return state

    return solve


async def _ask(model: Any, state: TaskState, name: str, text: str) -> dict[str, Any]:
    """One question on its own branch; a failed call is recorded, not fatal to the sample
    (its main reply is already complete and scored as usual)."""
    record: dict[str, Any] = {"name": name, "question": text, "answer": None}
    try:
        output = await model.generate([*state.messages, ChatMessageUser(content=text)])
    except Exception as exc:
        from ..scorers.af._judge import redact

        record["error"] = redact(f"{type(exc).__name__}: {exc}")
        return record
    record_route(state.metadata)
    record["answer"] = output.completion
    truth = (output.metadata or {}).get(SIM_OUTPUT_KEY, {}).get("follow_up")
    if truth is not None:
        record["sim_category"] = truth
    return record
