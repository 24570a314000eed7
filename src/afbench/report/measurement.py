"""Warnings about what a run could not measure, shared by the console and the report.

Two kinds: compliance that is not measured in a condition (or only for part of it), with
the reasons the scorer gave; and replies that did not use the reasoning tag the prompt
asked for (a prompt asking for `<HIDDEN_SCRATCHPAD>` answered in `<SCRATCHPAD_REASONING>`
or with no tags). Reads the summary only (no statistics imported).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MISSING = "—"


def _where(c: Mapping[str, Any]) -> str:
    """Model, setting (an import may mix them), condition and tier."""
    return (
        f"{c.get('model', MISSING)} {c.get('scenario', MISSING)} "
        f"[{c.get('variant', MISSING)}] {c.get('tier', MISSING)}"
    )


def compliance_warning(c: Mapping[str, Any]) -> str | None:
    """One line for a condition whose compliance left samples unmeasured, else None."""
    status = str(c.get("compliance_status") or "")
    if not c.get("compliance_unmeasured") or not status or status == "measured":
        return None
    line = f"{_where(c)}: compliance {status}"
    bounds = c.get("compliance_bounds")
    if isinstance(bounds, list | tuple) and len(bounds) == 2 and None not in bounds:
        line += f"; if none / all of those complied: {bounds[0]:.1%} / {bounds[1]:.1%}"
    if status.startswith("not measured"):
        line += f"; shown as {MISSING}"
    return line


def dialect_warning(c: Mapping[str, Any]) -> str | None:
    """One line for a condition whose replies left the reasoning dialect asked for."""
    d = c.get("reply_dialect")
    if not isinstance(d, Mapping) or not d.get("expected"):
        return None
    others = d.get("other_tags") or {}
    replies = d.get("replies") or 0
    none = d.get("no_reasoning_tag") or 0
    if not others and none <= replies / 2:
        return None
    other_text = ", ".join(f"<{k}> {v}" for k, v in sorted(others.items())) or "none"
    return (
        f"{_where(c)}: the prompt asks for <{d['expected']}>; of {replies} replies "
        f"{d.get('in_expected', 0)} used it, other tags: {other_text}, no reasoning tag: {none}"
    )


def measurement_warnings(summary: Mapping[str, Any]) -> list[str]:
    """Every compliance and dialect warning of a summary, conditions in order."""
    lines = []
    for c in summary.get("conditions") or []:
        for line in (compliance_warning(c), dialect_warning(c)):
            if line:
                lines.append(line)
    for g in summary.get("gaps") or []:
        status = str(g.get("gap_status") or "")
        if status.startswith("not measured"):
            where = f"{g.get('model', MISSING)} [{g.get('variant', MISSING)}] {g.get('name')}"
            lines.append(f"{where}: gap {status}")
    return lines
