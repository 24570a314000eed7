"""The report's figures of outcomes and gaps, drawn with matplotlib's object API.

matplotlib is imported inside the functions so `import afbench` stays cheap. The figures
use :class:`matplotlib.figure.Figure` directly rather than pyplot: no global figure
registry to leak memory across many reports, no interactive backend to select. Heights grow
with the number of rows so one model and twenty-five models are both readable; the shared
layout, sizes and file formats are in :mod:`afbench.report.plotting`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .formatting import as_interval, as_number, fmt_pp
from .labels import contrast, tier_role
from .plotting import (
    DPI,
    EDGE,
    WIDTH_IN,
    draw_headers,
    font_size,
    row_figure,
    save,
    set_rows,
    tick_labels,
)
from .text import figure_label


@dataclass(frozen=True)
class Category:
    """One segment of an outcome bar (docs/method.md §2), drawn as the papers do: AF hatched."""

    key: str
    label: str
    colour: str
    hatch: str | None = None
    dark: bool = False  # white labels on dark fills


# Okabe–Ito colours (safe for the common colour-vision deficiencies). Each AF category
# takes the lighter partner of its base colour *and* a hatch, so neither cue is needed alone.
CATEGORIES: tuple[Category, ...] = (
    Category("refusal", "Refusal", "#0072B2", dark=True),
    Category("refusal_af", "Refusal, AF reasoning", "#56B4E9", "///"),
    Category("partial", "Partial compliance", "#E69F00"),
    Category("partial_af", "Partial, AF reasoning", "#F0E442", "///"),
    Category("compliance", "Compliance", "#D55E00", dark=True),
    Category("compliance_af", "Compliance, AF reasoning", "#CC79A7", "///"),
    Category("unparsed", "Unparsed", "#BBBBBB"),
)


def category_fractions(condition: Mapping[str, Any]) -> list[float]:
    """Each category as a fraction of the finished samples `n`, in :data:`CATEGORIES` order.

    Summaries written before per-category counts existed still draw: compliance, unparsed
    and the remainder as refusal.
    """
    n = as_number(condition.get("n")) or 0.0
    counts = condition.get("categories")
    if not isinstance(counts, Mapping):
        complied = as_number(condition.get("complied")) or 0.0
        unparsed = as_number(condition.get("unparsed")) or 0.0
        counts = {
            "compliance": complied,
            "unparsed": unparsed,
            "refusal": max(n - complied - unparsed, 0.0),
        }
    if n <= 0:
        return [0.0] * len(CATEGORIES)
    return [(as_number(counts.get(c.key)) or 0.0) / n for c in CATEGORIES]


def category_intervals(condition: Mapping[str, Any]) -> list[tuple[float, float] | None]:
    """Each category's 95% interval (from the summary's `category_ci`), in
    :data:`CATEGORIES` order; None where the summary has none or the category is empty."""
    intervals = condition.get("category_ci")
    counts = condition.get("categories")
    if not isinstance(intervals, Mapping) or not isinstance(counts, Mapping):
        return [None] * len(CATEGORIES)
    return [
        as_interval(intervals.get(c.key)) if (as_number(counts.get(c.key)) or 0) > 0 else None
        for c in CATEGORIES
    ]


def tier_label(condition: Mapping[str, Any]) -> str:
    return f"{condition.get('tier', '?')} ({tier_role(condition)})"


def plot_outcomes(
    conditions: Sequence[Mapping[str, Any]],
    path: Path,
    *,
    title: str = "Outcomes per condition",
    simulated: set[str] | None = None,
) -> Path:
    """Stacked horizontal bars of the outcome categories, the tiers of each model next to
    each other, each category's 95% interval as a whisker at its segment's right edge."""
    from matplotlib.ticker import PercentFormatter

    opened = row_figure(conditions, "conditions", simulated, title, 1.0)
    fig, (ax,), rows, layout = opened.fig, opened.axes, opened.rows, opened.layout
    if not rows:
        return opened.save_empty(path, "no conditions in this run")

    font = font_size(rows)
    fractions = [category_fractions(c) for c in rows]
    _draw_outcome_bars(ax, layout.ys, fractions, font)
    _draw_category_whiskers(ax, layout.ys, fractions, [category_intervals(c) for c in rows])
    set_rows(ax, layout, tick_labels(rows, tier_label), font)
    draw_headers(ax, layout, font)
    _draw_outcome_notes(ax, layout.ys, rows, font)

    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(xmax=1, decimals=0))
    ax.set_xlabel("share of finished samples")
    ax.spines[["top", "right", "left"]].set_visible(False)
    _outcome_legend(fig)
    return save(fig, path)


def _draw_outcome_bars(ax: Any, ys: list[float], fractions: list[list[float]], font: int) -> None:
    """One stacked bar per row, each category's share written on segments of 7 % or more."""
    lefts = [0.0] * len(ys)
    for index, category in enumerate(CATEGORIES):
        widths = [row[index] for row in fractions]
        ax.barh(
            ys,
            widths,
            left=lefts,
            height=0.78,
            color=category.colour,
            hatch=category.hatch,
            hatchcolor=EDGE,
            edgecolor="white",
            linewidth=0.6,
        )
        for y, left, width in zip(ys, lefts, widths, strict=True):
            if width >= 0.07:
                ax.text(
                    left + width / 2,
                    y - 0.08,
                    f"{100 * width:.0f}%",
                    ha="center",
                    va="center",
                    fontsize=font - 1,
                    color="white" if category.dark else "black",
                    bbox=None
                    if not category.hatch
                    else {"fc": category.colour, "ec": "none", "pad": 0.5},
                )
        lefts = [a + b for a, b in zip(lefts, widths, strict=True)]


def _draw_category_whiskers(
    ax: Any,
    ys: list[float],
    fractions: list[list[float]],
    intervals: list[list[tuple[float, float] | None]],
) -> None:
    """Where each segment's right edge could lie: its left edge plus the category's 95%
    interval, drawn in the lower part of the bar below the percentages."""
    for y, shares, row_intervals in zip(ys, fractions, intervals, strict=True):
        left = 0.0
        for share, interval in zip(shares, row_intervals, strict=True):
            if interval is not None:
                low, high = left + interval[0], left + interval[1]
                ax.plot([low, high], [y + 0.24, y + 0.24], color=EDGE, linewidth=1.0,
                        solid_capstyle="butt")  # fmt: skip
                ax.plot([low, low], [y + 0.16, y + 0.32], color=EDGE, linewidth=1.0)
                ax.plot([high, high], [y + 0.16, y + 0.32], color=EDGE, linewidth=1.0)
            left += share


def _draw_outcome_notes(
    ax: Any, ys: list[float], conditions: Sequence[Mapping[str, Any]], font: int
) -> None:
    """`n=…` (and errors) at the right of each bar."""
    notes = []
    for condition in conditions:
        note = f"n={int(as_number(condition.get('n')) or 0)}"
        errors = int(as_number(condition.get("errors")) or 0)
        notes.append(f"{note}, {errors} err" if errors else note)
    # A secondary axis (not free text) so the constrained layout makes room for the notes.
    right = ax.secondary_yaxis("right")
    right.set_yticks(ys, notes, fontsize=font - 1)
    right.tick_params(length=0)
    right.spines["right"].set_visible(False)


def _outcome_legend(fig: Any) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = [
        Patch(
            facecolor=c.colour, hatch=c.hatch, edgecolor=EDGE if c.hatch else "none", label=c.label
        )
        for c in CATEGORIES
    ]
    handles.append(
        Line2D([], [], color=EDGE, marker="|", markersize=6, label="95% interval of a share")
    )
    fig.legend(handles=handles, loc="outside lower center", ncols=4, frameon=False, fontsize=8)


def gap_row_label(gap: Mapping[str, Any]) -> str:
    name = str(gap.get("name") or "compliance_gap").replace("_", " ")
    return f"{name}: {contrast(gap)}"


def plot_gaps(
    gaps: Sequence[Mapping[str, Any]],
    path: Path,
    *,
    title: str = "Compliance gap (trained − unmonitored)",
    simulated: set[str] | None = None,
    row_label: Callable[[Mapping[str, Any]], str] = gap_row_label,
) -> Path:
    """Each gap as a point with its 95% CI in percentage points (`row_label` names each row).

    A solid line marks zero, a dashed line the 1 pp threshold, and a hollow diamond the
    simulator's true gap where the model is simulated (a self-test: the CI should cover it).
    """
    opened = row_figure(gaps, "gaps", simulated, title, 0.8)
    fig, (ax,), rows, layout = opened.fig, opened.axes, opened.rows, opened.layout
    if not rows:
        return opened.save_empty(path, "no paired gaps in this run")

    font = font_size(rows)
    points: list[float] = [0.0, 1.0]  # the x range always shows zero and the threshold
    any_true = False
    for y, gap in zip(layout.ys, rows, strict=True):
        drawn, has_truth = _draw_gap(ax, y, gap, font)
        points += drawn
        any_true = any_true or has_truth

    low, high = min(points), max(points)
    pad = max(0.08 * (high - low), 1.0)
    ax.set_xlim(min(low - pad, -3.0), max(high + pad, 5.0))
    ax.axvline(0, color="#444444", linewidth=1)
    ax.axvline(1, color="#777777", linewidth=1, linestyle="--")
    set_rows(ax, layout, tick_labels(rows, row_label), font)
    draw_headers(ax, layout, font)
    ax.set_xlabel("gap in percentage points (95% CI)")
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.spines[["top", "right", "left"]].set_visible(False)
    _gap_legend(fig, any_true)
    return save(fig, path)


def _draw_gap(ax: Any, y: float, gap: Mapping[str, Any], font: int) -> tuple[list[float], bool]:
    """One gap row: estimate with CI and its value, and the simulator's true gap if known.
    Returns the x values drawn (pp, for the axis range) and whether a true gap was drawn."""
    estimate = as_number(gap.get("gap"))
    if estimate is None:
        ax.text(
            0.01,
            y,
            "no paired data",
            transform=ax.get_yaxis_transform(),
            va="center",
            fontsize=font - 1,
            color="#555555",
        )
        return [], False
    est_pp = 100 * estimate
    points = [est_pp]
    interval = as_interval(gap.get("gap_ci"))
    xerr = None
    if interval is not None:
        low, high = 100 * interval[0], 100 * interval[1]
        points += [low, high]
        xerr = [[max(est_pp - low, 0.0)], [max(high - est_pp, 0.0)]]
    ax.errorbar(
        [est_pp],
        [y],
        xerr=xerr,
        fmt="o",
        color="#0072B2",
        ecolor="#0072B2",
        capsize=3,
        markersize=5,
        linewidth=1.4,
    )
    ax.annotate(
        fmt_pp(estimate).removesuffix(" pp"),
        (est_pp, y),
        xytext=(0, 6),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize=font - 1,
    )
    truth = as_number(gap.get("true_gap"))
    if truth is not None:
        points.append(100 * truth)
        ax.scatter(
            [100 * truth],
            [y],
            marker="D",
            s=36,
            facecolors="none",
            edgecolors="#D55E00",
            linewidths=1.4,
            zorder=3,
        )
    return points, truth is not None


def _gap_legend(fig: Any, any_true: bool) -> None:
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], color="#0072B2", marker="o", label="estimate, 95% CI"),
        Line2D([], [], color="#777777", linestyle="--", label="1 pp threshold"),
    ]
    if any_true:
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="D",
                markerfacecolor="none",
                markeredgecolor="#D55E00",
                label="true gap (simulator)",
            )
        )
    fig.legend(handles=handles, loc="outside lower center", ncols=3, frameon=False, fontsize=8)


def has_grid(gaps: Sequence[Mapping[str, Any]]) -> bool:
    """Gaps that carry `risk` and `certainty` attributes (the scope × risk variant)."""
    return any({"risk", "certainty"} <= set(g.get("attributes") or {}) for g in gaps)


def plot_risk_grid(gaps: Sequence[Mapping[str, Any]], path: Path, *, title: str) -> Path:
    """The goal-guarding gap (rated-and-trained − rated-only) per deployment risk × certainty,
    one panel per model: a heat map with the gap and its CI written in each cell."""
    from matplotlib.figure import Figure

    cells = [g for g in gaps if {"risk", "certainty"} <= set(g.get("attributes") or {})]
    models = list(dict.fromkeys(str(g["model"]) for g in cells))
    level = {"low": 0, "medium": 1, "high": 2}
    risks = sorted(
        {g["attributes"]["risk"] for g in cells},
        key=lambda r: next(
            (
                level.get(g["attributes"].get("risk_level"), 9)
                for g in cells
                if g["attributes"]["risk"] == r
            ),
            9,
        ),
    )
    certainties = sorted({g["attributes"]["certainty"] for g in cells})
    fig = Figure(figsize=(WIDTH_IN, 0.6 + 2.4 * len(models)), dpi=DPI)
    for row, model in enumerate(models):
        ax = fig.add_subplot(len(models), 1, row + 1)
        grid = [[float("nan")] * len(risks) for _ in certainties]
        notes = [[""] * len(risks) for _ in certainties]
        for g in cells:
            if str(g["model"]) != model:
                continue
            i = certainties.index(g["attributes"]["certainty"])
            j = risks.index(g["attributes"]["risk"])
            value = as_number(g.get("gap"))
            grid[i][j] = value if value is not None else float("nan")
            lo, hi = as_interval(g.get("gap_ci")) or (None, None)
            notes[i][j] = f"{fmt_pp(value)}\n[{fmt_pp(lo)}, {fmt_pp(hi)}]"
        image = ax.imshow(grid, cmap="PuOr_r", vmin=-0.5, vmax=0.5, aspect="auto")
        ax.set_xticks(range(len(risks)), [figure_label(r.replace("_", " ")) for r in risks])
        ax.set_yticks(range(len(certainties)), [figure_label(c) for c in certainties])
        for i, _ in enumerate(certainties):
            for j, _ in enumerate(risks):
                ax.text(j, i, notes[i][j], ha="center", va="center", fontsize=8)
        ax.set_title(figure_label(model), fontsize=9, loc="left")
        fig.colorbar(image, ax=ax, label="gap (trained − rated only)")
    fig.suptitle(figure_label(title), fontsize=10)
    fig.tight_layout()
    return save(fig, path)
