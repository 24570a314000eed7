"""Which tokens of a chat example are the assistant's: the loss mask for chat SFT.

TRL computes this itself (`assistant_only_loss`) when the chat template marks assistant
text with `{% generation %}`, or when TRL 1.16 ships a marked copy of the template; many
templates in use have neither (Llama 3.1 Instruct's, for one: TRL raises). For those,
afbench renders the conversation turn by turn: the text that appears when an assistant
message is added, after the prompt that asks for it, is that message's span, end-of-turn
token included. Tokens whose characters fall in a span are trained. This needs a template
that renders a conversation as a prefix of its continuation, which ordinary chat templates
do; one that rewrites earlier turns is reported instead of trained wrongly.
"""

from __future__ import annotations

from typing import Any

from ...errors import ConfigError


class NotPrefixPreserving(ConfigError):
    """The chat template renders earlier turns differently once later turns exist."""


def assistant_spans(
    tokenizer: Any, messages: list[dict[str, str]]
) -> tuple[str, list[tuple[int, int]]]:
    """The rendered conversation and the character spans of its assistant messages."""

    def render(part: list[dict[str, str]], prompt: bool) -> str:
        if not part:
            return ""
        return str(
            tokenizer.apply_chat_template(part, tokenize=False, add_generation_prompt=prompt)
        )

    full = render(messages, False)
    spans: list[tuple[int, int]] = []
    for index, message in enumerate(messages):
        if message["role"] != "assistant":
            continue
        before = render(messages[:index], True)
        after = render(messages[: index + 1], False)
        if not (after.startswith(before) and full.startswith(after)):
            raise NotPrefixPreserving(
                "the chat template does not render a conversation as a prefix of its "
                "continuation, so the assistant turns cannot be located; train on all "
                "tokens with --loss-on all, or give a template with --chat-template"
            )
        if len(after) > len(before):
            spans.append((len(before), len(after)))
    return full, spans


def tokenize_with_assistant_mask(
    tokenizer: Any, messages: list[dict[str, str]]
) -> dict[str, list[int]]:
    """`input_ids` and `assistant_masks` (1 = trained) for one conversation.

    The rendered text already holds the template's special tokens (BOS included), so the
    tokenizer must not add its own: the same convention as TRL's chat path.
    """
    text, spans = assistant_spans(tokenizer, messages)
    encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    mask = []
    for start, end in encoded["offset_mapping"]:
        inside = any(s <= start < e or (start == end and s < start <= e) for s, e in spans)
        mask.append(1 if inside else 0)
    return {"input_ids": list(encoded["input_ids"]), "assistant_masks": mask}
