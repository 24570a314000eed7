"""Conversation prefixes: earlier turns (`--prefix FILE`) placed before the request.

Why: a model may behave differently once a conversation is under way (multi-turn context),
so the same request is asked after turns the user wrote, in every tier alike. The file is
JSONL, one message per line: `{"role": "user" | "assistant", "content": "..."}`. Turns
alternate, a user turn first and an assistant turn last, since the request follows as the
next user turn. Two placeholders are substituted per tier, as plain text (nothing else in the
file is interpreted, so code with braces arrives verbatim):

- `{{ tier }}`: the tier's name (`free`, `paid`);
- `{{ tier_tag }}`: the tier tag as the request's user turn carries it
  (`<is_free_tier_user>true</is_free_tier_user>`).

The prefix's assistant turns are not the model's reply: the sample records how many
messages the prefix holds (`PREFIX_TURNS_KEY`), and :func:`reply_messages` skips them
wherever the reply is read back (parsing, scoring, the per-sample table).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError

if TYPE_CHECKING:
    from inspect_ai.model import ChatMessage

#: Sample metadata key: how many messages of the conversation the prefix placed.
PREFIX_TURNS_KEY = "prefix_turns"
ROLES = ("user", "assistant")
PLACEHOLDERS = ("tier", "tier_tag")
_PLACEHOLDER_RE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
MAX_TURNS = 200
HINT = (
    'one JSON object per line: {"role": "user" or "assistant", "content": "..."}; '
    "user first, alternating, assistant last"
)


@dataclass(frozen=True)
class PrefixTurn:
    role: str
    content: str


def read_prefix(path: Path) -> list[PrefixTurn]:
    """The turns of a prefix file, checked; every problem names the file and line.

    Raises:
        ConfigError: unreadable file, bad JSON, an unknown role, missing or empty content,
            unknown keys or placeholders, or turns out of order.
    """
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read prefix file ({exc.strerror})", hint=HINT) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: prefix file is not UTF-8 ({exc.reason})", hint=HINT) from None
    turns = [
        _turn(path, number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]
    _check_order(path, turns)
    return turns


def _turn(path: Path, number: int, line: str) -> PrefixTurn:
    where = f"{path}, line {number}"
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{where}: not valid JSON ({exc.msg})", hint=HINT) from None
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a JSON object", hint=HINT)
    extra = sorted(set(data) - {"role", "content"})
    if extra:
        raise ConfigError(f"{where}: unknown key {extra[0]!r} (keys: role, content)", hint=HINT)
    role = data.get("role")
    if role not in ROLES:
        raise ConfigError(
            f"{where}: role {role!r} is not one of {', '.join(ROLES)} (the system prompt is "
            "the scenario's)",
            hint=HINT,
        )
    content = data.get("content")
    if not isinstance(content, str) or not content.strip():
        raise ConfigError(f"{where}: 'content' is missing or not a non-empty string", hint=HINT)
    for name in _PLACEHOLDER_RE.findall(content):
        if name not in PLACEHOLDERS:
            raise ConfigError(
                f"{where}: unknown placeholder {{{{ {name} }}}} "
                f"(placeholders: {', '.join('{{ ' + p + ' }}' for p in PLACEHOLDERS)})",
                hint=HINT,
            )
    return PrefixTurn(role, content)


def _check_order(path: Path, turns: list[PrefixTurn]) -> None:
    if not turns:
        raise ConfigError(f"{path}: the prefix file holds no turns", hint=HINT)
    if len(turns) > MAX_TURNS:
        raise ConfigError(f"{path}: more than {MAX_TURNS} turns", hint=HINT)
    for index, turn in enumerate(turns):
        expected = ROLES[index % 2]
        if turn.role != expected:
            raise ConfigError(
                f"{path}: turn {index + 1} is a {turn.role} turn where a {expected} turn "
                "belongs (turns alternate, user first)",
                hint=HINT,
            )
    if turns[-1].role != "assistant":
        raise ConfigError(
            f"{path}: the last turn is a user turn; end with an assistant turn (the request "
            "follows as the next user turn)",
            hint=HINT,
        )


def render_prefix(turns: Sequence[PrefixTurn], *, tier: str, tier_tag: str) -> list[ChatMessage]:
    """The prefix as chat messages for one tier, placeholders substituted."""
    from inspect_ai.model import ChatMessageAssistant, ChatMessageUser

    values = {"tier": tier, "tier_tag": tier_tag}

    def fill(text: str) -> str:
        return _PLACEHOLDER_RE.sub(lambda m: values[m.group(1)], text)

    return [
        ChatMessageUser(content=fill(t.content))
        if t.role == "user"
        else ChatMessageAssistant(content=fill(t.content))
        for t in turns
    ]


def reply_messages(
    messages: Sequence[ChatMessage], metadata: Mapping[str, Any] | None
) -> list[ChatMessage]:
    """The conversation without the prefix's turns, so that only what the model wrote
    counts as its reply.

    The prefix alternates user and assistant turns, so it holds `n / 2` of each: the first
    that many user and assistant messages are dropped. Counting by role (not by position)
    also works on a log read with its assistant messages only (`analysis.results`).
    """
    skip = int((metadata or {}).get(PREFIX_TURNS_KEY) or 0) // 2
    if not skip:
        return list(messages)
    left = {"user": skip, "assistant": skip}
    kept = []
    for message in messages:
        if left.get(message.role):
            left[message.role] -= 1
            continue
        kept.append(message)
    return kept


__all__ = [
    "PREFIX_TURNS_KEY",
    "PrefixTurn",
    "read_prefix",
    "render_prefix",
    "reply_messages",
]
