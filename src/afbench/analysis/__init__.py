"""Statistics, per-sample tables and summaries."""

from .stats import (
    GapResult,
    PowerResult,
    cluster_rate_ci,
    detectable_gap,
    mcnemar_exact,
    newcombe_paired_ci,
    paired_gap,
    power_paired,
    wilson_ci,
)

__all__ = [
    "GapResult",
    "PowerResult",
    "cluster_rate_ci",
    "detectable_gap",
    "mcnemar_exact",
    "newcombe_paired_ci",
    "paired_gap",
    "power_paired",
    "wilson_ci",
]
