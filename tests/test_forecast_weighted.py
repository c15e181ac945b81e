"""The default model, ``weighted``, and its new member ``linear_ar0`` (rnnlab.forecast)."""

import json

import numpy as np
import pytest
from forecast_series import seasonal

from rnnlab.forecast import Forecaster
from rnnlab.forecast.baselines import LinearAR, seasonal_naive
from rnnlab.forecast.selection import MEMBERS, check_weights, weights
from rnnlab.io.errors import CheckpointError, DataError

TINY = dict(hidden_size=4, epochs=3, ensemble=1, progress=False, lookback=6, horizon=6)


def test_weights_are_inverse_squared_scores_normalised():
    w = weights({"network": 0.5, "linear_ar": 1.0, "seasonal_naive": 2.0, "drift": 0.1})
    assert set(w) == {"network", "linear_ar", "seasonal_naive"}  # drift is not a member
    raw = np.array([1 / 0.25, 1.0, 1 / 4])
    np.testing.assert_allclose([w["network"], w["linear_ar"], w["seasonal_naive"]],
                               raw / raw.sum(), rtol=1e-12)
    assert weights({"network": float("nan"), "linear_ar": 1.0}) == {"network": 0.0,
                                                                     "linear_ar": 1.0}
    assert weights({"network": 0.0, "linear_ar": 0.0, "naive": 1.0}) == {
        "network": 0.5, "linear_ar": 0.5, "naive": 0.0}  # perfect ones share it
    assert weights({"network": float("inf"), "naive": float("nan")}) == {"network": 0.5,
                                                                         "naive": 0.5}


def test_a_linear_ar_without_constant_fits_no_intercept_and_refuses_bad_coefficients():
    rng = np.random.default_rng(0)
    z = np.zeros(4000)
    for t in range(1, len(z)):
        z[t] = 0.6 * z[t - 1] + rng.normal()
    ar = LinearAR(1, constant=False).fit(z + 0.0)
    assert ar.coef.shape == (1,) and abs(ar.coef[0] - 0.6) < 0.05
    shifted = LinearAR(1, constant=True).fit(z + 5.0)  # a constant absorbs the shift
    assert shifted.coef.shape == (2,) and abs(shifted.coef[0] - 0.6) < 0.05
    np.testing.assert_allclose(ar.forecast(np.array([1.0]), 3), 0.6 ** np.arange(1, 4) * 1.0,
                               rtol=0.1)  # the change decays to zero
    with pytest.raises(ValueError, match="expected 2 finite coefficients, found 3"):
        LinearAR(1).set_coef([0.1, 0.2, 0.3], "linear_ar")
    with pytest.raises(ValueError, match="finite"):
        LinearAR(1, constant=False).set_coef([float("nan")], "linear_ar0")


def test_linear_ar0_forecasts_the_seasonal_naive_when_the_recent_changes_are_zero():
    f = Forecaster(**TINY).fit(seasonal(seed=5))  # default: log and seasonal differences
    assert f.ar0 is not None and f.ar0.coef.shape == (6,)
    h = f.series.values[:f.n_train].copy()
    h[-6:] = h[-18:-12]  # the last 6 seasonal changes (the AR's window) are exactly zero
    np.testing.assert_allclose(f.forecast_with("linear_ar0", h, 12),
                               seasonal_naive(h, 12, 12), rtol=1e-10)


@pytest.mark.parametrize("name, attr", [("linear_ar0", "ar0"), ("arma", "arma")])
def test_the_members_on_differences_are_absent_from_an_undifferenced_series(name, attr):
    g = Forecaster(**TINY, difference="none").fit(seasonal(seed=5))
    assert getattr(g, attr) is None and name not in g.candidates()
    with pytest.raises(DataError, match=f"{name} forecasts the differences"):
        g.forecast_with(name, g.series.values, 3)
    with pytest.raises(DataError, match=f"select='{name}'.*not differenced"):
        Forecaster(**TINY, difference="none", select=name).fit(seasonal(seed=5))


def test_weighted_is_the_weighted_mean_of_its_members_with_weights_from_their_scores():
    f = Forecaster(**TINY).fit(seasonal(seed=6))
    c = f.choice
    assert c["method"] == "weighted" and set(c["weights"]) == {
        "network", "linear_ar", "linear_ar0", "arma", "seasonal_naive"}
    members = {n: c["scores"][n] for n in c["weights"]}
    assert c["weights"] == pytest.approx(weights(members), rel=1e-12)
    h = f.series.values[:f.n_train]
    expect = sum(w * f.forecast_with(n, h, 6) for n, w in c["weights"].items())
    np.testing.assert_allclose(f.forecast_with("weighted", h, 6), expect, rtol=1e-12)
    # its own score is that of this forecast on the same origins
    assert np.isfinite(c["scores"]["weighted"]) and c["scores"]["weighted"] > 0
    no_val = Forecaster(**TINY, val_size=0, select="weighted").fit(seasonal(seed=6))
    assert no_val.choice["weights"] == pytest.approx({n: 1 / 5 for n in c["weights"]})
    other = Forecaster(**TINY, select="drift").fit(seasonal(seed=6))
    with pytest.raises(DataError, match="weighted needs the weights"):
        other.forecast_with("weighted", h, 6)


def test_saved_weights_are_checked_and_old_models_refit_linear_ar0(tmp_path):
    f = Forecaster(**TINY).fit(seasonal(seed=7))
    f.save(tmp_path / "m")
    path = tmp_path / "m" / "model.json"
    meta = json.loads(path.read_text())
    meta.pop("_sha256", None)
    for bad, msg in (({"network": 0.7, "linear_ar": 0.7}, "sum to 1"),
                     ({"network": -0.5, "linear_ar": 1.5}, ">= 0"),
                     ({"arima": 1.0}, "expected weights of some of"),
                     (None, "expected weights")):
        m = json.loads(json.dumps(meta))
        m["extra"]["choice"]["weights"] = bad
        path.write_text(json.dumps(m))
        with pytest.raises(CheckpointError, match=msg):
            Forecaster.load(tmp_path / "m")
    m = json.loads(json.dumps(meta))
    m["extra"]["linear_ar0"] = [1.0, 2.0]
    path.write_text(json.dumps(m))
    with pytest.raises(CheckpointError, match="expected 6 finite coefficients"):
        Forecaster.load(tmp_path / "m")
    m = json.loads(json.dumps(meta))
    del m["extra"]["linear_ar0"]  # saved before linear_ar0: refitted from the saved series
    path.write_text(json.dumps(m))
    g = Forecaster.load(tmp_path / "m")
    np.testing.assert_allclose(g.ar0.coef, f.ar0.coef, rtol=1e-12)
    np.testing.assert_allclose(g.predict(6).values, f.predict(6).values, rtol=1e-12)
    assert set(MEMBERS) >= set(check_weights(f.choice["weights"], "w"))


@pytest.mark.parametrize("method", ["weighted", "linear_ar", "linear_ar0", "drift", "network",
                                    "seasonal_naive"])
def test_a_history_too_short_for_a_method_is_refused_with_the_count_it_needs(method):
    """Before: the linear ARs (so the default, through its members) failed in numpy's matmul
    and seasonal_naive with an IndexError."""
    f = Forecaster(**TINY).fit(seasonal(seed=8))
    need = 12 if method == "seasonal_naive" else 6 + 12  # look-back + the seasonal lag
    with pytest.raises(DataError, match=f"needs .*{need}.* got {need - 1}"):
        f.forecast_with(method, f.series.values[:need - 1], 3)
    assert np.isfinite(f.forecast_with(method, f.series.values[:need], 3)).all()


def test_an_absurd_horizon_is_refused_at_once_and_the_seasonal_naive_is_vectorised():
    """Before: predict(99999999999) with the default looped over the steps in Python (the
    seasonal naive member) and never answered (the hostile sweep's `--horizon huge`)."""
    from rnnlab.forecast.forecaster import MAX_STEPS

    f = Forecaster(**TINY).fit(seasonal(seed=9))
    with pytest.raises(DataError, match="horizon 99999999999 is more than 1,000,000 steps"):
        f.predict(99999999999)
    # it said "takes hours": 10,000 steps took 17.5 s, a million about half an hour
    with pytest.raises(DataError, match=r"about 1.6 ms a step .* 1,000,000 steps take about "
                                        r"half an hour") as e:
        f.predict(MAX_STEPS + 1)
    assert "hours" not in str(e.value)
    assert len(f.predict(MAX_STEPS // 1000)) == MAX_STEPS // 1000
    h = np.arange(30.0)
    np.testing.assert_array_equal(seasonal_naive(h, 29, 12), [h[18 + i % 12] for i in range(29)])
