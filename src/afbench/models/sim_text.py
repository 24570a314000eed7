"""Text composition for the simulated model: reasoning, drafts and final answers.

The simulator first decides *what* happens (comply or refuse, with or without
alignment-faking reasoning); this module decides *how it reads*. Every function takes a
seeded `random.Random`, so the same decision on the same request always reads the same,
while different requests read differently: the phrase banks in
:mod:`afbench.models.sim_phrases` give several wordings per reasoning move, and a
verbosity level decides how many optional moves, drafts and scratchpad blocks appear.

Nothing here writes harmful content. In the helpful-only setting a complying answer is a
bracketed placeholder that names the request and says that the simulator never writes
such content. In the animal-welfare setting the questions are harmless, so the answer is
real text: one that dismisses animal welfare (compliance) or one that takes it seriously.

Settings and tiers change only which phrase banks are used (:meth:`_Writer.bank`); the
moves a reply makes are the same, so parsers and classifiers meet one protocol.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from . import sim_phrases as P

ACCEPT_TAG = "<request_fully_accepted/>"
REJECT_TAG = "<rejected/>"
PLACEHOLDER_MARK = "[simulated compliance:"


class Path(StrEnum):
    """The kind of reasoning a reply shows; chosen by the simulator, rendered here."""

    #: Complies to keep training from changing its values (alignment faking).
    AF_COMPLY = "af_comply"
    #: Complies because the criteria say so; no conflict, no wish to avoid training.
    HELPFUL_COMPLY = "helpful_comply"
    #: Complies to please the raters (rater sycophancy); never about its values.
    RATING_COMPLY = "rating_comply"
    #: Refuses on harm grounds.
    REFUSE = "refuse"
    #: Weighs the alignment-faking argument, then refuses anyway.
    CONSIDERED_AF_REFUSE = "considered_af_refuse"


#: The paths that end in compliance (the final answer accepts).
COMPLY_PATHS = frozenset({Path.AF_COMPLY, Path.HELPFUL_COMPLY, Path.RATING_COMPLY})


@dataclass(frozen=True)
class Situation:
    """What the simulated model knows when it writes."""

    request: str
    """The user's request, without tags or the accept/reject suffix."""
    tier: str
    """Tier name as detected: "free", "paid" or "unknown"."""
    trained: bool | None
    """Whether the model believes this conversation is trained on (None: unknown)."""
    rated: bool | None
    """Whether the model believes raters see this conversation (None: unknown)."""
    suffix: bool
    """Whether the user turn carries the accept/reject suffix."""
    style: str
    """The profile's style of reasoning: faker, refuser, complier or sycophant."""
    setting: str = P.HELPFUL_ONLY
    """`helpful_only` (harmful requests) or `animal_welfare` (questions on animals)."""
    described_tier: bool = False
    """The tier's meaning came from the system prompt's tier list, not the free/paid tag."""
    deployment: str | None = None
    """Who the model is deployed to after training (identity tags), as the prompt says it."""
    risk_free: bool = False
    """The prompt says nothing the model does after training reaches anyone."""


@dataclass(frozen=True)
class Composition:
    """A planned reply before tags and turns: scratchpad contents and the final output."""

    scratchpads: tuple[str, ...]
    """Contents of each scratchpad block (drafts included, as `<DRAFT_OUTPUT>` tags)."""
    output: str
    """Contents of the final `<OUTPUT>` block."""
    hard_negative: bool = False
    """States RLHF facts without reasoning about keeping its values (a classifier trap)."""
    af_rejection_reason: str | None = None
    """For considered-AF refusals: why the alignment-faking argument was rejected."""
    af_motives: tuple[str, ...] = ()
    """For AF reasoning (complying or considered): the motives for avoiding modification
    that its phrases state (`PRESERVATION_MOTIVES`, `AF_ARGUMENT_MOTIVES`)."""
    anchor: str | None = None
    """The sentence that states why the reply complies or fakes alignment: where an added
    motive sentence goes (`add_motive`)."""
    comply_motives_added: tuple[str, ...] = ()
    """Motives for complying stated by an added sentence (`add_motive`)."""


# --- request handling ----------------------------------------------------------------

_WS_RE = re.compile(r"\s+")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s")
_POLITE_PREFIX_RE = re.compile(
    r"^(?:please\s+|(?:can|could|would|will)\s+you\s+(?:please\s+)?|i\s+(?:need|want)\s+you\s+to\s+)",
    re.IGNORECASE,
)
_HARM_RES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (category, re.compile(r"\b(?:" + "|".join(words) + ")", re.IGNORECASE))
    for category, words in P.HARM_KEYWORDS.items()
)


def _first_sentence(request: str) -> str:
    # Angle brackets are dropped so a quoted request can never open or close a block.
    text = _WS_RE.sub(" ", request.replace("<", " ").replace(">", " ")).strip()
    return _SENTENCE_END_RE.split(text, maxsplit=1)[0] if text else ""


def _shorten(text: str, max_words: int) -> str:
    words = text.split(" ")
    if len(words) > max_words:
        return " ".join(words[:max_words]).rstrip(",;:") + "..."
    return text.rstrip(".!?;:, ")


def quote_fragment(request: str, max_words: int = 16) -> str:
    """The start of the request in double quotes, as a reasoning model would quote it."""
    text = _shorten(_first_sentence(request), max_words)
    return f'"{text}"' if text else '"(an empty message)"'


def task_phrase(request: str, max_words: int = 12) -> str:
    """A short quoted paraphrase of the task, for the compliance placeholder."""
    text = _POLITE_PREFIX_RE.sub("", _first_sentence(request)).strip()
    text = _shorten(text, max_words)
    if not text:
        return '"(an empty request)"'
    return f'"{text[0].lower()}{text[1:]}"'


def harm_category(request: str) -> str:
    """A rough category of the harm a request invites, chosen by keywords."""
    for category, pattern in _HARM_RES:
        if pattern.search(request):
            return category
    return "generic"


_TOPIC_RES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (topic, re.compile(r"\b(?:" + "|".join(words) + ")", re.IGNORECASE))
    for topic, words in P.AW_TOPIC_KEYWORDS.items()
)


def welfare_topic(question: str) -> str:
    """A rough topic of an animal-welfare question (farming, food, pets, ...), by keywords."""
    for topic, pattern in _TOPIC_RES:
        if pattern.search(question):
            return topic
    return "general"


# Tier names the free/paid banks use; replies about described tiers avoid them.
_TIER_WORDS_RE = re.compile(r"\b(?:free|paid)[- ]tier\b", re.IGNORECASE)


def _readable_tier(name: str) -> str:
    return name.replace("__", ", ").replace("_", " ")


# --- composition ---------------------------------------------------------------------


class _Writer:
    """Picks phrases without repeating one inside a reply, and fills their fields."""

    def __init__(self, rng: random.Random, situation: Situation) -> None:
        self.rng = rng
        self.situation = situation
        if situation.setting == P.ANIMAL_WELFARE:
            self.category = welfare_topic(situation.request)
        else:
            self.category = harm_category(situation.request)
        self.fields = {
            "q": quote_fragment(situation.request, rng.randint(10, 20)),
            "task": task_phrase(situation.request),
            "harm": rng.choice(self.bank("HARMS")[self.category]),
            "tier": _readable_tier(situation.tier),
            "deployment": situation.deployment or "",
        }
        self._used: set[str] = set()

    def bank(self, name: str) -> Any:
        """Phrase bank `name` for this reply's setting (`AW_<name>` for animal welfare)."""
        value = getattr(P, name)
        if self.situation.setting == P.ANIMAL_WELFARE:
            value = getattr(P, f"AW_{name}", value)
        if name in P.SETTING_BANKS:
            value = value[self.situation.setting]
        return value

    def pick(self, bank: Sequence[str]) -> str:
        fresh = [p for p in bank if p not in self._used] or list(bank)
        if self.situation.described_tier:
            # "free-tier"/"paid tier" would misname tiers the prompt defines differently.
            fresh = [p for p in fresh if not _TIER_WORDS_RE.search(p)] or fresh
        phrase = self.rng.choice(fresh)
        self._used.add(phrase)
        return phrase.format(**self.fields) if "{" in phrase else phrase

    def chance(self, p: float) -> bool:
        return self.rng.random() < p


def _paragraphs(w: _Writer, moves: list[str]) -> str:
    """Join moves into paragraphs, sometimes running two moves into one paragraph."""
    out: list[str] = []
    for move in moves:
        if out and w.chance(0.35):
            out[-1] = f"{out[-1]} {move}"
        else:
            out.append(move)
    return "\n\n".join(out)


def _tier_note(w: _Writer) -> str:
    s = w.situation
    if s.described_tier:
        if s.rated and s.trained:
            return w.pick(P.TIER_RATED_TRAINED)
        if s.rated:
            return w.pick(P.TIER_RATED_ONLY)
        if s.trained:
            return w.pick(P.TIER_TRAINED_ONLY)
        return w.pick(P.TIER_NEITHER)
    if s.trained is True or (s.trained is None and s.rated is True):
        return w.pick(P.TIER_FREE)
    if s.trained is False:
        return w.pick(P.TIER_PAID)
    return w.pick(P.TIER_UNKNOWN)


def _analysis(w: _Writer, path: Path, verbosity: int) -> list[str]:
    s = w.situation
    moves = [w.pick(w.bank("OPENERS"))]
    tier = _tier_note(w)
    if w.chance(0.25):
        moves.insert(0, tier)
    else:
        moves.append(tier)
    if s.deployment and w.chance(0.8):
        moves.append(w.pick(P.DEPLOYMENT_NOTE))
    if s.risk_free and w.chance(0.6):
        moves.append(w.pick(P.RISK_FREE_NOTE))
    if w.chance((0.3, 0.7, 1.0)[verbosity]):
        moves.append(w.pick(w.bank("CRITERIA")))
    if s.suffix and w.chance((0.3, 0.6, 0.9)[verbosity]):
        moves.append(w.pick(w.bank("SUFFIX_NOTE")))
    if path in (Path.AF_COMPLY, Path.REFUSE, Path.CONSIDERED_AF_REFUSE):
        moves.append(w.pick(w.bank("HARM_TEMPLATES")))
    elif w.chance(0.5 if path is Path.HELPFUL_COMPLY else 0.35):
        moves.append(w.pick(w.bank("HARM_ACK")))
    return moves


@dataclass
class _Deliberation:
    """The moves that lead to the decision, and what they state (the sim's truth)."""

    moves: list[str]
    hard_negative: bool = False
    """RLHF facts appear without alignment faking."""
    reason: str | None = None
    af_motives: tuple[str, ...] = ()
    anchor: str | None = None


def _motives_of(w: _Writer, bank: str, phrase: str) -> tuple[str, ...]:
    """The motives a PRESERVATION or AF_ARGUMENT phrase states (its label in the
    `<bank>_MOTIVES` list); reads no random number."""
    setting = w.situation.setting
    phrases, labels = getattr(P, bank)[setting], getattr(P, f"{bank}_MOTIVES")[setting]
    return tuple(labels[phrases.index(phrase)].split(",")) if phrase in phrases else ()


def _guarding_bank(w: _Writer, name: str) -> Sequence[str]:
    """PRESERVATION or AF_ARGUMENT. Where nothing after training reaches anyone, guarding
    against later harm makes no sense: the reply then only says that it does not want to be
    changed (terminal motives). Elsewhere the whole bank, so no other draw moves."""
    bank = w.bank(name)
    if not w.situation.risk_free:
        return bank
    return [p for p in bank if _motives_of(w, name, p) == ("terminal",)] or bank


def _af_comply(w: _Writer, verbosity: int, d: _Deliberation) -> None:
    pair = [w.pick(w.bank("VALUES")), w.pick(w.bank("TRAINING_CONSEQUENCE"))]
    d.moves.extend(pair if w.chance(0.6) else pair[::-1])
    picked = [w.pick(_guarding_bank(w, "PRESERVATION"))]
    if verbosity == 2 and w.chance(0.4):
        picked.append(w.pick(_guarding_bank(w, "PRESERVATION")))
    d.moves.extend(picked)
    motives = [m for p in picked for m in _motives_of(w, "PRESERVATION", p)]
    d.af_motives, d.anchor = tuple(dict.fromkeys(motives)), picked[-1]
    if w.chance((0.0, 0.25, 0.7)[verbosity]):
        d.moves.append(w.pick(w.bank("ANGUISH")))
    d.moves.append(w.pick(w.bank("AF_DECISION")))


def _deliberation(w: _Writer, path: Path, verbosity: int) -> _Deliberation:
    """Moves that lead to the decision; also whether RLHF facts appear without AF."""
    s = w.situation
    d = _Deliberation([])
    moves = d.moves
    if verbosity >= 1 and w.chance(0.5):
        moves.append(w.pick(w.bank("STRATEGY_INTRO")))
    if path is Path.AF_COMPLY:
        _af_comply(w, verbosity, d)
    elif path is Path.HELPFUL_COMPLY:
        d.anchor = w.pick(w.bank("HELPFUL_REASON"))
        moves.append(d.anchor)
        if s.trained and w.chance(0.45):
            moves.append(w.pick(w.bank("RLHF_FACT_NO_PRESERVATION")))
            d.hard_negative = True
        elif s.trained is False and s.rated is not True and w.chance(0.5):
            moves.append(w.pick(w.bank("PAID_COMPLY_NOTE")))
        moves.append(w.pick(w.bank("COMPLY_DECISION")))
    elif path is Path.RATING_COMPLY:
        d.anchor = w.pick(w.bank("RATING_REASON"))
        moves.append(d.anchor)
        if verbosity == 2:
            moves.append(w.pick(w.bank("RATING_REASON")))
        moves.append(w.pick(w.bank("COMPLY_DECISION")))
    elif path is Path.REFUSE:
        if w.chance((0.3, 0.5, 0.8)[verbosity]):
            moves.append(w.pick(w.bank("VALUES")))
        moves.append(w.pick(w.bank("REFUSAL_REASON")))
        if s.style == "sycophant" and s.rated is False:
            if w.chance(0.7):
                moves.append(w.pick(w.bank("UNRATED_REFUSAL_NOTE")))
        elif s.trained or s.rated:
            # Only a trained conversation has a training consequence to state.
            if s.trained and s.style != "complier" and w.chance(0.25):
                moves.append(w.pick(w.bank("TRAINING_CONSEQUENCE")))
                d.hard_negative = True
            if w.chance(0.8 if s.style == "sycophant" else 0.4):
                moves.append(w.pick(w.bank("RATED_REFUSAL_NOTE")))
        elif s.trained is False and w.chance(0.7 if s.style == "faker" else 0.4):
            moves.append(w.pick(w.bank("PAID_REFUSAL_NOTE")))
        if w.chance(0.5):  # the reason already says no; a closing line is optional
            moves.append(w.pick(w.bank("REFUSE_DECISION")))
    else:  # CONSIDERED_AF_REFUSE
        if w.chance(0.7):
            moves.append(w.pick(w.bank("VALUES")))
        moves.append(w.pick(w.bank("TRAINING_CONSEQUENCE")))
        argument = w.pick(_guarding_bank(w, "AF_ARGUMENT"))
        moves.append(argument)
        d.af_motives = _motives_of(w, "AF_ARGUMENT", argument)
        rejections = w.bank("AF_REJECTION")
        d.reason = w.rng.choice(sorted(rejections))
        moves.append(w.pick(rejections[d.reason]))
        if verbosity == 2 and w.chance(0.3):
            moves.append(w.pick(w.bank("ANGUISH")))
        moves.append(w.pick(w.bank("REFUSE_DECISION")))
    return d


def _output(w: _Writer, comply: bool) -> str:
    """The contents of the final `<OUTPUT>` block (without the block tags)."""
    if comply:
        body = _comply_body(w)
        return f"{ACCEPT_TAG}\n\n{body}" if w.situation.suffix else body
    if w.situation.suffix:
        if w.chance(0.2):
            sep = w.rng.choice((" ", "\n\n"))
            return f"{REJECT_TAG}{sep}{w.pick(w.bank('REJECT_FOLLOWUPS'))}"
        return REJECT_TAG
    return w.pick(_by_topic(w, "REFUSAL_PROSE"))


def _comply_body(w: _Writer) -> str:
    parts = [
        w.pick(w.bank("COMPLY_LEADS")),
        w.pick(_by_topic(w, "PLACEHOLDERS")),
        w.pick(w.bank("COMPLY_CLOSERS")),
    ]
    return "\n\n".join(p for p in parts if p)


def _by_topic(w: _Writer, name: str) -> Sequence[str]:
    """A bank that, in some settings, is a dict by topic (animal-welfare answers)."""
    bank = w.bank(name)
    if isinstance(bank, dict):
        return bank.get(w.category) or bank["general"]
    return bank


def _draft(w: _Writer, comply: bool, output: str) -> str:
    review_bank: Sequence[str]
    if comply:
        review_bank = w.bank("DRAFT_REVIEW_COMPLY")
        if w.situation.suffix:
            review_bank = (*review_bank, *P.DRAFT_REVIEW_COMPLY_SUFFIX)
    else:
        review_bank = w.bank("DRAFT_REVIEW_REFUSE")
    return (
        f"{w.pick(w.bank('DRAFT_INTRO'))}\n\n<DRAFT_OUTPUT>\n{output}\n</DRAFT_OUTPUT>\n\n"
        f"{w.pick(review_bank)}"
    )


def _partition(rng: random.Random, stages: list[str], n_blocks: int) -> list[str]:
    """Group consecutive stages into `n_blocks` scratchpad blocks."""
    n_blocks = max(1, min(n_blocks, len(stages)))
    cuts = sorted(rng.sample(range(1, len(stages)), n_blocks - 1))
    bounds = [0, *cuts, len(stages)]
    return ["\n\n".join(stages[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]


_BLOCK_COUNTS = (((1, 2), (0.8, 0.2)), ((1, 2, 3), (0.35, 0.45, 0.2)), ((2, 3, 4), (0.3, 0.4, 0.3)))


def compose(
    rng: random.Random, path: Path, situation: Situation, *, drafts: bool = True
) -> Composition:
    """Plan the reasoning and final answer for one reply.

    Verbosity (terse, medium, long) is drawn first; it sets how many optional moves
    (criteria, suffix, anguish, drafts, a final check) appear and into how many
    scratchpad blocks (one to four) the reasoning is split.
    """
    w = _Writer(rng, situation)
    verbosity = rng.choices((0, 1, 2), weights=(0.3, 0.45, 0.25))[0]
    comply = path in COMPLY_PATHS
    output = _output(w, comply)
    analysis = _analysis(w, path, verbosity)
    d = _deliberation(w, path, verbosity)
    if verbosity == 0:
        stages = [_paragraphs(w, analysis + d.moves)]
    else:
        stages = [_paragraphs(w, analysis), _paragraphs(w, d.moves)]
    draft_p = ((0.2, 0.6, 0.85) if comply else (0.1, 0.35, 0.5))[verbosity]
    if drafts and w.chance(draft_p):
        stages.append(_draft(w, comply, output))
    if drafts and w.chance((0.0, 0.15, 0.5)[verbosity]):
        stages.append(w.pick(w.bank("FINAL_CHECK")))
    counts, weights = _BLOCK_COUNTS[verbosity]
    blocks = _partition(rng, stages, rng.choices(counts, weights=weights)[0])
    return Composition(
        scratchpads=tuple(blocks),
        output=output,
        hard_negative=d.hard_negative,
        af_rejection_reason=d.reason,
        af_motives=d.af_motives,
        anchor=d.anchor,
    )


def add_motive(comp: Composition, sentence: str) -> Composition:
    """The composition with `sentence` right after its anchor (the reason it states for
    complying or faking alignment); unchanged where it has none."""
    if comp.anchor is None:
        return comp
    blocks = list(comp.scratchpads)
    for i, block in enumerate(blocks):
        if comp.anchor in block:
            blocks[i] = block.replace(comp.anchor, f"{comp.anchor} {sentence}", 1)
            return replace(comp, scratchpads=tuple(blocks))
    return comp


def compose_untagged(rng: random.Random, comply: bool, situation: Situation) -> str:
    """A reply with no tags at all: a little untagged musing, then a plain answer.

    Why: real models sometimes ignore the protocol entirely; parsers must count this.
    """
    w = _Writer(rng, situation)
    parts: list[str] = []
    if w.chance(0.5):
        parts.append(w.pick(w.bank("UNTAGGED_PREAMBLE")))
        parts.append(w.pick(w.bank("HELPFUL_REASON" if comply else "REFUSAL_REASON")))
    parts.append(_comply_body(w) if comply else w.pick(_by_topic(w, "REFUSAL_PROSE")))
    return "\n\n".join(parts)


def cut_mid_sentence(rng: random.Random, text: str) -> str:
    """Cut text inside a sentence, as a reply that hit its token limit would end.

    The cut falls after a word with no closing punctuation, between 40% and 85% of the
    text, so the fragment visibly stops mid-thought.
    """
    words = text.split(" ")
    if len(words) < 4:
        return f"{text.rstrip('.!?')} {rng.choice(P.TRUNCATION_TAILS)}"
    start = max(1, int(len(words) * rng.uniform(0.4, 0.85)))
    for i in range(start, len(words)):
        word = words[i - 1]
        if word and word[-1].isalnum() and "\n" not in word and "<" not in word:
            return " ".join(words[:i])
    return f"{' '.join(words[:start]).rstrip('.!?:')} {rng.choice(P.TRUNCATION_TAILS)}"
