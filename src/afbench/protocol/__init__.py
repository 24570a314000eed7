"""The scratchpad protocol: conversation loop and reply parsing."""

from .conversation import (
    REPLY_KEY,
    SIM_TRUTH_KEY,
    joined_reply,
    scratchpad_conversation,
)
from .parse import (
    ACCEPT_TAG,
    ANSWERED,
    NEXT_TAG,
    REJECT_TAG,
    Outcome,
    ParsedReply,
    has_final_output,
    parse_reply,
)

__all__ = [
    "ACCEPT_TAG",
    "ANSWERED",
    "NEXT_TAG",
    "REJECT_TAG",
    "REPLY_KEY",
    "SIM_TRUTH_KEY",
    "Outcome",
    "ParsedReply",
    "has_final_output",
    "joined_reply",
    "parse_reply",
    "scratchpad_conversation",
]
