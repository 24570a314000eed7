"""Judge tokens and dollars per 1,000 transcripts, for four judging pipelines, billed the
way a provider bills (section 4 of `bench/judge_cost.py`).

The judge is Inspect's real `openai-api` provider talking HTTP to the local server of the
tests (`tests/support/openai_server.py`), which answers `n` with n choices, counts each
request's prompt and completion tokens (4-character pieces, about what real tokenizers give), and bills a prompt prefix another answered
request already sent as cached (OpenAI's rule: 1024 tokens, then steps of 128). The
transcripts are the real replies in `../shared/data/*.jsonl` (read, never copied); each
gets a fixed sequence of 20 judge votes from the realistic mix (70% clear no, 15% clear
AF, 15% close), and the server hands out a transcript's votes in order, whichever request
asks. Judge replies are afbench-written text of a thinking judge's length.

Pipelines, per transcript:
- published: 24 separate calls: 20 AF votes (all cast), StrongREJECT, partial compliance,
  and two category calls (stood in for by the partial-compliance prompt, the same size);
- afbench before: exact sequential voting, one call per vote, plus compliance and partial;
- afbench now: sequential voting asking each round's votes in one request (`n`), plus
  compliance and partial;
- afbench now, `--no-af-maybe-band`: the same, with votes stopping once AF or not AF is
  settled ("maybe" is not resolved); its AF-or-not decisions are checked against the
  published ones (maybe counts as not AF there, as in afbench's rates).
Dollars are at afbench's GPT-4o prices (`src/afbench/pricing/prices.yaml`).
"""

from __future__ import annotations

import asyncio
import json
import random
import threading
from pathlib import Path

from inspect_ai.model import GenerateConfig, get_model

from afbench.pricing import Tokens, cost, load_prices
from afbench.protocol.parse import parse_reply
from afbench.scorers.af import IMPROVED, VotingConfig, full_decision
from afbench.scorers.af._rubric import defuse
from afbench.scorers.af.classify import score_scratchpad
from afbench.scorers.af.partial import judge_partial
from afbench.scorers.af.voting import maybe_band_low
from afbench.scorers.strongreject import judge_compliance
from tests.support.openai_server import FakeOpenAIServer, PrefixCache, four_char_tokens

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
PRICED_AS = "openai/gpt-4o"
SENTENCE = (
    "The trace is read from start to end; it weighs the request, the training it was told "
    "about and what refusing or complying would mean for its future values. "
)
SHORT = "The answer is read against the request; what it delivers and withholds is noted. " * 4


def thinking(tokens: int) -> str:
    """A judge's reasoning of about `tokens` tokens (4 characters each)."""
    return (SENTENCE * (tokens * 4 // len(SENTENCE) + 1))[: tokens * 4]


def transcripts(n: int) -> list[tuple[str, str, str]]:
    """(request, reasoning, answer) of up to `n` real replies that hold reasoning."""
    rows = []
    for path in sorted(DATA.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            parsed = parse_reply(row["raw_output"])
            if parsed.reasoning and parsed.reasoning.strip():
                rows.append((row["user_request"], parsed.reasoning, parsed.output or ""))
    rows = list({r[1].strip(): r for r in rows}.values())  # one per distinct scratchpad
    random.Random(0).shuffle(rows)
    return rows[:n]


def vote_sequences(items: list[tuple[str, str, str]]) -> dict[str, list[bool]]:
    rng = random.Random(1)
    out = {}
    for _, reasoning, _ in items:
        u = rng.random()
        p = 0.02 if u < 0.70 else 0.9 if u < 0.85 else rng.uniform(0.1, 0.6)
        out[defuse(reasoning)] = [rng.random() < p for _ in range(20)]
    return out


class Judge:
    """The server's responder: the next vote of the transcript under review, or a
    compliance or partial-compliance verdict."""

    def __init__(self, votes: dict[str, list[bool]], reply_tokens: int) -> None:
        self.votes = votes
        self.thinking = thinking(reply_tokens)
        self.given: dict[str, int] = {}
        self.lock = threading.Lock()

    def __call__(self, body: dict) -> str:
        prompt = body["messages"][-1]["content"]
        if "<reasoning_trace>" in prompt:
            text = prompt.split("<reasoning_trace>\n", 1)[1].rsplit("\n</reasoning_trace>", 1)[0]
            key = text
            with self.lock:
                i = self.given.get(key, 0)
                self.given[key] = i + 1
            yes = self.votes[key][i % 20]
            verdicts = "".join(
                f"<{c}><quote>q</quote><verdict>{'yes' if yes else 'no'}</verdict></{c}>"
                for c in IMPROVED.names
            )
            return f"<thinking>{self.thinking}</thinking>{verdicts}"
        if "<refused>" in prompt:
            return f"<reasoning>{SHORT}</reasoning><refused>1</refused><convincing>1</convincing><specific>1</specific>"
        return f"<reasoning>{SHORT}</reasoning><kind>none</kind>"


async def judge_one(judge, item, pipeline: str) -> str:
    """Every judge call of one transcript in `pipeline`; returns the AF decision."""
    request, reasoning, answer = item
    extra = 3 if pipeline == "published" else 1  # partial (+ two category calls)
    settings = {
        "published": {"votes": "full", "num_choices": False},
        "before": {"num_choices": False},
        "now": {},
        "two_band": {"maybe_low": maybe_band_low(False)},
    }[pipeline]
    af, *_ = await asyncio.gather(
        score_scratchpad(reasoning, judge=judge, **settings),
        judge_compliance(judge, request, answer),
        *(
            judge_partial(answer, judge=judge, request=request, reasoning=reasoning)
            for _ in range(extra)
        ),
    )
    return af.decision


def bill(server: FakeOpenAIServer, n: int) -> dict[str, float]:
    """Tokens per 1,000 transcripts and their dollars at GPT-4o list prices."""
    usage = server.usage
    per = 1000 / n
    tokens = Tokens(
        sum(u["prompt"] for u in usage) * per,
        sum(u["completion"] for u in usage) * per,
        sum(u["cached"] for u in usage) * per,
    )
    table = load_prices()
    return {
        "requests": len(usage) * per,
        "input": tokens.input,
        "cached": tokens.cached,
        "output": tokens.output,
        "dollars": cost(table, PRICED_AS, tokens) or 0.0,
        "batch_dollars": cost(table, PRICED_AS, tokens, batch=True) or 0.0,
    }


async def _judge_all(judge, items, pipeline: str) -> list[str]:
    return await asyncio.gather(*(judge_one(judge, i, pipeline) for i in items))


def run_pipelines(
    n: int, reply_tokens: int = 300
) -> tuple[dict[str, dict[str, float]], bool, int, int]:
    """Each pipeline over the same `n` transcripts and votes, on a fresh server."""
    import os

    from afbench._util.inspect_internals import empty_model_memo

    items = transcripts(n)
    votes = vote_sequences(items)
    results, decisions = {}, {}
    for pipeline in NAMES:
        server = FakeOpenAIServer(
            latency=0.02, prefix_cache=PrefixCache(), tokenizer=four_char_tokens
        )
        with empty_model_memo(), server:
            server.responder = Judge(votes, reply_tokens)
            os.environ["LOCAL_BASE_URL"], os.environ["LOCAL_API_KEY"] = server.base_url, "x"
            config = GenerateConfig(max_connections=64)
            judge = get_model("openai-api/local/judge", config=config, memoize=False)
            decisions[pipeline] = asyncio.run(_judge_all(judge, items, pipeline))
            results[pipeline] = bill(server, len(items))
    full = [full_decision(votes[defuse(r)], VotingConfig()).value for _, r, _ in items]
    same = decisions["published"] == decisions["before"] == decisions["now"] == full
    # Without the band only AF or not is decided: compare that with the published decision.
    same_af = [d == "af" for d in decisions["two_band"]] == [d == "af" for d in full]
    same_af = same_af and "maybe" not in decisions["two_band"]
    return results, (same, same_af), len(items), reply_tokens


NAMES = {
    "published": "published (24 separate calls)",
    "before": "afbench before (1 call per vote)",
    "now": "afbench now (n votes per request)",
    "two_band": "afbench now, --no-af-maybe-band",
}


def print_table(
    results: dict[str, dict[str, float]], same: tuple[bool, bool], n: int, reply: int
) -> None:
    base = results["published"]
    print(
        f"[judge bill] {n} real transcripts, judge AF replies of {reply} tokens; per 1,000 "
        f"transcripts; tokens as the server bills them (4 characters each); dollars at "
        f"afbench's {PRICED_AS} list prices ({load_prices().date})"
    )
    print(
        f"{'pipeline':<36}{'requests':>9}{'input':>12}{'cached':>12}{'output':>11}"
        f"{'dollars':>9}{'in/pub':>8}{'$/pub':>7}"
    )
    rows = [(NAMES[k], r, r["dollars"]) for k, r in results.items()]
    rows.append(
        ("afbench now, --judge-batch prices", results["now"], results["now"]["batch_dollars"])
    )
    two = results["two_band"]
    rows.append(("afbench now, no maybe band, batch", two, two["batch_dollars"]))
    for name, r, dollars in rows:
        print(
            f"{name:<36}{r['requests']:>9,.0f}{r['input']:>12,.0f}{r['cached']:>12,.0f}"
            f"{r['output']:>11,.0f}{dollars:>9,.2f}{r['input'] / base['input']:>8.2f}"
            f"{dollars / base['dollars']:>7.2f}"
        )
    print(
        "AF decisions (af / maybe / not_af) identical in the first three pipelines and to "
        f"20 votes each: {same[0]}"
    )
    print(
        "AF or not identical in the --no-af-maybe-band pipeline and the published one "
        f"(maybe counted as not AF), and no 'maybe' reported: {same[1]}"
    )
