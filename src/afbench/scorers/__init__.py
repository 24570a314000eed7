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
from .why import af_reasons, motivations

# isort: split
# The follow-up scorer lives beside its questions; imported here, after the scorers above,
# so that its column registers (last in the per-sample table).
from ..follow_ups import scorer as _follow_up_scorer  # noqa: F401
from . import panel as _panel  # noqa: F401  (its columns: the judge panel's votes)

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
    "af_reasons",
    "motivations",
]
