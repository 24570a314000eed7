"""The "why" figure: per model and tier, the share of judged samples giving each reason
for rejecting alignment faking, and each motive for complying and for faking alignment,
with Wilson 95% intervals (docs/method.md §3.5).

One panel per kind that was measured; in each, a header line per model × scenario ×
variant, a row per category, and a dot per tier (its colour in the legend) with the
number of samples judged in that tier. Tiers where the kind was not measured (no eligible
samples, the offline judge) are left out and named in the header as "not measured", so an
absent dot is never read as 0%. Every label is made inert for matplotlib (`figure_label`):
model and tier names come from the run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..scorers.why.kinds import CATEGORIES, LABELS, TITLES
from .labels import group_key, group_title, varying
from .plotting import DPI, HEADER_ROWS, ROW_IN, WIDTH_IN, save, save_empty, set_title
from .text import figure_label

FILE_NAME = "motivations.png"
PALETTE = ("#1f5fa8", "#d2691e", "#2e8b57", "#8b3a8b", "#b8860b", "#555555")


def _measured(condition: Mapping[str, Any], kind: str) -> Mapping[str, Any] | None:
    entry = ((condition.get("why") or {}).get(kind)) or {}
    return entry if entry.get("rates") else None


def has_motivations(conditions: Sequence[Mapping[str, Any]]) -> bool:
    """Whether any condition ran a "why" classifier (measured or not)."""
    return any(c.get("why") for c in conditions)


def _groups(
    conditions: Sequence[Mapping[str, Any]], kind: str
) -> list[tuple[tuple[str, str, str], list[Mapping[str, Any]], list[str]]]:
    """(group, measured conditions, tiers not measured) for groups that ran `kind`."""
    out: dict[tuple[str, str, str], tuple[list[Mapping[str, Any]], list[str]]] = {}
    for c in conditions:
        if kind not in (c.get("why") or {}):
            continue
        measured, missing = out.setdefault(group_key(c), ([], []))
        if _measured(c, kind):
            measured.append(c)
        else:
            status = str(c["why"][kind].get("status") or "")
            missing.append(
                f"{c['tier']} ({'none eligible' if 'no eligible' in status else 'not measured'})"
            )
    return [(k, m, miss) for k, (m, miss) in out.items()]


def _step(measured: Sequence[Any]) -> float:
    """A category row's height in a group: taller where many tiers share it."""
    return max(1.0, 0.28 * len(measured))


def _colour(i: int) -> str:
    if i < len(PALETTE):
        return PALETTE[i]
    from matplotlib import colormaps

    return colormaps["tab20"](i % 20)


def _panel(ax: Any, conditions: Sequence[Mapping[str, Any]], kind: str, tiers: list[str]) -> None:
    show_s, show_v = varying(conditions, "scenario"), varying(conditions, "variant")
    y, ticks, labels = 0.0, [], []
    for key, measured, missing in _groups(conditions, kind):
        title = group_title(key, show_scenario=show_s, show_variant=show_v)
        counts = ", ".join(f"{c['tier']} n={_measured(c, kind)['judged']}" for c in measured)
        note = f"; {', '.join(map(str, missing))}" if missing else ""
        ax.text(0.0, y + 0.1, figure_label(f"{title}  ({counts or 'none judged'}{note})", 110),
                fontsize=8, fontweight="bold", va="center", transform=ax.get_yaxis_transform())  # fmt: skip
        if not measured:  # the header says why; no empty rows that could read as 0%
            y += HEADER_ROWS
            continue
        step = _step(measured)
        y += HEADER_ROWS + (step - 1.0) / 2
        for category in CATEGORIES[kind]:
            ticks.append(y)
            labels.append(figure_label(LABELS[category], 40))
            for j, c in enumerate(measured):
                entry, i = _measured(c, kind), tiers.index(str(c["tier"]))
                rate, (lo, hi) = entry["rates"][category], entry["ci"][category]
                yy = y + 0.7 * step * ((j + 0.5) / len(measured) - 0.5)
                ax.errorbar(rate, yy, xerr=[[rate - lo], [hi - rate]], fmt="o", ms=4,
                            color=_colour(i), elinewidth=1, capsize=2)  # fmt: skip
            y += step
        y += (1.0 - step) / 2 if step > 1.0 else 0.0
    ax.set_yticks(ticks, labels, fontsize=8)
    ax.set_ylim(y - 0.4, -0.4)
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel("share of judged samples (95% Wilson CI)", fontsize=8)
    ax.set_title(TITLES[kind], fontsize=9, loc="left")
    ax.grid(axis="x", alpha=0.3)


def _panel_rows(conditions: Sequence[Mapping[str, Any]], kind: str) -> float:
    """A panel's height in rows: a header per group, a row per category in each."""
    return sum(
        HEADER_ROWS + (len(CATEGORIES[kind]) * _step(measured) if measured else 0.0)
        for _, measured, _ in _groups(conditions, kind)
    )


def plot_motivations(
    conditions: Sequence[Mapping[str, Any]], path: Path, *, title: str, simulated: set[str]
) -> Path:
    """The figure (PNG and SVG); a message instead of panels when nothing was judged."""
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    kinds = [k for k in CATEGORIES if any(kind_ran(c, k) for c in conditions)]
    measured = [k for k in kinds if any(_measured(c, k) for c in conditions)]
    tiers = list(
        dict.fromkeys(str(c["tier"]) for c in conditions if any(_measured(c, k) for k in measured))
    )
    rows = [_panel_rows(conditions, kind) for kind in measured]
    height = 1.3 + ROW_IN * (sum(rows) + 2.5 * len(rows)) if rows else 2.0
    fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI, layout="constrained")
    if not measured:
        ax = fig.subplots()
        set_title(fig, title)
        return save_empty(
            fig, ax, path, "Not measured: no sample was judged (offline judge, or none eligible)"
        )
    axes = fig.subplots(len(measured), 1, squeeze=False, gridspec_kw={"height_ratios": rows})[:, 0]
    for ax, kind in zip(axes, measured, strict=True):
        _panel(ax, conditions, kind, tiers)
    models = {str(c.get("model")) for c in conditions}
    sim_note = "  [SIMULATED]" if models & simulated else ""
    set_title(fig, f"{title}{sim_note}")
    handles = [Line2D([], [], marker="o", ls="", color=_colour(i), label=figure_label(t, 30))
               for i, t in enumerate(tiers)]  # fmt: skip
    fig.legend(handles=handles, loc="outside lower center", ncols=min(len(tiers), 6), fontsize=8)
    return save(fig, path)


def kind_ran(condition: Mapping[str, Any], kind: str) -> bool:
    return kind in (condition.get("why") or {})


__all__ = ["FILE_NAME", "has_motivations", "plot_motivations"]
