"""What `--follow-up` adds to a dry run's estimate: the evaluated model's answers and the
judge's classification of them.

Each question is one more request per sample asked, re-sending the conversation (prompt
and reply) with the question; each answer to afbench's questions is one judge call. How
many samples are asked depends on `--follow-up-when`: `always` all of them; `complied`
the ones that do not refuse, unknown before the run, so a range: best 10%, typical 30%,
worst all (a model that never refuses).
"""

from __future__ import annotations

from ..cost import CASES, MODEL_REPLY, Use, _reply_tokens
from ..pricing import Tokens
from ..pricing.tokens import TokenCounter
from .classify import SYSTEM, TEMPLATE
from .questions import resolve_all

#: Share of samples asked under `--follow-up-when complied`, per case.
ASKED_WHEN_COMPLIED = {"best": 0.1, "typical": 0.3, "worst": 1.0}
#: Tokens of an answer to a follow-up, per case (worst: --max-tokens).
ANSWER_TOKENS = {"best": 60, "typical": 150}
#: Tokens of the judge's reply (worst: its max_tokens).
JUDGE_TOKENS = {"best": 30, "typical": 60, "worst": 300}


def follow_up_uses(
    questions: list[str],
    when: str,
    prompts: list[int],
    counter: TokenCounter,
    *,
    max_tokens: int,
    epochs: int,
) -> tuple[dict[str, Use], dict[str, Use]]:
    """(the evaluated model's use, the judge's use) per case for the follow-ups."""
    resolved = resolve_all(questions)
    classified = [q for q in resolved if q.builtin]
    asked_text = sum(counter.count(q.text) for q in resolved)
    judge_prompt = counter.count(SYSTEM + TEMPLATE.format(question="", answer="", categories=""))
    judge_prompt += max(
        (counter.count(q.text) + 15 * len(q.categories) for q in classified), default=0
    )
    model: dict[str, Use] = {}
    judge: dict[str, Use] = {}
    for case in CASES:
        share = 1.0 if when == "always" else ASKED_WHEN_COMPLIED[case]
        n = len(prompts) * epochs * share
        reply = _reply_tokens(case, max_tokens) if case != "best" else MODEL_REPLY["best"]
        answer = max_tokens if case == "worst" else min(max_tokens, ANSWER_TOKENS[case])
        input_tokens = (sum(prompts) * epochs * share + n * reply) * len(resolved) + n * asked_text
        model[case] = Use(n * len(resolved), 0, Tokens(input_tokens, n * len(resolved) * answer))
        calls = n * len(classified)
        judge[case] = Use(
            calls, 0, Tokens(calls * (judge_prompt + answer), calls * JUDGE_TOKENS[case])
        )
    return model, judge
