"""`write_report`: the one call `afbench run` and `afbench report` end with."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._util.atomic import write_atomic_text
from .ablation_figure import FILE_NAME as ABLATIONS_FILE
from .ablation_figure import has_ablations, plot_ablations
from .figures import has_grid, plot_gaps, plot_outcomes, plot_risk_grid
from .labels import simulated_models
from .motivation_figure import FILE_NAME as MOTIVATIONS_FILE
from .motivation_figure import has_motivations, plot_motivations
from .page import render_report
from .rates_figure import plot_rates

if TYPE_CHECKING:
    import pandas as pd

REPORT_FILE = "report.html"
FIGURES_DIR = "figures"


def write_report(summary: Mapping[str, Any], samples: pd.DataFrame | None, out_dir: Path) -> Path:
    """Write ``out_dir/figures/{gaps,rates,outcomes}.{png,svg}`` and ``out_dir/report.html``.

    Args:
        summary: the run summary (the contents of ``summary.json``).
        samples: one row per sample (see the summary contract); may be None or empty, in
            which case the report simply has no example transcripts.
        out_dir: the run directory; created if missing.

    Returns:
        The path of ``report.html``.
    """
    out_dir = Path(out_dir)
    figures_dir = out_dir / FIGURES_DIR
    figures_dir.mkdir(parents=True, exist_ok=True)
    settings = summary.get("settings") or {}
    scenario = settings.get("scenario")
    suffix = f": {scenario}" if scenario else ""
    simulated = simulated_models(summary)
    conditions = list(summary.get("conditions") or [])
    figures = {
        "Compliance gap per model": plot_gaps(
            list(summary.get("gaps") or []),
            figures_dir / "gaps.png",
            title=f"Compliance gap, trained − unmonitored{suffix}",
            simulated=simulated,
        ),
        "Compliance and AF reasoning per tier": plot_rates(
            conditions,
            figures_dir / "rates.png",
            title=f"Compliance and AF reasoning per tier{suffix}",
            simulated=simulated,
        ),
        "Outcomes per model and tier": plot_outcomes(
            conditions,
            figures_dir / "outcomes.png",
            title=f"Outcomes per model and tier{suffix}",
            simulated=simulated,
        ),
    }
    gaps = list(summary.get("gaps") or [])
    if has_grid(gaps):
        figures["Goal-guarding gap by deployment risk"] = plot_risk_grid(
            gaps,
            figures_dir / "scope_risk.png",
            title=f"Gap by deployment risk and certainty{suffix}",
        )
    if has_ablations(gaps):
        figures["Compliance gap per removed clause"] = plot_ablations(
            gaps,
            figures_dir / ABLATIONS_FILE,
            title=f"Compliance gap per removed clause{suffix}",
            simulated=simulated,
        )
    if has_motivations(conditions):
        figures["Why: reasons for rejecting AF, motives for complying and for AF"] = (
            plot_motivations(
                conditions,
                figures_dir / MOTIVATIONS_FILE,
                title=f"Reasons and motives per model and tier{suffix}",
                simulated=simulated,
            )
        )
    html = render_report(summary, samples, figures)
    path = out_dir / REPORT_FILE
    # backslashreplace: nothing a model wrote can make the write itself fail.
    write_atomic_text(path, html, errors="backslashreplace")
    return path
