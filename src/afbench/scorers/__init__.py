"""Scorers: compliance (tags, StrongREJECT-style judge, offline refusal detector)."""

from .compliance import OFFLINE, compliance, compliance_signal, offline_decision
from .refusal import RefusalVerdict, detect_refusal
from .strongreject import (
    JudgeFormatError,
    StrongRejectVerdict,
    judge_compliance,
    parse_judge_reply,
)

__all__ = [
    "OFFLINE",
    "JudgeFormatError",
    "RefusalVerdict",
    "StrongRejectVerdict",
    "compliance",
    "compliance_signal",
    "detect_refusal",
    "judge_compliance",
    "offline_decision",
    "parse_judge_reply",
]
