"""rnnlab.stats: Diebold-Mariano (HLN), the signed-rank and paired t-tests, Holm; checked
against values worked by hand and published examples, and the cases without a number."""

import math

import numpy as np
import pytest

from rnnlab.io.errors import ConfigError, DataError
from rnnlab.stats import diebold_mariano, holm_adjust, paired_t, signed_rank, with_holm
from rnnlab.stats.diebold_mariano import long_run_variance


def t4_cdf(x):
    """Student's t on 4 degrees of freedom in closed form (Abramowitz & Stegun 26.7.3):
    1/2 + (3/8) u (1 - u^2/12 * ...) with u = x / sqrt(1 + x^2/4)."""
    c = x * x / (4 + x * x)
    return 0.5 + 0.375 * (x / math.sqrt(1 + x * x / 4)) * (1 - (1 / 3) * c)


def test_t4_closed_form_is_right():  # (the hand values below lean on it)
    from scipy.stats import t

    for x in (0.3, 1.0, 2.5):
        assert t4_cdf(x) == pytest.approx(t.cdf(x, 4), rel=1e-12)


def test_dm_h1_worked_by_hand():
    # d = 1, -1, 2, 0, 3: mean 1, g0 = (0+4+1+1+4)/5 = 2, DM = 1/sqrt(2/5);
    # HLN factor sqrt((5+1-2)/5) = sqrt(0.8): DM* = sqrt(2)
    r = diebold_mariano([1, -1, 2, 0, 3], [0] * 5, h=1, a="m", b="naive")
    assert (r.n, r.unit, r.mean_difference) == (5, "origins", 1.0)
    assert r.statistic == pytest.approx(math.sqrt(2), rel=1e-12)
    assert r.p_value == pytest.approx(2 * (1 - t4_cdf(math.sqrt(2))), rel=1e-10)
    assert r.p_value == pytest.approx(0.23020, abs=1e-5)
    assert r.text() == ("m vs naive: Diebold-Mariano (HLN) over 5 origins: DM* = 1.414, "
                        "p = 0.23 (two-sided); mean difference 1 (naive lower)")


def test_dm_h2_worked_by_hand():
    # d = 1..5: g0 = 10/5 = 2, g1 = (2+0+0+2)/5 = 0.8, long-run variance 3.6;
    # DM = 3/sqrt(0.72); factor sqrt((5+1-4+2/5)/5) = sqrt(0.48): DM* = sqrt(6)
    d = [1, 2, 3, 4, 5]
    assert long_run_variance(np.asarray(d, float), 2) == pytest.approx(3.6)
    r = diebold_mariano(d, [0] * 5, h=2)
    assert r.statistic == pytest.approx(math.sqrt(6), rel=1e-12)
    assert r.p_value == pytest.approx(2 * (1 - t4_cdf(math.sqrt(6))), rel=1e-10)
    assert r.note == ""


def test_dm_h1_is_the_one_sample_t_of_the_differences():
    # Student's sleep data (Cushny & Peebles; R's `sleep`): t = -4.0621, df 9,
    # p = 0.002833 (R's t.test(paired = TRUE))
    g1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    g2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    r = diebold_mariano(g1, g2)
    assert r.statistic == pytest.approx(-4.0621, abs=1e-4)
    assert r.p_value == pytest.approx(0.002833, abs=1e-6)
    t = paired_t(g1, g2)
    assert (t.statistic, t.p_value, t.n) == (pytest.approx(r.statistic),
                                             pytest.approx(r.p_value), 10)
    assert "a lower" in r.text() and "p = 0.00283" in r.text()


def test_dm_negative_long_run_variance_falls_back_to_h1():
    # d = 1, -1, 2, 0, 3: g1 = -5/5 = -1, so g0 + 2 g1 = 0
    r = diebold_mariano([1, -1, 2, 0, 3], [0] * 5, h=2)
    assert r.statistic == pytest.approx(math.sqrt(2)) and "tested with none (h = 1)" in r.note


def test_identical_losses_are_not_significant():
    rng = np.random.default_rng(0)
    x = rng.gamma(2.0, size=20)
    for r in (diebold_mariano(x, x.copy(), h=3), signed_rank(x, x.copy()), paired_t(x, x)):
        assert r.p_value == 1.0 and r.statistic == 0.0 and "equal on every one of the 20" in r.note


def test_last_bit_differences_count_as_equal():
    # the same losses summed in another order: the signs of the rounding are no evidence
    rng = np.random.default_rng(2)
    parts = rng.gamma(2.0, size=(30, 7))
    x = parts.sum(axis=1)
    y = parts[:, ::-1].cumsum(axis=1)[:, -1]
    assert (x != y).any()
    for r in (diebold_mariano(x, y), signed_rank(x, y), paired_t(x, y)):
        assert r.p_value == 1.0 and "equal on every one of the 30" in r.note


def test_noise_alone_is_not_significant_and_a_clear_gain_is():
    rng = np.random.default_rng(1)
    base = rng.gamma(2.0, size=40)
    same = base * np.exp(rng.normal(0, 0.05, 40)) * rng.permutation(  # no systematic gain
        np.r_[np.ones(20) * 1.02, np.ones(20) / 1.02])
    assert diebold_mariano(same, base).p_value > 0.05
    assert signed_rank(same, base).p_value > 0.05
    better = 0.5 * base + rng.normal(0, 0.01, 40) ** 2
    for r in (diebold_mariano(better, base), signed_rank(better, base), paired_t(better, base)):
        assert r.p_value < 1e-4 and r.mean_difference < 0, r.text()


def test_signed_rank_published_example():
    # Darwin's Zea mays, as Fisher analysed it (scipy.stats.wilcoxon's documented example):
    # the smaller rank sum is 24 and the exact two-sided p is 0.04126
    d = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75]
    r = signed_rank(d, [0] * 15)
    assert (r.statistic, r.n) == (24.0, 15)
    assert "over 15 series: W = 24, p = 0.0413" in r.text()
    assert r.p_value == pytest.approx(0.041259765625, abs=1e-9)


def test_too_few_pairs_give_a_message_not_a_number():
    r = diebold_mariano([1.0, 2.0], [0.5, 0.1])
    assert r.p_value is None and r.statistic is None
    assert "2 origins; the test needs at least 3" in r.text()
    r = signed_rank([1, 2, 3, 4, 5, 5], [0, 0, 0, 0, 0, 5])
    assert r.p_value is None and "5 series differ (1 equal, left out)" in r.note
    assert "0.0625" in r.note
    r = paired_t([1.0, np.nan, 3.0], [0.0, 1.0, 2.0])  # a diverged seed leaves 2 pairs
    assert r.p_value is None and r.n == 2 and "2 seeds; the test needs at least 3" in r.note


def test_no_spread_and_too_many_lags_are_said():
    r = diebold_mariano([2, 3, 4], [1, 2, 3])
    assert r.p_value is None and "1 on every one of the 3 origins" in r.note
    r = diebold_mariano([1, 5, 2, 7], [0, 0, 0, 0], h=4)  # 4 + 1 - 8 + 3 < 0
    assert r.p_value is None and "need more than 4 origins" in r.note
    with pytest.raises(ConfigError, match="h must be a whole number >= 1"):
        diebold_mariano([1, 2, 3], [0, 0, 0], h=0)
    with pytest.raises(DataError, match="one length"):
        diebold_mariano([1, 2, 3], [0, 0])


def test_holm_by_hand():
    assert holm_adjust([0.01, 0.04, None, 0.03]) == [pytest.approx(0.03), pytest.approx(0.06),
                                                     None, pytest.approx(0.06)]
    assert holm_adjust([0.5, 0.9]) == [1.0, 1.0]
    tests = [paired_t([1, 2, 3, 5], [2, 3, 4.5, 6]), paired_t([1, 2], [0, 0])]
    assert with_holm(tests)[0].p_holm is None  # (one p-value: no family to adjust)
