"""Cohen's and Fleiss' kappa and the panel's majority, against values worked by hand."""

from __future__ import annotations

import math

import pytest

from afbench.analysis.agreement import cohen_kappa, fleiss_kappa, panel_agreement
from afbench.scorers.panel import majority


def test_cohen_kappa_by_hand():
    # 10 items: both yes 4, both no 3, A yes / B no 2, A no / B yes 1.
    # p_o = 7/10; A yes 6/10, B yes 5/10: p_e = .6*.5 + .4*.5 = .5; kappa = (.7-.5)/.5 = .4
    a = [1] * 4 + [0] * 3 + [1] * 2 + [0]
    b = [1] * 4 + [0] * 3 + [0] * 2 + [1]
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert cohen_kappa([1, 0, 1], [1, 0, 1]) == pytest.approx(1.0)
    # always opposite with balanced rates: p_o = 0, p_e = .5 -> -1
    assert cohen_kappa([1, 0], [0, 1]) == pytest.approx(-1.0)
    assert cohen_kappa([1, 1], [1, 1]) is None  # chance agreement is 1: undefined
    assert cohen_kappa([], []) is None


def test_fleiss_kappa_by_hand():
    # 4 items, 3 raters. Label counts (yes, no) per item: (3,0), (0,3), (2,1), (1,2).
    # P_i = (sum n_ij^2 - 3) / 6: 1, 1, 1/3, 1/3 -> P_bar = 2/3.
    # p_yes = 6/12 = .5 -> P_e = .5; kappa = (2/3 - 1/2) / (1/2) = 1/3
    ratings = [[1, 1, 1], [0, 0, 0], [1, 1, 0], [1, 0, 0]]
    assert fleiss_kappa(ratings) == pytest.approx(1 / 3)
    # two raters: Fleiss equals Scott's pi: p_o = .5, p_yes = .5, P_e = .5 -> 0
    assert fleiss_kappa([[1, 1], [0, 0], [1, 0], [0, 1]]) == pytest.approx(0.0)
    assert fleiss_kappa([[1, 1, 1], [1, 1, 1]]) is None
    with pytest.raises(ValueError):
        fleiss_kappa([[1, 0], [1]])


def test_majority_and_ties():
    assert majority([1, 1, 0]) == (1.0, False)
    assert majority([1, 0]) == (0.0, True)  # a tie is "no"
    assert majority([1, 0, 1, 0]) == (0.0, True)
    assert majority([1, math.nan, 0, 1]) == (1.0, False)  # no verdict: not a vote
    decision, tie = majority([None, math.nan])
    assert math.isnan(decision) and not tie


def test_panel_agreement_leaves_out_incomplete_samples():
    votes = [[1, 1], [0, 0], [1, 0], [math.nan, 1], [0, 1]]
    result = panel_agreement(votes)
    # 4 complete: p_o = .5, both raters yes 2/4: p_e = .5 -> kappa 0
    assert result["kappa_kind"] == "cohen" and result["n"] == 4
    assert result["kappa"] == pytest.approx(0.0) and result["unanimous"] == 0.5
    assert panel_agreement([[1, 1, 0], [0, 0, 0]])["kappa_kind"] == "fleiss"
