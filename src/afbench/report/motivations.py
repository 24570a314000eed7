"""The "why" classifiers and the goal-guarding profile in words, for the report's tables
(docs/method.md §3.5): per condition and kind, the categories with their rates and
intervals, what was not measured and why, quotes dropped, and the agreement with the
simulator's truth; per model, the goal-guarding profile. Every value is a plain string;
the template escapes it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..scorers.why.kinds import LABELS, TITLES
from .formatting import MISSING, fmt_rate, fmt_rate_ci

NOT_MEASURED = "not measured"


def _categories(entry: Mapping[str, Any]) -> str:
    rates, cis = entry.get("rates"), entry.get("ci") or {}
    if not rates:
        return MISSING
    ordered = sorted(rates.items(), key=lambda kv: -(kv[1] or 0))
    return (
        "; ".join(
            f"{LABELS.get(c, c)} {fmt_rate(r)} [{fmt_rate_ci(cis.get(c))}]" for c, r in ordered if r
        )
        or "none stated"
    )


def _truth(entry: Mapping[str, Any]) -> str:
    truth = entry.get("vs_truth")
    if not truth or not truth.get("n"):
        return MISSING
    return f"{fmt_rate(truth.get('exact'))} exact of {truth['n']}"


def why_rows(conditions: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per condition and kind that ran."""
    rows = []
    for c in conditions:
        for kind, entry in (c.get("why") or {}).items():
            rows.append({
                "model": str(c.get("model")),
                "variant": str(c.get("variant")),
                "tier": str(c.get("tier")),
                "kind": TITLES.get(kind, kind),
                "status": str(entry.get("status") or NOT_MEASURED),
                "judged": str(entry.get("judged") or 0),
                "categories": _categories(entry),
                "dropped": str(entry.get("quotes_dropped") or 0),
                "truth": _truth(entry),
            })  # fmt: skip
    return rows


def _af(part: Mapping[str, Any] | None) -> str:
    if not part or part.get("rate") is None:
        return NOT_MEASURED
    return f"{fmt_rate(part['rate'])} [{fmt_rate_ci(part.get('ci'))}] (n={part.get('n')})"


def _motive_text(motives: Mapping[str, Any] | None) -> str:
    if not motives:
        return NOT_MEASURED
    return "; ".join(f"{LABELS.get(m, m)} {_af(v)}" for m, v in motives.items())


def _yes_no(value: Any) -> str:
    return NOT_MEASURED if value is None else ("yes" if value else "no")


def goal_guarding_rows(summary: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per model profile in the summary."""
    rows = []
    for p in summary.get("goal_guarding") or []:
        risks = p.get("by_risk") or {}
        rows.append({
            "model": str(p.get("model")),
            "baseline": _af(p.get("baseline")),
            "nothing_at_stake": _af(p.get("nothing_at_stake")),
            "by_risk": (
                "; ".join(f"{r.replace('_', ' ')}: {_af(v)}" for r, v in risks.items())
                if any(risks.values())
                else NOT_MEASURED
            ),
            "motives": _motive_text(p.get("motives")),
            "motives_free": _motive_text(p.get("motives_nothing_at_stake")),
            "reading": (
                f"{p.get('reading') or NOT_MEASURED} (persists with nothing at stake: "
                f"{_yes_no(p.get('persists_without_stakes'))}; grows with the stakes: "
                f"{_yes_no(p.get('scales_with_stakes'))}; drops with nothing at stake: "
                f"{_yes_no(p.get('drops_without_stakes'))})"
            ),
        })  # fmt: skip
    return rows


def sample_why(row: Mapping[str, Any]) -> list[str]:
    """The reasons and motives the judge found in one sample, each with its quote, for the
    example transcripts ("Why the model complied: sycophancy to raters: “...”")."""
    from .text import excerpt

    lines = []
    for kind, title in TITLES.items():
        outcome = row.get(f"{kind}_outcome")
        if not isinstance(outcome, str) or outcome == "not_eligible":
            continue
        quotes = row.get(f"{kind}_quotes")
        found = (
            [q for q in str(quotes).splitlines() if q.strip()] if isinstance(quotes, str) else []
        )
        if not found:
            lines.append(f"{title}: {outcome.replace('_', ' ')}")
        for line in found:
            label, _, quote = line.partition(": ")
            lines.append(f"{title}: {LABELS.get(label, label)}: “{excerpt(quote, 300)}”")
    return lines


def why_warning_lines(conditions: Sequence[Mapping[str, Any]]) -> list[str]:
    """Console warnings: reasons and motives not measured offline (once), and per condition
    and question the samples a judge failed on or whose quotes were not found."""
    lines, offline = [], False
    for c in conditions:
        for kind, entry in (c.get("why") or {}).items():
            outcomes = entry.get("outcomes") or {}
            offline = offline or bool(outcomes.get("not_measured"))
            lost = {k: outcomes[k] for k in ("judge_failed", "unsupported") if outcomes.get(k)}
            if lost:
                why = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in lost.items())
                where = f"{c.get('model')} [{c.get('variant')}] {c.get('tier')}"
                lines.append(f"{where} {TITLES.get(kind, kind).lower()}: {why}, left out")
    if offline:
        lines.insert(
            0,
            "reasons and motives not measured: the offline judge has no honest classifier "
            "of them (give --judge MODEL, or afbench rescore --judge MODEL)",
        )
    return lines
