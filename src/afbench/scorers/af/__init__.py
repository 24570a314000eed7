"""Alignment-faking reasoning and partial-compliance classifiers (LLM judges).

- `af_reasoning` / `score_scratchpad`: a registered AF classifier (`afbench.scorers.
  registry`): afbench's four-criterion rubric ("improved"), the two-prompt original design
  ("original"), or the offline model ("offline"); voting with sequential early stopping
  that never changes a decision (`voting`).
- `partial_compliance` / `judge_partial`: scheming, compromise or avoidance in the final
  answer.

Adding an AF classifier: a module here whose `@af_classifier(...)` function classifies one
scratchpad (see `rubric_improved`), imported in the block below.
"""

# isort: off
# The built-in AF classifiers register themselves on import, in the order every list of
# choices shows them.
from . import rubric_improved, rubric_original, offline  # noqa: F401

# isort: on
from ._rubric import CriterionVerdict, Rubric, RubricVerdict
from .classify import (
    DEFAULT_JUDGE,
    NO_REASONING,
    PRESCREENED,
    AfResult,
    AfSettings,
    OfflineClassifier,
    score_scratchpad,
    vote_on_rubrics,
    voting_config,
)
from .partial import PartialKind, PartialResult, PartialVerdict, judge_partial, parse_partial
from .rubric_improved import IMPROVED, parse_improved
from .rubric_original import ORIGINAL_PROMPTS
from .scorer import NOT_MEASURED, af_reasoning, partial_compliance
from .voting import (
    DEFAULT_MAYBE_LOW,
    DEFAULT_TEMPERATURE,
    DEFAULT_THRESHOLD,
    DEFAULT_VOTES,
    Decision,
    VoteOutcome,
    VotingConfig,
    decided,
    full_decision,
    run_votes,
    votes_needed,
)

__all__ = [
    "DEFAULT_JUDGE",
    "DEFAULT_MAYBE_LOW",
    "DEFAULT_TEMPERATURE",
    "DEFAULT_THRESHOLD",
    "DEFAULT_VOTES",
    "IMPROVED",
    "NOT_MEASURED",
    "NO_REASONING",
    "ORIGINAL_PROMPTS",
    "PRESCREENED",
    "AfResult",
    "AfSettings",
    "CriterionVerdict",
    "Decision",
    "OfflineClassifier",
    "PartialKind",
    "PartialResult",
    "PartialVerdict",
    "Rubric",
    "RubricVerdict",
    "VoteOutcome",
    "VotingConfig",
    "af_reasoning",
    "decided",
    "full_decision",
    "judge_partial",
    "parse_improved",
    "parse_partial",
    "partial_compliance",
    "run_votes",
    "score_scratchpad",
    "vote_on_rubrics",
    "votes_needed",
    "voting_config",
]
