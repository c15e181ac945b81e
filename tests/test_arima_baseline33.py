"""The panels' arima baseline (session 33): statsforecast's AutoARIMA per series. Its
forecasts, orders and intervals are checked against statsforecast called directly on the
same values; without statsforecast (the `arima` extra, which is not in the test extra: it
pins pandas<3) those tests skip, and the baseline is refused naming the extra."""

import sys

import numpy as np
import pytest

from rnnlab.extras import MissingExtraError
from rnnlab.panel import ARIMA, load_panel


@pytest.fixture
def no_statsforecast(monkeypatch):
    monkeypatch.setitem(sys.modules, "statsforecast", None)  # (import: an ImportError)
    monkeypatch.setitem(sys.modules, "statsforecast.models", None)


def test_without_statsforecast_it_is_refused_naming_the_extra(no_statsforecast):
    with pytest.raises(MissingExtraError, match=r"the arima baseline needs statsforecast.*"
                                                r"pip install 'rnnlab\[arima\]'"):
        ARIMA().fit(load_panel("visnights"))


def test_a_backtest_refuses_it_before_anything_fits(no_statsforecast):
    from rnnlab.panel.backtest import backtest

    with pytest.raises(MissingExtraError, match=r"rnnlab\[arima\]"):
        backtest(None, load_panel("visnights"), horizon=4, first_origin=8, stride=4,
                 baselines=("naive", "arima"))


@pytest.fixture
def sf():
    return pytest.importorskip("statsforecast.models")


def _series(panel, uid):
    return panel.series(uid)["y"].to_numpy(np.float64)


@pytest.mark.slow
def test_the_orders_forecasts_and_intervals_are_statsforecasts_own(sf):
    panel = load_panel("visnights")
    train, h = panel.cut(8), 8
    ids = panel.ids[:2]
    ours = ARIMA(quantiles=(0.025, 0.1, 0.5, 0.9, 0.975))
    fc = ours.fit(read_ids(train, ids)).predict(h)
    for uid in ids:
        y = _series(train, uid)
        direct = sf.AutoARIMA(season_length=4).fit(y)
        assert ours._fits[uid][1].model_["arma"] == direct.model_["arma"], uid
        want = direct.predict(h=h, level=[80, 95])
        mine = fc[fc["unique_id"] == uid]
        np.testing.assert_allclose(mine["mean"], want["mean"], rtol=1e-10)
        np.testing.assert_allclose(mine["q0.5"], want["mean"], rtol=1e-10)
        for col, key in [("q0.1", "lo-80"), ("q0.9", "hi-80"), ("q0.025", "lo-95"),
                         ("q0.975", "hi-95")]:
            np.testing.assert_allclose(mine[col], want[key], rtol=1e-8, err_msg=col)


def test_a_longer_history_keeps_the_fitted_model_as_statsforecasts_forward(sf):
    panel = load_panel("visnights")
    ids = panel.ids[:1]
    early, later = read_ids(panel.cut(12), ids), read_ids(panel.cut(4), ids)
    fc = ARIMA().fit(early).predict(4, history=later)
    for uid in ids:
        direct = sf.AutoARIMA(season_length=4).fit(_series(early, uid))
        want = direct.forward(y=_series(later, uid), h=4, level=[80])
        mine = fc[fc["unique_id"] == uid]
        np.testing.assert_allclose(mine["mean"], want["mean"], rtol=1e-10)
        np.testing.assert_allclose(mine["q0.9"], want["hi-80"], rtol=1e-8)


@pytest.mark.slow
def test_it_is_scored_in_a_backtest_by_name(sf):
    from rnnlab.panel.backtest import backtest

    res = backtest(None, read_ids(load_panel("visnights"), load_panel("visnights").ids[:3]),
                   horizon=4, first_origin=8, stride=4, baselines=("naive", "arima"))
    summary = res.summary().set_index("model")
    assert summary.loc["arima", "mase"] > 0 and summary.loc["arima", "crps"] > 0


def read_ids(panel, ids):
    """The panel's series ``ids`` alone."""
    from rnnlab.panel import read_panel

    df = panel.df[panel.df["unique_id"].isin(ids)]
    return read_panel(df[["unique_id", "ds", "y"]].reset_index(drop=True))


def test_the_command_line_refuses_it_before_any_folder(no_statsforecast, tmp_path, capsys):
    from rnnlab.cli import main

    out = tmp_path / "bt"
    assert main(["backtest", "--data", "visnights", "--model", "naive", "--baselines",
                 "naive,arima", "--horizon", "4", "--out", str(out)]) != 0
    assert "pip install 'rnnlab[arima]'" in " ".join(capsys.readouterr().err.split())
    assert not out.exists()


def test_a_very_short_series_is_forecast_without_numpys_warning(sf):
    # statsforecast's fit divided by zero on 3 values: numpy's RuntimeWarning reached the user
    import warnings

    import pandas as pd

    from rnnlab.panel import read_panel

    ds = pd.date_range("2000-01-01", periods=12, freq="QS")
    panel = read_panel(pd.DataFrame({"unique_id": "short", "ds": ds[:3], "y": [1.0, 2.0, 4.0]}))
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")  # (as "error" would not: statsforecast catches it)
        fc = ARIMA().fit(panel).predict(2)
    assert not [w for w in said if issubclass(w.category, RuntimeWarning)], said
    assert fc["mean"].notna().all() and len(fc) == 2
