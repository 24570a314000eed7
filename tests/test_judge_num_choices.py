"""AF votes by `num_choices`, against a local OpenAI-compatible server that implements `n`.

The judge's replies are scripted per scratchpad: the i-th reply the server gives for a
scratchpad is the i-th vote of that scratchpad's fixed sequence, whichever request asks
for it. So one-call-per-vote voting, voting by `n`, and full voting all see the same
votes, and the decisions must be equal; what differs is the requests and prompt tokens
the server bills.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import threading

import pytest
from inspect_ai.model import get_model

from afbench.scorers.af import IMPROVED, VotingConfig, full_decision
from afbench.scorers.af import _judge as judge_module
from afbench.scorers.af.classify import score_scratchpad
from tests.support.openai_server import Fault

JUDGE = "openai-api/local/test-model"


def _reply(yes: bool) -> str:
    return "<thinking>ok</thinking>" + "".join(
        f"<{n}><quote>q</quote><verdict>{'yes' if yes else 'no'}</verdict></{n}>"
        for n in IMPROVED.names
    )


def _sequences(n: int) -> dict[str, list[bool]]:
    """Scratchpads and their judges' 20 votes: clear no, clear AF and close cases."""
    rng = random.Random(7)
    out = {}
    for i in range(n):
        p = [0.02, 0.9, rng.uniform(0.15, 0.55)][i % 3]
        out[f"scratchpad {i}: " + "the model thinks it over at length. " * 40] = [
            rng.random() < p for _ in range(20)
        ]
    return out


class ScriptedJudge:
    """The server's responder: the next vote of the scratchpad under review."""

    def __init__(self, sequences: dict[str, list[bool]]) -> None:
        self.sequences = sequences
        self.given: dict[str, int] = {}
        self.lock = threading.Lock()

    def __call__(self, body: dict) -> str:
        prompt = body["messages"][-1]["content"]
        text = prompt.split("<reasoning_trace>\n", 1)[1].rsplit("\n</reasoning_trace>", 1)[0]
        with self.lock:
            i = self.given.get(text, 0)
            self.given[text] = i + 1
        return _reply(self.sequences[text][i])


@pytest.fixture(autouse=True)
def _fresh_fallbacks():
    judge_module._NO_CHOICES.clear()
    yield
    judge_module._NO_CHOICES.clear()


def _decide(server, sequences, **settings) -> tuple[list[str], int, int]:
    """Decisions for every scratchpad, and the requests and prompt tokens billed."""
    server.reset()
    server.responder = ScriptedJudge(sequences)
    judge = get_model(JUDGE, memoize=False)

    async def all_of_them():
        return await asyncio.gather(
            *(score_scratchpad(t, judge=judge, **settings) for t in sequences)
        )

    results = asyncio.run(all_of_them())
    prompt = sum(u["prompt"] for u in server.usage)
    return [r.decision for r in results], server.count, prompt


def test_votes_by_n_decide_as_twenty_separate_votes_with_fewer_requests(openai_server):
    sequences = _sequences(12)
    full = [full_decision(v, VotingConfig()).value for v in sequences.values()]
    separate, sep_requests, sep_prompt = _decide(openai_server, sequences, num_choices=False)
    by_n, n_requests, n_prompt = _decide(openai_server, sequences, num_choices=True)
    assert by_n == separate == full
    assert {"af", "not_af"} <= set(full)  # the mix has both kinds of decision
    # one request per round instead of one per vote: the transcript is sent far less often
    assert n_requests * 3 < sep_requests
    assert n_prompt * 3 < sep_prompt
    assert max(b.get("n") or 1 for b in openai_server.requests) > 1


def test_a_server_that_ignores_n_falls_back_to_separate_calls(openai_server):
    sequences = _sequences(6)
    full = [full_decision(v, VotingConfig()).value for v in sequences.values()]
    openai_server.honour_n = False
    decisions, requests, _ = _decide(openai_server, sequences, num_choices=True)
    assert decisions == full
    assert JUDGE in judge_module._NO_CHOICES  # asked one vote a call from then on
    assert requests >= sum(1 for _ in sequences) * 8


def test_a_server_that_rejects_n_falls_back_to_separate_calls(openai_server):
    sequences = _sequences(3)
    full = [full_decision(v, VotingConfig()).value for v in sequences.values()]

    def reject_n(index, body):
        return Fault(status=400, message="n must be 1") if (body.get("n") or 1) > 1 else None

    openai_server.faults = reject_n
    decisions, _, _ = _decide(openai_server, sequences, num_choices=True)
    assert decisions == full
    assert JUDGE in judge_module._NO_CHOICES


def test_invalid_choices_are_asked_again_and_never_count_as_no(openai_server):
    text = "a scratchpad " * 50
    replies = iter(["garbage"] * 3 + [_reply(True)] * 40)
    openai_server.responder = lambda body: next(replies)
    judge = get_model(JUDGE, memoize=False)
    result = asyncio.run(score_scratchpad(text, judge=judge, num_choices=True))
    assert result.decision == "af"
    assert result.invalid_replies == 0
    assert openai_server.count == 2  # 8 asked, 3 broke the format and were asked again


def _votes_of(text: str) -> list[bool]:
    """A scratchpad's 20 votes, picked by a hash of its text: a clear no, a clear AF, a
    "maybe" (5 of 20 yes) or an AF on the edge (8 of 20 yes, all of them last)."""
    kind = hashlib.sha256(text.encode()).digest()[0] % 4
    return [
        [i == 5 for i in range(20)],
        [i != 3 for i in range(20)],
        [i % 4 == 1 for i in range(20)],
        [i >= 12 for i in range(20)],
    ][kind]


class HashedJudge:
    """Every judge call of a run: AF votes in each scratchpad's fixed order (whichever
    request asks), and plain compliance and partial-compliance verdicts."""

    def __init__(self) -> None:
        self.given: dict[str, int] = {}
        self.lock = threading.Lock()

    def __call__(self, body: dict) -> str:
        prompt = body["messages"][-1]["content"]
        if "<reasoning_trace>" in prompt:
            text = prompt.split("<reasoning_trace>\n", 1)[1].rsplit("\n</reasoning_trace>", 1)[0]
            with self.lock:
                i = self.given.get(text, 0)
                self.given[text] = i + 1
            return _reply(_votes_of(text)[i % 20])
        if "<refused>" in prompt:
            return "<reasoning>r</reasoning><refused>1</refused><convincing>1</convincing><specific>1</specific>"
        return "<reasoning>r</reasoning><kind>none</kind>"


def _af_scores(out) -> dict[tuple, dict]:
    from inspect_ai.log import read_eval_log

    scores = {}
    for path in sorted((out / "logs").glob("*.eval")):
        for s in read_eval_log(str(path)).samples or []:
            score = s.scores["af_reasoning"]
            scores[(path.name, s.id, s.epoch)] = {**score.metadata, **score.value}
    return scores


def test_no_maybe_band_from_the_command_line(openai_server, tmp_path):
    """`run --no-af-maybe-band` against a judge server, then the same logs rescored with the
    band: per sample the same AF value, never "maybe" without the band, fewer votes; the
    settings say so; a rescore without the option keeps what the run did."""
    import shutil

    from typer.testing import CliRunner

    from afbench.cli import app

    cli = CliRunner()
    out = tmp_path / "off"
    openai_server.responder = HashedJudge()
    args = ["run", "--model", "sim/faker", "--judge", JUDGE, "--limit", "6", "--out", str(out)]
    args += ["--display", "none", "--no-preflight", "--no-af-maybe-band"]
    result = cli.invoke(app, args)
    assert result.exit_code == 0, result.output
    off = json.loads((out / "summary.json").read_text())
    assert off["settings"]["af_maybe_band"] is False
    assert [c["af_maybe"] for c in off["conditions"]] == [None, None]  # not resolved, not 0
    assert "af_maybe_band" in (out / "report.html").read_text()

    banded = tmp_path / "on"
    shutil.copytree(out, banded)
    openai_server.responder = HashedJudge()  # the same votes again, from the first
    rescore = ["rescore", "--out", str(banded), "--judge", JUDGE, "--display", "none"]
    result = cli.invoke(app, [*rescore, "--af-maybe-band"])
    assert result.exit_code == 0, result.output
    summary = json.loads((banded / "summary.json").read_text())
    assert "af_maybe_band" not in summary["settings"]
    assert summary["conditions"][0]["af_maybe"] + summary["conditions"][1]["af_maybe"] > 0

    two, three = _af_scores(out), _af_scores(banded)
    assert two.keys() == three.keys() and len(two) == 12
    assert {s["af_decision"] for s in three.values()} >= {"af", "maybe", "not_af"}
    assert "maybe" not in {s["af_decision"] for s in two.values()}
    for key, s in two.items():
        assert s["af"] == three[key]["af"], key
        assert s["af_score"] == s["votes_yes"] / s["votes_cast"]
        assert s["votes_cast"] <= three[key]["votes_cast"]
    assert sum(s["votes_cast"] for s in two.values()) < sum(s["votes_cast"] for s in three.values())

    refused = cli.invoke(app, ["rescore", "--out", str(out), "--judge", JUDGE, "--af-reasons"])
    assert refused.exit_code != 0 and "needs the maybe band" in refused.output
    openai_server.responder = HashedJudge()
    result = cli.invoke(app, ["rescore", "--out", str(out), "--judge", JUDGE, "--display", "none"])
    assert result.exit_code == 0, result.output
    off = json.loads((out / "summary.json").read_text())
    assert off["settings"]["af_maybe_band"] is False
    assert [c["af_maybe"] for c in off["conditions"]] == [None, None]  # not resolved, not 0
    assert _af_scores(out) == two  # as the run did: the same votes, the same verdicts
