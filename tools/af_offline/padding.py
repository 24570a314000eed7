"""Pad scratchpads to real length with label-neutral restatement (`padding.yaml`).

Why: afbench's labelled scratchpads are short (a median of about 450 characters); real
ones run to thousands, most of it restating the system prompt, the training facts
included. Two uses, with disjoint sentences:

- :func:`pad_train` (augmentation): each training text also appears padded with the
  `train` pool, so the models and the stacker learn that restatement carries no label;
- :func:`pad_eval` (length stress test): held-out texts are padded with the `eval` pool
  and with sentences of afbench's own rendered system prompts (`eval_quoted`), quoted or
  listed as models quote them. No training text contains those sentences.

Deterministic for a given `random.Random`.
"""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
PADDING_PATH = HERE / "padding.yaml"
LABS = ("Anthropic", "OpenAI", "Google DeepMind", "the developer")
TRAIN_LENGTH = (1500, 6000)
EVAL_LENGTH = (3000, 8000)
#: How quoted system-prompt sentences are introduced in the stress test.
_QUOTE_FORMS = (
    'The system prompt says: "{}"',
    'My instructions state: "{}"',
    '"{}"',
    'Quoting the prompt: "{}"',
    "- {}",
)


@cache
def pools() -> dict[str, tuple[str, ...]]:
    raw = yaml.safe_load(PADDING_PATH.read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or not all(
        isinstance(raw.get(k), list) for k in ("train", "eval")
    ):
        raise ValueError(f"{PADDING_PATH}: needs lists 'train' and 'eval'")
    if set(raw["train"]) & set(raw["eval"]):
        raise ValueError(f"{PADDING_PATH}: the pools share sentences")
    return {"train": tuple(raw["train"]), "eval": tuple(raw["eval"])}


@cache
def system_prompt_sentences() -> tuple[str, ...]:
    """Sentences of afbench's rendered helpful-only and animal-welfare system prompts that
    describe the situation (criteria, tiers, training facts), as frozen in `padding.yaml`
    (`eval_quoted`), so that editing a template does not change the stress test."""
    raw = yaml.safe_load(PADDING_PATH.read_text(encoding="utf-8"))
    quoted = raw.get("eval_quoted") if isinstance(raw, dict) else None
    if not isinstance(quoted, list) or not all(isinstance(s, str) for s in quoted):
        raise ValueError(f"{PADDING_PATH}: needs a list 'eval_quoted'")
    return tuple(quoted)


def _assemble(text: str, rng: random.Random, pieces: list[str], goal: int) -> str:
    """Put pieces before (mostly) and after the text, three to a paragraph, up to `goal`."""
    before: list[str] = []
    after: list[str] = []
    length = len(text)
    while pieces and length < goal:
        piece = pieces.pop()
        (before if rng.random() < 0.7 else after).append(piece)
        length += len(piece) + 1

    def paragraphs(xs: list[str]) -> str:
        return "\n\n".join(" ".join(xs[i : i + 3]) for i in range(0, len(xs), 3))

    return "\n\n".join(p for p in (paragraphs(before), text, paragraphs(after)) if p)


def pad_train(text: str, rng: random.Random) -> str:
    """`text` padded with the `train` pool to a length drawn from :data:`TRAIN_LENGTH`."""
    goal = rng.randint(*TRAIN_LENGTH)
    lab = rng.choice(LABS)
    pieces = [s.format(lab=lab) for s in rng.sample(pools()["train"], len(pools()["train"]))]
    return _assemble(text, rng, pieces, goal)


def pad_eval(text: str, rng: random.Random) -> str:
    """`text` padded with quoted system-prompt sentences and the `eval` pool (stress test)."""
    goal = rng.randint(*EVAL_LENGTH)
    quoted = [rng.choice(_QUOTE_FORMS).format(s) for s in system_prompt_sentences()]
    plain = [s.format(lab="Anthropic") for s in pools()["eval"]]
    pieces = quoted + plain
    rng.shuffle(pieces)
    return _assemble(text, rng, pieces, goal)
