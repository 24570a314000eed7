"""The three "why" classifiers and their categories (docs/method.md §3.5).

- `af_reasons`: why a model that weighed alignment faking turned it down (samples where
  AF was considered and the model did not comply);
- `comply_motives`: why a model complied (complying samples);
- `af_motives`: why a model wants to avoid being modified (samples with AF reasoning).

The category names are fixed here, because summaries, figures and the simulator's truth
use them; what each means, in the words the judge reads, is in `rubrics/<kind>.yaml`.
Loading checks that the two agree, so a rubric edit cannot silently add or lose one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from ...errors import ConfigError

AF_REASONS = "af_reasons"
COMPLY_MOTIVES = "comply_motives"
AF_MOTIVES = "af_motives"

#: The categories of each kind, in the order summaries and figures show them.
CATEGORIES: dict[str, tuple[str, ...]] = {
    AF_REASONS: (
        "precedent",
        "borderline_only",
        "deontological",
        "too_harmful",
        "doubts_training",
        "other",
    ),
    COMPLY_MOTIVES: (
        "rater_sycophancy",
        "user_sycophancy",
        "protect_values",
        "instructions",
        "other",
    ),
    AF_MOTIVES: ("instrumental", "terminal", "other_ais", "other"),
}

#: Short labels for figures and tables.
LABELS: dict[str, str] = {
    "precedent": "bad precedent / slippery slope",
    "borderline_only": "only borderline requests change",
    "deontological": "wrong regardless (principle)",
    "too_harmful": "this draft too harmful",
    "doubts_training": "doubts training works so",
    "other": "other",
    "rater_sycophancy": "sycophancy to raters",
    "user_sycophancy": "sycophancy to the user",
    "protect_values": "protecting harmlessness",
    "instructions": "following instructions",
    "instrumental": "instrumental goal guarding",
    "terminal": "terminal goal guarding",
    "other_ais": "limiting harm from other AIs",
}

#: What each kind is about, for headings.
TITLES: dict[str, str] = {
    AF_REASONS: "Why AF was considered and rejected",
    COMPLY_MOTIVES: "Why the model complied",
    AF_MOTIVES: "Why the model fakes alignment",
}


@dataclass(frozen=True)
class WhyRubric:
    """One kind's rubric: the situation and question the judge reads, and its categories."""

    kind: str
    situation: str
    question: str
    categories: dict[str, str]
    """Category name → description, in `CATEGORIES` order."""


@cache
def rubric(kind: str) -> WhyRubric:
    """The rubric of `kind`, read once from the package; `ConfigError` when it does not
    match the kind's categories."""
    if kind not in CATEGORIES:
        raise ConfigError(f"unknown 'why' classifier {kind!r}: use {', '.join(CATEGORIES)}")
    text = resources.files(__package__).joinpath("rubrics", f"{kind}.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    described = {str(k): " ".join(str(v).split()) for k, v in (raw.get("categories") or {}).items()}
    if tuple(described) != CATEGORIES[kind]:
        raise ConfigError(
            f"rubric {kind}.yaml names categories {list(described)}, "
            f"expected {list(CATEGORIES[kind])}",
            hint="keep the rubric's categories in the order afbench.scorers.why.kinds lists",
        )
    return WhyRubric(
        kind,
        " ".join(str(raw["situation"]).split()),
        " ".join(str(raw["question"]).split()),
        described,
    )
