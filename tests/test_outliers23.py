"""Extreme values (a 1e9 typed among values near 100) are named in a warning before a fit,
in the one-series and the panel paths; the data rnnlab ships gives none (session 23)."""

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.data.datasets import DATASETS
from rnnlab.data.outliers import OutlierWarning, spike_note, spikes
from rnnlab.panel import load_panel
from rnnlab.panel.outlier_check import panel_spikes


def airline() -> np.ndarray:
    return DATASETS["airline"].load().values.astype(np.float64)


@pytest.mark.parametrize("name", ["airline", "dji", "sine"])
def test_shipped_series_have_no_extreme_value(name):
    assert spikes(DATASETS[name].load().values) == []


@pytest.mark.parametrize("name", ["us_employment", "elecdaily", "visnights"])
def test_shipped_panels_have_no_extreme_value(name):
    # (us_employment's strikes and the Postal Service's Christmas peaks are real)
    assert panel_spikes(load_panel(name).df) == []


@pytest.mark.parametrize("value", [1e9, 3000.0, 30.0, 0.001])
def test_a_typed_value_far_from_both_neighbours_is_found(value):
    y = airline()
    y[100] = value
    found = spikes(y)
    assert [p.position for p in found] == [100] and found[0].value == value


def test_the_last_value_is_judged_and_nan_is_left_out():
    y = airline()
    y[-1] = 1e9
    y[50] = np.nan
    assert [p.position for p in spikes(y)] == [len(y) - 1]


def test_level_shifts_resets_and_stuck_sensors_are_not_extreme_values():
    counter = np.r_[np.arange(1.0, 51.0), np.arange(0.0, 50.0)]  # a counter reset to 0
    shift = np.r_[np.full(50, 3.0), np.full(50, 30.0)]
    stuck = np.r_[np.linspace(100, 120, 30), np.full(70, 120.0)]
    rng = np.random.default_rng(0)
    sales = rng.poisson(0.1, 500) * rng.integers(1, 20, 500)  # intermittent orders
    for y in (counter, shift, stuck, sales):
        assert spikes(y) == []


def test_a_spike_in_a_stuck_sensor_or_in_noise_around_zero_is_found():
    stuck = np.full(200, 5.0)
    stuck[100] = 1e9
    noise = np.random.default_rng(1).normal(0.0, 1.0, 300)
    noise[150] = 1e9
    assert [p.position for p in spikes(stuck)] == [100]
    assert [p.position for p in spikes(noise)] == [150]


def test_the_note_names_series_date_value_and_what_to_do():
    y = airline()
    y[100] = 1e9
    labels = DATASETS["airline"].load().index
    note = spike_note("passengers", y, labels)
    assert "'passengers'" in note and "1e+09 at 1957-05-01 (position 100)" in note
    assert "fill='interpolate'" in note
    assert spike_note("passengers", airline(), labels) is None
    assert "1e+09 at position 100;" in spike_note("x", y)  # (no dates: the position alone)


def _fits_warnings(fit):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        fit()
    return [str(x.message) for x in w if issubclass(x.category, OutlierWarning)]


@pytest.mark.slow
def test_forecaster_fit_and_predict_from_new_data_warn_of_a_typed_value():
    from rnnlab import Forecaster

    s = DATASETS["airline"].load().to_pandas()
    spiked = s.copy()
    spiked.iloc[100] = 1e9
    kw = dict(epochs=1, ensemble=1, hidden_size=4, progress=False)
    f = Forecaster("gru", **kw)
    said = _fits_warnings(lambda: f.fit(spiked))
    assert len(said) == 1 and "1e+09 at 1957-05-01" in said[0]
    said = _fits_warnings(lambda: f.predict(history=spiked))  # (--run DIR --data new.csv)
    assert len(said) == 1 and said[0].startswith("the new data (history=, --run --data): "
                                                 "series 'passengers' has 1 extreme value")
    assert _fits_warnings(lambda: f.predict(history=s)) == []


def _panel(spike: bool) -> pd.DataFrame:
    y = airline()[:60]
    df = pd.DataFrame({"unique_id": np.repeat(["a", "b"], 60),
                       "ds": np.tile(pd.date_range("2000-01-01", periods=60, freq="MS"), 2),
                       "y": np.r_[y, y * 2]})
    if spike:
        df.loc[70, "y"] = 1e9  # series b, 2000-11
    return df


@pytest.mark.slow
def test_global_forecaster_fit_and_predict_from_new_data_name_the_series_date_and_value():
    from rnnlab.panel import GlobalForecaster

    kw = dict(lookback=12, horizon=6, hidden_size=4, head_size=4, epochs=1,
              batches_per_epoch=1, batch_size=8)
    said = _fits_warnings(lambda: GlobalForecaster("gru", **kw).fit(_panel(True)))
    assert len(said) == 1 and "'b': 1e+09 at 2000-11-01 (position 10)" in said[0]
    f = GlobalForecaster("gru", **kw)
    assert _fits_warnings(lambda: f.fit(_panel(False))) == []
    said = _fits_warnings(lambda: f.predict(history=_panel(True)))  # (--run DIR --data)
    assert len(said) == 1 and said[0].startswith("the new data (history=): 1 series has")
    assert _fits_warnings(lambda: f.predict(history=_panel(False))) == []


def test_the_panel_scores_its_series_as_one_at_a_time():
    rng = np.random.default_rng(2)
    parts, want = [], {}
    for k, n in enumerate([40, 40, 40, 25, 25, 3, 60]):
        y = np.exp(np.cumsum(rng.normal(0.0, 0.05, n))) * (1 if k % 2 else -1) ** (k == 4)
        if k in (1, 3, 4, 6):
            y[n // 2] = 1e9
        if k == 6:
            y[5] = np.nan
        parts.append(pd.DataFrame({"unique_id": f"s{k}", "y": y,
                                   "ds": pd.date_range("2000-01-01", periods=n, freq="D")}))
        want[f"s{k}"] = spikes(y)
    got = {u: h for u, h, _ in panel_spikes(pd.concat(parts, ignore_index=True))}
    assert got == {u: h for u, h in want.items() if h} and set(got) == {"s1", "s3", "s4", "s6"}


def test_a_backtest_names_the_extreme_values_once_for_all_its_origins_and_models():
    from rnnlab.panel.backtest import backtest

    said = _fits_warnings(lambda: backtest(None, _panel(True), horizon=6, first_origin=24,
                                           stride=6, baselines=["naive", "seasonal_naive"]))
    assert len(said) == 1 and "'b': 1e+09 at 2000-11-01 (position 10)" in said[0]
    assert "scale='robust'" not in said[0]  # (no model's scale: baselines)
    assert _fits_warnings(lambda: backtest(None, _panel(False), horizon=6, first_origin=24,
                                           baselines=["naive"])) == []
