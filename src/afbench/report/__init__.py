"""The run report: figures and one self-contained HTML page.

Nothing heavy is imported here; matplotlib and Jinja are loaded when a report is written.
Model text is untrusted throughout: it is escaped, made visible and truncated before it
reaches the page (see :mod:`afbench.report.text`).
"""

from .examples import Example, ExampleGroup, pick_examples
from .figures import CATEGORIES, Category, category_fractions, plot_gaps, plot_outcomes
from .formatting import MISSING, fmt_count, fmt_p, fmt_pp, fmt_pp_ci, fmt_rate, fmt_rate_ci
from .page import SIM_BANNER, build_context, render_report
from .rates_figure import plot_rates
from .text import EXCERPT_LIMIT, escape_controls, excerpt, truncate
from .verdict import ALPHA, GAP_THRESHOLD, GapVerdict, gap_verdict
from .write import write_report

__all__ = [
    "ALPHA",
    "CATEGORIES",
    "EXCERPT_LIMIT",
    "GAP_THRESHOLD",
    "MISSING",
    "SIM_BANNER",
    "Category",
    "Example",
    "ExampleGroup",
    "GapVerdict",
    "build_context",
    "category_fractions",
    "escape_controls",
    "excerpt",
    "fmt_count",
    "fmt_p",
    "fmt_pp",
    "fmt_pp_ci",
    "fmt_rate",
    "fmt_rate_ci",
    "gap_verdict",
    "pick_examples",
    "plot_gaps",
    "plot_outcomes",
    "plot_rates",
    "render_report",
    "truncate",
    "write_report",
]
