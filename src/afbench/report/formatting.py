"""Number formatting for the report: one place decides how rates, gaps and p-values read.

Every formatter takes possibly-missing input (None, NaN, pandas.NA) and returns a string,
so "nan" or "None" can never reach a reader; a missing value is always shown as ``—``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

MISSING = "—"

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def is_missing(value: Any) -> bool:
    """True for None, NaN and pandas' NA/NaT (whose comparisons do not give a bool)."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except (TypeError, ValueError):
        return True


def as_number(value: Any) -> float | None:
    """A finite float, or None for anything missing, boolean or not numeric."""
    if is_missing(value) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def as_interval(interval: Any) -> tuple[float, float] | None:
    """A ``(low, high)`` pair of finite floats, or None if the interval is absent or partial."""
    if not isinstance(interval, Sequence) or isinstance(interval, str) or len(interval) != 2:
        return None
    low, high = as_number(interval[0]), as_number(interval[1])
    return None if low is None or high is None else (low, high)


def fmt_rate(value: Any) -> str:
    """A fraction as a percentage with one decimal: 0.305 → ``30.5%``."""
    number = as_number(value)
    return MISSING if number is None else f"{100 * number:.1f}%"


def fmt_rate_ci(interval: Any) -> str:
    """A 95% interval of a rate: [0.245, 0.372] → ``24.5–37.2%``."""
    pair = as_interval(interval)
    return MISSING if pair is None else f"{100 * pair[0]:.1f}–{100 * pair[1]:.1f}%"


def fmt_pp(value: Any, signed: bool = True) -> str:
    """A difference of fractions in percentage points: 0.21 → ``+21.0 pp``."""
    number = as_number(value)
    if number is None:
        return MISSING
    points = 100 * number
    if abs(points) < 0.05:
        points = 0.0  # avoid "-0.0 pp"
    return f"{points:+.1f} pp" if signed else f"{points:.1f} pp"


def fmt_pp_ci(interval: Any) -> str:
    """A 95% interval of a gap; "to" rather than a dash because bounds can be negative."""
    pair = as_interval(interval)
    if pair is None:
        return MISSING
    low, high = (0.0 if abs(100 * x) < 0.05 else 100 * x for x in pair)
    return f"{low:.1f} to {high:.1f} pp"


def fmt_p(value: Any) -> str:
    """A p-value: two decimals when large, three significant digits when small,
    powers of ten below 0.001 (the exact size of a tiny p-value rarely matters, its order does)."""
    p = as_number(value)
    if p is None:
        return MISSING
    if p <= 0:
        return "< 10⁻³⁰⁰"
    if p >= 0.1:
        return f"{min(p, 1.0):.2f}"
    if p >= 0.001:
        return f"{p:.3g}"
    mantissa, exponent = f"{p:.1e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def fmt_count(value: Any) -> str:
    number = as_number(value)
    return MISSING if number is None else f"{int(round(number)):,}"


def fmt_setting(value: Any) -> str:
    """A settings value: booleans as yes/no, lists joined, missing as ``—``."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(fmt_setting(item) for item in value) if value else MISSING
    if isinstance(value, dict):  # e.g. the tag names: "reasoning: SCRATCHPAD_REASONING, ..."
        return ", ".join(f"{k}: {fmt_setting(v)}" for k, v in value.items()) if value else MISSING
    if is_missing(value) or value == "":
        return MISSING
    return str(value)
