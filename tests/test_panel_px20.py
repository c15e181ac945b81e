"""A NeuralForecast/Darts user's panel leftovers: a future frame to fill with covariates,
a backtest's plot, month text written back as given, patience without a validation
tail, the backtest's progress line, and what the ``mean`` column holds."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.panel import GlobalForecaster

TINY = dict(hidden_size=8, head_size=8, epochs=2, batches_per_epoch=3, batch_size=16,
            lookback=8, horizon=4, patience=None, calibrate="none")


def long_table(n_series=2, n=30, freq="D", start="2020-01-01") -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.concat([pd.DataFrame({
        "unique_id": f"s{i}", "ds": pd.date_range(start, periods=n, freq=freq),
        "y": 10 + i + np.sin(np.arange(n) / 2) + rng.normal(0, 0.1, n),
        "price": rng.normal(size=n)}) for i in range(n_series)], ignore_index=True)


# ---------------------------------------------------------------- patience, no tail
def test_patience_without_a_validation_tail_is_said_not_silently_ignored():
    df = long_table()
    with pytest.warns(UserWarning, match=r"patience=3 stops on the validation loss, and "
                                         r"val_size=0 leaves no validation tail"):
        GlobalForecaster(**{**TINY, "patience": 3, "val_size": 0}).fit(df)
    with warnings.catch_warnings():  # early stopping not asked for: nothing said
        warnings.simplefilter("error")
        GlobalForecaster(**{**TINY, "val_size": 0}).fit(df)
        cfg = {k: v for k, v in TINY.items() if k != "patience"}  # (the default, 6)
        GlobalForecaster(**{**cfg, "val_size": 0}).fit(df)


# ---------------------------------------------------------------- progress line
def test_the_progress_line_says_how_many_series_are_scored_where_fewer_are():
    """A series that ends before every origin is fitted on (all its values precede the
    origins) and never scored: the line said '3 series' above a table of n_series 2."""
    from rnnlab.panel.backtest import backtest

    df = long_table(n_series=3)
    df = df[~((df["unique_id"] == "s2") & (df["ds"] > "2020-01-20"))]  # ends 10 days early
    said = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (the series that end early are named)
        res = backtest(None, df, horizon=3, first_origin=6, stride=3, baselines=("naive",),
                       progress=said.append)
    assert int(res.summary()["n_series"].iloc[0]) == 2
    assert said[0] == ("naive: 3 series, 2 scored (1 with no values after any origin to "
                       "score), 2 origins")
    said.clear()
    backtest(None, long_table(n_series=3), horizon=3, first_origin=6, stride=3,
             baselines=("naive",), progress=said.append)
    assert said[0] == "naive: 3 series, 2 origins"  # (all scored: as before)


# ---------------------------------------------------------------- mean of a quantile model
@pytest.mark.slow
def test_the_tables_say_a_quantile_models_mean_column_is_its_median(tmp_path, capsys):
    """The column keeps its name (scripts read ``mean``); the table says what it holds for
    a quantile model (NeuralForecast names it ``-median``), not for a baseline."""
    from rnnlab.cli import main

    long_table(n_series=3).to_csv(tmp_path / "p.csv", index=False)
    tiny = ["--epochs", "1", "--batches-per-epoch", "2", "--hidden-size", "8",
            "--lookback", "6", "--calibrate", "none"]
    argv = ["backtest", "--data", str(tmp_path / "p.csv"), "--horizon", "3",
            "--first-origin", "6", "--stride", "3", "--baselines", "naive",
            "--plot-series", "0"]
    assert main(argv + ["--model", "lstm", *tiny, "--out", str(tmp_path / "a")]) == 0
    said = "lstm: the `mean` column is the median (level 0.5) of a quantile model"
    assert said in " ".join(capsys.readouterr().out.split())  # (notes wrap at 80 columns)
    assert main(argv + ["--model", "seasonal_naive", "--out", str(tmp_path / "b")]) == 0
    assert "`mean` column is the median" not in " ".join(capsys.readouterr().out.split())
    assert main(["forecast", "--data", str(tmp_path / "p.csv"), "--model", "lstm", *tiny,
                 "--horizon", "3", "--out", str(tmp_path / "c")]) == 0
    assert said in " ".join(capsys.readouterr().out.split())


# ---------------------------------------------------------------- make_future_dataframe
def test_make_future_dataframe_lays_out_the_forecast_dates_to_fill_with_covariates():
    """NeuralForecast's make_future_dataframe: a user with future-known covariates built
    the future table by hand. Its dates are predict's, its covariates NaN to fill; filled,
    predict takes it as it is."""
    from rnnlab.io.errors import NotFittedError

    cfg = {**TINY, "future_covariates": ("price",)}
    with pytest.raises(NotFittedError, match="make_future_dataframe before fit"):
        GlobalForecaster(**cfg).make_future_dataframe()
    df = long_table()
    f = GlobalForecaster(**cfg).fit(df)
    fut = f.make_future_dataframe()
    assert list(fut.columns) == ["unique_id", "ds", "price"] and fut["price"].isna().all()
    assert fut.groupby("unique_id")["ds"].min().eq(pd.Timestamp("2020-01-31")).all()
    assert len(fut) == 2 * 4
    out = f.predict(future=fut.assign(price=0.5))
    pd.testing.assert_frame_equal(out[["unique_id", "ds"]], fut[["unique_id", "ds"]])
    # after a history: its ends; another horizon; NeuralForecast's df= named as ours
    later = long_table(n=33)
    assert f.make_future_dataframe(2, history=later)["ds"].max() == pd.Timestamp("2020-02-04")
    with pytest.raises(TypeError, match=r"'df' \(here: history="):
        f.make_future_dataframe(df=later)


def test_make_future_dataframe_gives_ids_and_dates_of_the_kinds_given():
    """Integer ids stay integers and quarters (1998Q1 text) periods, as predict gives them,
    so the frame merges with the input and with the forecast."""
    df = long_table(freq="QS", n=30)
    df = df.assign(unique_id=df["unique_id"].str[1:].astype("int64"),
                   ds=pd.PeriodIndex(df["ds"], freq="Q").strftime("%YQ%q"))
    f = GlobalForecaster(**TINY).fit(df)
    fut = f.make_future_dataframe()
    assert list(fut.columns) == ["unique_id", "ds"]  # (no future covariates: nothing to fill)
    assert fut["unique_id"].dtype == np.int64
    assert fut["ds"].iloc[0] == pd.Period("2027Q3", freq="Q")
    pd.testing.assert_frame_equal(fut, f.predict()[["unique_id", "ds"]])


# ---------------------------------------------------------------- dates written as given
def months_csv(path, n_series=3, n=30):
    """A panel whose months are written 2019-01 (us_employment's form)."""
    df = long_table(n_series=n_series, n=n, freq="MS", start="2015-01-01")
    df.assign(ds=df["ds"].dt.strftime("%Y-%m")).to_csv(path, index=False)
    return path


def test_a_panels_month_text_is_written_back_in_its_form_by_the_backtest_files(tmp_path):
    """us_employment's months (1939-01) came back as 2019-10-01 in every CSV; the
    one-series forecast.csv writes the input's form. Python outputs stay timestamps."""
    from rnnlab.panel import read_panel
    from rnnlab.panel.backtest import backtest

    panel = read_panel(months_csv(tmp_path / "p.csv"))
    assert panel.ds_written == "%Y-%m" and panel.cut(3).ds_written == "%Y-%m"
    res = backtest(None, panel, horizon=3, first_origin=6, stride=3, baselines=("naive",))
    assert pd.api.types.is_datetime64_any_dtype(res.forecasts["ds"])
    res.save(tmp_path / "bt")
    fc = pd.read_csv(tmp_path / "bt" / "forecasts.csv", dtype=str)
    assert fc["ds"].iloc[0] == "2017-01" and fc["origin"].iloc[0] == "2016-12"
    # the line under the table and summary.json name the origins so too
    assert res.origins_said().startswith("origins 2016-12, 2017-03 (6, 3 steps")
    import json

    said = json.loads((tmp_path / "bt" / "summary.json").read_text())["origin_dates"]
    assert said == ["2016-12", "2017-03"]
    # ISO dates need no form: written as before
    iso = long_table(n_series=1, freq="MS")
    assert read_panel(iso.assign(ds=iso["ds"].dt.strftime("%Y-%m-%d"))).ds_written is None


def test_rnnlab_forecast_writes_month_text_in_its_form_also_with_run(tmp_path):
    from rnnlab.cli import main

    data = months_csv(tmp_path / "p.csv")
    tiny = ["--epochs", "1", "--batches-per-epoch", "2", "--hidden-size", "8",
            "--lookback", "6", "--calibrate", "none", "--horizon", "3"]
    assert main(["forecast", "--data", str(data), "--model", "lstm", *tiny,
                 "--out", str(tmp_path / "r")]) == 0
    for name in ("forecasts.csv", "test_forecasts.csv"):
        ds = pd.read_csv(tmp_path / "r" / name, dtype=str)["ds"]
        assert ds.str.fullmatch(r"\d{4}-\d{2}").all(), (name, ds.iloc[0])
    assert main(["forecast", "--run", str(tmp_path / "r"), "--output",
                 str(tmp_path / "again.csv")]) == 0
    assert pd.read_csv(tmp_path / "again.csv", dtype=str)["ds"].iloc[0] == "2017-07"


# ---------------------------------------------------------------- BacktestResult.plot
def test_a_backtest_result_plots_as_the_cli_writes_its_plots(tmp_path):
    """Forecaster and GlobalForecaster had plot(); a backtest's plots were only written by
    rnnlab backtest. A figure (for a notebook) or a file, of each kind."""
    from matplotlib.figure import Figure

    from rnnlab.io.errors import DataError
    from rnnlab.panel import read_panel
    from rnnlab.panel.backtest import backtest

    panel = read_panel(long_table(n_series=3))
    res = backtest(None, panel, horizon=3, first_origin=6, stride=3,
                   baselines=("seasonal_naive", "naive"), quantiles=(0.1, 0.5, 0.9))
    fig = res.plot()
    assert isinstance(fig, Figure)
    shown = [a for a in fig.axes if a.get_visible() and a.get_title()]
    assert sorted(a.get_title() for a in shown) == ["s0", "s1", "s2"]
    one = res.plot(series="s1", history=panel)
    ax = [a for a in one.axes if a.get_visible() and a.get_title() == "s1"][0]
    first_origin = res.forecasts["origin"].min()
    history_line = [ln for ln in ax.get_lines() if ln.get_label() == "history"][0]
    assert len(history_line.get_xdata()) > 0  # the past before the first origin, drawn
    assert pd.Timestamp(np.min(history_line.get_xdata())) < first_origin
    assert res.plot(path=tmp_path / "grid").name == "grid.png"
    assert (tmp_path / "grid.png").stat().st_size > 1000
    assert isinstance(res.plot("coverage"), Figure) and isinstance(res.plot("errors"), Figure)
    with pytest.raises(DataError, match=r"series \['nope'\] are not in the backtest"):
        res.plot(series="nope")
    with pytest.raises(ValueError, match="choose forecasts, coverage, errors"):
        res.plot("loss")


# ---------------------------------------------------------------- origins of a period panel
def test_a_quarterly_panels_origins_are_said_as_quarters_as_its_files_give_them(tmp_path):
    """visnights (1998Q1 text): forecasts.csv's origin said 2012Q4 and the line under the
    table (and summary.json) 2012-10-01."""
    import json

    from rnnlab.panel import read_panel
    from rnnlab.panel.backtest import backtest

    df = long_table(n_series=2, freq="QS", n=30)
    panel = read_panel(df.assign(ds=pd.PeriodIndex(df["ds"], freq="Q").strftime("%YQ%q")))
    res = backtest(None, panel, horizon=2, first_origin=4, stride=2, baselines=("naive",))
    assert res.origins_said().startswith("origins 2026Q2, 2026Q4 (4, 2 steps before")
    res.save(tmp_path / "bt")
    summary = json.loads((tmp_path / "bt" / "summary.json").read_text())
    assert summary["origin_dates"] == ["2026Q2", "2026Q4"]
    assert pd.read_csv(tmp_path / "bt" / "forecasts.csv")["origin"].iloc[0] == "2026Q2"


# ---------------------------------------------------------------- --future checked first
def test_rnnlab_forecast_refuses_a_future_file_with_a_gap_before_training(tmp_path, capsys):
    """A --future file dated a day late was refused by the forecast past the data, after
    the model was trained and scored (a run directory half written); now before."""
    from rnnlab.cli import main

    df = long_table(n_series=2)
    df.to_csv(tmp_path / "p.csv", index=False)
    late = long_table(n_series=2, n=5, start="2020-02-01")  # the data ends 2020-01-30
    late[["unique_id", "ds", "price"]].to_csv(tmp_path / "f.csv", index=False)
    argv = ["forecast", "--data", str(tmp_path / "p.csv"), "--model", "lstm",
            "--future-covariates", "price", "--future", str(tmp_path / "f.csv"),
            "--horizon", "3", "--lookback", "6", "--epochs", "1", "--batches-per-epoch", "2",
            "--out", str(tmp_path / "r")]
    assert main(argv) != 0
    err = capsys.readouterr().err
    assert "missing for series 's0'" in err and "1 step late" in err
    assert not (tmp_path / "r").exists()  # refused before the run directory was made


def test_future_dates_on_the_calendar_but_not_the_horizon_are_not_called_off_it():
    """A future table of the right days a year late was said to be 'off the data's
    calendar (frequency 'D')': they are days; they are not the forecast dates."""
    from rnnlab.io.errors import DataError

    f = GlobalForecaster(**{**TINY, "future_covariates": ("price",)}).fit(long_table())
    fut = f.make_future_dataframe().assign(price=0.0)
    late = fut.assign(ds=fut["ds"] + pd.DateOffset(years=1))
    with pytest.raises(DataError) as e:
        f.predict(future=late)
    assert "off the data's calendar" not in str(e.value)
    assert ("the table has other dates for it (2021-01-31, 2021-02-01, 2021-02-02 ...), none "
            "of them the forecast dates (2020-01-31 .. 2020-02-03)") in str(e.value)
    noon = fut.assign(ds=fut["ds"] + pd.Timedelta(hours=12))  # (off the calendar: said so)
    with pytest.raises(DataError, match=r"off the data's calendar \(frequency 'D'\)"):
        f.predict(future=noon)
