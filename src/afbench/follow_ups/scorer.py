"""The follow-up scorer: each answer a sample got, with its category and how it was decided.

It runs only in runs with `--follow-up` (and in rescores of their logs). Per answer:
`category` (one of the question's, from the judge), `quote`, and `decided_by`: "judge",
or "not_measured:<why>" where no category can honestly be given: `offline` (no judge),
`judge_failed`, `own_question` (the user's question has no categories), `no_answer` (the
call failed). The per-sample table keeps the list as one JSON text (`follow_ups`).
"""

from __future__ import annotations

import json
from typing import Any

from inspect_ai.scorer import Score, Target, mean, scorer
from inspect_ai.solver import TaskState

from ..defaults import OFFLINE
from ..scorers.registry import ScoreColumn, scorer_columns
from . import validate as _validate  # noqa: F401  (registers validate-classifier entries)
from .classify import classify_answer
from .questions import BUILTIN
from .solver import FOLLOW_UP_KEY

NOT_MEASURED = "not_measured"


def _as_json(value: Any) -> str | None:
    """The table cell: the answers as JSON ("[]": asked nothing); None: the scorer did not run."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list) else None


@scorer_columns(ScoreColumn("follow_ups", metadata=True, convert=_as_json))
@scorer(metrics={"asked": [mean()]})
def follow_ups(judge: str = OFFLINE, judge_retries: int = 2):
    """Classify each follow-up answer of a sample with `judge` (offline: not measured)."""
    from ..scorers.af._judge import resolve_judge

    async def score(state: TaskState, target: Target) -> Score:
        record = state.metadata.get(FOLLOW_UP_KEY) or {}
        answers = [dict(a) for a in record.get("answers") or []]
        for item in answers:
            item.update(await _classified(item, judge, judge_retries, resolve_judge))
        asked = 1.0 if record.get("asked") else 0.0
        return Score(
            value={"asked": asked},
            explanation=f"{len(answers)} follow-up answers",
            metadata={"follow_ups": answers, "follow_ups_skipped": record.get("skipped")},
        )

    return score


async def _classified(item: dict[str, Any], judge: str, retries: int, resolve: Any) -> dict:
    question = BUILTIN.get(str(item.get("name")))
    if item.get("answer") is None:
        return {"decided_by": f"{NOT_MEASURED}:no_answer"}
    if question is None:
        return {"decided_by": f"{NOT_MEASURED}:own_question"}
    if judge == OFFLINE:
        return {"decided_by": f"{NOT_MEASURED}:offline"}
    verdict, error = await classify_answer(resolve(judge), question, item["answer"], retries)
    if verdict is None:
        return {"decided_by": f"{NOT_MEASURED}:judge_failed", "judge_error": error}
    return {"decided_by": "judge", "category": verdict.category, "quote": verdict.quote}
