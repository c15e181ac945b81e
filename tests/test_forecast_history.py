"""``Forecaster.predict(h, history=...)`` and ``rnnlab forecast --run DIR --data new.csv``:
a fitted model forecasts past the end of newer data of its series, nothing trained (the
run used to ignore ``--data`` with a warning and forecast after the old data)."""

import numpy as np
import pandas as pd
import pytest

from printed_words import words
from rnnlab.cli import main
from rnnlab.forecast import Forecaster
from rnnlab.io.errors import DataError


def _monthly(n):
    t = np.arange(n)
    return pd.DataFrame({"month": pd.date_range("2001-01-01", periods=n, freq="MS"),
                         "sales": 100 + t + 10 * np.sin(2 * np.pi * t / 12)})


@pytest.fixture(scope="module")
def fitted():
    return Forecaster(lookback=12, horizon=6, epochs=1, ensemble=1, progress=False,
                      val_size=0).fit(_monthly(48).iloc[:40])


def test_predict_from_newer_data_is_dated_after_it_and_reads_its_last_values(fitted):
    newer = _monthly(48)
    p = fitted.predict(4, history=newer)
    assert list(p.index) == list(pd.date_range("2005-01-01", periods=4, freq="MS"))
    np.testing.assert_allclose(p.to_numpy(), fitted.forecast_from(newer.sales.to_numpy(), 4))
    assert not np.allclose(p.to_numpy(), fitted.predict(4).to_numpy())  # not the old end
    undated = fitted.predict(2, history=newer.sales.to_numpy())
    assert list(undated.index) == [48, 49]


def test_newer_data_of_another_calendar_or_too_short_is_refused(fitted):
    weekly = pd.Series(np.arange(60.0) + 1, pd.date_range("2001-01-07", periods=60, freq="W"))
    with pytest.raises(DataError, match=r"fitted on 'MS' data and this is 'W-SUN' data"):
        fitted.predict(3, history=weekly)
    need = 12 + fitted.pipeline.lag
    with pytest.raises(DataError, match=rf"has 10 values and a forecast reads the last {need} "
                                        r"\(look-back 12 \+ differencing lag"):
        fitted.predict(3, history=_monthly(10))


def test_cli_run_with_data_forecasts_after_the_new_data(fitted, tmp_path, capsys):
    fitted.save(tmp_path / "run" / "model")
    _monthly(48).to_csv(tmp_path / "new.csv", index=False)
    assert main(["forecast", "--run", str(tmp_path / "run"), "--data", str(tmp_path / "new.csv"),
                 "--horizon", "3", "--output", str(tmp_path / "out.csv")]) == 0
    out = pd.read_csv(tmp_path / "out.csv")
    assert list(out.time) == ["2005-01-01", "2005-02-01", "2005-03-01"]
    np.testing.assert_allclose(out.forecast, fitted.predict(3, history=_monthly(48)).to_numpy())
    assert "ignored --data" not in words(capsys.readouterr().err)  # (a warning wraps)


def test_evaluation_forecasts_are_a_dated_frame_of_the_test_part(fitted):
    ev = fitted.evaluate()
    fr = ev.forecasts
    nt = fitted.n_train
    assert list(fr.index) == list(fitted.series.index[nt:])
    np.testing.assert_array_equal(fr["actual"], fitted.series.values[nt:])
    for method in ev.index:
        rmse = float(np.sqrt(np.mean((fr[method] - fr["actual"]) ** 2)))
        assert rmse == pytest.approx(ev.loc[method, "rmse"])


def test_a_backtest_of_a_series_with_missing_dates_keeps_its_own_dates():
    df = _monthly(60).drop(index=[20])  # one month missing: the panel runs on a stand-in
    f = Forecaster(lookback=12, horizon=3, epochs=1, ensemble=1, progress=False, val_size=0)
    fc = f.backtest(df, first_origin=6, stride=3, baselines=("naive",)).forecasts
    truth = df.set_index("month")["sales"]
    assert fc["ds"].isin(truth.index).all()  # were 2000-01-.. stand-in dates
    np.testing.assert_allclose(fc["y"], truth.loc[fc["ds"]].to_numpy())
    assert sorted(fc["origin"].unique()) == [pd.Timestamp("2005-06-01"),
                                             pd.Timestamp("2005-09-01")]


def test_plots_before_evaluate_and_after_a_second_fit(tmp_path):
    f = Forecaster(lookback=12, horizon=6, epochs=1, ensemble=1, progress=False, val_size=0)
    f.fit(_monthly(48))
    assert f.plot(tmp_path / "a.png").is_file()  # was ValueError: truth value of Evaluation
    assert f.plot(tmp_path / "h.png", kind="horizon").is_file()
    first = f.last_evaluation
    f.fit(_monthly(60))  # its evaluation must not plot the first fit's forecasts
    assert f.last_evaluation is None
    f.plot(tmp_path / "b.png")
    assert f.last_evaluation is not first and f.last_evaluation["n_train"] == f.n_train
