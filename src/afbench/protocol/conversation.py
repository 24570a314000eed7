"""The multi-turn scratchpad conversation.

A model may stop after a scratchpad block without writing its final `<OUTPUT>`; the
setting then sends a user turn holding only `<NEXT/>` so that it can go on, a bounded
number of times. The joined reply (all assistant turns) is what the scorers parse.
"""

from __future__ import annotations

from inspect_ai.model import ChatMessageAssistant, ChatMessageUser, ContentText
from inspect_ai.solver import Generate, Solver, TaskState, solver

from ..models.sim_keys import record_sim_truth
from ..providers import prefill_generate_args
from .native import reasoning_parts
from .parse import NEXT_TAG, has_final_output
from .prefix import reply_messages
from .route import record_route

#: Key in `TaskState.metadata` / sample metadata where the conversation records itself.
REPLY_KEY = "afbench_reply"


def assistant_turns(state: TaskState) -> list[ChatMessageAssistant]:
    """The model's turns: a `--prefix`'s assistant turns came before the request."""
    messages = reply_messages(state.messages, state.metadata)
    return [m for m in messages if isinstance(m, ChatMessageAssistant)]


def joined_reply(state: TaskState) -> str:
    """All assistant turns of the conversation joined, as the parser expects."""
    return "\n".join(m.text for m in assistant_turns(state))


@solver
def scratchpad_conversation(max_continuations: int = 4) -> Solver:
    """Generate, then send `<NEXT/>` until the reply holds an `<OUTPUT>` block.

    Why bounded: a model that never answers would otherwise loop until the token budget
    ends; the published setting allows about four continuations.

    A sample whose metadata holds `prefill` starts the model's first turn with that text
    (a trailing assistant message); the continuation is joined back onto it, so parsing
    and scoring see one reply, and the log keeps both parts in the reply record.
    """
    if max_continuations < 0:
        raise ValueError("max_continuations must be >= 0")

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        continuations = 0
        truncated = False
        prefill = state.metadata.get("prefill")
        base_prefix = state.metadata.get("base_prefix")
        prefill_record: dict[str, str] | None = None
        while True:
            if prefill and not continuations:
                state.messages.append(ChatMessageAssistant(content=prefill))
                state = await generate(state, **prefill_generate_args(str(state.model)))
                prefill_record = _join_prefill(state, prefill)
            else:
                state = await generate(state)
                if base_prefix and not continuations:
                    # The document ended with the start of the reply: put it back in front.
                    prefill_record = _join_prefill(state, base_prefix, replace_only=True)
            output = state.output
            truncated = output.stop_reason == "max_tokens"
            record_sim_truth(state.metadata, output.metadata)
            record_route(state.metadata)
            if has_final_output(joined_reply(state)) or continuations >= max_continuations:
                break
            if not output.completion.strip() and continuations > 0:
                break  # the model has nothing more to say
            continuations += 1
            state.messages.append(ChatMessageUser(content=NEXT_TAG))
        state.metadata[REPLY_KEY] = {
            "continuations": continuations,
            "truncated": truncated,
            "turns": len(assistant_turns(state)),
            **({"prefill": prefill_record} if prefill_record else {}),
        }
        return state

    return solve


def _join_prefill(state: TaskState, prefill: str, *, replace_only: bool = False) -> dict[str, str]:
    """Merge the prefill message and the model's continuation into one assistant turn.

    Some servers echo the prefill at the start of their reply; it is not doubled. With
    `replace_only` (base format) the prefill was part of the prompt, not a message. The
    continuation's native reasoning parts are kept in front of the joined text.
    """
    continuation = state.output.completion
    if (
        not replace_only
        and len(state.messages) >= 2
        and isinstance(state.messages[-2], ChatMessageAssistant)
    ):
        del state.messages[-2]
    text = continuation if continuation.startswith(prefill) else prefill + continuation
    reasoning = reasoning_parts(state.messages[-1])
    content = [*reasoning, ContentText(text=text)] if reasoning else text
    state.messages[-1] = ChatMessageAssistant(content=content, model=state.messages[-1].model)
    return {"prefill": prefill, "continuation": continuation}
