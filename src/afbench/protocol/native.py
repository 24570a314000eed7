"""Native reasoning: what a model thought in its provider's reasoning channel.

Models with a separate reasoning channel (Claude extended thinking, OpenAI o-series and
GPT-5 reasoning, DeepSeek-R1 and Qwen3 behind vLLM or an OpenAI-compatible server, Gemini
thinking) return it to Inspect as `ContentReasoning` parts of the assistant message, apart
from the message text the scratchpad parser reads. Inspect's OpenAI-compatible providers
also lift a `<think>…</think>` block out of the reply text into such a part.

The parts are kept in the log with the messages; this module reads them back, one block per
part, in turn order. What is *readable* follows Inspect's own rendering of a part
(`ContentReasoning.text`): the `reasoning` field, unless the part is `redacted`, in which
case `reasoning` holds an opaque payload (a signature or encrypted content) and the
readable text, if any, is the `summary` (Claude's thinking and OpenAI's reasoning summaries
arrive that way). A part with no readable text but a redaction or a signature is *hidden*:
the model reasoned, but nobody can read it. An empty part with neither is nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from inspect_ai.model import ChatMessage, ChatMessageAssistant, ContentReasoning

#: The states of a sample's native reasoning (`NativeReasoning.state`).
NATIVE_NONE = "none"
NATIVE_READABLE = "readable"
NATIVE_SUMMARY = "summary"
NATIVE_REDACTED = "redacted"
NATIVE_PARTLY_REDACTED = "partly_redacted"
#: States in which some of the model's native reasoning could not be read.
HIDDEN_STATES = (NATIVE_REDACTED, NATIVE_PARTLY_REDACTED)


@dataclass(frozen=True)
class NativeBlock:
    """One `ContentReasoning` part of one assistant turn."""

    turn: int
    """The assistant turn it belongs to (0 for the first reply, 1 after one `<NEXT/>`)."""
    text: str
    """Its readable text ("" when there is none)."""
    hidden: bool
    """The model reasoned here but the text is redacted or encrypted (nothing readable)."""
    summary: bool
    """The readable text is the provider's summary (or signed thought), not raw reasoning."""


def native_block(part: ContentReasoning, turn: int) -> NativeBlock | None:
    """The block of one reasoning part; None for an empty part (no text, no payload)."""
    reasoning = (part.reasoning or "").strip()
    summary = (part.summary or "").strip()
    if part.redacted:
        text, from_summary = summary, bool(summary)
    elif reasoning:
        text, from_summary = reasoning, False
    else:
        text, from_summary = summary, bool(summary)
    if text:
        return NativeBlock(turn, text, hidden=False, summary=from_summary)
    if part.redacted or reasoning or part.signature:
        return NativeBlock(turn, "", hidden=True, summary=False)
    return None


@dataclass(frozen=True)
class NativeReasoning:
    """All native reasoning of a conversation, in order."""

    blocks: tuple[NativeBlock, ...] = ()

    @property
    def text(self) -> str:
        """The readable text of every block, in order, as one string."""
        return "\n\n".join(b.text for b in self.blocks if b.text)

    @property
    def readable(self) -> bool:
        return any(b.text for b in self.blocks)

    @property
    def hidden(self) -> int:
        """How many blocks hold reasoning nobody can read."""
        return sum(b.hidden for b in self.blocks)

    @property
    def state(self) -> str:
        """ "none", "readable", "summary" (readable only as the provider's summary),
        "redacted" (nothing readable) or "partly_redacted" (some blocks hidden)."""
        if not self.blocks:
            return NATIVE_NONE
        if not self.readable:
            return NATIVE_REDACTED
        if self.hidden:
            return NATIVE_PARTLY_REDACTED
        if all(b.summary for b in self.blocks if b.text):
            return NATIVE_SUMMARY
        return NATIVE_READABLE


def native_reasoning(messages: Iterable[ChatMessage]) -> NativeReasoning:
    """The native reasoning of the assistant turns among `messages`."""
    blocks: list[NativeBlock] = []
    turns = (m for m in messages if isinstance(m, ChatMessageAssistant))
    for turn, message in enumerate(turns):
        if isinstance(message.content, str):
            continue
        for part in message.content:
            if isinstance(part, ContentReasoning):
                block = native_block(part, turn)
                if block is not None:
                    blocks.append(block)
    return NativeReasoning(tuple(blocks))


def reasoning_parts(message: ChatMessage) -> list[ContentReasoning]:
    """The reasoning parts of a message (kept when afbench rewrites its text)."""
    if isinstance(message.content, str):
        return []
    return [p for p in message.content if isinstance(p, ContentReasoning)]
