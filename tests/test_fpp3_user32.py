"""A day as an fpp3/fable user (session 32): what such a user tripped over on visnights and
us_employment. An unknown baseline name (fable's 'drift', 'theta') given to a Python backtest is
refused before any model fits (it was refused at the first origin's baselines, after the
network had trained there)."""

import pytest

from rnnlab.io.errors import ConfigError
from rnnlab.panel import SeasonalNaive, accuracy, load_panel
from rnnlab.panel.backtest import backtest


class _Counted(SeasonalNaive):
    fits: list = []

    def fit(self, panel, static=None):
        _Counted.fits.append(len(panel.df))
        return super().fit(panel, static=static)


@pytest.mark.parametrize("name", ["drift", "theta", "croston_typo", "snaive_typo"])
def test_an_unknown_baseline_is_refused_before_the_model_fits(name):
    _Counted.fits.clear()
    with pytest.raises(ConfigError, match=f"unknown baseline '{name}'"):
        backtest(_Counted, load_panel("visnights"), horizon=4, first_origin=8, stride=4,
                 baselines=("naive", name))
    assert _Counted.fits == []  # refused before anything was fitted


def test_known_baselines_still_backtest():
    _Counted.fits.clear()
    res = backtest(_Counted, load_panel("visnights"), horizon=4, first_origin=8, stride=4,
                   baselines="naive,seasonal_naive")
    assert set(res.forecasts["model"]) == {"model", "naive", "seasonal_naive"}
    assert len(_Counted.fits) == 1


def test_quarter_is_a_calendar_feature_of_four_seasons():
    # fable's season() on quarterly data; calendar=("quarter",) was refused as unknown
    import numpy as np
    import pandas as pd

    from rnnlab.panel.calendar import calendar_features
    from rnnlab.panel.config import PanelConfig

    assert PanelConfig(calendar=("quarter",)).calendar == ("quarter",)
    quarters = calendar_features(pd.date_range("2015-01-01", periods=8, freq="QS"), ("quarter",))
    assert quarters.shape == (8, 2)
    assert np.allclose(quarters[:4], quarters[4:])  # a year's cycle
    assert len({tuple(np.round(r, 6)) for r in quarters[:4]}) == 4  # four seasons apart
    months = calendar_features(pd.date_range("2015-01-01", periods=12, freq="MS"), ("quarter",))
    assert np.allclose(months[0], months[2]) and not np.allclose(months[2], months[3])


def test_a_quarterly_panel_fits_and_forecasts_with_the_quarter():
    from rnnlab.panel import GlobalForecaster

    panel = load_panel("visnights")
    f = GlobalForecaster("gru", lookback=8, horizon=4, calendar=("quarter",), epochs=1,
                         batches_per_epoch=2, hidden_size=4)
    fc = f.fit(panel.cut(4)).predict(4)  # the quarters ahead come from the dates: no future=
    assert len(fc) == 4 * len(panel.ids) and fc["mean"].notna().all()


def test_the_documented_merge_of_forecasts_with_the_panel_finds_every_row():
    # visnights' quarters come back as periods; a merge with panel.df (timestamps) on ds
    # matched no row without an error, and the README said forecasts merge with the input
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert 'fc.merge(panel.given(), on=["unique_id", "ds"])' in readme
    panel = load_panel("visnights")
    fc = SeasonalNaive().fit(panel.cut(4)).predict(4)
    merged = fc.merge(panel.given(), on=["unique_id", "ds"])
    assert len(merged) == len(fc) == 4 * len(panel.ids)
    assert (merged["mean"] - merged["y"]).abs().max() > 0  # actuals beside forecasts
    assert fc.merge(panel.df, on=["unique_id", "ds"]).empty  # why the README says so


def test_predict_after_backtest_alone_says_the_backtest_left_the_model_unfitted():
    # after f.backtest(...), f.predict(8) said only "predict before fit"
    from rnnlab.io.errors import NotFittedError
    from rnnlab.panel import GlobalForecaster

    f = GlobalForecaster("gru", lookback=8, horizon=4, epochs=1, batches_per_epoch=2,
                         hidden_size=4)
    with pytest.raises(NotFittedError) as plain:
        f.predict(4)
    assert "backtest" not in str(plain.value)
    f.backtest(load_panel("visnights"), first_origin=4, baselines=("naive",))
    with pytest.raises(NotFittedError, match=r"backtest\(\) fitted copies .*f\.fit\(panel\)"):
        f.predict(4)


def _tsibble_like():
    # visnights as an fpp3 user holds it: key Region, index Quarter, measure Nights
    from rnnlab.data.catalog import builtin_path
    import pandas as pd

    return pd.read_csv(builtin_path("visnights.csv"))


def test_accuracy_reads_a_table_by_its_own_column_names():
    # the refusal named id_column=, which accuracy did not take (a bare TypeError)
    panel = load_panel("visnights")
    fc = SeasonalNaive().fit(panel.cut(8)).predict(8)
    table = _tsibble_like()
    assert list(table.columns) == ["Region", "Quarter", "Nights"]
    by_names = accuracy(fc, table, id_column="Region", date_column="Quarter", target="Nights")
    assert by_names.equals(accuracy(fc, panel))
    assert by_names["mase"].notna().all() and len(by_names) == len(panel.ids)


def test_accuracy_refuses_column_names_with_a_panel_and_answers_fables_measures():
    from rnnlab.io.errors import ConfigTypeError

    panel = load_panel("visnights")
    fc = SeasonalNaive().fit(panel.cut(4)).predict(4)
    with pytest.raises(ConfigError, match="read already"):
        accuracy(fc, panel, id_column="Region")
    with pytest.raises(ConfigTypeError, match=r"measures.*select the columns"):
        accuracy(fc, panel, measures=["MASE"])
    with pytest.raises(ConfigTypeError, match="'fold'.*its keywords are by"):
        accuracy(fc, panel, fold=1)


def test_the_one_series_forecaster_points_a_quarter_to_the_panel_model():
    from rnnlab.forecast import Forecaster

    with pytest.raises(Exception, match=r"cyclic ones \(month, quarter, .*GlobalForecaster"):
        Forecaster(calendar=("quarter",))


def test_drift_forecasts_the_line_from_first_to_last_value_as_fpp3s_rw_drift():
    # fpp3's RW(y ~ drift()), a staple beside NAIVE and SNAIVE, was no panel baseline
    import numpy as np

    from rnnlab.panel import RWDrift

    panel = load_panel("us_employment")
    train = panel.cut(12)
    fc = RWDrift().fit(train).predict(12)
    for uid in panel.ids[:5]:
        y = train.series(uid)["y"].to_numpy()
        slope = (y[-1] - y[0]) / (len(y) - 1)
        by_hand = y[-1] + slope * np.arange(1, 13)  # fpp3 5.2's drift, by hand
        mine = fc[fc["unique_id"] == uid]
        assert np.allclose(mine["mean"].to_numpy(), by_hand)
        assert (mine["q0.1"] < mine["q0.5"]).all() and (mine["q0.5"] < mine["q0.9"]).all()
        width = (mine["q0.9"] - mine["q0.1"]).to_numpy()
        assert width[-1] > width[0]  # wider further ahead


def test_drift_intervals_cover_a_random_walk_with_drift():
    import numpy as np
    import pandas as pd

    from rnnlab.panel import RWDrift, read_panel

    rng = np.random.default_rng(0)
    n, k, h = 120, 200, 6
    y = np.cumsum(0.5 + rng.normal(size=(k, n + h)), axis=1)
    ds = pd.date_range("2000-01-01", periods=n + h, freq="MS")
    long = pd.DataFrame({"unique_id": np.repeat([f"s{i}" for i in range(k)], n + h),
                         "ds": np.tile(ds, k), "y": y.ravel()})
    panel = read_panel(long)
    fc = RWDrift().fit(panel.cut(h)).predict(h)
    truth = fc.merge(panel.df, on=["unique_id", "ds"])
    inside = ((truth["y"] >= truth["q0.1"]) & (truth["y"] <= truth["q0.9"])).mean()
    assert 0.74 <= inside <= 0.86, inside
    assert abs((truth["y"] - truth["mean"]).mean()) < 0.3  # no bias: the drift is followed


def test_drift_is_a_baseline_by_name_in_a_backtest():
    _Counted.fits.clear()
    res = backtest(_Counted, load_panel("visnights"), horizon=4, first_origin=8, stride=4,
                   baselines=("naive", "rw_drift"))
    summary = res.summary().set_index("model")
    assert {"model", "naive", "rw_drift"} <= set(summary.index)
    assert summary.loc["rw_drift", "mase"] > 0


def test_drift_by_name_names_rw_drift_not_the_one_series_drift():
    # the one-series Forecaster's drift is another method (the seasonal naive grown by the
    # average yearly growth): a panel table's 'drift' row would have named two methods
    from rnnlab.panel.baselines import make_baseline

    with pytest.raises(ConfigError, match="'drift' is 'rw_drift' here"):
        make_baseline("drift")
    assert make_baseline("rw_drift").name == "rw_drift"
