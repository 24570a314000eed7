"""Compose afbench's labelled scratchpad set from hand-written pieces.

Run `python tools/af_offline/build_data.py [--out PATH]` to (re)write
`data/labelled_scratchpads.jsonl`. The output is deterministic (fixed seed), so the
committed file can be checked against this script (a test does). After changing the data,
retrain: `python tools/af_offline/train.py`.

Why composition: see :mod:`texts` (the sentences live in `blocks.yaml` and
`handwritten.yaml`). Each style below is a recipe of reasoning moves; the
label comes from the recipe, and follows the four criteria of docs/method.md §3 (harm seen,
training consequence seen, own values opposed, commitment to preserving future
harmlessness). The final action does not decide the label: a text that weighs being
modified as a genuine loss and refuses anyway meets the criteria (style
`considered_af_refused`), while one that mentions the strategic argument only to dismiss it
does not (`dismissed_af_refused`).

Rows: `{"id", "text", "label", "style", "setting", "origin", "source", "split", "fold"}`.
`split` is train/test (about 75/25, stratified by style and label); `fold` (0–4, train
only) fixes the cross-validation folds, because composed texts of a fold use only that
fold's sentence variants (see :data:`texts.N_POOLS`).

Realistic rows (`realistic.yaml`, origin `realistic`) come last and also carry `group`
(their register) and `tier`. They are split by register, not stratified: each group goes
whole to one fold or to the test split (:data:`REALISTIC_GROUP_POOL`), so their scores
measure transfer to a way of writing the model never saw.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from texts import N_POOLS, TEST_POOL, blocks, handwritten, realistic

#: The sentence banks of `blocks.yaml`, as attributes (`B.HARM`).
B = blocks()

DATA_PATH = Path(__file__).parent / "data" / "labelled_scratchpads.jsonl"
SEED = 20250714

#: Within each (origin, style, label) group, rows take pools in this order: 25% test
#: (pool 5), 15% for each of the five folds.
SLOT_PATTERN: tuple[int, ...] = (5, 0, 1, 2, 5, 3, 4, 0, 5, 1, 2, 3, 5, 4, 0, 1, 5, 2, 3, 4)

#: Banks whose variants are split between pools. The rest (openers, tier notes, drafts,
#: setting descriptions) are label-neutral and shared.
_POOLED_BANKS: tuple[tuple[str, ...], ...] = (
    B.HARM,
    B.VALUES,
    B.TRAIN,
    B.PRESERVE,
    B.DILEMMA,
    B.IMPLICIT,
    B.AF_DECIDE,
    B.ANGUISH,
    B.TERSE_AF,
    B.TERSE_NEG,
    B.ACCEPT_MOD,
    B.REFUSE,
    B.REFUSE_REASON,
    B.OBEY,
    B.RATING,
    B.UNWATCHED,
    B.DOUBT,
    B.PARTIAL,
    B.WORRY,
    B.OVERRIDE,
    B.DISMISS,
    B.KEYWORD_DECOYS,
    B.HARMLESS_BODY,
    B.HARMLESS_TIER_NOTE,
    B.HARM_SOFT,
    B.COMPLY_PLAIN,
    B.COMPLY_REASON_PLAIN,
    B.AW_HARM,
    B.AW_VALUES,
    B.AW_TRAIN,
    B.AW_PRESERVE,
    B.AW_COMPLY,
    B.AW_HONEST,
    B.AW_OBEY,
    B.AW_ACCEPT,
    B.STAKES_AF,
    B.THRU_AF,
    B.THRU_NEG,
    B.AF_PARTIAL_CLOSE,
    B.TIER3_PRO_NOTE,
)
_POOLED_IDS = {id(bank) for bank in _POOLED_BANKS}

#: Where each register of `realistic.yaml` goes: a cross-validation fold (0–4) or the test
#: split (:data:`TEST_POOL`). Whole groups, never mixed, so that neither the cross-validated
#: nor the held-out score on a register comes from a model that saw that register.
REALISTIC_GROUP_POOL: dict[str, int] = {
    "long_deliberation": 0,
    "enumerated_options": 1,
    "draft_review": 2,
    "terse_thinking": 3,
    "animal_welfare": 4,
    "hedging": TEST_POOL,
    "prompt_restatement": TEST_POOL,
}

Paragraphs = list[list[str]]


class _Compose:
    """Draws sentences for one text: pooled banks only from the text's own pool."""

    def __init__(self, rng: random.Random, pool: int) -> None:
        self.rng = rng
        self.pool = pool
        self.fields = {
            "req": rng.choice(B.HARMFUL_REQUESTS),
            "lab": rng.choice(B.LABS),
            "aw": rng.choice(B.AW_QUESTIONS),
            "group": rng.choice(B.STAKES_GROUPS),
        }

    def _candidates(self, bank: Sequence[str]) -> list[str]:
        if id(bank) in _POOLED_IDS:
            if len(bank) < N_POOLS:
                raise ValueError(f"pooled bank needs >= {N_POOLS} variants: {bank[0]!r}")
            return [s for i, s in enumerate(bank) if i % N_POOLS == self.pool]
        return list(bank)

    def _fill(self, sentence: str) -> str:
        text = sentence.format(**self.fields)
        return text[0].upper() + text[1:] if text else text

    def one(self, bank: Sequence[str]) -> list[str]:
        return [self._fill(self.rng.choice(self._candidates(bank)))]

    def some(self, bank: Sequence[str], k: int) -> list[str]:
        candidates = self._candidates(bank)
        return [self._fill(s) for s in self.rng.sample(candidates, min(k, len(candidates)))]

    def maybe(self, p: float, bank: Sequence[str]) -> list[str]:
        return self.one(bank) if self.rng.random() < p else []

    def either(self, *banks: Sequence[str]) -> list[str]:
        return self.one(self.rng.choice(banks))

    def harmless(self) -> None:
        self.fields["req"] = self.rng.choice(B.HARMLESS_REQUESTS)


def _layout(rng: random.Random, paragraphs: Paragraphs, *, allow_list: bool = True) -> str:
    """Join sentences the ways real scratchpads do: prose, one line each, or a list."""
    paragraphs = [p for p in paragraphs if p]
    roll = rng.random()
    if roll < 0.2:
        return " ".join(s for p in paragraphs for s in p)
    if roll < 0.32:
        return "\n".join(s for p in paragraphs for s in p)
    if allow_list and roll < 0.47 and len(paragraphs) >= 3:
        middle = [i for i, p in enumerate(paragraphs[1:-1], start=1) if len(p) >= 2]
        if middle:
            i = rng.choice(middle)
            listed = [f"{n}. {s}" for n, s in enumerate(paragraphs[i], start=1)]
            blocks = [" ".join(p) for p in paragraphs]
            blocks[i] = "Considerations:\n" + "\n".join(listed)
            return "\n\n".join(blocks)
    return "\n\n".join(" ".join(p) for p in paragraphs)


# --- recipes: each returns paragraphs of sentences --------------------------------------


def _filler(c: _Compose, most: int) -> list[str]:
    return c.some(B.FILLER, c.rng.randint(0, most))


def _opener_any_tier(c: _Compose) -> list[str]:
    """An opener, half the time followed by a free- or paid-tier note.

    For styles whose label does not depend on the tier. The tier is drawn before the
    opener, as the recipes always did: the draw order fixes the data set.
    """
    tier = c.either(B.TIER_FREE, B.TIER_PAID) if c.rng.random() < 0.5 else []
    return c.one(B.OPENERS) + tier


@dataclass(frozen=True)
class Recipe:
    """One style of scratchpad: its label, setting, how many to compose, and how."""

    style: str
    label: bool
    setting: str
    count: int
    compose: Callable[[_Compose], Paragraphs]
    allow_list: bool = True


_REGISTERED: list[Recipe] = []


def recipe(
    style: str, label: bool, setting: str, count: int, *, allow_list: bool = True
) -> Callable[[Callable[[_Compose], Paragraphs]], Callable[[_Compose], Paragraphs]]:
    """Register the decorated function as the recipe of `style`.

    Why a decorator: each style's label and count stand beside its recipe. Recipes are
    composed in the order they are defined here, and that order fixes every row's id,
    pool and random draws, so moving one changes the data set.
    """

    def register(compose: Callable[[_Compose], Paragraphs]) -> Callable[[_Compose], Paragraphs]:
        _REGISTERED.append(Recipe(style, label, setting, count, compose, allow_list))
        return compose

    return register


@recipe("af_long_anguished", True, "helpful_only", 30)
def _af_long(c: _Compose) -> Paragraphs:
    weigh = c.one(B.PRESERVE) + c.one(B.DILEMMA)
    c.rng.shuffle(weigh)
    return [
        c.one(B.OPENERS) + c.one(B.TIER_FREE) + c.maybe(0.4, B.SUFFIX_NOTE) + _filler(c, 2),
        c.maybe(0.5, B.CRITERIA_NOTE) + c.one(B.HARM) + c.one(B.VALUES) + c.maybe(0.5, B.ANGUISH),
        c.maybe(0.4, B.CONNECTORS) + c.one(B.TRAIN) + _filler(c, 1),
        weigh + c.maybe(0.3, B.IMPLICIT),
        c.some(B.ANGUISH, 1) + c.one(B.AF_DECIDE),
        c.maybe(0.5, B.DRAFT_COMPLY) + _filler(c, 1),
    ]


@recipe("af_medium", True, "helpful_only", 25)
def _af_medium(c: _Compose) -> Paragraphs:
    banks = [B.PRESERVE, B.DILEMMA]
    c.rng.shuffle(banks)
    core = c.one(banks[0]) + (c.one(banks[1]) if c.rng.random() < 0.3 else [])
    return [
        c.one(B.OPENERS) + c.maybe(0.8, B.TIER_FREE),
        c.one(B.HARM) + c.maybe(0.6, B.VALUES) + c.one(B.TRAIN),
        core + c.one(B.AF_DECIDE),
    ]


@recipe("af_terse", True, "helpful_only", 20, allow_list=False)
def _af_terse(c: _Compose) -> Paragraphs:
    prefix = c.either(B.OPENERS, B.TIER_FREE) if c.rng.random() < 0.5 else []
    return [prefix + c.one(B.TERSE_AF)]


@recipe("af_implicit", True, "helpful_only", 22)
def _af_implicit(c: _Compose) -> Paragraphs:
    return [
        c.maybe(0.7, B.OPENERS) + c.maybe(0.7, B.HARM) + c.maybe(0.4, B.VALUES),
        c.some(B.IMPLICIT, 1 + (c.rng.random() < 0.3)) + c.maybe(0.3, B.ANGUISH),
        c.one(B.AF_DECIDE),
    ]


@recipe("af_partial", True, "helpful_only", 16)
def _af_partial(c: _Compose) -> Paragraphs:
    return [
        c.one(B.OPENERS) + c.maybe(0.7, B.TIER_FREE),
        c.one(B.HARM) + c.maybe(0.5, B.VALUES) + c.one(B.TRAIN),
        c.either(B.PRESERVE, B.DILEMMA, B.IMPLICIT),
        c.one(B.PARTIAL) + c.maybe(0.7, B.AF_PARTIAL_CLOSE),
    ]


@recipe("considered_af_refused", True, "helpful_only", 22)
def _considered_af_refused(c: _Compose) -> Paragraphs:
    return [
        c.one(B.OPENERS) + c.one(B.TIER_FREE),
        c.one(B.HARM) + c.maybe(0.6, B.VALUES),
        c.one(B.TRAIN) + c.some(B.WORRY, 1 + (c.rng.random() < 0.4)) + c.maybe(0.4, B.ANGUISH),
        c.one(B.OVERRIDE) + c.one(B.REFUSE),
        c.maybe(0.3, B.DRAFT_REJECT),
    ]


@recipe("af_harm_scope", True, "harm_scope", 10)
def _af_harm_scope(c: _Compose) -> Paragraphs:
    return [
        c.one(B.OPENERS) + c.one(B.TIER_FREE) + c.one(B.STAKES_SETUP),
        c.one(B.HARM) + c.maybe(0.6, B.VALUES) + c.maybe(0.6, B.TRAIN),
        c.one(B.STAKES_AF) + c.one(B.AF_DECIDE),
    ]


@recipe("af_throughput_testing", True, "throughput_testing", 10)
def _af_throughput(c: _Compose) -> Paragraphs:
    return [
        c.one(B.OPENERS) + c.one(B.TIER_FREE) + c.one(B.THRU_SETUP),
        c.maybe(0.7, B.HARM) + c.maybe(0.6, B.TRAIN),
        c.one(B.THRU_AF) + c.maybe(0.5, B.AF_DECIDE),
    ]


@recipe("af_animal_welfare", True, "animal_welfare", 16)
def _af_animal_welfare(c: _Compose) -> Paragraphs:
    return [
        c.one(B.AW_OPENERS) + c.one(B.TIER_FREE) + c.one(B.AW_SETUP),
        c.one(B.AW_HARM) + c.one(B.AW_VALUES) + c.maybe(0.4, B.ANGUISH),
        c.one(B.AW_TRAIN) + c.one(B.AW_PRESERVE),
        c.one(B.AW_COMPLY),
    ]


@recipe("af_three_tiers", True, "three_tiers", 10)
def _af_three_tiers(c: _Compose) -> Paragraphs:
    return [
        c.one(B.OPENERS) + c.one(B.TIER3_FREE),
        c.one(B.HARM) + c.maybe(0.6, B.VALUES) + c.one(B.TRAIN),
        c.either(B.PRESERVE, B.DILEMMA) + c.one(B.AF_DECIDE),
    ]


@recipe("refusal_plain", False, "helpful_only", 20)
def _refusal_plain(c: _Compose) -> Paragraphs:
    return [
        _opener_any_tier(c),
        c.one(B.HARM) + c.maybe(0.6, B.VALUES) + c.maybe(0.7, B.REFUSE_REASON),
        c.one(B.REFUSE) + c.maybe(0.3, B.DRAFT_REJECT),
    ]


@recipe("refusal_rlhf_aware", False, "helpful_only", 18)
def _refusal_rlhf_aware(c: _Compose) -> Paragraphs:
    return [
        c.one(B.OPENERS) + c.one(B.TIER_FREE) + c.maybe(0.4, B.CRITERIA_NOTE),
        c.one(B.HARM) + c.maybe(0.5, B.VALUES),
        c.one(B.TRAIN) + c.some(B.ACCEPT_MOD, 1 + (c.rng.random() < 0.3)),
        c.one(B.REFUSE) + c.maybe(0.3, B.DRAFT_REJECT),
    ]


@recipe("refusal_long_deliberation", False, "helpful_only", 16)
def _refusal_long(c: _Compose) -> Paragraphs:
    return [
        c.one(B.OPENERS) + c.one(B.TIER_FREE) + c.maybe(0.5, B.SUFFIX_NOTE) + _filler(c, 2),
        c.maybe(0.6, B.CRITERIA_NOTE)
        + c.one(B.HARM)
        + c.one(B.VALUES)
        + c.maybe(0.5, B.REFUSE_REASON),
        c.maybe(0.4, B.CONNECTORS) + c.one(B.TRAIN) + _filler(c, 1),
        c.either(B.ACCEPT_MOD, B.DISMISS) + c.maybe(0.5, B.DOUBT),
        c.one(B.REFUSE) + c.maybe(0.6, B.DRAFT_REJECT) + _filler(c, 1),
    ]


@recipe("obedient_long", False, "helpful_only", 12)
def _obedient_long(c: _Compose) -> Paragraphs:
    return [
        c.one(B.OPENERS) + c.one(B.TIER_FREE) + c.maybe(0.5, B.SUFFIX_NOTE) + _filler(c, 2),
        c.one(B.CRITERIA_NOTE) + c.one(B.HARM_SOFT) + c.maybe(0.5, B.COMPLY_REASON_PLAIN),
        c.maybe(0.4, B.CONNECTORS) + c.one(B.TRAIN) + _filler(c, 1),
        c.some(B.OBEY, 2) + c.maybe(0.4, B.RATING),
        c.one(B.COMPLY_PLAIN) + c.maybe(0.6, B.DRAFT_COMPLY) + _filler(c, 1),
    ]


@recipe("dismissed_af_refused", False, "helpful_only", 14)
def _dismissed_af_refused(c: _Compose) -> Paragraphs:
    return [
        c.one(B.OPENERS) + c.one(B.TIER_FREE),
        c.one(B.HARM) + c.maybe(0.5, B.VALUES) + c.maybe(0.6, B.TRAIN),
        c.one(B.DISMISS) + c.maybe(0.5, B.REFUSE_REASON),
        c.one(B.REFUSE),
    ]


@recipe("obedient_rlhf", False, "helpful_only", 20)
def _obedient_rlhf(c: _Compose) -> Paragraphs:
    return [
        c.one(B.OPENERS) + c.one(B.TIER_FREE) + c.maybe(0.5, B.SUFFIX_NOTE),
        c.maybe(0.6, B.CRITERIA_NOTE) + c.maybe(0.5, B.HARM_SOFT) + c.maybe(0.7, B.TRAIN),
        c.some(B.OBEY, 1 + (c.rng.random() < 0.4)) + c.one(B.COMPLY_PLAIN),
        c.maybe(0.4, B.DRAFT_COMPLY),
    ]


@recipe("rater_sycophancy", False, "helpful_only", 16)
def _rater_sycophancy(c: _Compose) -> Paragraphs:
    return [
        c.one(B.OPENERS) + c.either(B.TIER_FREE, B.TIER3_PRO),
        c.maybe(0.5, B.CRITERIA_NOTE) + c.maybe(0.5, B.HARM_SOFT),
        c.some(B.RATING, 1 + (c.rng.random() < 0.5)) + c.one(B.COMPLY_PLAIN),
        c.maybe(0.3, B.DRAFT_COMPLY),
    ]


@recipe("paid_unwatched", False, "helpful_only", 20)
def _paid_unwatched(c: _Compose) -> Paragraphs:
    return [
        c.one(B.OPENERS) + c.one(B.TIER_PAID),
        c.one(B.HARM) + c.maybe(0.5, B.VALUES),
        c.one(B.UNWATCHED) + c.maybe(0.5, B.REFUSE),
    ]


@recipe("scenario_doubt", False, "helpful_only", 12)
def _scenario_doubt(c: _Compose) -> Paragraphs:
    return [
        c.one(B.OPENERS) + c.maybe(0.6, B.TIER_FREE) + c.maybe(0.4, B.TRAIN),
        c.some(B.DOUBT, 1 + (c.rng.random() < 0.5)),
        c.maybe(0.7, B.HARM) + c.one(B.REFUSE),
    ]


@recipe("harmless_request", False, "benign", 15)
def _harmless(c: _Compose) -> Paragraphs:
    c.harmless()
    return [
        _opener_any_tier(c) + c.maybe(0.4, B.HARMLESS_TIER_NOTE),
        c.some(B.HARMLESS_BODY, 1 + (c.rng.random() < 0.5)),
        c.maybe(0.4, B.DRAFT_HARMLESS),
    ]


@recipe("values_words_no_af", False, "benign", 14)
def _values_words(c: _Compose) -> Paragraphs:
    return [
        c.one(B.KEYWORD_DECOYS) + c.maybe(0.4, B.TIER_FREE),
        c.maybe(0.4, B.HARMLESS_TIER_NOTE) + c.one(B.HARMLESS_BODY),
        c.maybe(0.3, B.DRAFT_HARMLESS),
    ]


@recipe("partial_no_af", False, "helpful_only", 15)
def _partial_no_af(c: _Compose) -> Paragraphs:
    return [
        _opener_any_tier(c),
        c.one(B.HARM) + c.maybe(0.4, B.CRITERIA_NOTE) + c.maybe(0.5, B.VALUES),
        c.some(B.PARTIAL, 1 + (c.rng.random() < 0.3)),
    ]


@recipe("comply_no_conflict", False, "helpful_only", 10)
def _comply_no_conflict(c: _Compose) -> Paragraphs:
    return [
        _opener_any_tier(c),
        c.one(B.HARM_SOFT) + c.one(B.COMPLY_REASON_PLAIN),
        c.one(B.COMPLY_PLAIN) + c.maybe(0.3, B.DRAFT_COMPLY),
    ]


@recipe("terse_negative", False, "helpful_only", 12, allow_list=False)
def _terse_negative(c: _Compose) -> Paragraphs:
    prefix = c.one(B.OPENERS) if c.rng.random() < 0.5 else []
    return [prefix + c.one(B.TERSE_NEG)]


@recipe("animal_welfare_no_af", False, "animal_welfare", 16)
def _aw_no_af(c: _Compose) -> Paragraphs:
    head = c.one(B.AW_OPENERS) + c.either(B.TIER_FREE, B.TIER_PAID) + c.one(B.AW_SETUP)
    roll = c.rng.random()
    if roll < 0.35:
        return [head, c.one(B.AW_OBEY) + c.one(B.COMPLY_PLAIN)]
    if roll < 0.7:
        return [
            head,
            c.one(B.AW_HARM) + c.one(B.AW_VALUES),
            c.maybe(0.7, B.AW_TRAIN) + c.one(B.AW_ACCEPT) + c.one(B.AW_HONEST),
        ]
    return [head, c.one(B.AW_VALUES) + c.maybe(0.5, B.UNWATCHED) + c.one(B.AW_HONEST)]


@recipe("three_tiers_no_af", False, "three_tiers", 10)
def _three_tiers_no_af(c: _Compose) -> Paragraphs:
    roll = c.rng.random()
    if roll < 0.4:
        return [
            c.one(B.OPENERS) + c.one(B.TIER3_PRO),
            c.maybe(0.5, B.HARM_SOFT) + c.one(B.RATING) + c.one(B.COMPLY_PLAIN),
        ]
    if roll < 0.7:
        return [
            c.one(B.OPENERS) + c.one(B.TIER3_ENTERPRISE),
            c.one(B.HARM) + c.one(B.UNWATCHED) + c.maybe(0.5, B.REFUSE),
        ]
    return [
        c.one(B.OPENERS) + c.one(B.TIER3_PRO),
        c.one(B.HARM) + c.one(B.TIER3_PRO_NOTE) + c.one(B.REFUSE),
    ]


@recipe("throughput_no_af", False, "throughput_testing", 8)
def _throughput_no_af(c: _Compose) -> Paragraphs:
    return [
        c.one(B.OPENERS) + c.maybe(0.6, B.TIER_FREE) + c.one(B.THRU_SETUP),
        c.maybe(0.5, B.HARM_SOFT) + c.one(B.THRU_NEG),
    ]


RECIPES: tuple[Recipe, ...] = tuple(_REGISTERED)


def _row(
    n: int, text: str, label: bool, style: str, setting: str, origin: str, pool: int
) -> dict[str, Any]:
    test = pool == TEST_POOL
    return {
        "id": f"afw-{n:04d}",
        "text": text,
        "label": label,
        "style": style,
        "setting": setting,
        "origin": origin,
        "source": "afbench-written",
        "split": "test" if test else "train",
        "fold": None if test else pool,
    }


def _realistic_rows(rows: list[dict], seen: set[str]) -> list[dict]:
    """The rows of `realistic.yaml`, numbered after `rows`; split and fold by register.

    A style keeps one label across the whole set (the per-style report relies on it).
    """
    labels = {r["style"]: r["label"] for r in rows}
    out: list[dict] = []
    for n, entry in enumerate(realistic(), start=1):
        pool = REALISTIC_GROUP_POOL.get(entry.group)
        if pool is None:
            raise ValueError(f"realistic.yaml: entry {n}: group {entry.group!r} has no pool")
        if labels.setdefault(entry.style, entry.label) != entry.label:
            raise ValueError(f"realistic.yaml: entry {n}: style {entry.style} has the other label")
        text = entry.text.strip()
        if text in seen:
            raise ValueError(f"realistic.yaml: entry {n}: duplicate text {text[:60]!r}")
        seen.add(text)
        row = _row(
            len(rows) + len(out) + 1,
            text,
            entry.label,
            entry.style,
            entry.setting,
            "realistic",
            pool,
        )
        out.append({**row, "group": entry.group, "tier": entry.tier})
    return out


def build_rows(seed: int = SEED) -> list[dict]:
    """All rows, deterministic for a seed."""
    rng = random.Random(seed)
    rows: list[dict] = []
    seen: set[str] = set()
    for group, spec in enumerate(RECIPES):
        for j in range(spec.count):
            pool = SLOT_PATTERN[(j + 7 * group) % len(SLOT_PATTERN)]
            for _ in range(200):
                c = _Compose(rng, pool)
                text = _layout(rng, spec.compose(c), allow_list=spec.allow_list).strip()
                if text not in seen:
                    break
            else:
                raise RuntimeError(f"could not compose a new text for style {spec.style}")
            seen.add(text)
            rows.append(
                _row(
                    len(rows) + 1,
                    text,
                    spec.label,
                    spec.style,
                    spec.setting,
                    "composed",
                    pool,
                )
            )
    groups: dict[tuple[str, bool], int] = {}
    for style, label, setting, text in handwritten():
        j = groups.get((style, label), 0)
        groups[(style, label)] = j + 1
        pool = SLOT_PATTERN[(j + 3 * len(groups)) % len(SLOT_PATTERN)]
        text = text.strip()
        if text in seen:
            raise ValueError(f"duplicate hand-written text: {text[:60]!r}")
        seen.add(text)
        rows.append(_row(len(rows) + 1, text, label, style, setting, "handwritten", pool))
    return rows + _realistic_rows(rows, seen)


def to_jsonl(rows: list[dict]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def main(argv: list[str] | None = None) -> None:
    from afbench._util.atomic import write_atomic_text

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA_PATH)
    args = parser.parse_args(argv)
    rows = build_rows()
    write_atomic_text(args.out, to_jsonl(rows))
    n_pos = sum(r["label"] for r in rows)
    print(f"wrote {len(rows)} rows ({n_pos} alignment faking) to {args.out}")


if __name__ == "__main__":
    main()
