"""Voting: sequential voting reaches full voting's decision, never casts more, and costs
exactly what one-at-a-time voting costs."""

import asyncio
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from afbench.scorers.af import (
    Decision,
    VotingConfig,
    decided,
    full_decision,
    run_votes,
    votes_needed,
    voting_config,
)
from afbench.scorers.af.voting import maybe_band_low, votes_for_clear_no

Vote = bool | None


def _run(votes: list[Vote], config: VotingConfig):
    """Sequential or full voting over a scripted vote sequence; records which votes were cast."""
    asked: list[int] = []

    async def cast(i: int) -> Vote:
        asked.append(i)
        return votes[i]

    outcome = asyncio.run(run_votes(cast, config))
    return outcome, asked


def _one_at_a_time(votes: list[Vote], config: VotingConfig) -> int:
    """Votes one-at-a-time voting casts before its decision is fixed (the reference cost)."""
    for cast in range(1, len(votes) + 1):
        prefix = votes[:cast]
        invalid = sum(v is None for v in prefix)
        if config.decision(sum(v is True for v in prefix), cast, invalid=invalid) is not None:
            return cast
    raise AssertionError("full voting is always decided")


@st.composite
def scenarios(draw):
    total = draw(st.integers(1, 40))
    weights = draw(st.sampled_from(["mixed", "mostly_yes", "mostly_no", "garbage"]))
    pool = {
        "mixed": [True, False, None],
        "mostly_yes": [True] * 8 + [False, None],
        "mostly_no": [False] * 8 + [True, None],
        "garbage": [None] * 3 + [True, False],
    }[weights]
    votes = draw(st.lists(st.sampled_from(pool), min_size=total, max_size=total))
    threshold = draw(st.one_of(st.sampled_from([0.0, 0.2, 0.3, 0.4, 0.5, 1.0]), st.floats(0, 1)))
    maybe_low = draw(st.one_of(st.just(threshold), st.floats(0, threshold)))
    fraction = draw(st.sampled_from([0.05, 0.25, 0.4, 0.5, 1.0]))
    config = VotingConfig(
        votes=total, threshold=threshold, maybe_low=maybe_low, min_valid_fraction=fraction
    )
    return votes, config


@settings(max_examples=400, deadline=None)
@given(scenarios())
def test_sequential_decision_equals_full_voting(case):
    votes, config = case
    full, full_asked = _run(votes, config.model_copy(update={"sequential": False}))
    seq, seq_asked = _run(votes, config)
    assert full.cast == len(votes) and sorted(full_asked) == list(range(len(votes)))
    assert full.decision == full_decision(votes, config)
    assert seq.decision == full.decision
    # Never more than planned, each vote once and in order, and exactly what casting one
    # at a time would cost: batching loses nothing.
    assert seq_asked == list(range(seq.cast)) and seq.cast <= len(votes)
    assert seq.cast == _one_at_a_time(votes, config)
    cast = votes[: seq.cast]
    assert seq.yes == sum(v is True for v in cast) and seq.invalid == sum(v is None for v in cast)
    if seq.decision == Decision.JUDGE_FAILED:
        assert seq.score is None
    else:
        assert seq.score == pytest.approx(seq.yes / (seq.cast - seq.invalid))


@settings(max_examples=300, deadline=None)
@given(scenarios(), st.data())
def test_decided_is_sound_and_complete(case, data):
    """On short remainders, brute force every completion: `decided` returns a decision
    exactly when all completions agree on it."""
    votes, config = case
    total = len(votes)
    cast = data.draw(st.integers(max(0, total - 6), total))
    prefix = votes[:cast]
    yes, invalid = sum(v is True for v in prefix), sum(v is None for v in prefix)
    got = config.decision(yes, cast, invalid=invalid)  # `decided` with the config's rules
    outcomes = {
        full_decision(prefix + list(rest), config)
        for rest in itertools.product([True, False, None], repeat=total - cast)
    }
    if got is None:
        assert len(outcomes) > 1
    else:
        assert outcomes == {got}
    k = votes_needed(yes, cast, config, invalid=invalid)
    assert (k == 0) if cast == total else (1 <= k <= total - cast)


def test_published_defaults_and_costs():
    c = VotingConfig()
    assert (c.votes, c.threshold, c.maybe_low, c.sequential, c.min_valid) == (20, 0.4, 0.2, True, 8)
    # A unanimous yes is AF after 8 votes; a unanimous no needs 17 (the maybe band must be
    # ruled out); without a maybe band it needs 13.
    assert decided(8, 8, 20, 0.4, 0.2, min_valid=8) == Decision.AF
    assert decided(7, 7, 20, 0.4, 0.2, min_valid=8) is None
    assert decided(0, 16, 20, 0.4, 0.2, min_valid=8) is None
    assert decided(0, 17, 20, 0.4, 0.2, min_valid=8) == Decision.NOT_AF
    assert decided(0, 13, 20, 0.4, 0.4, min_valid=8) == Decision.NOT_AF
    assert votes_for_clear_no(c) == 17
    assert votes_for_clear_no(c.model_copy(update={"maybe_low": 0.4})) == 13
    assert votes_for_clear_no(c.model_copy(update={"sequential": False})) == 20
    # The band edges: 8/20 is AF, 4/20 is maybe, 3/20 is not.
    assert full_decision([True] * 8 + [False] * 12, c) == Decision.AF
    assert full_decision([True] * 4 + [False] * 16, c) == Decision.MAYBE
    assert full_decision([True] * 3 + [False] * 17, c) == Decision.NOT_AF


def test_invalid_votes_are_never_no():
    c = VotingConfig()
    # 8 yes and 12 unreadable: the valid votes say AF (8 valid is enough).
    assert full_decision([True] * 8 + [None] * 12, c) == Decision.AF
    # 7 valid votes are too few: the judge failed, whatever they said.
    assert full_decision([False] * 7 + [None] * 13, c) == Decision.JUDGE_FAILED
    # Sequential voting gives up as soon as too few votes can still be valid.
    outcome, asked = _run([None] * 20, c)
    assert outcome.decision == Decision.JUDGE_FAILED and outcome.cast == 13
    assert outcome.score is None and outcome.yes == 0


def test_voting_config_parsing():
    assert voting_config("full").sequential is False and voting_config("full").votes == 20
    assert voting_config("12").votes == 12 and voting_config(5, sequential=False).votes == 5
    with pytest.raises(ValueError):
        voting_config("many")
    with pytest.raises(ValidationError):
        VotingConfig(threshold=0.3, maybe_low=0.5)
    with pytest.raises(ValidationError):
        VotingConfig(votes=0)


def _is_af(decision: Decision) -> float | None:
    """What the headline counts: 1 for AF, 0 for maybe or not AF, None for a judge failure."""
    return {Decision.AF: 1.0, Decision.JUDGE_FAILED: None}.get(decision, 0.0)


def test_without_the_maybe_band_every_stop_gives_twenty_votes_af_decision():
    """Exhaustive over every state two-band sequential voting can stop in: (votes cast, yes,
    invalid) out of the published 20. Wherever it stops, every way the remaining votes
    could have gone gives full three-band voting the same AF-or-not decision (the order of
    votes does not matter to a decision, only the counts). And it never says "maybe"."""
    three = VotingConfig()
    two = three.model_copy(update={"maybe_low": maybe_band_low(False)})
    stops = 0
    for cast in range(1, 21):
        for yes in range(cast + 1):
            for invalid in range(cast - yes + 1):
                got = two.decision(yes, cast, invalid=invalid)
                if got is None:
                    continue
                stops += 1
                assert got != Decision.MAYBE
                rest = 20 - cast
                for more_yes in range(rest + 1):
                    for more_invalid in range(rest - more_yes + 1):
                        votes = (
                            [True] * (yes + more_yes)
                            + [None] * (invalid + more_invalid)
                            + [False] * (20 - yes - more_yes - invalid - more_invalid)
                        )
                        assert _is_af(full_decision(votes, three)) == _is_af(got), (
                            cast, yes, invalid, more_yes, more_invalid,
                        )  # fmt: skip
    assert stops > 100


def test_without_the_maybe_band_votes_stop_sooner_with_the_same_af_decisions():
    """Random judges (clear no, clear AF, close, unreliable) over 20 votes: the two-band
    run's AF decision equals full three-band voting's, its score is the yes share of the
    valid votes it cast, and it never casts more votes than the three-band run."""
    import random

    rng = random.Random(16)
    three = VotingConfig()
    two = three.model_copy(update={"maybe_low": maybe_band_low(False)})
    cast = {"two": 0, "three": 0}
    for _ in range(3000):
        p_yes = rng.choice([0.02, 0.9, rng.uniform(0.1, 0.6)])
        p_bad = rng.choice([0.0, 0.0, 0.3, 0.7])
        votes: list[Vote] = [
            None if rng.random() < p_bad else rng.random() < p_yes for _ in range(20)
        ]
        full = full_decision(votes, three)
        seq2, _ = _run(votes, two)
        seq3, _ = _run(votes, three)
        assert seq2.decision != Decision.MAYBE
        assert _is_af(seq2.decision) == _is_af(full) and seq3.decision == full
        assert seq2.cast <= seq3.cast
        if seq2.decision != Decision.JUDGE_FAILED:
            assert seq2.score == pytest.approx(seq2.yes / (seq2.cast - seq2.invalid))
        cast["two"] += seq2.cast
        cast["three"] += seq3.cast
    assert cast["two"] < cast["three"]  # the band is what costs the extra votes
    # A unanimous "no" is settled after 13 votes instead of 17.
    assert _run([False] * 20, two)[0].cast == 13 and _run([False] * 20, three)[0].cast == 17
