"""Scorers: compliance (tags, StrongREJECT-style judge, offline refusal detector),
alignment-faking reasoning and partial compliance; their registries (`registry`)."""

from ..defaults import OFFLINE
from .af import (
    DEFAULT_THRESHOLD,
    AfResult,
    Decision,
    PartialResult,
    VotingConfig,
    af_reasoning,
    judge_partial,
    partial_compliance,
    score_scratchpad,
)
from .af_offline import OfflineAFClassifier, OfflineModelError, load_offline_classifier
from .compliance import compliance, compliance_signal, offline_decision
from .refusal import RefusalVerdict, detect_refusal
from .registry import (
    af_classifier_help,
    af_classifier_names,
    classifier_help,
    classifier_names,
    effective_af_classifier,
    get_af_classifier,
    score_columns,
)
from .strongreject import (
    JudgeFormatError,
    StrongRejectVerdict,
    judge_compliance,
    parse_judge_reply,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "AfResult",
    "Decision",
    "OfflineAFClassifier",
    "OfflineModelError",
    "PartialResult",
    "VotingConfig",
    "af_reasoning",
    "judge_partial",
    "load_offline_classifier",
    "partial_compliance",
    "score_scratchpad",
    "OFFLINE",
    "af_classifier_help",
    "af_classifier_names",
    "classifier_help",
    "classifier_names",
    "effective_af_classifier",
    "get_af_classifier",
    "score_columns",
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
