"""Panel metrics against hand computations and properscoring's closed forms."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.panel import metrics as M


def test_mase_scale_is_in_sample_seasonal_naive_mae():
    y = np.array([1.0, 2, 3, 5, 4, 6, 9, 7])
    # period 2: |3-1|,|5-2|,|4-3|,|6-5|,|9-4|,|7-6| -> 2,3,1,1,5,1 -> 13/6
    assert M.mase_scale(y, 2) == pytest.approx(13 / 6)
    # no period, or too short for one: naive differences 1,1,2,1,2,3,2 -> 12/7
    assert M.mase_scale(y, None) == pytest.approx(12 / 7)
    assert M.mase_scale(y[:2], 4) == pytest.approx(1.0)
    assert np.isnan(M.mase_scale(np.ones(5), 1))  # constant: no scale, no division by 0


def test_point_metrics_by_hand():
    y = np.array([10.0, 20.0, 30.0, 0.0])
    p = np.array([12.0, 17.0, 30.0, 0.0])
    got = M.point_metrics(y, p, scale=2.0)
    assert got["mae"] == pytest.approx(5 / 4)
    assert got["rmse"] == pytest.approx(np.sqrt((4 + 9) / 4))
    assert got["mase"] == pytest.approx(5 / 4 / 2)
    assert got["smape"] == pytest.approx(100 * (2 * 2 / 22 + 2 * 3 / 37 + 0 + 0) / 4)


def _frame():
    # two series of very different scales; scaled errors make them comparable
    return pd.DataFrame({
        "model": "m", "unique_id": ["a", "a", "b", "b"], "step": [1, 2, 1, 2],
        "y": [1.0, 2.0, 1000.0, 2000.0], "mean": [2.0, 2.0, 1000.0, 3000.0],
        "scale": [1.0, 1.0, 1000.0, 1000.0],
        "q0.1": [0.0, 1.0, 900.0, 2500.0], "q0.5": [2.0, 2.0, 1000.0, 3000.0],
        "q0.9": [3.0, 4.0, 1100.0, 3500.0],
    })


def test_per_series_and_summary_by_hand():
    ps = M.per_series(_frame()).set_index("unique_id")
    assert ps.loc["a", "mase"] == pytest.approx(0.5)   # |e| = 1, 0 over scale 1
    assert ps.loc["b", "mase"] == pytest.approx(0.5)   # |e| = 0, 1000 over scale 1000
    assert ps.loc["b", "rmse"] == pytest.approx(np.sqrt(1000 ** 2 / 2))
    assert ps.loc["a", "coverage80"] == pytest.approx(1.0)
    assert ps.loc["b", "coverage80"] == pytest.approx(0.5)  # 2000 < 2500
    assert ps.loc["a", "width80"] == pytest.approx(3.0)
    # pinball of series a, first row: y=1; q0.1=0 -> 0.1*1; q0.5=2 -> 0.5*1; q0.9=3 -> 0.1*2
    first = M.add_errors(_frame()).iloc[0]
    assert first["pinball"] == pytest.approx((0.1 + 0.5 + 0.2) / 3)
    s = M.summarize(_frame()).iloc[0]
    assert s["mase"] == pytest.approx(0.5) and s["coverage80"] == pytest.approx(0.75)
    assert s["n_series"] == 2 and s["n_forecasts"] == 4


def test_crps_of_samples_equals_properscoring_and_hand_value():
    # ensemble {0, 1}, y = 0.5: E|X-y| - E|X-X'|/2 = 0.5 - 0.25
    assert M.crps([0.5], [[0.0, 1.0]])[0] == pytest.approx(0.25)
    import properscoring as ps

    rng = np.random.default_rng(0)
    x = rng.normal(size=(5, 40))
    y = rng.normal(size=5)
    np.testing.assert_allclose(M.crps(y, x), ps.crps_ensemble(y, x))


def test_crps_from_dense_quantiles_approaches_the_gaussian_closed_form():
    import properscoring as ps
    from scipy.stats import norm

    levels = np.arange(1, 100) / 100
    y = np.array([-1.5, 0.0, 0.3, 2.0])
    q = np.tile(norm.ppf(levels) * 2.0 + 1.0, (len(y), 1))  # N(1, 2^2)
    got = M.crps(y, q, levels)
    want = ps.crps_gaussian(y, mu=1.0, sig=2.0)
    np.testing.assert_allclose(got, want, rtol=0.03)
    # the coarse 3-quantile version is an approximation, but of the right size
    q3 = norm.ppf([0.1, 0.5, 0.9]) * 2.0 + 1.0
    coarse = M.crps(y, np.tile(q3, (len(y), 1)), [0.1, 0.5, 0.9])
    assert np.all(np.abs(coarse - want) < 0.35 * want + 0.2)


def test_quantile_levels_read_from_columns():
    assert M.quantile_levels(["mean", "q0.9", "q0.1", "q0.5", "qx"]) == [0.1, 0.5, 0.9]
    assert M.quantile_column(0.05) == "q0.05"


def test_missing_properscoring_warns_once_not_once_per_caller(monkeypatch):
    import warnings

    from rnnlab import extras
    from rnnlab.panel import crps as crps_module, metrics as M

    monkeypatch.setattr(extras, "is_installed", lambda name: name != "properscoring")
    monkeypatch.setattr(crps_module, "_crps_missing_said", False)  # as in a fresh process
    y, q = np.zeros(3), np.zeros((3, 3))

    def summary():  # two callers, as a run's summary and per-series tables are
        return M._crps_or_nan(y, q, (0.1, 0.5, 0.9))

    def per_series():
        return M._crps_or_nan(y, q, (0.1, 0.5, 0.9))

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("default")  # Python's own filter: once per location
        a = summary()
        b = per_series()
    assert np.isnan(a).all() and np.isnan(b).all()
    assert [str(w.message).startswith("properscoring is not installed") for w in seen] == [True]


def test_missing_properscoring_warns_once_across_filter_changes(monkeypatch):
    """Between the callers of a run, the ETS baseline and the panel reader change the
    warnings filters (``catch_warnings`` + ``simplefilter``), which empties Python's
    once-per-location registry: ``rnnlab backtest`` printed the warning 6 times."""
    import warnings

    from rnnlab import extras
    from rnnlab.panel import crps as crps_module, metrics as M

    monkeypatch.setattr(extras, "is_installed", lambda name: name != "properscoring")
    monkeypatch.setattr(crps_module, "_crps_missing_said", False)
    y, q = np.zeros(3), np.zeros((3, 3))
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("default")
        for _ in range(3):
            assert np.isnan(M._crps_or_nan(y, q, (0.1, 0.5, 0.9))).all()
            with warnings.catch_warnings():  # as ETS.predict does between two tables
                warnings.simplefilter("ignore")
    assert [str(w.message).startswith("properscoring is not installed") for w in seen] == [True]


def test_interval_names_keep_a_non_whole_nominal_share():
    """(0.0025, 0.9975) is the 99.5% interval and (0.0125, 0.9875) the 97.5% one: their
    coverage was named coverage100 and coverage98 (the share rounded to a whole percent),
    and two intervals that round alike (99.5% and 99.8%) wrote one column over the other."""
    levels = (0.001, 0.0025, 0.0125, 0.1, 0.5, 0.9, 0.9875, 0.9975, 0.999)
    fc = pd.DataFrame({"model": "m", "unique_id": "a", "y": [0.0, 5.0], "mean": [0.0, 0.0],
                       "scale": 1.0})
    wide = [-9.0, -8.0, -4.0, -1.0, 0.0, 1.0, 4.0, 8.0, 9.0]  # each interval's half-width
    for t, v in zip(levels, wide):
        fc[M.quantile_column(t)] = v
    ps = M.per_series(fc).iloc[0]
    assert [n for _, n in M.central_intervals(levels)] == ["99.8", "99.5", "97.5", "80"]
    # y = 5 is inside the 99.8% (+-9) and 99.5% (+-8) intervals only
    assert ps["coverage99.8"] == 1.0 and ps["coverage99.5"] == 1.0
    assert ps["coverage97.5"] == 0.5 and ps["coverage80"] == 0.5
    assert ps["width99.8"] == 18.0 and ps["width99.5"] == 16.0 and ps["width97.5"] == 8.0
    assert "coverage100" not in ps and "coverage98" not in ps
    assert M.interval_columns(M.summarize(fc).columns) == [
        "coverage80", "width80", "coverage97.5", "width97.5", "coverage99.5", "width99.5",
        "coverage99.8", "width99.8"]  # 80 first, then by share


def test_interval_scores_are_over_the_rows_with_a_true_value():
    """A row whose true value is NaN is not scored: not in the coverage (as before), and
    not in the width either (its interval, 100 wide, was averaged into width80 beside a
    coverage of the other rows)."""
    fc = pd.DataFrame({"model": "m", "unique_id": "a", "y": [1.0, np.nan, 3.0, 4.0],
                       "mean": [1.0, 2.0, 3.0, 4.0], "scale": 2.0,
                       "q0.1": [0.0, 0.0, 0.0, 0.0], "q0.5": [1.0, 2.0, 3.0, 4.0],
                       "q0.9": [2.0, 100.0, 2.0, 5.0]})
    ps = M.per_series(fc).iloc[0]
    assert ps["coverage80"] == pytest.approx(2 / 3)
    assert ps["width80"] == pytest.approx((2 + 2 + 5) / 3)
    assert ps["scaled_width80"] == pytest.approx((2 + 2 + 5) / 3 / 2)
    assert np.isfinite(ps["crps"]) and np.isfinite(ps["pinball"])


def test_models_with_different_levels_are_each_scored_on_their_own():
    """One frame, two models with different quantile levels (each NaN in the other's
    columns, as a backtest joins them): every model's pinball and CRPS were NaN, as the
    mean over all the frame's levels met the other model's NaN columns."""
    a = _frame()
    b = _frame().assign(model="b").rename(columns={"q0.1": "q0.05", "q0.9": "q0.95"})
    both = M.per_series(pd.concat([a, b], ignore_index=True)).set_index(["model",
                                                                          "unique_id"])
    for alone, name in ((M.per_series(a), "m"), (M.per_series(b), "b")):
        alone = alone.set_index(["model", "unique_id"])
        for col in ("pinball", "crps", "scaled_pinball", "scaled_crps", "wql"):
            np.testing.assert_allclose(both.loc[name, col], alone.loc[name, col], rtol=1e-12)
    assert both["pinball"].notna().all() and both["crps"].notna().all()
