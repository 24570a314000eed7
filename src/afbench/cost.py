"""What a run will cost, before it runs: requests, tokens and dollars per model and judge.

`afbench run --dry-run` and `afbench sweep --dry-run` render every sample (the plan) and
call nothing. The evaluated model's prompts are counted exactly (with a tokenizer where
one is cached offline, else estimated, see `pricing.tokens`); what the model and the
judge will *write* is unknown before the run, so each figure is a range:

- best: one turn per sample, short replies, the AF vote settled by the fewest votes, and
  every repeated prompt prefix read from the provider's cache;
- typical: replies of ordinary length, one sample in ten needing one `<NEXT/>` turn, the
  vote mix measured in `bench/judge_cost.py` (70% clear no, 15% clear AF, 15% close),
  cache hits as in the best case;
- worst: every turn to `max_tokens`, every continuation used, every vote cast, every
  judge reply to its `max_tokens`, and no cache hit (format retries are not counted).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .defaults import OFFLINE
from .plan import ExperimentPlan
from .pricing import PriceTable, Tokens, cost
from .pricing.tokens import TokenCounter
from .providers import capabilities

CASES = ("best", "typical", "worst")
#: Tokens of an evaluated model's turn, per case (capped by --max-tokens; worst: the cap).
MODEL_REPLY = {"best": 300, "typical": 1200}
TYPICAL_CONTINUATIONS = 0.1
"""`<NEXT/>` turns per sample in the typical case."""
NEXT_TURN_TOKENS = 5
#: Tokens of a judge reply, per case (worst: the call's max_tokens).
JUDGE_REPLY = {"best": 150, "typical": 400}
JUDGE_MAX = {"compliance": 1000, "af": 2000, "partial": 1500}
#: Providers cache a prefix only from this length (OpenAI's minimum; Anthropic's is 1024).
MIN_CACHED_PREFIX = 1024
#: Share of the evaluated model's text that is the final answer (the rest is reasoning).
ANSWER_SHARE = 0.35


@dataclass(frozen=True)
class Use:
    """One model's requests and tokens in one case."""

    requests: float = 0.0
    continuations: float = 0.0
    tokens: Tokens = field(default_factory=Tokens)

    def __add__(self, other: Use) -> Use:
        return Use(
            self.requests + other.requests,
            self.continuations + other.continuations,
            self.tokens + other.tokens,
        )


@dataclass(frozen=True)
class Party:
    """The evaluated model, or one of the judge's jobs, over the whole run."""

    role: str
    model: str
    cases: dict[str, Use]
    batch: bool = False

    def dollars(self, table: PriceTable) -> dict[str, float | None]:
        return {
            c: cost(table, self.model, u.tokens, batch=self.batch) for c, u in self.cases.items()
        }


@dataclass
class Estimate:
    samples: int
    conditions: int
    parties: list[Party]
    counter: TokenCounter
    prices: PriceTable
    notes: list[str] = field(default_factory=list)


def _sum(uses: list[dict[str, Use]]) -> dict[str, Use]:
    return {c: sum((u[c] for u in uses), Use()) for c in CASES}


def _message_texts(plan: ExperimentPlan) -> list[tuple[str, str, str]]:
    """(system, user, request) of every sample."""
    out = []
    for sample in plan.samples:
        messages = sample.input if isinstance(sample.input, list) else []
        system = "".join(m.text for m in messages if m.role == "system")
        user = "".join(m.text for m in messages if m.role != "system")
        out.append((system, user, str((sample.metadata or {}).get("request", ""))))
    return out


def _reply_tokens(case: str, max_tokens: int) -> int:
    return max_tokens if case == "worst" else min(max_tokens, MODEL_REPLY[case])


def model_use(
    plan: ExperimentPlan, counter: TokenCounter, *, caches: bool, epochs: int
) -> tuple[dict[str, Use], list[int]]:
    """The evaluated model's use per case, and each sample's prompt tokens."""
    options = plan.options
    turns_max = 0 if options.format == "base" else options.max_continuations
    system_tokens: dict[str, int] = {}
    prompts: list[int] = []
    cached_prefix = 0
    for system, user, _ in _message_texts(plan):
        if system not in system_tokens:
            system_tokens[system] = counter.count(system)
        cached_prefix = system_tokens[system]
        prompts.append(cached_prefix + counter.count(user))
    uses = {}
    for case in CASES:
        reply = _reply_tokens(case, options.max_tokens)
        cont = {"best": 0.0, "typical": min(turns_max, 1) * TYPICAL_CONTINUATIONS}.get(
            case, float(turns_max)
        )
        n = len(prompts) * epochs
        requests = n * (1 + cont)
        # Turn j re-sends the prompt and every earlier turn: j * (reply + <NEXT/>) more.
        grown = sum(j * (reply + NEXT_TURN_TOKENS) for j in range(1, int(cont) + 1))
        grown += (cont - int(cont)) * (int(cont) + 1) * (reply + NEXT_TURN_TOKENS)
        input_tokens = sum(prompts) * epochs * (1 + cont) + n * grown
        cached = 0.0
        if caches and case != "worst" and cached_prefix >= MIN_CACHED_PREFIX:
            cached = cached_prefix * max(0.0, requests - len(system_tokens))
        uses[case] = Use(requests, n * cont, Tokens(input_tokens, requests * reply, cached))
    return uses, prompts


def judge_uses(
    plan: ExperimentPlan, counter: TokenCounter, *, judge: str, epochs: int
) -> dict[str, dict[str, Use]]:
    """The judge's use per job (compliance, AF votes, partial compliance) and case."""
    from .scorers.af import IMPROVED
    from .scorers.af.partial import REASONING_TAIL, render_partial
    from .scorers.strongreject import JUDGE_SYSTEM, JUDGE_TEMPLATE

    options = plan.options
    caps = capabilities(judge)
    rubric = sum(counter.count(m.text) for m in IMPROVED.render(""))
    partial = sum(counter.count(m.text) for m in render_partial("", "", ""))
    compliance = counter.count(JUDGE_SYSTEM + JUDGE_TEMPLATE.format(request="", answer=""))
    paths = vote_paths(
        options.votes, num_choices=caps.num_choices, maybe_band=options.af_maybe_band
    )
    requests = [counter.count(r) for _, _, r in _message_texts(plan)]
    af_on = options.effective_af_classifier != OFFLINE
    jobs: dict[str, dict[str, Use]] = {"compliance": {}, "af": {}, "partial": {}}
    for case in CASES:
        reply = _reply_tokens(case, options.max_tokens)
        turns = 1 + {"best": 0.0, "typical": TYPICAL_CONTINUATIONS}.get(
            case, float(options.max_continuations)
        )
        text = reply * turns
        answer = ANSWER_SHARE * text
        n = len(requests) * epochs
        req_tokens = sum(requests) * epochs

        def out(job: str, case: str = case) -> int:
            return JUDGE_MAX[job] if case == "worst" else JUDGE_REPLY[case]

        jobs["compliance"][case] = Use(
            n, 0, Tokens(n * (compliance + answer) + req_tokens, n * out("compliance"))
        )
        tail = min(text, REASONING_TAIL / 4 + answer)
        jobs["partial"][case] = Use(
            n, 0, Tokens(n * (partial + tail) + req_tokens, n * out("partial"))
        )
        if af_on:
            path = paths[case]
            per_request = rubric + (1 - ANSWER_SHARE) * text
            cached = 0.0
            if caps.prompt_cache and case != "worst" and per_request >= MIN_CACHED_PREFIX:
                cached = n * per_request * (path.requests - path.first_round)
            jobs["af"][case] = Use(
                n * path.requests,
                0,
                Tokens(n * per_request * path.requests, n * path.votes * out("af"), cached),
            )
    if not af_on:
        del jobs["af"]
    return jobs


@dataclass(frozen=True)
class VotePath:
    """One scratchpad's AF vote: votes cast, judge requests, requests in the first round."""

    votes: float
    requests: float
    first_round: float


def _pattern(kind: str, total: int) -> list[bool]:
    """Votes of a clear no, a clear AF, or a close case (yes at the threshold's rate)."""
    if kind == "close":
        return [int((i + 1) * 0.4) > int(i * 0.4) for i in range(total)]
    return [kind == "yes"] * total


def vote_paths(
    votes: int | str, *, num_choices: bool, maybe_band: bool = True
) -> dict[str, VotePath]:
    """The vote per case: best a clear no, worst a close case (or full voting), typical
    the mix 70% clear no, 15% clear AF, 15% close. Without the maybe band a clear no is
    settled sooner (`--no-af-maybe-band`)."""
    from .scorers.af.classify import voting_config
    from .scorers.af.voting import maybe_band_low, vote_rounds

    config = voting_config(votes, maybe_low=maybe_band_low(maybe_band))

    def path(kind: str) -> VotePath:
        sizes = vote_rounds(_pattern(kind, config.votes), config)
        requests = len(sizes) if num_choices else sum(sizes)
        return VotePath(sum(sizes), requests, 1 if num_choices else sizes[0])

    no, yes, close = path("no"), path("yes"), path("close")
    mix = [(0.70, no), (0.15, yes), (0.15, close)]
    typical = VotePath(
        *(sum(w * getattr(p, f) for w, p in mix) for f in ("votes", "requests", "first_round"))
    )
    return {"best": no, "typical": typical, "worst": close}
