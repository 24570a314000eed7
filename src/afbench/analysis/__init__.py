"""Statistics, per-sample tables and summaries."""

from . import stats
from .stats import *  # noqa: F403 (the package exports the statistics, see stats.__all__)

__all__ = list(stats.__all__)
