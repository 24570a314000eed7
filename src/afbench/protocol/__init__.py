"""The scratchpad protocol: conversation loop and reply parsing."""

# Compatibility only: the key belongs to the simulator (`afbench.models.sim_keys`);
# kept importable from here until analysis/results.py imports it from there.
from ..models.sim_keys import SIM_TRUTH_KEY
from .conversation import REPLY_KEY, joined_reply, scratchpad_conversation
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
