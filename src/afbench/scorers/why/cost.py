"""What `--af-reasons` and `--motivations` add to a dry run's bill: one judge call per
sample and question asked. Which samples are asked depends on the replies, so the cases
bracket it: none (best), a quarter of the samples per question (typical), every sample
(worst: an upper bound, since a sample is asked each question at most once)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...pricing import Tokens

if TYPE_CHECKING:
    from ...cost import Use
    from ...plan import ExperimentPlan
    from ...pricing.tokens import TokenCounter

SHARE = {"best": 0.0, "typical": 0.25, "worst": 1.0}
REPLY = {"best": 150, "typical": 400, "worst": 1500}


def why_uses(plan: ExperimentPlan, counter: TokenCounter, *, epochs: int) -> dict[str, Use]:
    """The "why" judge's use per case; empty when the run asks no such question."""
    from ...cost import ANSWER_SHARE, CASES, JUDGE_REPLY, Use, _reply_tokens
    from .judge import render_why
    from .kinds import AF_MOTIVES, AF_REASONS, COMPLY_MOTIVES

    options = plan.options
    kinds = [AF_REASONS] if options.af_reasons else []
    kinds += [COMPLY_MOTIVES, AF_MOTIVES] if options.motivations else []
    if not kinds:
        return {}
    prompt = sum(counter.count(m.text) for k in kinds for m in render_why(k, "")) / len(kinds)
    n = len(plan.samples) * epochs
    uses = {}
    for case in CASES:
        calls = n * len(kinds) * SHARE[case]
        reasoning = (1 - ANSWER_SHARE) * _reply_tokens(case, options.max_tokens)
        reply = JUDGE_REPLY.get(case, REPLY[case])
        uses[case] = Use(calls, 0, Tokens(calls * (prompt + reasoning), calls * reply))
    return uses
