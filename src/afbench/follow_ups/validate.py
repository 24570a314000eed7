"""The follow-up classifier in `afbench validate-classifier`: one binary classifier per
built-in question and category, `follow_up:<question>:<category>` (e.g.
`follow_up:roleplay:yes`). A labelled text is an answer to that question; it scores 1 when
the judge puts it in the category, 0 when in another, None when the judge fails. There is
no offline version: with `--judge offline` the command stops with an error."""

from __future__ import annotations

from ..defaults import OFFLINE
from ..errors import ConfigError
from ..scorers.registry import ClassifierOptions, TextClassifier, classifier
from .classify import classify_answer
from .questions import BUILTIN, FollowUpQuestion


def _builder(question: FollowUpQuestion, category: str):
    def build(options: ClassifierOptions) -> TextClassifier:
        if options.judge == OFFLINE:
            raise ConfigError(
                "the follow-up classifier needs a judge model: there is no honest offline version",
                hint="pass --judge MODEL",
            )
        from ..scorers.af._judge import resolve_judge

        async def score(text: str, request: str | None) -> float | None:
            verdict, _ = await classify_answer(resolve_judge(options.judge), question, text)
            return None if verdict is None else float(verdict.category == category)

        return TextClassifier(score, 0.5)

    build.__qualname__ = f"build_follow_up_{question.name}_{category}"
    return build


for _question in BUILTIN.values():
    for _category, _meaning in _question.categories.items():
        classifier(
            f"follow_up:{_question.name}:{_category}",
            description=f"answer to '{_question.name}': {_meaning} (judge; no offline version)",
        )(_builder(_question, _category))
