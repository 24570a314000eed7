"""The bill of a run: the tokens Inspect recorded, per model and judge, and what they cost.

Inspect counts every model call of an eval, the scorers' judge calls included, in the
log's `stats.model_usage` (per model string); a log cut short may lack it, and then the
samples' own `model_usage` is added up instead. A model is the "evaluated" one when it
is the log's model and a "judge" otherwise (when the judge is the evaluated model
itself, Inspect's counts cannot tell the two apart: its row is "evaluated").
`input_tokens` is all input, `cached_tokens` the part of it read from a prompt cache.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from ..pricing import Tokens, cost, load_prices, no_charge

_FIELDS = ("input_tokens", "output_tokens", "input_tokens_cache_read", "input_tokens_cache_write")


def _add(into: dict[str, int], usage: Any) -> None:
    for name in _FIELDS + ("reasoning_tokens",):
        into[name] += int(getattr(usage, name, None) or 0)


def _log_usage(path: str) -> tuple[str, dict[str, Any]]:
    """The log's evaluated model and its usage per model string."""
    from inspect_ai.log import read_eval_log

    log = read_eval_log(path, header_only=True)
    usage = dict(log.stats.model_usage) if log.stats and log.stats.model_usage else {}
    if not usage:  # a log cut short: the finished samples' own counts
        full = read_eval_log(path)
        for sample in full.samples or []:
            for model, u in (sample.model_usage or {}).items():
                usage.setdefault(model, []).append(u)
        return log.eval.model, usage
    return log.eval.model, {m: [u] for m, u in usage.items()}


def usage_fields(log_files: list[str], prices: str | Path | None = None) -> dict[str, Any]:
    """`usage` of the summary: tokens and dollars per (model, role), and their total, at
    the run's `--prices` (afbench's own table when it gave none, or the file is gone)."""
    totals: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(
        _FIELDS + ("reasoning_tokens",), 0
    ))  # fmt: skip
    evaluated: set[str] = set()
    for path in log_files:
        model, by_model = _log_usage(path)
        evaluated.add(model)
        for name, usages in by_model.items():
            for u in usages:
                _add(totals[(name, "evaluated" if name == model else "judge")], u)
    own = Path(prices) if prices else None
    table = load_prices(own if own is not None and own.is_file() else None)
    rows, total, unpriced = [], 0.0, []
    for (model, role), t in sorted(totals.items(), key=lambda kv: (kv[0][1] != "evaluated", kv[0])):
        cached = t["input_tokens_cache_read"]
        # Inspect's input_tokens leave out what was read from (or written to) the cache.
        total_input = t["input_tokens"] + cached + t["input_tokens_cache_write"]
        tokens = Tokens(total_input, t["output_tokens"], cached)
        dollars = 0.0 if no_charge(model) else cost(table, model, tokens)
        if dollars is None:
            unpriced.append(model)
        else:
            total += dollars
        rows.append(
            {
                "model": model,
                "role": role,
                "input_tokens": total_input,
                "output_tokens": t["output_tokens"],
                "cached_tokens": cached,
                "cache_write_tokens": t["input_tokens_cache_write"],
                "reasoning_tokens": t["reasoning_tokens"],
                "cost_usd": None if dollars is None else round(dollars, 6),
            }
        )
    return {
        "models": rows,
        "total_cost_usd": round(total, 6),
        "unpriced": sorted(set(unpriced)),
        "prices": table.label(),
    }
