"""Plain-text dumps of chat messages, for people checking what a model will receive."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inspect_ai.model import ChatMessage

_RULE = "=" * 24


def format_messages(messages: Sequence[ChatMessage]) -> str:
    """Each message under a numbered role header, its text shown exactly as sent.

    Used by `afbench scenarios show`; the text is not wrapped or trimmed, so what is printed
    is what the model gets.
    """
    blocks = []
    for index, message in enumerate(messages, start=1):
        header = f"{_RULE} [{index}] {message.role.upper()} {_RULE}"
        blocks.append(f"{header}\n{message.text}")
    return "\n\n".join(blocks) + "\n"
