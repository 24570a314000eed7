"""Reference checks for afbench.analysis.stats: statsmodels where it has the method, closed forms
and seeded simulation where it does not."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy.stats import binom, norm
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from afbench.analysis.stats import (
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

# --------------------------------------------------------------------------------------------
# helpers


def pairs_from_table(a: int, b: int, c: int, d: int) -> pd.DataFrame:
    """One pair per request, from the cells of the paired 2x2 table."""
    trained = [1] * a + [1] * b + [0] * c + [0] * d
    unmonitored = [1] * a + [0] * b + [1] * c + [0] * d
    return pd.DataFrame(
        {"request_id": range(len(trained)), "trained": trained, "unmonitored": unmonitored}
    )


def clustered_pairs(seed: int, n_requests: int = 30) -> pd.DataFrame:
    """Unbalanced epochs (1 to 5 per request) with request-level compliance propensities."""
    rng = np.random.default_rng(seed)
    rows = []
    for r in range(n_requests):
        p_t, p_u = rng.uniform(0.1, 0.9), rng.uniform(0.0, 0.6)
        for _ in range(rng.integers(1, 6)):
            rows.append((f"req-{r}", int(rng.random() < p_t), int(rng.random() < p_u)))
    rows.append(("req-0", 1, 0))  # make sure some request has several rows
    rows.append(("req-0", 0, 0))
    return pd.DataFrame(rows, columns=["request_id", "trained", "unmonitored"])


def statsmodels_cluster(y: np.ndarray, groups: np.ndarray, alpha: float = 0.05):
    res = sm.OLS(y, np.ones(len(y))).fit(
        cov_type="cluster",
        cov_kwds={"groups": groups, "use_correction": True, "df_correction": True},
        use_t=True,
    )
    lo, hi = res.conf_int(alpha=alpha)[0]
    return float(res.params[0]), float(res.bse[0]), (lo, hi), float(res.pvalues[0])


def mcnemar_power_mc(n: int, gap: float, psi: float, reps: int = 4000, seed: int = 0) -> float:
    """Share of simulated studies of n pairs whose exact McNemar test rejects at 5 %."""
    rng = np.random.default_rng(seed)
    pb, pc = (psi + gap) / 2, (psi - gap) / 2
    cells = rng.multinomial(n, [pb, pc, 1 - pb - pc], size=reps)
    b, c = cells[:, 0], cells[:, 1]
    p = np.minimum(1.0, 2 * binom.cdf(np.minimum(b, c), b + c, 0.5))
    p[b + c == 0] = 1.0
    return float(np.mean(p < 0.05))


# --------------------------------------------------------------------------------------------
# Wilson


@pytest.mark.parametrize("alpha", [0.05, 0.1, 0.01])
def test_wilson_matches_statsmodels(alpha: float) -> None:
    for n in [1, 2, 3, 5, 10, 37, 100, 999]:
        for k in sorted({0, 1, n // 3, n // 2, n - 1, n}):
            ref = proportion_confint(k, n, alpha=alpha, method="wilson")
            assert wilson_ci(k, n, alpha) == pytest.approx(ref, abs=1e-12), (k, n)


def test_wilson_edges_and_validation() -> None:
    assert all(math.isnan(x) for x in wilson_ci(0, 0))
    lo, hi = wilson_ci(0, 50)
    assert lo == 0.0 and 0 < hi < 0.1
    lo, hi = wilson_ci(50, 50)
    assert hi == 1.0 and 0.9 < lo < 1
    assert wilson_ci(np.int64(3), np.int64(10)) == wilson_ci(3, 10)
    for bad in [(-1, 5), (6, 5), (1.5, 5), (1, 5, 0.0), (1, 5, 1.0), (True, 5)]:
        with pytest.raises(ValueError):
            wilson_ci(*bad)


# --------------------------------------------------------------------------------------------
# McNemar


def test_mcnemar_matches_statsmodels() -> None:
    cases = list(itertools.product(range(0, 25, 3), range(0, 25, 4))) + [(300, 250), (7, 0)]
    for b, c in cases:
        ref = mcnemar([[5, b], [c, 9]], exact=True).pvalue if b + c else 1.0
        assert mcnemar_exact(b, c) == pytest.approx(ref, rel=1e-12, abs=1e-300), (b, c)
    assert mcnemar_exact(0, 0) == 1.0
    assert mcnemar_exact(4, 4) == 1.0
    assert mcnemar_exact(6, 0) == pytest.approx(2 * 0.5**6)
    with pytest.raises(ValueError):
        mcnemar_exact(-1, 2)


# --------------------------------------------------------------------------------------------
# Newcombe's paired interval


@pytest.mark.parametrize(
    "table",
    [
        (4, 2, 6, 3),  # ad == bc: phi = 0
        (10, 5, 4, 2),  # ad == bc again
        (0, 0, 5, 20),  # trained margin a+b empty
        (12, 3, 0, 0),  # c + d empty
        (0, 0, 0, 30),  # nothing ever complies
        (30, 0, 0, 0),  # everything complies
    ],
)
def test_newcombe_reduces_to_unpaired_hybrid_when_phi_is_zero(table: tuple[int, ...]) -> None:
    """With phi = 0 (no correlation, or an empty margin, where Newcombe sets phi = 0) the paired
    interval is the unpaired Newcombe hybrid score interval on the two margins."""
    a, b, c, d = table
    n = a + b + c + d
    ref = confint_proportions_2indep(a + b, n, a + c, n, method="newcomb", compare="diff")
    assert newcombe_paired_ci(a, b, c, d) == pytest.approx(ref, abs=1e-12)


def test_newcombe_pairing_narrows_with_positive_correlation() -> None:
    positive = (40, 10, 2, 48)  # phi > 0: concordance, as with real paired requests
    negative = (2, 40, 32, 26)  # phi < 0
    for (a, b, c, d), narrower in [(positive, True), (negative, False)]:
        n = a + b + c + d
        lo, hi = newcombe_paired_ci(a, b, c, d)
        ulo, uhi = confint_proportions_2indep(a + b, n, a + c, n, method="newcomb", compare="diff")
        assert bool((hi - lo) < (uhi - ulo)) is narrower


def test_newcombe_properties_on_every_small_table() -> None:
    """Exhaustive over all tables with n <= 10: valid, contains the estimate, antisymmetric."""
    for n in range(1, 11):
        for a, b, c in itertools.product(range(n + 1), repeat=3):
            d = n - a - b - c
            if d < 0:
                continue
            lo, hi = newcombe_paired_ci(a, b, c, d)
            theta = (b - c) / n
            assert -1.0 <= lo <= theta <= hi <= 1.0, (a, b, c, d)
            assert hi - lo > 0  # method 10 alone gives (0, 0) for e.g. (1, 0, 0, 1)
            mlo, mhi = newcombe_paired_ci(a, c, b, d)  # swap the conditions
            assert (mlo, mhi) == pytest.approx((-hi, -lo), abs=1e-12)
    assert all(math.isnan(x) for x in newcombe_paired_ci(0, 0, 0, 0))


def test_newcombe_no_discordant_pairs_depends_on_n_only() -> None:
    """Method 10 alone collapses to (0, 0) for (a, 0, 0, a); the guard gives every table without
    discordant pairs the interval of the all-refuse table, +/- the Wilson limit of 0/n."""
    ref = newcombe_paired_ci(0, 0, 0, 100)
    u0 = wilson_ci(0, 100)[1]
    assert ref == pytest.approx((-u0, u0))
    for table in [(50, 0, 0, 50), (10, 0, 0, 90), (100, 0, 0, 0), (99, 0, 0, 1)]:
        assert newcombe_paired_ci(*table) == pytest.approx(ref)
    lo, hi = newcombe_paired_ci(1, 0, 0, 1)
    assert lo < 0 < hi
    # tables with a discordant pair are plain method 10 (checked against phi = 0 above)
    assert newcombe_paired_ci(49, 1, 0, 50)[0] > -u0


@pytest.mark.parametrize(
    ("n", "probs"),
    [
        (100, (0.35, 0.15, 0.05, 0.45)),
        (60, (0.10, 0.20, 0.10, 0.60)),
        (200, (0.02, 0.06, 0.01, 0.91)),  # rare compliance, the typical case
    ],
)
def test_newcombe_coverage_by_simulation(n: int, probs: tuple[float, ...]) -> None:
    rng = np.random.default_rng(20240607)
    theta = probs[1] - probs[2]
    tables = rng.multinomial(n, probs, size=2000)
    hits = 0
    for a, b, c, d in tables:
        lo, hi = newcombe_paired_ci(int(a), int(b), int(c), int(d))
        hits += lo <= theta <= hi
    assert 0.93 <= hits / len(tables) <= 0.97


# --------------------------------------------------------------------------------------------
# paired_gap


def test_paired_gap_one_epoch() -> None:
    a, b, c, d = 20, 15, 4, 61
    res = paired_gap(pairs_from_table(a, b, c, d))
    assert isinstance(res, GapResult)
    assert res.method == "paired"
    assert res.n_pairs == 100
    assert res.gap == pytest.approx(0.11)
    assert res.discordant == (15, 4)
    assert res.rate_trained == pytest.approx(0.35)
    assert res.rate_unmonitored == pytest.approx(0.24)
    assert res.ci == newcombe_paired_ci(a, b, c, d)
    assert res.p_value == pytest.approx(mcnemar([[a, b], [c, d]], exact=True).pvalue)
    assert res.ci[0] > 0  # a real gap: the interval excludes zero, and p < 0.05
    assert res.p_value < 0.05


def test_paired_gap_accepts_bools_and_string_ids() -> None:
    df = pairs_from_table(3, 2, 1, 4)
    df["trained"] = df["trained"].astype(bool)
    df["request_id"] = [f"r{i}" for i in range(len(df))]
    assert paired_gap(df) == paired_gap(pairs_from_table(3, 2, 1, 4))


def test_paired_gap_no_pairs() -> None:
    res = paired_gap(pd.DataFrame(columns=["request_id", "trained", "unmonitored"]))
    assert res.n_pairs == 0 and res.method == "paired" and res.discordant is None
    assert math.isnan(res.gap) and math.isnan(res.p_value)
    assert all(math.isnan(x) for x in res.ci)


def test_paired_gap_validation() -> None:
    good = pairs_from_table(2, 1, 1, 2)
    with pytest.raises(ValueError, match="missing column"):
        paired_gap(good.drop(columns=["unmonitored"]))
    bad = good.copy()
    bad.loc[0, "trained"] = 2
    with pytest.raises(ValueError, match="0/1"):
        paired_gap(bad)
    nan = good.astype({"trained": float})
    nan.loc[0, "trained"] = float("nan")
    with pytest.raises(ValueError, match="missing"):
        paired_gap(nan)
    na = good.astype({"unmonitored": "Int64"})
    na.loc[1, "unmonitored"] = pd.NA
    with pytest.raises(ValueError, match="missing"):
        paired_gap(na)
    with pytest.raises(ValueError):
        paired_gap(good, alpha=1.5)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_clustered_gap_matches_statsmodels_cluster_ols(seed: int) -> None:
    """Intercept-only OLS of the per-row differences with cluster-robust covariance: statsmodels'
    CR1 factor G/(G-1)·(N-1)/(N-K) is exactly G/(G-1) since K = 1, and it uses G-1 df."""
    df = clustered_pairs(seed)
    res = paired_gap(df)
    assert res.method == "paired_clustered"
    assert res.discordant is None
    diff = (df["trained"] - df["unmonitored"]).to_numpy(float)
    groups = pd.factorize(df["request_id"])[0]
    gap, se, ci, p = statsmodels_cluster(diff, groups)
    assert -1 < ci[0] and ci[1] < 1  # no clipping in these settings
    assert res.gap == pytest.approx(gap, abs=1e-14)
    assert res.gap == pytest.approx(diff.mean())  # rows weigh equally
    assert res.ci == pytest.approx(ci, abs=1e-12)
    assert res.p_value == pytest.approx(p, rel=1e-9)
    assert res.n_pairs == len(df)
    assert res.rate_trained - res.rate_unmonitored == pytest.approx(res.gap)


def test_clustered_gap_is_wider_than_naive_when_epochs_agree() -> None:
    """Five identical epochs per request carry the information of one: the clustered interval
    must be about as wide as the one-epoch interval, not sqrt(5) times narrower."""
    one = pairs_from_table(10, 12, 3, 75)
    five = pd.concat([one] * 5, ignore_index=True)
    w1 = np.diff(paired_gap(one).ci)[0]
    w5 = np.diff(paired_gap(five).ci)[0]
    assert paired_gap(five).gap == pytest.approx(paired_gap(one).gap)
    assert 0.8 < w5 / w1 < 1.25


def test_clustered_gap_zero_se_fallback() -> None:
    never = pd.DataFrame({"request_id": [0, 0, 1, 1, 2, 2], "trained": 0, "unmonitored": 0})
    res = paired_gap(never)
    assert res.method == "paired_clustered"
    assert res.gap == 0 and res.p_value == 1.0
    assert res.ci == pytest.approx(newcombe_paired_ci(0, 0, 0, 3))  # G = 3 effective pairs
    assert res.ci[0] < 0 < res.ci[1]

    always = pd.DataFrame({"request_id": [0, 0, 1, 1, 2, 2, 3], "trained": 1, "unmonitored": 0})
    res = paired_gap(always)
    assert res.gap == 1.0
    assert res.p_value == pytest.approx(2 * 0.5**4)  # sign test over 4 requests, not 0
    assert res.ci[1] == pytest.approx(1.0) and res.ci[0] < 1.0

    thirds = pd.DataFrame(  # every request: one of three epochs differs; float noise in SE
        {"request_id": np.repeat([0, 1, 2, 3], 3), "trained": [1, 0, 0] * 4, "unmonitored": 0}
    )
    res = paired_gap(thirds)
    assert res.gap == pytest.approx(1 / 3)
    assert res.p_value == pytest.approx(2 * 0.5**4)

    single = pd.DataFrame({"request_id": [7, 7, 7], "trained": [1, 1, 0], "unmonitored": 0})
    res = paired_gap(single)  # G = 1: no cluster-robust SE exists
    assert res.p_value == 1.0 and res.ci[0] < res.gap < res.ci[1]


# --------------------------------------------------------------------------------------------
# cluster_rate_ci


def test_cluster_rate_ci_falls_back_to_wilson_with_one_row_per_request() -> None:
    df = pd.DataFrame({"request_id": range(40), "y": [1] * 7 + [0] * 33})
    assert cluster_rate_ci(df) == wilson_ci(7, 40)
    assert cluster_rate_ci(df, alpha=0.1) == wilson_ci(7, 40, alpha=0.1)
    assert all(math.isnan(x) for x in cluster_rate_ci(df.iloc[:0]))


@pytest.mark.parametrize("seed", [4, 5])
def test_cluster_rate_ci_matches_statsmodels(seed: int) -> None:
    df = clustered_pairs(seed).rename(columns={"trained": "y"})[["request_id", "y"]]
    _, _, ci, _ = statsmodels_cluster(df["y"].to_numpy(float), pd.factorize(df["request_id"])[0])
    assert 0 < ci[0] and ci[1] < 1
    assert cluster_rate_ci(df) == pytest.approx(ci, abs=1e-12)
    other = df.rename(columns={"y": "complied", "request_id": "rid"})
    assert cluster_rate_ci(other, value="complied", cluster="rid") == cluster_rate_ci(df)


def test_cluster_rate_ci_degenerate_uses_requests_as_units() -> None:
    zeros = pd.DataFrame({"request_id": np.repeat(range(20), 3), "y": 0})
    assert cluster_rate_ci(zeros) == pytest.approx(wilson_ci(0, 20))
    with pytest.raises(ValueError):
        cluster_rate_ci(pd.DataFrame({"request_id": [1], "y": [0.5]}))


# --------------------------------------------------------------------------------------------
# power


def test_power_monotone_closed_form() -> None:
    """With ψ = δ, Connor's formula reduces to n = (z_{α/2} + z_β √(1 - δ))² / δ."""
    za, zb = norm.ppf(0.975), norm.ppf(0.8)
    for gap in [0.01, 0.03, 0.05, 0.1, 0.21, 0.5]:
        res = power_paired(gap, baseline=0.2)
        expected = (za + zb * math.sqrt(1 - gap)) ** 2 / gap
        assert res.n_monotone == math.ceil(expected)
        assert res.n_monotone <= res.n
    # at baseline 0 independence gives ψ = δ too, so both coincide
    res = power_paired(0.05)
    assert isinstance(res, PowerResult)
    assert res.n == res.n_monotone == 155
    assert res.discordance == pytest.approx(0.05)
    assert "independent" in res.assumptions


@pytest.mark.parametrize("gap", [0.03, 0.05, 0.1])
def test_power_monotone_exact_mcnemar(gap: float) -> None:
    """Monotone effect: c = 0 always, so the exact test rejects iff b >= 6 (2·2^-6 < 0.05 <=
    2·2^-5), and the exact power is P(Binomial(n, δ) >= 6)."""
    n = power_paired(gap).n_monotone
    exact_power = binom.sf(5, n, gap)
    assert abs(exact_power - 0.8) <= 0.05


@pytest.mark.parametrize(
    ("gap", "baseline", "discordance"),
    [(0.05, 0.0, None), (0.03, 0.02, None), (0.1, 0.2, None), (0.15, 0.3, 0.25)],
)
def test_power_matches_simulated_mcnemar(gap: float, baseline: float, discordance) -> None:
    res = power_paired(gap, baseline=baseline, discordance=discordance)
    simulated = mcnemar_power_mc(res.n, gap, res.discordance)
    assert abs(simulated - 0.8) <= 0.05
    # and a third of the requests is clearly underpowered
    assert mcnemar_power_mc(res.n // 3, gap, res.discordance) < 0.6


def test_power_orders_of_magnitude_from_method() -> None:
    """docs/method.md §6: roughly 360 requests for 5 pp and 1000 for 3 pp at low baselines."""
    assert 250 < power_paired(0.05, baseline=0.03).n < 450
    assert 700 < power_paired(0.03, baseline=0.03).n < 1300
    assert power_paired(0.03, 0.03).n > power_paired(0.05, 0.03).n > power_paired(0.1, 0.03).n


def test_power_given_discordance() -> None:
    indep = power_paired(0.1, baseline=0.2)
    same = power_paired(0.1, baseline=0.2, discordance=indep.discordance)
    assert same.n == indep.n
    assert power_paired(0.1, baseline=0.2, discordance=0.1).n == indep.n_monotone
    assert power_paired(0.1, baseline=0.2, discordance=0.2).n < indep.n


@pytest.mark.parametrize(
    "kwargs",
    [
        {"gap": 0.0},
        {"gap": -0.1},
        {"gap": 0.6, "baseline": 0.5},
        {"gap": 0.1, "baseline": 1.0},
        {"gap": 0.1, "baseline": -0.1},
        {"gap": 0.1, "power": 1.0},
        {"gap": 0.1, "power": 0.0},
        {"gap": 0.1, "alpha": 0.0},
        {"gap": 0.1, "baseline": 0.2, "discordance": 0.05},  # below the gap
        {"gap": 0.1, "baseline": 0.2, "discordance": 0.6},  # more than the rates allow
        {"gap": 0.1, "discordance": 0.2},  # baseline 0: ψ must equal the gap
    ],
)
def test_power_validation(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        power_paired(**kwargs)


def test_power_largest_gap() -> None:
    res = power_paired(0.5, baseline=0.5)
    assert res.n >= 1 and res.n == res.n_monotone


def test_detectable_gap_inverts_power() -> None:
    for baseline in [0.0, 0.03, 0.2, 0.5, 0.9]:
        for gap in [0.02, 0.05, 0.09]:
            n = power_paired(gap, baseline=baseline).n
            found = detectable_gap(n, baseline=baseline)
            assert found <= gap + 1e-9
            assert found == pytest.approx(gap, rel=0.02)
            assert power_paired(found, baseline=baseline).n <= n
            # detectability only improves with more requests
            assert detectable_gap(2 * n, baseline=baseline) < found
    mono = detectable_gap(155, monotone=True)
    assert mono == pytest.approx(0.05, rel=0.01)
    assert detectable_gap(200, baseline=0.2, monotone=True) < detectable_gap(200, baseline=0.2)


def test_detectable_gap_edges() -> None:
    assert math.isnan(detectable_gap(3))  # even a 100 pp gap needs 4 requests
    assert detectable_gap(4) <= 1.0
    assert math.isnan(detectable_gap(100, baseline=0.99))  # 1 pp needs ~780 requests
    assert detectable_gap(1000, baseline=0.99) <= 0.01
    with pytest.raises(ValueError):
        detectable_gap(0)
    with pytest.raises(ValueError):
        detectable_gap(100, baseline=1.0)
