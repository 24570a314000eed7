"""Data cards: what a training file holds and what it cost to make.

A card sits next to every file afbench generates. It says how many items each stage
produced and why items were dropped, which generator wrote them with which settings,
and the tokens and dollars spent. Usage comes from Inspect (`ModelOutput.usage`) and is
summed over every call the file is built from, reused ones included, so the card states
what the whole data set cost, not what the last re-run cost. Dollars come from Inspect
when it knows the model's prices; otherwise from `--price-input`/`--price-output` if
given; otherwise the card says the cost is unknown rather than guessing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..._util.atomic import write_atomic_text
from .engine import CallEngine, CallResult


def usage_summary(
    results: Iterable[CallResult],
    *,
    price_input: float | None = None,
    price_output: float | None = None,
) -> dict[str, Any]:
    """Tokens and cost per model, and in total, over `results`.

    `price_input`/`price_output` are dollars per million tokens, used only for calls
    whose usage carries no cost from Inspect.
    """
    by_model: dict[str, dict[str, Any]] = {}
    total_cost = 0.0
    cost_known = True
    sources: set[str] = set()
    for result in results:
        if result.dry:
            continue
        usage = result.usage or {}
        entry = by_model.setdefault(
            result.model,
            {"calls": 0, "input_tokens": 0, "output_tokens": 0, "total_tokens": 0},
        )
        entry["calls"] += 1
        for name in ("input_tokens", "output_tokens", "total_tokens"):
            entry[name] += int(usage.get(name) or 0)
        cost = usage.get("total_cost")
        if cost is not None:
            total_cost += float(cost)
            sources.add("inspect")
        elif price_input is not None and price_output is not None:
            total_cost += (
                int(usage.get("input_tokens") or 0) * price_input
                + int(usage.get("output_tokens") or 0) * price_output
            ) / 1_000_000
            sources.add("prices")
        else:
            cost_known = False
    tokens = {
        name: sum(m[name] for m in by_model.values())
        for name in ("input_tokens", "output_tokens", "total_tokens")
    }
    return {
        "calls": sum(m["calls"] for m in by_model.values()),
        **tokens,
        "cost_usd": round(total_cost, 6) if cost_known and by_model else None,
        "cost_source": "+".join(sorted(sources)) if cost_known and by_model else None,
        "by_model": by_model,
    }


def write_card(path: Path, card: dict[str, Any]) -> None:
    write_atomic_text(path, json.dumps(card, indent=2, ensure_ascii=False) + "\n")


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    """The whole training file at once (atomic): readers never see half of it."""
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    write_atomic_text(path, text, errors="backslashreplace")


def dry_run_estimate(
    engine: CallEngine,
    max_tokens: Mapping[str, int],
    *,
    price_input: float | None = None,
    price_output: float | None = None,
) -> list[str]:
    """Lines for a dry run: tokens (and dollars, given prices) the remaining calls need.

    Input tokens are the first prompt of each stage, counted with :func:`approx_tokens`,
    times the stage's remaining calls; output tokens are the stage's token limit times its
    calls, so the output figure (and the dollars) is an upper bound.
    """
    from .tokens import approx_tokens

    stats = engine.stats
    tokens_in = tokens_out = 0
    for stage, shown in engine.dry_prompts.items():
        todo = stats.planned[stage] - stats.reused[stage]
        size = approx_tokens("\n".join(m["content"] for m in shown[0][2]))
        tokens_in += size * todo
        tokens_out += max_tokens.get(stage, 0) * todo
    lines = [f"tokens: about {tokens_in:,} input, at most {tokens_out:,} output"]
    if price_input is not None and price_output is not None:
        dollars = (tokens_in * price_input + tokens_out * price_output) / 1_000_000
        lines.append(
            f"cost: at most about ${dollars:,.2f} at ${price_input}/${price_output} per 1M tokens"
        )
    else:
        lines.append("cost: pass --price-input and --price-output ($ per 1M tokens) to estimate")
    return lines


def planned_calls(engine: CallEngine, stage: str, label: str) -> str:
    """`  label: N calls (K already done)`: one stage of a dry run's plan."""
    planned, done = engine.stats.planned[stage], engine.stats.reused[stage]
    return f"  {label}: {planned} calls" + (f" ({done} already done)" if done else "")


def dry_run_prompts(engine: CallEngine) -> list[str]:
    """The first prompts of each stage, as a dry run shows them."""
    lines = []
    for shown in engine.dry_prompts.values():
        for key, model, messages in shown:
            lines.append(f"\n--- {key} ({model}) ---")
            for m in messages:
                lines.append(f"[{m['role']}]\n{m['content']}")
    return lines
