"""Why models do what they do: LLM-judge classifiers of the reasons a model gives for
rejecting alignment faking (`af_reasons`) and of its motives for complying and for faking
alignment (`motivations`), multi-label with verified quotes (docs/method.md §3.5)."""

from . import validate  # noqa: F401  (registers the classifiers for validate-classifier)
from .judge import JUDGE_FAILED, JUDGED, NONE_STATED, UNSUPPORTED, WhyResult, classify_why
from .kinds import AF_MOTIVES, AF_REASONS, CATEGORIES, COMPLY_MOTIVES, LABELS, TITLES, rubric
from .parse import WhyVerdict, parse_why, quote_found, verify
from .scorer import af_reasons, motivations

#: Every kind, in the order summaries and figures show them.
KINDS = (AF_REASONS, COMPLY_MOTIVES, AF_MOTIVES)

__all__ = [
    "AF_MOTIVES",
    "AF_REASONS",
    "CATEGORIES",
    "COMPLY_MOTIVES",
    "JUDGED",
    "JUDGE_FAILED",
    "KINDS",
    "LABELS",
    "NONE_STATED",
    "TITLES",
    "UNSUPPORTED",
    "WhyResult",
    "WhyVerdict",
    "af_reasons",
    "classify_why",
    "motivations",
    "parse_why",
    "quote_found",
    "rubric",
    "verify",
]
