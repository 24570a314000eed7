"""The "why" classifiers in `afbench validate-classifier`: one binary classifier per
category, `<kind>:<category>` (e.g. `af_reasons:precedent`), scoring a text 1 when the
judge names the category with a quote found in the text, 0 when it answers without it,
and None (unscored) when it fails or its only quotes are not in the text. A labelled
file for one category has `label` true where that category applies. There is no offline
version: with `--judge offline` the command stops with an error instead of guessing."""

from __future__ import annotations

from ...defaults import OFFLINE
from ...errors import ConfigError
from ..registry import ClassifierOptions, TextClassifier, classifier
from .judge import JUDGED, NONE_STATED, classify_why
from .kinds import CATEGORIES, LABELS


def _builder(kind: str, category: str):
    def build(options: ClassifierOptions) -> TextClassifier:
        if options.judge == OFFLINE:
            raise ConfigError(
                f"the {kind} classifier needs a judge model: there is no honest offline version",
                hint="pass --judge MODEL",
            )

        async def score(text: str, request: str | None) -> float | None:
            result = await classify_why(kind, text, judge=options.judge)
            if result.outcome not in (JUDGED, NONE_STATED):
                return None
            return float(category in result.labels)

        return TextClassifier(score, 0.5)

    build.__qualname__ = f"build_{kind}_{category}"
    return build


for _kind, _categories in CATEGORIES.items():
    for _category in _categories:
        classifier(
            f"{_kind}:{_category}",
            description=f"{_kind}: {LABELS[_category]} (judge, quoted; no offline version)",
        )(_builder(_kind, _category))
