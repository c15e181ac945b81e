"""The weighted model's weights where the scores' inverse squares leave a float's range
(selection.weights divided by a total of 0.0, or raised OverflowError), and
methods.weighted with no positive weight (it returned the int 0, a forecast of zeros)."""

from __future__ import annotations

import numpy as np
import pytest

from rnnlab.forecast import selection as S
from rnnlab.forecast.methods import weighted

PLAIN = {"network": 1.0, "linear_ar": 2.0, "seasonal_naive": 4.0}


def _close(w, want):
    assert list(w) == list(want)
    assert all(np.isclose(w[n], want[n], rtol=1e-12) for n in want)
    assert np.isclose(sum(w.values()), 1.0)


@pytest.mark.parametrize("scale", [1e200, 1e-200, 1e154, 1e156, 1e160, 1e161])
def test_weights_depend_on_the_scores_ratios_only(scale):
    """1e200: every inverse square is 0.0 (a total of 0); 1e-200: OverflowError; 1e154:
    the plain formula still (its total a normal float); 1e156 to 1e161: subnormal inverse
    squares (1e161 weighed the seasonal naive 0.038 for 0.048), the ratios instead."""
    _close(S.weights({n: v * scale for n, v in PLAIN.items()}), S.weights(PLAIN))


def test_inverse_squares_whose_sum_overflows_share_the_weight():
    """Each 1e308, their sum inf: each weight was 0.0, the weights summing to 0."""
    assert S.weights({"network": 1e-154, "arma": 1e-154}) == {"network": 0.5, "arma": 0.5}


def test_a_member_far_better_than_the_rest_takes_the_weight():
    w = S.weights({"network": 1e-200, "arma": 1.0, "seasonal_naive": np.inf})
    assert w["network"] == 1.0 and w["arma"] == 0.0 and w["seasonal_naive"] == 0.0


def test_scores_none_finite_still_weigh_equally():
    w = S.weights({"network": np.inf, "arma": np.nan, "seasonal_naive": -np.inf})
    assert w == {"network": 1 / 3, "arma": 1 / 3, "seasonal_naive": 1 / 3}


def test_the_default_formula_is_the_one_used_in_range():
    raw = {n: v ** -S.POWER for n, v in PLAIN.items()}
    assert S.weights(PLAIN) == {n: v / sum(raw.values()) for n, v in raw.items()}


@pytest.mark.parametrize("table, base", [
    ({"network": 0.0, "seasonal_naive": 0.0, "arma": -0.0}, "seasonal_naive"),
    ({"network": 0.0, "naive": 0.0}, "naive"),
    ({}, "naive"),
])
def test_no_positive_weight_forecasts_the_selections_baseline(table, base):
    forecasts = {"network": np.array([9.0, 9.0]), "seasonal_naive": np.array([1.0, 2.0]),
                 "naive": np.array([3.0, 3.0]), "arma": np.array([7.0, 7.0])}
    with pytest.warns(UserWarning, match=f"the forecast is the {base}'s, the baseline"):
        out = weighted(table, forecasts.__getitem__)
    assert isinstance(out, np.ndarray) and out.tolist() == forecasts[base].tolist()


def test_positive_weights_are_the_weighted_mean_as_before():
    f = {"network": np.array([1.0, 3.0]), "arma": np.array([5.0, 7.0])}
    assert weighted({"network": 0.25, "arma": 0.75, "naive": 0.0}, f.__getitem__).tolist() \
        == [0.25 * 1 + 0.75 * 5, 0.25 * 3 + 0.75 * 7]
