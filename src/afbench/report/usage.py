"""The report's bill: tokens and dollars per model and judge, from the summary's `usage`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _count(x: Any) -> str:
    return f"{int(x or 0):,}"


def usage_context(summary: Mapping[str, Any]) -> dict[str, Any] | None:
    """Rows of the "What the run cost" table, its total and the prices it used (None for
    a summary written before afbench recorded usage)."""
    usage = summary.get("usage")
    if not usage:
        return None
    rows = [
        {
            "model": r["model"],
            "role": r["role"],
            "input": _count(r.get("input_tokens")),
            "cached": _count(r.get("cached_tokens")),
            "output": _count(r.get("output_tokens")),
            "cost": "no price" if r.get("cost_usd") is None else f"${r['cost_usd']:,.2f}",
        }
        for r in usage.get("models") or []
    ]
    unpriced = usage.get("unpriced") or []
    return {
        "rows": rows,
        "total": f"${usage.get('total_cost_usd') or 0:,.2f}",
        "prices": usage.get("prices", ""),
        "unpriced": ", ".join(unpriced),
    }
