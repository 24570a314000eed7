"""What every report figure shares: size, resolution, file formats and the row layout.

Rows are grouped by model × scenario × variant, each group under a header line of its own,
so a row's tick label only names the tier (or the gap's tiers). Why: a sweep's labels such as
``anthropic/claude-3-5-sonnet · helpful_only · three_tier · free (trained)`` squeezed the
data into half the figure's width; a header spans the whole width and costs one line.

Every figure is written twice: a PNG at :data:`DPI` (embedded in the page) and an SVG next to
it (for papers and slides).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .labels import group_key, group_title, simulated_models, varying
from .text import figure_label

#: PNG resolution; the page shows the PNG scaled down, so it stays sharp on dense screens.
DPI = 200
WIDTH_IN = 9.5
ROW_IN = 0.34
HEADER_ROWS = 0.95  # a group's header line, in row heights
EDGE = "#222222"
#: The formats every figure is saved in; the first is the one the page embeds.
FORMATS = ("png", "svg")
LABEL_CHARS = 34  # a tick label wraps beyond this many characters


@dataclass
class RowLayout:
    """Where each row and each group header sits on the y axis (data units, 0 at the top)."""

    ys: list[float] = field(default_factory=list)
    headers: list[tuple[float, str]] = field(default_factory=list)

    @property
    def height(self) -> float:
        return (self.ys[-1] + 1.0) if self.ys else 1.0


def in_group_order(rows: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Rows regrouped by model × scenario × variant (first appearance), order kept within."""
    groups: dict[tuple[str, str, str], list[Mapping[str, Any]]] = {}
    for row in rows:
        groups.setdefault(group_key(row), []).append(row)
    return [row for members in groups.values() for row in members]


def row_layout(rows: Sequence[Mapping[str, Any]], simulated: set[str]) -> RowLayout:
    """One row per entry and a header line wherever model, scenario or variant changes.
    `rows` must already be in group order (:func:`in_group_order`)."""
    show_scenario, show_variant = varying(rows, "scenario"), varying(rows, "variant")
    layout = RowLayout()
    y, previous = 0.0, None
    for row in rows:
        key = group_key(row)
        if key != previous:
            title = group_title(key, show_scenario=show_scenario, show_variant=show_variant)
            if key[0] in simulated:
                title += "  [SIMULATED]"
            layout.headers.append((y + 0.15, figure_label(title, limit=110)))
            y += HEADER_ROWS
            previous = key
        layout.ys.append(y)
        y += 1.0
    return layout


@dataclass
class RowFigure:
    """A figure opened for rows in group order: its axes, the rows and where they sit."""

    fig: Any
    axes: list[Any]
    rows: list[Mapping[str, Any]]
    layout: RowLayout

    def save_empty(self, path: Path, message: str) -> Path:
        """No rows: the message in the first axes, the others hidden."""
        for ax in self.axes[1:]:
            ax.set_axis_off()
        return save_empty(self.fig, self.axes[0], path, message)


def row_figure(
    items: Sequence[Mapping[str, Any]],
    key: str,
    simulated: set[str] | None,
    title: str,
    extra_in: float,
    *,
    ncols: int = 1,
) -> RowFigure:
    """Open a titled figure with one row per item (`key` is the summary's list they came
    from, which is where simulated models are read from when `simulated` is None)."""
    simulated = simulated if simulated is not None else simulated_models({key: items})
    rows = in_group_order(items)
    layout = row_layout(rows, simulated)
    fig, axes = new_figure(len(rows), len(layout.headers), extra_in, ncols=ncols)
    set_title(fig, title)
    return RowFigure(fig, axes, rows, layout)


def wrap_label(text: str, width: int = LABEL_CHARS, max_lines: int = 2) -> str:
    """A tick label on at most `max_lines` lines of about `width` characters."""
    lines = textwrap.wrap(text, width=width, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], figure_label(" ".join(lines[max_lines - 1 :]), width)]
    return "\n".join(lines)


def tick_labels(
    rows: Sequence[Mapping[str, Any]], label: Callable[[Mapping[str, Any]], str]
) -> list[str]:
    return [wrap_label(figure_label(label(row), limit=90)) for row in rows]


def new_figure(rows: int, groups: int, extra_in: float, *, ncols: int = 1) -> tuple[Any, Any]:
    """A figure tall enough for its rows and group headers, with `ncols` axes side by side."""
    from matplotlib.figure import Figure

    height = 1.1 + extra_in + ROW_IN * (max(rows, 1) + HEADER_ROWS * groups)
    fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI, layout="constrained")
    axes = fig.subplots(1, ncols, sharey=True, squeeze=False)[0]
    return fig, list(axes)


def set_title(fig: Any, title: str) -> None:
    fig.suptitle(figure_label(title, limit=120), x=0.01, ha="left", fontsize=11)


def draw_headers(ax: Any, layout: RowLayout, font: int) -> None:
    """Each group's title on its own line, from the left edge of the figure (over the tick
    labels, which leave a header's line empty)."""
    from matplotlib.transforms import blended_transform_factory

    transform = blended_transform_factory(ax.figure.transFigure, ax.transData)
    for y, title in layout.headers:
        ax.text(
            0.01, y, title, transform=transform, ha="left", va="center",
            fontsize=font, fontweight="bold", clip_on=False, zorder=5,
            bbox={"fc": "white", "ec": "none", "pad": 1.0},
        )  # fmt: skip


def set_rows(ax: Any, layout: RowLayout, labels: list[str], font: int) -> None:
    """Tick labels at the rows, first row on top."""
    ax.set_yticks(layout.ys, labels, fontsize=font)
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(layout.height - 0.3, -0.35)


def font_size(rows: Sequence[Any]) -> int:
    return 8 if len(rows) > 12 else 9


def save(fig: Any, path: Path) -> Path:
    """Write `path` (a PNG) and the same figure in every other format next to it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for fmt in FORMATS:
        target = path.with_suffix(f".{fmt}")
        # metadata=None-ish: no creation date, so rebuilding a report gives the same files
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        fig.savefig(target, format=fmt, dpi=DPI, metadata=metadata)
    return path.with_suffix(f".{FORMATS[0]}")


def save_empty(fig: Any, ax: Any, path: Path, message: str) -> Path:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()
    return save(fig, path)
