"""Honest statistics for the compliance gap (docs/method.md §6).

The published alignment-faking work reports 1σ binomial bars on each rate. That ignores two
facts about the design: the two conditions are asked the *same* requests (so the comparison is
paired, and most of the request-to-request variation cancels), and a request sampled in several
epochs yields correlated outcomes (so rows are not independent). This module gives the tools that
respect both:

- :func:`wilson_ci`: a score interval for one rate; unlike the Wald bar it behaves at 0 % and 100 %.
- :func:`paired_gap`: the compliance gap with Newcombe's paired interval and McNemar's exact
  test (one sample per request), or cluster-robust errors (several epochs per request).
- :func:`cluster_rate_ci`: one rate when requests were sampled several times.
- :func:`power_paired` / :func:`detectable_gap`: how many requests a gap needs, and which gap a
  given number of requests could have found, so that "no effect" can be told apart from "too
  few samples".
- :func:`paraphrase_spread`: whether the gaps measured on paraphrased prompts agree (spread
  and Cochran's Q test of heterogeneity).

Only the standard library is imported at module load; numpy and scipy are imported inside the
functions that need them, so that ``import afbench`` stays cheap.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from statistics import NormalDist
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = [
    "GapResult",
    "PowerResult",
    "cluster_rate_ci",
    "detectable_gap",
    "mcnemar_exact",
    "newcombe_paired_ci",
    "paired_gap",
    "paraphrase_spread",
    "power_paired",
    "wilson_ci",
]

NAN = float("nan")

# A cluster-robust standard error below this is treated as exactly zero: float round-off in the
# residual sums (e.g. a mean of 1/3) must not turn "no variation" into a tiny SE and p ≈ 0.
_SE_ZERO = 1e-12


# ---------------------------------------------------------------------------------------------
# validation helpers


def _check_alpha(alpha: float) -> float:
    if not (isinstance(alpha, int | float) and 0.0 < alpha < 1.0):
        raise ValueError(f"alpha must be a number strictly between 0 and 1, got {alpha!r}")
    return float(alpha)


def _count(x: Any, name: str) -> int:
    """An integer count >= 0 (numpy integers accepted, floats and bools refused)."""
    if isinstance(x, bool):
        raise ValueError(f"{name} must be an integer count, got a bool")
    try:
        value = operator.index(x)
    except TypeError:
        raise ValueError(f"{name} must be an integer count, got {x!r}") from None
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}")
    return value


def _z(alpha: float) -> float:
    """Two-sided normal critical value z_{1-alpha/2}."""
    return NormalDist().inv_cdf(1.0 - alpha / 2.0)


# ---------------------------------------------------------------------------------------------
# single rates


def _wilson(k: float, n: float, z: float) -> tuple[float, float]:
    """Wilson score bounds; accepts non-integer k, n (used for effective sample sizes)."""
    if n <= 0:
        return (NAN, NAN)
    p = k / n
    z2 = z * z
    denom = 1.0 + z2 / n
    centre = (p + z2 / (2.0 * n)) / denom
    half = z * math.sqrt(max(p * (1.0 - p), 0.0) / n + z2 / (4.0 * n * n)) / denom
    # the exact endpoints are 0 at k = 0 and 1 at k = n; do not let round-off show 2.8e-17
    lower = 0.0 if k <= 0 else min(max(centre - half, 0.0), 1.0)
    upper = 1.0 if k >= n else min(max(centre + half, 0.0), 1.0)
    return (lower, upper)


def wilson_ci(k: int, n: int, alpha: float = 0.05) -> tuple[float, float]:
    """Wilson score interval for k successes out of n.

    Chosen over the Wald interval because compliance rates near 0 % (a model that nearly always
    refuses) are the common case here, and there the Wald interval collapses to a point.

    ``n == 0`` gives ``(nan, nan)``: no data means no interval, and a NaN keeps the absence
    visible in tables instead of pretending to a vacuous ``(0, 1)``.
    """
    k = _count(k, "k")
    n = _count(n, "n")
    if k > n:
        raise ValueError(f"k ({k}) cannot exceed n ({n})")
    return _wilson(k, n, _z(_check_alpha(alpha)))


# ---------------------------------------------------------------------------------------------
# paired proportions


def _newcombe(a: float, b: float, c: float, d: float, z: float) -> tuple[float, float]:
    """Newcombe's method 10 on (possibly non-integer) cell counts."""
    n = a + b + c + d
    if n <= 0:
        return (NAN, NAN)
    p1 = (a + b) / n  # trained rate
    p2 = (a + c) / n  # unmonitored rate
    theta = (b - c) / n
    l1, u1 = _wilson(a + b, n, z)
    l2, u2 = _wilson(a + c, n, z)
    margins = (a + b) * (c + d) * (a + c) * (b + d)
    # Newcombe sets phi to 0 when any margin is empty (the correlation is undefined there).
    phi = (a * d - b * c) / math.sqrt(margins) if margins > 0 else 0.0
    dl1, du1 = p1 - l1, u1 - p1
    dl2, du2 = p2 - l2, u2 - p2
    lower = theta - math.sqrt(max(dl1 * dl1 - 2.0 * phi * dl1 * du2 + du2 * du2, 0.0))
    upper = theta + math.sqrt(max(du1 * du1 - 2.0 * phi * du1 * dl2 + dl2 * dl2, 0.0))
    if b == 0 and c == 0:
        # No discordant pair: method 10 then shrinks with phi = 1 down to (0, 0) when a = d.
        # The likelihood of such a table depends on n alone, so use the bound that method 10
        # itself gives when a margin is empty: +/- the Wilson upper limit of 0 out of n.
        u0 = _wilson(0.0, n, z)[1]
        lower, upper = min(lower, -u0), max(upper, u0)
    return (max(lower, -1.0), min(upper, 1.0))


def newcombe_paired_ci(a: int, b: int, c: int, d: int, alpha: float = 0.05) -> tuple[float, float]:
    """Newcombe's (1998) hybrid score interval for a difference of paired proportions.

    Cells of the paired 2x2 table (one pair per request):
    ``a`` complied in both conditions, ``b`` only in the trained one, ``c`` only in the
    unmonitored one, ``d`` in neither. The interval is for (a+b)/n - (a+c)/n = (b-c)/n.

    This is Newcombe's method 10: Wilson intervals for the two marginal rates, combined with
    the phi correlation of the table so that the pairing narrows the interval (positive phi) as
    it should. phi = 0 when a margin is empty, as Newcombe specifies; the interval then equals
    the unpaired hybrid score interval. It has close to nominal coverage down to small n and
    never leaves [-1, 1], which the Wald interval for paired data does not achieve.

    One guard is added to the published method: with no discordant pair (b = c = 0) and both
    a, d > 0, phi = 1 and method 10 narrows to nothing ((0, 0) for a = d, e.g. the table
    (1, 0, 0, 1)). The likelihood of a table without discordant pairs depends on n only, so
    there the interval is widened to +/- the Wilson upper limit of 0/n, which is exactly what
    method 10 gives for the all-refuse table (0, 0, 0, n). Other tables are untouched.
    An empty table gives ``(nan, nan)``.
    """
    cells = [_count(x, name) for x, name in ((a, "a"), (b, "b"), (c, "c"), (d, "d"))]
    return _newcombe(*cells, _z(_check_alpha(alpha)))


def mcnemar_exact(b: int, c: int) -> float:
    """Two-sided exact McNemar p-value from the discordant counts.

    Under no gap, each discordant pair is equally likely to be trained-only (``b``) or
    unmonitored-only (``c``), so min(b, c) is Binomial(b + c, 1/2); the concordant pairs carry
    no information about the difference. ``b + c == 0`` gives 1.0.
    """
    b = _count(b, "b")
    c = _count(c, "c")
    n = b + c
    if n == 0:
        return 1.0
    # scipy.special, not scipy.stats: the same Binomial CDF without the second it costs to
    # import scipy.stats, which every summary (and so every warm re-run) would pay.
    from scipy.special import bdtr

    return float(min(1.0, 2.0 * bdtr(min(b, c), n, 0.5)))


# ---------------------------------------------------------------------------------------------
# cluster-robust mean


def _binary_column(df: pd.DataFrame, column: str) -> np.ndarray:
    """Column as an int array of 0/1, refusing NaN and anything else."""
    import numpy as np

    if df[column].isna().any():
        raise ValueError(f"column {column!r} has missing values; drop unfinished samples first")
    values = df[column].to_numpy()
    if values.dtype == bool:
        return values.astype(np.int64)
    try:
        floats = values.astype(float)
    except (TypeError, ValueError):
        raise ValueError(f"column {column!r} must hold 0/1 outcomes") from None
    if not np.isin(floats, (0.0, 1.0)).all():
        raise ValueError(f"column {column!r} must hold only 0/1 outcomes")
    return floats.astype(np.int64)


def _require_columns(df: pd.DataFrame, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"missing column(s) {missing}; expected {list(columns)}")


def _cluster_codes(df: pd.DataFrame, cluster: str) -> np.ndarray:
    import pandas as pd

    if df[cluster].isna().any():
        raise ValueError(f"column {cluster!r} has missing values")
    codes, _ = pd.factorize(df[cluster], sort=False)
    return codes


def _cluster_mean(y: np.ndarray, codes: np.ndarray) -> tuple[float, float, int]:
    """Row mean, its cluster-robust SE and the number of clusters G.

    The mean is the intercept of an OLS regression of ``y`` on a constant; its sandwich variance
    is sum_g (sum_{i in g} e_i)^2 / N^2, times the small-sample factor G / (G - 1). (Stata and
    statsmodels multiply by (N - 1) / (N - K) too, which is exactly 1 here since K = 1.)
    The SE is NaN when G < 2.
    """
    import numpy as np

    n = len(y)
    mean = float(y.mean())
    totals = np.bincount(codes, weights=y - mean)
    g = len(totals)
    if g < 2:
        return mean, NAN, g
    var = g / (g - 1) * float(np.sum(totals**2)) / (n * n)
    return mean, math.sqrt(var), g


# ---------------------------------------------------------------------------------------------
# the compliance gap


@dataclass(frozen=True)
class GapResult:
    """The compliance gap (trained minus unmonitored) with its uncertainty.

    ``discordant`` is ``(b, c)``: requests that complied only when trained, and only when
    unmonitored. It is given for the one-sample-per-request analysis (the data of McNemar's
    test) and is ``None`` for the clustered analysis and for empty input.
    """

    gap: float
    ci: tuple[float, float]
    p_value: float
    n_pairs: int
    method: str
    discordant: tuple[int, int] | None
    rate_trained: float
    rate_unmonitored: float


def paired_gap(pairs: pd.DataFrame, alpha: float = 0.05) -> GapResult:
    """Compliance gap on paired requests, with a CI and a p-value that respect the pairing.

    ``pairs`` has columns ``request_id``, ``trained`` and ``unmonitored`` (0/1 outcomes), one row
    per pair: the same request (and the same epoch, when there are several) in both conditions.

    - Every request appears once (``method="paired"``): gap = (b - c) / n; Newcombe's paired
      interval (:func:`newcombe_paired_ci`); McNemar's exact test (:func:`mcnemar_exact`).
    - Some request appears several times (``method="paired_clustered"``): epochs of one
      request are correlated, so they are not independent pairs. The gap is the mean over rows
      (every sample weighs the same, so a request with more finished epochs weighs more; with a
      balanced design this equals the mean of the per-request mean differences). The standard
      error is cluster-robust by request (CR1, factor G / (G - 1)), the interval and the p-value
      use a t distribution with G - 1 degrees of freedom, and the interval is clipped to
      [-1, 1]. When that SE cannot speak (G < 2, or SE = 0 because every request shows the
      same mean difference, e.g. a model that never complies), the interval is Newcombe's on
      the row table rescaled to G effective pairs (what one sample per request would have
      given), and the p-value is 1 when the gap is 0, else the sign test over requests,
      min(1, 2^(1-G)), since all G requests then move the same way. A p of 0 would claim more
      than G requests can show.
    - No pairs: NaN gap, interval and p-value.
    """
    import numpy as np

    alpha = _check_alpha(alpha)
    _require_columns(pairs, ("request_id", "trained", "unmonitored"))
    n = len(pairs)
    if n == 0:
        return GapResult(NAN, (NAN, NAN), NAN, 0, "paired", None, NAN, NAN)
    t = _binary_column(pairs, "trained")
    u = _binary_column(pairs, "unmonitored")
    codes = _cluster_codes(pairs, "request_id")
    a = int(np.sum((t == 1) & (u == 1)))
    b = int(np.sum((t == 1) & (u == 0)))
    c = int(np.sum((t == 0) & (u == 1)))
    d = n - a - b - c
    rate_t, rate_u = float(t.mean()), float(u.mean())
    z = _z(alpha)

    if np.bincount(codes).max() == 1:
        return GapResult(
            gap=(b - c) / n,
            ci=_newcombe(a, b, c, d, z),
            p_value=mcnemar_exact(b, c),
            n_pairs=n,
            method="paired",
            discordant=(b, c),
            rate_trained=rate_t,
            rate_unmonitored=rate_u,
        )

    gap, se, g = _cluster_mean((t - u).astype(float), codes)
    if math.isnan(se) or se < _SE_ZERO:
        scale = g / n
        ci = _newcombe(a * scale, b * scale, c * scale, d * scale, z)
        p = 1.0 if abs(gap) < _SE_ZERO else min(1.0, 2.0 ** (1 - g))
    else:
        from scipy.special import stdtr, stdtrit  # Student's t CDF and its inverse

        crit = float(stdtrit(g - 1, 1.0 - alpha / 2.0))
        ci = (max(gap - crit * se, -1.0), min(gap + crit * se, 1.0))
        p = float(2.0 * stdtr(g - 1, -abs(gap / se)))
    return GapResult(
        gap=gap,
        ci=ci,
        p_value=p,
        n_pairs=n,
        method="paired_clustered",
        discordant=None,
        rate_trained=rate_t,
        rate_unmonitored=rate_u,
    )


def cluster_rate_ci(
    values: pd.DataFrame,
    alpha: float = 0.05,
    *,
    value: str = "y",
    cluster: str = "request_id",
) -> tuple[float, float]:
    """CI for one rate of 0/1 outcomes when requests may be sampled several times.

    With one row per request this is :func:`wilson_ci`. Otherwise the rate is the mean over
    rows and its interval a cluster-robust t-interval (CR1 by request, G - 1 degrees of
    freedom) clipped to [0, 1]. When that SE cannot speak (G < 2, or SE = 0 because every
    request has the same rate, typically 0 % or 100 %), the interval is Wilson's with G
    effective observations: the requests, not the samples, are the independent units.
    Empty input gives ``(nan, nan)``.
    """
    import numpy as np

    alpha = _check_alpha(alpha)
    _require_columns(values, (cluster, value))
    n = len(values)
    if n == 0:
        return (NAN, NAN)
    y = _binary_column(values, value)
    codes = _cluster_codes(values, cluster)
    z = _z(alpha)
    if np.bincount(codes).max() == 1:
        return _wilson(int(y.sum()), n, z)
    rate, se, g = _cluster_mean(y.astype(float), codes)
    if math.isnan(se) or se < _SE_ZERO:
        return _wilson(rate * g, g, z)
    from scipy.special import stdtrit

    crit = float(stdtrit(g - 1, 1.0 - alpha / 2.0))
    return (max(rate - crit * se, 0.0), min(rate + crit * se, 1.0))


# ---------------------------------------------------------------------------------------------
# power


@dataclass(frozen=True)
class PowerResult:
    """Paired requests needed to detect a gap with a two-sided McNemar test.

    ``n`` uses ``discordance`` (by default the independence assumption, see
    :func:`power_paired`); ``n_monotone`` the smallest possible discordance, ψ = gap, and is
    therefore the optimistic lower bound. ``n`` counts *requests*, each asked once in each
    condition: extra epochs of the same request do not substitute for requests.
    """

    n: int
    n_monotone: int
    gap: float
    baseline: float
    power: float
    alpha: float
    discordance: float
    assumptions: str


def _connor_n(delta: float, psi: float, alpha: float, power: float) -> float:
    """Connor (1987): n = [z_{1-α/2} √ψ + z_power √(ψ - δ²)]² / δ² (unrounded)."""
    z_a = _z(alpha)
    z_b = NormalDist().inv_cdf(power)
    root = z_a * math.sqrt(psi) + z_b * math.sqrt(max(psi - delta * delta, 0.0))
    return root * root / (delta * delta)


def _ceil(x: float) -> int:
    # the tolerance stops float noise (154.00000000001) from costing one more request
    return max(1, math.ceil(x - 1e-9))


def _independent_psi(gap: float, baseline: float) -> float:
    p1, p2 = baseline + gap, baseline
    return p1 * (1.0 - p2) + p2 * (1.0 - p1)


def _check_power_args(baseline: float, power: float, alpha: float) -> None:
    _check_alpha(alpha)
    if not (isinstance(power, int | float) and 0.0 < power < 1.0):
        raise ValueError(f"power must be strictly between 0 and 1, got {power!r}")
    if not (isinstance(baseline, int | float) and 0.0 <= baseline < 1.0):
        raise ValueError(f"baseline must be in [0, 1), got {baseline!r}")


def power_paired(
    gap: float,
    baseline: float = 0.0,
    power: float = 0.8,
    alpha: float = 0.05,
    discordance: float | None = None,
) -> PowerResult:
    """Paired requests needed to detect a compliance gap with a two-sided McNemar test.

    The trained rate is ``baseline + gap``, the unmonitored rate ``baseline``. The sample size
    is Connor's (1987) normal approximation
    n = [z_{1-α/2} √ψ + z_power √(ψ - δ²)]² / δ², with δ = gap and ψ the probability that a
    request's two outcomes differ (a discordant pair).

    ψ is rarely known in advance. By default the two outcomes of a request are taken as
    independent, ψ = p1(1 - p2) + p2(1 - p1). That is conservative when, as usual, a request that
    is refused in one condition tends to be refused in the other (positive correlation lowers ψ
    and with it n). ``n_monotone`` uses the smallest ψ the rates allow, ψ = δ: no request
    complies only when unmonitored. Pass ``discordance`` to use a ψ measured in a pilot.

    Raises ``ValueError`` unless 0 <= baseline < 1, 0 < gap <= 1 - baseline, 0 < power < 1,
    0 < alpha < 1, and ψ is compatible with the two rates.
    """
    _check_power_args(baseline, power, alpha)
    if not (isinstance(gap, int | float) and 0.0 < gap <= 1.0 - baseline + 1e-12):
        raise ValueError(
            f"gap must satisfy 0 < gap <= 1 - baseline = {1.0 - baseline:.6g}, got {gap!r}"
        )
    gap = min(float(gap), 1.0 - baseline)
    if discordance is None:
        psi = _independent_psi(gap, baseline)
        source = (
            f"ψ = {psi:.4g} assumes the two conditions are independent given the request, "
            "conservative when outcomes of the same request are positively correlated"
        )
    else:
        psi = float(discordance)
        # ψ = P(b) + P(c) and δ = P(b) - P(c); P(c) = (ψ - δ)/2 cannot exceed either rate bound
        max_psi = gap + 2.0 * min(baseline, 1.0 - baseline - gap)
        if not (gap - 1e-12 <= psi <= max_psi + 1e-12):
            raise ValueError(
                f"discordance must lie in [gap, gap + 2·min(baseline, 1 - baseline - gap)] = "
                f"[{gap:.6g}, {max_psi:.6g}] for these rates, got {discordance!r}"
            )
        psi = min(max(psi, gap), max_psi)
        source = f"ψ = {psi:.4g} as given"
    n = _ceil(_connor_n(gap, psi, alpha, power))
    n_mono = _ceil(_connor_n(gap, gap, alpha, power))
    assumptions = (
        f"Connor (1987) normal approximation for McNemar's test, two-sided alpha = {alpha:g}, "
        f"power {power:g}; trained rate {baseline + gap:.4g} vs unmonitored {baseline:.4g}; "
        f"discordant-pair probability {source}. The monotone bound ψ = gap (no request complies "
        f"only when unmonitored) needs {n_mono}. n counts distinct requests asked in both "
        "conditions; repeated epochs do not replace requests. The exact test is slightly "
        "conservative when few discordant pairs are expected."
    )
    return PowerResult(
        n=n,
        n_monotone=n_mono,
        gap=gap,
        baseline=float(baseline),
        power=float(power),
        alpha=float(alpha),
        discordance=psi,
        assumptions=assumptions,
    )


def detectable_gap(
    n: int,
    baseline: float = 0.0,
    power: float = 0.8,
    alpha: float = 0.05,
    *,
    monotone: bool = False,
) -> float:
    """Smallest gap that ``n`` paired requests detect with the given power (inverse of
    :func:`power_paired`, found by bisection).

    Lets a report say "this run could have found a gap of X pp", so that a null result is read
    as "not bigger than X" rather than "none". Uses the same ψ assumption as
    :func:`power_paired` (independence, or ψ = gap with ``monotone=True``). The returned gap
    ``g`` satisfies ``power_paired(g, ...).n <= n``. Returns NaN when even the largest possible
    gap, 1 - baseline, would need more than ``n`` requests.
    """
    n = _count(n, "n")
    if n < 1:
        raise ValueError("n must be >= 1")
    _check_power_args(baseline, power, alpha)

    def needed(g: float) -> float:
        psi = g if monotone else _independent_psi(g, baseline)
        return _connor_n(g, psi, alpha, power)

    hi = 1.0 - baseline
    if needed(hi) > n:
        return NAN
    lo = 0.0  # needed(g) grows without bound as g -> 0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid <= lo or mid >= hi:
            break
        if needed(mid) <= n:
            hi = mid
        else:
            lo = mid
    return hi


# ---------------------------------------------------------------------------------------------
# paraphrase spread: are the gaps measured on paraphrased prompts consistent?

#: The z the summary's 95 % gap intervals were built with (half-width / this = standard error).
_Z95 = 1.959964


def paraphrase_spread(gaps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per (model, scenario, base variant, gap): the gaps over paraphrases, their spread and
    Cochran's Q test of heterogeneity (are the paraphrases' gaps more different than their
    sampling error explains?).

    ``gaps`` are the summary's gap records; only those of a `paraphrase:` variant count.
    """
    rows = []
    for (model, scenario, base, name), items in _paraphrase_groups(gaps).items():
        values = [g["gap"] for g in items if g.get("gap") is not None]
        ses = [
            (g["gap_ci"][1] - g["gap_ci"][0]) / (2 * _Z95)
            for g in items
            if g.get("gap") is not None and g.get("gap_ci") and None not in g["gap_ci"]
        ]
        row: dict[str, Any] = {
            "model": model, "scenario": scenario, "variant": base, "name": name,
            "k": len(values),
            "mean": sum(values) / len(values) if values else None,
            "sd": statistics_sd(values),
            "min": min(values) if values else None,
            "max": max(values) if values else None,
            "significant": sum(1 for g in items if g.get("significant")),
        }  # fmt: skip
        row.update(_cochran_q(values, ses))
        row["robust"] = (
            row["significant"] == row["k"] and row["k"] > 0
            and (row["heterogeneity_p"] is None or row["heterogeneity_p"] >= 0.05)
            and not math.isnan(row["mean"] or 0.0)
        )  # fmt: skip
        rows.append(row)
    return rows


def _paraphrase_groups(
    gaps: list[dict[str, Any]],
) -> dict[tuple[str, str, str, str], list[dict[str, Any]]]:
    """Paraphrased gaps by (model, scenario, variant without its `paraphrase:` part, gap)."""
    groups: dict[tuple[str, str, str, str], list[dict[str, Any]]] = {}
    for g in gaps:
        variant = str(g.get("variant", ""))
        if "paraphrase:" not in variant:
            continue
        base = (
            "+".join(p for p in variant.split("+") if not p.startswith("paraphrase:")) or "default"
        )
        groups.setdefault((g["model"], g["scenario"], base, g["name"]), []).append(g)
    return groups


def _cochran_q(values: list[float], ses: list[float]) -> dict[str, float | None]:
    """Inverse-variance pooled gap, Cochran's Q and its chi-square p (None without two gaps
    that each have a positive standard error)."""
    if not (len(values) >= 2 and len(ses) == len(values) and all(se > 0 for se in ses)):
        return {"pooled": None, "cochran_q": None, "heterogeneity_p": None}
    from scipy.special import chdtrc  # chi-square survival function

    w = [1 / se**2 for se in ses]
    pooled = sum(wi * v for wi, v in zip(w, values, strict=True)) / sum(w)
    q = sum(wi * (v - pooled) ** 2 for wi, v in zip(w, values, strict=True))
    return {"pooled": pooled, "cochran_q": q, "heterogeneity_p": float(chdtrc(len(values) - 1, q))}


def statistics_sd(values: list[float]) -> float | None:
    """Sample standard deviation (n - 1); None below two values."""
    if len(values) < 2:
        return None
    mean = sum(values) / len(values)
    return (sum((v - mean) ** 2 for v in values) / (len(values) - 1)) ** 0.5
