"""The provider routes in words: the warning for a condition served by more than one route
(the console prints the same lines) and the report's table of routes per condition."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .text import escape_controls


def _where(c: Mapping[str, Any]) -> str:
    return f"{c.get('model')} [{c.get('variant')}] {c.get('tier')}"


def mixed_route_lines(conditions: Sequence[Mapping[str, Any]]) -> list[str]:
    """One line per condition served by more than one provider route."""
    lines = []
    for c in conditions:
        if not c.get("mixed_routes"):
            continue
        routes = "; ".join(f"{label} ({n})" for label, n in (c.get("routes") or {}).items())
        # provider-written text: control characters shown as escapes on the console too
        lines.append(
            escape_controls(f"{_where(c)}: served by more than one provider route: {routes}")
        )
    return lines


def route_rows(conditions: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per condition that recorded routes: where, each route with its samples,
    and whether it was mixed (the template marks those rows)."""
    return [
        {
            "where": _where(c),
            "routes": [f"{label}: {n}" for label, n in (c.get("routes") or {}).items()],
            "mixed": bool(c.get("mixed_routes")),
        }
        for c in conditions
        if c.get("routes")
    ]
