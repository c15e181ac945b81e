"""One series with covariates, as a Darts user brings it (session 22): the one-series
Forecaster given covariates names the model that reads them; a table of a date, a target and
its covariates without an id column, read wide when no target is named, is refused naming
the target rather than turning the covariates into series; a one-series future table is told
to name its date column only; README's "One series with covariates" runs as written."""

import json

import numpy as np
import pandas as pd
import pytest

from cli_run import run
from printed_words import words
from rnnlab.io.errors import ConfigTypeError, DataError

TINY = dict(lookback=12, horizon=6, hidden_size=8, head_size=8, epochs=1, batches_per_epoch=2)


def sales_table(n: int = 60) -> pd.DataFrame:
    """month, sales, price, holidays: one monthly series beside two covariates, no id."""
    rng = np.random.default_rng(0)
    t = np.arange(n)
    price = 10 + rng.normal(0, 0.1, n).cumsum()
    holidays = np.array([1, 0, 0, 1, 1, 0, 1, 1, 0, 0, 1, 2])[t % 12].astype(float)
    sales = 100 + 10 * np.sin(2 * np.pi * t / 12) - 3 * price + 5 * holidays + 0.3 * t
    return pd.DataFrame({"month": pd.period_range("2015-01", periods=n, freq="M").astype(str),
                         "sales": sales + rng.normal(0, 1, n), "price": price,
                         "holidays": holidays})


# ------------------------------------------------- the one-series Forecaster given covariates
@pytest.mark.parametrize("method", ["fit", "predict", "backtest"])
@pytest.mark.parametrize("key", ["future_covariates", "past_covariates", "exog"])
def test_forecaster_given_covariates_names_the_model_that_reads_them(method, key):
    # Darts' model.fit(series, future_covariates=cov): Python's bare "unexpected keyword
    # argument" (fit), or the name alone (predict, backtest), with no word of where to go
    from rnnlab.forecast import Forecaster

    f = Forecaster(epochs=1)
    call = {"fit": lambda **k: f.fit("airline", **k), "predict": lambda **k: f.predict(3, **k),
            "backtest": lambda **k: f.backtest("airline", **k)}[method]
    with pytest.raises(ConfigTypeError, match=rf"Forecaster\.{method}\(\) got unexpected "
                                              rf"keyword argument '{key}'") as e:
        call(**{key: pd.DataFrame({"price": [1.0]})})
    said = str(e.value)
    assert "reads no covariates" in said and "GlobalForecaster(future_covariates=" in said
    assert "read_panel(df, target=" in said and "--future-covariates" in said
    assert f.net is None  # refused before any training


@pytest.mark.parametrize("key, named", [
    ("covariates", "future_covariates"), ("exog", "future_covariates"),
    ("feat_dynamic_real", "future_covariates"), ("past_feat_dynamic_real", "past_covariates")])
def test_forecaster_setting_for_covariates_names_the_global_models(key, named):
    # Forecaster(covariates=...) and Forecaster(exog=...) listed only the Forecaster's fields
    from rnnlab.forecast import Forecaster
    from rnnlab.panel import GlobalForecaster

    with pytest.raises(ConfigTypeError, match=rf"'{key}' \(.*{named}.*GlobalForecaster"):
        Forecaster(**{key: ("price",)})
    with pytest.raises(ConfigTypeError, match=rf"'{key}' \((here: )?.*{named}"):
        GlobalForecaster(**{key: ("price",)})


def test_cli_exog_option_names_future_covariates(capsys):
    code, err = run(["forecast", "--data", "airline", "--exog", "price"], capsys)
    assert code == 2 and "--exog: did you mean --future-covariates?" in err


# ------------------------------------------------- the table read wide, its covariates as series
def test_read_panel_refuses_covariates_a_wide_reading_makes_series():
    # read_panel(df, covariates=...) without target= read sales, price and holidays as three
    # series, and the model then said "'price' is not a column; columns are unique_id, ds, y"
    from rnnlab.panel import read_panel

    df = sales_table()
    with pytest.raises(DataError, match=r"read as a wide one.*\(sales, price, holidays\).*"
                                        r"\['price', 'holidays'\] became series.*"
                                        r"target='sales'.*--column sales"):
        read_panel(df, covariates=("price", "holidays"))
    assert read_panel(df).ids == ("holidays", "price", "sales")  # wide, as documented
    one = read_panel(df, target="sales", covariates=("price", "holidays"))
    assert one.ids == ("sales",) and {"price", "holidays"} <= set(one.df.columns)


def test_global_forecaster_fit_on_the_table_names_the_target_to_pass():
    from rnnlab.panel import GlobalForecaster, read_panel

    df = sales_table()
    f = GlobalForecaster(**TINY, future_covariates=("price", "holidays"))
    with pytest.raises(DataError, match=r"became series.*target='sales'"):
        f.fit(df)  # read by the model, its covariates named
    with pytest.raises(DataError, match=r"future covariate 'price' is not a column of the "
                                        r"data.*became series, not covariates.*target='sales'"):
        f.fit(read_panel(df))  # read wide before, by the user
    assert f.members is None


@pytest.mark.parametrize("command", ["forecast", "backtest"])
def test_cli_without_column_names_it_rather_than_saying_the_data_has_no_other_column(
        command, capsys, tmp_path):
    # "covariate columns ['price', 'holidays'] not found; besides the id, date and target
    # columns the data has no other column": the file has both
    path = tmp_path / "sales.csv"
    sales_table().to_csv(path, index=False)
    code, err = run([command, "--data", str(path), "--future-covariates", "price,holidays",
                     "--model", "lstm", "--out", str(tmp_path / "run")], capsys)
    assert code == 1 and "--column sales" in err and "no other column" not in err
    assert not (tmp_path / "run").exists()


# ------------------------------------------------- the future table of one series
def test_a_one_series_future_table_without_id_is_told_to_name_its_date_column_only():
    # told "name its id and date columns 'unique_id' and 'ds'", where a table of one row per
    # date needs no id column
    from rnnlab.panel.future_table import checked_future

    fut = pd.DataFrame({"month": pd.period_range("2020-01", periods=3, freq="M").astype(str),
                        "price": [1.0, 2.0, 3.0]})
    last = {"sales": pd.Timestamp("2019-12-01")}
    with pytest.raises(DataError, match=r"\(or \['ds', 'price'\]: one row per date, shared by "
                                        r"every series\): name its date column 'ds' \(its "
                                        r"other columns: \['month'\]") as e:
        checked_future(fut, ["sales"], last, 3, "MS", ["price"])
    assert "unique_id' and" not in str(e.value)
    ok = checked_future(fut.rename(columns={"month": "ds"}), ["sales"], last, 3, "MS", ["price"])
    assert list(ok["unique_id"]) == ["sales"] * 3


# ------------------------------------------------- end to end: README's block, both commands
def _quick_global_forecaster(monkeypatch):
    """``from rnnlab.panel import GlobalForecaster`` gives the docs' model, tiny and trained
    for two steps (its settings otherwise)."""
    import rnnlab.panel
    from rnnlab.panel import GlobalForecaster

    class Quick(GlobalForecaster):
        def __init__(self, *args, **kwargs):
            quick = dict(epochs=1, batches_per_epoch=2, hidden_size=8, head_size=8)
            super().__init__(*args, **kwargs if "config" in kwargs else {**kwargs, **quick})

    monkeypatch.setattr(rnnlab.panel, "GlobalForecaster", Quick)


@pytest.mark.slow
def test_readme_one_series_with_covariates_block_runs_as_written(monkeypatch):
    from test_docs_snippets import readme_block

    _quick_global_forecaster(monkeypatch)
    code = readme_block("## One series with covariates")
    ns: dict = {}
    exec(code, ns)
    fc, df = ns["fc"], ns["df"]
    named = code.split("fc = f.predict")[1].split("#")[1].split("\n")[0].replace(",", " ")
    assert list(fc.columns) == named.split()
    assert list(fc["unique_id"].unique()) == ["Demand"]
    assert list(fc["ds"]) == list(pd.to_datetime(df["Date"].tail(14)))
    summary = ns["res"].summary()
    assert set(summary["model"]) == {"lstm", "naive", "seasonal_naive", "ets"}
    listed = code.split("res.summary()")[1].split("#")[1].split(":")[1].split("...")[0]
    assert {c.strip() for c in listed.split(",") if c.strip()} <= set(summary.columns)
    assert ns["res"].forecasts["origin"].nunique() == 4  # "4 origins"


@pytest.mark.slow
def test_one_series_table_with_covariates_runs_forecast_and_backtest(capsys, tmp_path):
    # README's two commands on a table of month, sales, price, holidays (no id column)
    df = sales_table()
    df.to_csv(tmp_path / "sales.csv", index=False)
    fut = df.tail(6)[["price", "holidays"]].assign(
        month=pd.period_range("2020-01", periods=6, freq="M").astype(str))
    fut.to_csv(tmp_path / "sales_future.csv", index=False)
    tiny = [f"--{k.replace('_', '-')}={v}" for k, v in TINY.items()]
    data = ["--data", str(tmp_path / "sales.csv"), "--date-column", "month", "--column",
            "sales", "--future-covariates", "price,holidays"]
    out = tmp_path / "fc"
    code, err = run(["forecast", *data, *tiny, "--quantiles", "0.1", "0.5", "0.9", "--future",
                     str(tmp_path / "sales_future.csv"), "--out", str(out)], capsys)
    assert code == 0, err
    future = pd.read_csv(out / "forecasts.csv")
    assert list(future.columns) == ["unique_id", "ds", "step", "mean", "q0.1", "q0.5", "q0.9"]
    assert list(future["ds"]) == list(fut["month"]) and set(future["unique_id"]) == {"sales"}
    assert set(pd.read_csv(out / "metrics.csv")["model"]) >= {"lstm", "seasonal_naive"}
    bt = tmp_path / "bt"
    code, err = run(["backtest", *data, *tiny, "--model", "lstm", "--first-origin", "12",
                     "--stride", "6", "--out", str(bt)], capsys)
    assert code == 0, err
    held = pd.read_csv(out / "test_forecasts.csv")
    rolled = pd.read_csv(bt / "forecasts.csv")
    assert list(rolled.columns) == list(held.columns)  # README: "the columns of test_forecasts.csv"
    assert rolled["origin"].nunique() == 2
    assert json.loads((bt / "summary.json").read_text())


# ------------------------------------------------- --run of a one-series run given covariates
@pytest.mark.slow
def test_one_series_run_given_covariate_options_says_its_model_reads_none(capsys, tmp_path):
    # "ignored --future-data": and the forecast went out without them, no word of why or
    # of the run that reads them
    out = tmp_path / "run"
    code, err = run(["forecast", "--data", "airline", "--epochs", "1", "--ensemble", "1",
                     "--hidden-size", "4", "--out", str(out)], capsys)
    assert code == 0, err
    (tmp_path / "future.csv").write_text("ds,price\n1961-01,1.0\n")
    code, err = run(["forecast", "--run", str(out), "--horizon", "1", "--future",
                     str(tmp_path / "future.csv"), "--future-covariates", "price"], capsys)
    assert code == 0, err
    assert "ignored --future-covariates, --future-data; the run's model is the one-series " \
           "Forecaster, which reads no covariates" in words(err) and "--column NAME" in err
    code, err = run(["forecast", "--run", str(out), "--horizon", "1", "--epochs", "3"], capsys)
    assert code == 0 and "ignored --epochs\n" in err and "covariates" not in err


# ------------------------------------------------- a series and its covariates apart (Darts')
@pytest.mark.parametrize("index", ["period", "timestamp", "text"])
def test_read_panel_takes_a_one_series_table_dated_by_its_index(index):
    # pd.concat([series, covariates], axis=1) with target=: "no date column" where the dates
    # were the index, as the one-series Forecaster and a wide read_panel take them
    from rnnlab.panel import read_panel

    df = sales_table().set_index("month")
    df.index = {"period": pd.PeriodIndex(df.index, freq="M"),
                "timestamp": pd.PeriodIndex(df.index, freq="M").to_timestamp(),
                "text": df.index}[index]
    panel = read_panel(pd.concat([df["sales"], df[["price", "holidays"]]], axis=1),
                       target="sales")
    assert panel.ids == ("sales",) and len(panel.df) == 60
    assert list(panel.df.columns) == ["unique_id", "ds", "y", "price", "holidays"]
    assert panel.df["ds"].iloc[0] == pd.Timestamp("2015-01-01")
    np.testing.assert_array_equal(panel.df["y"], df["sales"])


@pytest.mark.slow
def test_a_series_and_covariates_apart_fit_and_predict_as_the_fit_hint_says():
    from rnnlab.panel import GlobalForecaster, read_panel

    df = sales_table().set_index("month")
    df.index = pd.PeriodIndex(df.index, freq="M")
    series, covariates = df["sales"].head(-6), df[["price", "holidays"]]
    f = GlobalForecaster(**TINY, future_covariates=("price", "holidays"))
    with pytest.raises(ConfigTypeError, match=r"pd\.concat\(\[series, covariates\], axis=1\)"):
        f.fit(series, future_covariates=covariates)
    f.fit(read_panel(pd.concat([series, covariates.head(-6)], axis=1), target=series.name))
    fc = f.predict(6, future=covariates.tail(6))  # a PeriodIndex future table, one series
    assert list(fc["ds"].astype(str)) == list(df.index[-6:].astype(str))
