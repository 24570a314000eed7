"""`--dry-run`: every condition of a run or a sweep rendered, priced and printed; nothing called.

The figures come from `cost` (one plan's requests and tokens); this module gathers them
over the conditions and models of a run or a sweep and writes the table a user reads
before spending anything.
"""

from __future__ import annotations

from pathlib import Path

from .config import RunConfig
from .cost import CASES, Estimate, Party, Use, judge_uses, model_use
from .defaults import OFFLINE
from .plan import ExperimentPlan, build_plan
from .pricing import PriceTable, load_prices, no_charge
from .pricing.tokens import TokenCounter, token_counter
from .providers import capabilities
from .scorers.why.cost import why_uses

JOB_LABELS = {
    "compliance": "judge: compliance",
    "af": "judge: AF votes",
    "partial": "judge: partial",
}


def _merge(parties: list[Party]) -> list[Party]:
    """One party per (role, model): conditions and sweep rows added up, in first order."""
    merged: dict[tuple[str, str], Party] = {}
    for p in parties:
        key = (p.role, p.model)
        if key in merged:
            old = merged[key]
            cases = {c: old.cases[c] + p.cases[c] for c in CASES}
            merged[key] = Party(p.role, p.model, cases, old.batch)
        else:
            merged[key] = p
    parties = list(merged.values())
    return [p for p in parties if p.role == "evaluated"] + [
        p for p in parties if p.role != "evaluated"
    ]


#: Said under the estimate when `--no-af-maybe-band` makes the AF votes cheaper.
NO_MAYBE_BAND_NOTE = (
    "AF votes without the maybe band (--no-af-maybe-band): of 20 votes, a clear no is "
    "settled after 13 instead of 17"
)


def plan_parties(
    config: RunConfig, plan: ExperimentPlan, models: list[tuple[str, bool]], counter: TokenCounter
) -> tuple[list[Party], int]:
    """The parties of one condition: each (model, batch) evaluated, then the judge's jobs
    (judged once per model). Returns them and the condition's sample count."""
    parties: list[Party] = []
    for model, batch in models:
        caches = capabilities(model).prompt_cache
        uses, prompts = model_use(plan, counter, caches=caches, epochs=config.epochs)
        parties.append(Party("evaluated", model, uses, batch and capabilities(model).batch_api))
        if config.follow_ups:
            parties += _follow_up_parties(config, model, prompts, counter, batch)
        # each judge of a panel is its own job; the others score compliance and AF only
        for i, judge in enumerate(config.all_judges):
            if judge == OFFLINE:
                continue
            jobs = judge_uses(plan, counter, judge=judge, epochs=config.epochs)
            if i:
                jobs.pop("partial", None)
            batch_judge = config.judge_batch and capabilities(judge).batch_api
            for job, cases in jobs.items():
                parties.append(Party(JOB_LABELS[job], judge, cases, batch_judge))
            why = why_uses(plan, counter, epochs=config.epochs) if not i else {}
            if why:  # --af-reasons / --motivations: the first judge asks why
                parties.append(Party("judge: why", judge, why, batch_judge))
    return parties, len(plan.samples) * config.epochs * len(models)


def _follow_up_parties(
    config: RunConfig, model: str, prompts: list[int], counter: TokenCounter, batch: bool
) -> list[Party]:
    """`--follow-up`: the model's answers and, with a judge, their classification."""
    from .follow_ups.cost import follow_up_uses

    answers, judged = follow_up_uses(
        config.follow_ups, config.follow_up_when, prompts, counter,
        max_tokens=config.max_tokens, epochs=config.epochs,
    )  # fmt: skip
    parties = [Party("follow-ups", model, answers, batch and capabilities(model).batch_api)]
    if config.judge != OFFLINE and any(u.requests for u in judged.values()):
        batch_judge = config.judge_batch and capabilities(config.judge).batch_api
        parties.append(Party("judge: follow-ups", config.judge, judged, batch_judge))
    return parties


def estimate_run(config: RunConfig, prices: PriceTable | None = None) -> Estimate:
    """The estimate of `afbench run` with this config (paraphrased prompts, which need a
    model call to exist, are counted as copies of the original prompt)."""
    counter = token_counter()
    plan = build_plan(config.task_options())
    copies = 1 + (config.paraphrases or 0)
    models = [(m, config.batch) for m in config.models]
    parties, samples = plan_parties(config, plan, models, counter)
    parties = [_scaled(p, copies) for p in parties]
    notes = []
    if config.paraphrases:
        notes.append(f"{config.paraphrases} paraphrased prompts counted as the original's size")
    if not config.af_maybe_band:
        notes.append(NO_MAYBE_BAND_NOTE)
    table = prices or load_prices(config.prices)
    return Estimate(samples * copies, copies, _merge(parties), counter, table, notes)


def estimate_sweep(path: Path, prices: Path | None = None) -> Estimate:
    """The estimate of `afbench sweep FILE` (every combination × every model)."""
    from .sweep import load_sweep

    sweep = load_sweep(path)
    counter = token_counter()
    parties: list[Party] = []
    samples = conditions = 0
    out = Path(sweep.options.get("out") or Path("runs") / path.stem)
    for combination in sweep.combinations():
        conditions += 1
        for entry in sweep.models:
            config = sweep.run_config(combination, entry, out)
            plan = build_plan(config.task_options())
            found, n = plan_parties(config, plan, [(entry.model, bool(entry.batch))], counter)
            parties += found
            samples += n
    own = prices or sweep.options.get("prices")
    table = load_prices(Path(own) if own else None)
    notes = [NO_MAYBE_BAND_NOTE] if sweep.options.get("af_maybe_band") is False else []
    return Estimate(samples, conditions, _merge(parties), counter, table, notes)


def _scaled(party: Party, factor: int) -> Party:
    if factor == 1:
        return party
    return Party(
        party.role, party.model, {c: _times(u, factor) for c, u in party.cases.items()}, party.batch
    )


def _times(use: Use, f: float) -> Use:
    from .pricing import Tokens

    t = use.tokens
    return Use(
        use.requests * f, use.continuations * f, Tokens(t.input * f, t.output * f, t.cached * f)
    )


def _n(x: float) -> str:
    """1,234 / 12.3k / 4.56M: wide enough to read, short enough for one line."""
    if x >= 10_000_000:
        return f"{x / 1e6:,.0f}M"
    if x >= 1_000_000:
        return f"{x / 1e6:.2f}M"
    if x >= 100_000:
        return f"{x / 1e3:,.0f}k"
    return f"{x:,.0f}"


def _usd(x: float | None) -> str:
    return "no price" if x is None else f"${x:,.2f}"


def render(estimate: Estimate, title: str) -> list[str]:
    """The printed estimate: per party and case, then the totals."""
    lines = [
        f"{title}: {estimate.samples:,} samples in {estimate.conditions} condition(s); "
        "dry run, no model was called.",
        f"tokens: {estimate.counter.method}",
        f"prices: {estimate.prices.label()}",
        "best: short replies, fewest AF votes, cache hits; typical: ordinary replies, "
        "1 sample in 10 continued, the measured vote mix; worst: max_tokens everywhere, "
        "every continuation and vote, no cache (format retries not counted).",
        *(f"note: {n}" for n in estimate.notes),
        "",
        f"{'model':<44} {'role':<26} {'case':<8} {'requests':>9} {'contin.':>8} "
        f"{'input':>8} {'cached':>8} {'output':>8} {'cost':>11}",
    ]
    totals: dict[str, float] = dict.fromkeys(CASES, 0.0)
    unpriced: set[str] = set()
    for party in estimate.parties:
        dollars = party.dollars(estimate.prices)
        if no_charge(party.model):
            dollars = dict.fromkeys(CASES, 0.0)
        role = party.role + (" (batch)" if party.batch else "")
        for case in CASES:
            u = party.cases[case]
            lines.append(
                f"{party.model[:44]:<44} {role:<26} {case:<8} {_n(u.requests):>9} "
                f"{_n(u.continuations):>8} {_n(u.tokens.input):>8} {_n(u.tokens.cached):>8} "
                f"{_n(u.tokens.output):>8} {_usd(dollars[case]):>11}"
            )
            if dollars[case] is None:
                unpriced.add(party.model)
            else:
                totals[case] += dollars[case]
    lines.append("")
    span = ", ".join(f"{c} {_usd(totals[c])}" for c in CASES)
    lines.append(f"total: {span}")
    if unpriced:
        lines.append(
            f"not in the price table (left out of the total): {', '.join(sorted(unpriced))}; "
            "add them with --prices FILE"
        )
    return lines
