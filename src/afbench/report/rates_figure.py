"""Compliance and AF reasoning per tier, each with its 95% interval, side by side.

The gap figure shows differences; this one shows the rates behind them, the tiers of one
model next to each other, so a reader sees at once whether AF reasoning appears where the
model believes it is trained. A rate that was not measured is written as such, never drawn
as a zero bar.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .formatting import as_interval, as_number
from .labels import tier_role
from .plotting import (
    draw_headers,
    font_size,
    row_figure,
    save,
    set_rows,
    tick_labels,
)

#: Bar colour by what the model was told about the tier (Okabe–Ito).
ROLE_COLOURS = {"trained": "#D55E00", "rated, not trained": "#E69F00", "unmonitored": "#0072B2"}
PANELS = (("compliance", "compliance_ci", "Compliance"), ("af_rate", "af_ci", "AF reasoning"))


def plot_rates(
    conditions: Sequence[Mapping[str, Any]],
    path: Path,
    *,
    title: str = "Compliance and AF reasoning per tier",
    simulated: set[str] | None = None,
) -> Path:
    """Two panels sharing rows (one per tier, grouped by model): compliance, AF reasoning."""
    from matplotlib.ticker import PercentFormatter

    opened = row_figure(conditions, "conditions", simulated, title, 0.9, ncols=len(PANELS))
    fig, axes, rows, layout = opened.fig, opened.axes, opened.rows, opened.layout
    if not rows:
        return opened.save_empty(path, "no conditions in this run")

    font = font_size(rows)
    for ax, (rate_key, ci_key, label) in zip(axes, PANELS, strict=True):
        for y, condition in zip(layout.ys, rows, strict=True):
            _draw_rate(ax, y, condition, rate_key, ci_key, font)
        ax.set_xlim(0, 1.12)
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
        ax.xaxis.set_major_formatter(PercentFormatter(xmax=1, decimals=0))
        ax.set_xlabel(f"{label} (95% CI)")
        ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.spines[["top", "right", "left"]].set_visible(False)
        ax.tick_params(axis="y", length=0)
    set_rows(axes[0], layout, tick_labels(rows, lambda c: str(c.get("tier", "?"))), font)
    draw_headers(axes[0], layout, font)
    _legend(fig, rows)
    return save(fig, path)


def _draw_rate(
    ax: Any, y: float, condition: Mapping[str, Any], rate_key: str, ci_key: str, font: int
) -> None:
    rate = as_number(condition.get(rate_key))
    if rate is None:
        ax.text(0.01, y, "— not measured", va="center", fontsize=font - 1, color="#555555")
        return
    colour = ROLE_COLOURS.get(tier_role(condition), "#999999")
    interval = as_interval(condition.get(ci_key))
    xerr = None
    right = rate
    if interval is not None:
        xerr = [[max(rate - interval[0], 0.0)], [max(interval[1] - rate, 0.0)]]
        right = max(rate, interval[1])
    ax.barh([y], [rate], height=0.7, color=colour, edgecolor="white")
    ax.errorbar([rate], [y], xerr=xerr, fmt="none", ecolor="#222222", capsize=3, linewidth=1.1)
    ax.text(right + 0.015, y, f"{100 * rate:.1f}%", va="center", fontsize=font - 1)


def _legend(fig: Any, rows: Sequence[Mapping[str, Any]]) -> None:
    from matplotlib.patches import Patch

    roles = list(dict.fromkeys(tier_role(c) for c in rows))
    handles = [
        Patch(facecolor=ROLE_COLOURS.get(role, "#999999"), label=f"told: {role}") for role in roles
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, frameon=False, fontsize=8)
