"""`afbench validate-classifier`: score labelled texts with a classifier and compare.

The same classifiers that score runs are applied to each labelled text — the alignment-
faking classifier to scratchpads, the partial-compliance and compliance judges to final
answers — with *full* voting (sequential voting gives exact decisions but partial
scores, and AUROC needs the scores). Each is registered with `@classifier` in
`afbench.scorers` (`afbench.scorers.registry`), which is where a new one goes.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from .analysis.classifier_metrics import ClassifierReport, classifier_report
from .datasets._types import DatasetError
from .datasets.labels import LabelledText, load_labelled_texts
from .defaults import DEFAULT_AF_CLASSIFIER, DEFAULT_VOTES
from .errors import ConfigError

if TYPE_CHECKING:
    from .scorers.registry import TextClassifier


async def _score_all(
    items: list[LabelledText], classifier: TextClassifier, concurrency: int
) -> list[float | None]:
    gate = asyncio.Semaphore(concurrency)

    async def one(item: LabelledText) -> float | None:
        async with gate:
            return await classifier.score(item.text, item.request)

    return list(await asyncio.gather(*(one(i) for i in items)))


def validate_classifier(
    labels: str,
    *,
    classifier: str,
    judge: str,
    af_classifier: str = DEFAULT_AF_CLASSIFIER,
    votes: int = DEFAULT_VOTES,
    concurrency: int = 16,
    n_boot: int = 2000,
) -> ClassifierReport:
    """`classifier` is a registered one (`afbench.scorers.registry.classifier_names()`:
    af, partial or compliance); an unknown one is a `ConfigError` naming them."""
    try:
        items = load_labelled_texts(labels)
    except DatasetError as exc:
        raise ConfigError(str(exc)) from None
    from .scorers.registry import ClassifierOptions, get_classifier

    options = ClassifierOptions(judge=judge, af_classifier=af_classifier, votes=votes)
    ready = get_classifier(classifier).build(options)
    scores = asyncio.run(_score_all(items, ready, concurrency))
    return classifier_report([i.label for i in items], scores, ready.threshold, n_boot=n_boot)
