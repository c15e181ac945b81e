"""Panel API corners found by a user sweep: ``history=`` given as a DataFrame (the way
``fit`` takes it), baselines fitted on a DataFrame, and an empty panel."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel import GlobalForecaster, read_panel
from rnnlab.panel.baselines import ETS, SeasonalNaive


def _panel_df(n=60):
    rng = np.random.default_rng(0)
    ds = pd.date_range("2020-01-01", periods=n, freq="D")
    return pd.concat([pd.DataFrame({"unique_id": i, "ds": ds,
                                    "y": 10 * i + np.sin(np.arange(n)) + rng.normal(0, .1, n)})
                      for i in (1, 2)], ignore_index=True)


def test_history_may_be_a_dataframe_like_the_data_given_to_fit():
    df = _panel_df()
    train, longer = df.groupby("unique_id").head(50), df.groupby("unique_id").head(55)
    f = GlobalForecaster(lookback=7, horizon=3, epochs=1, ensemble=1, progress=False).fit(train)
    got = f.predict(3, history=longer)  # was AttributeError: 'DataFrame' has no 'ids'
    pd.testing.assert_frame_equal(got, f.predict(3, history=read_panel(longer)))
    assert got.ds.min() == pd.Timestamp("2020-02-25")
    for model in (SeasonalNaive(), ETS()):
        model.fit(train)  # a DataFrame: was AttributeError too
        pd.testing.assert_frame_equal(model.predict(3, history=longer),
                                      model.predict(3, history=read_panel(longer)))


def test_an_empty_panel_is_refused_with_a_reason():
    full = read_panel(_panel_df())  # (cut(500) now refuses to leave nothing)
    empty = full.with_df(full.df.iloc[:0])
    with pytest.raises(DataError, match="the panel has no rows"):  # was ValueError in concat
        GlobalForecaster(lookback=7, horizon=3, epochs=1, ensemble=1, progress=False).fit(empty)


def test_future_covariates_with_day_first_text_dates_are_read_day_first():
    ds = pd.date_range("2020-03-01", periods=68, freq="D")  # to 2020-05-07
    promo = (np.arange(68) % 5 == 0).astype(float)
    df = pd.DataFrame({"unique_id": "a", "ds": ds, "y": 10 + 3 * promo, "promo": promo})
    train, future = df.iloc[:61], df.iloc[61:][["unique_id", "ds", "promo"]]
    f = GlobalForecaster(lookback=7, horizon=7, future_covariates=("promo",), epochs=1,
                         ensemble=1, progress=False).fit(train)
    text = future.assign(ds=future.ds.dt.strftime("%d/%m/%Y"))  # 01/05/2020 .. 07/05/2020
    pd.testing.assert_frame_equal(f.predict(7, future=text), f.predict(7, future=future))


def test_loading_a_model_with_the_other_class_names_the_right_loader(tmp_path):
    from rnnlab.forecast import Forecaster
    from rnnlab.io.errors import CheckpointError

    df = _panel_df(40)
    GlobalForecaster(lookback=7, horizon=3, epochs=1, ensemble=1,
                     progress=False).fit(df).save(tmp_path / "g")
    with pytest.raises(CheckpointError, match=r"holds a 'panel-forecaster' model, expected "
                                              r"'forecaster'; load it with rnnlab.panel."
                                              r"GlobalForecaster.load"):
        Forecaster.load(tmp_path / "g")


def test_cli_unknown_covariate_lists_the_other_columns_not_the_renamed_target(tmp_path, capsys):
    from rnnlab.cli import main

    df = _panel_df(30).rename(columns={"unique_id": "store", "ds": "day", "y": "units"})
    df.assign(temp=1.0).to_csv(tmp_path / "s.csv", index=False)
    code = main(["forecast", "--data", str(tmp_path / "s.csv"), "--id-column", "store",
                 "--column", "units", "--future-covariates", "promo", "--horizon", "3",
                 "--out", str(tmp_path / "r")])
    err = capsys.readouterr().err
    assert code != 0 and "covariate columns ['promo'] not found" in err
    assert "['temp']: name some of those" in err and "['y']" not in err  # was: "are ['y']"


def test_a_builtin_series_reads_as_a_one_series_panel():
    p = read_panel("airline")  # was "airline: no such file" (rnnlab backtest --data airline)
    assert p.ids == ("airline",) and p.freq == "MS" and p.period == 12 and len(p.df) == 144
    with pytest.raises(DataError, match="'sine' has no dates"):
        read_panel("sine")
