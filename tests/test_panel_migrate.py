"""A forecaster porting a NeuralForecast or Darts workflow: each test pins one place where
rnnlab refused a peer's habit without naming ours, or named the wrong one."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel import accuracy, read_panel


def quarterly(n: int = 24) -> "object":
    rng = np.random.default_rng(1)
    season = np.tile([3.0, 0.0, 1.0, 2.0], n // 4)
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": pd.period_range(
        "2010Q1", periods=n, freq="Q").astype(str), "y": 10 * (i + 1) + season + rng.random(n)})
        for i, u in enumerate(["a", "b", "c"])])
    return read_panel(df)


def test_a_quantile_loss_frame_gets_a_rename_that_scores_it():
    """NeuralForecast's MQLoss frame has M-median and the bands, no M column: the rename
    the error gave left it without 'mean', refused again; now the median is the point."""
    p = quarterly()
    last = p.df.groupby("unique_id").tail(4)
    nf = last[["unique_id", "ds"]].assign(**{
        "LSTM-median": last["y"].to_numpy() + 1.0, "LSTM-lo-80": last["y"].to_numpy() - 2.0,
        "LSTM-hi-80": last["y"].to_numpy() + 3.0})
    with pytest.raises(DataError, match="NeuralForecast's columns of model 'LSTM'") as e:
        accuracy(nf, p)
    said = str(e.value)
    fixed = eval(said[said.index("renamed: ") + len("renamed: "):], {"fc": nf})
    got = accuracy(fixed, p)
    assert list(got["model"].unique()) == ["LSTM"]
    assert got["mae"].to_numpy() == pytest.approx(1.0)  # (the median, 1 above each value)
    assert got["coverage80"].to_numpy() == pytest.approx(1.0)


@pytest.mark.parametrize("owner, ours", [("GlobalForecaster", "scale="),
                                         ("Forecaster", "scaler=")])
def test_neuralforecasts_scaler_type_names_the_scale_not_the_log(owner, ours):
    """scaler_type='robust' (each series' centre and spread) was said to be transform=,
    the log; it is the panel's scale= (scale='robust': median and MAD) and the one-series
    forecaster's scaler=."""
    from rnnlab.forecast import Forecaster
    from rnnlab.panel import GlobalForecaster

    cls = {"GlobalForecaster": GlobalForecaster, "Forecaster": Forecaster}[owner]
    with pytest.raises(TypeError, match=rf"'scaler_type' \(here: {ours}\)"):
        cls(scaler_type="robust")
    with pytest.raises(TypeError, match=rf"'local_scaler_type' \(here: {ours}\)"):
        cls(local_scaler_type="robust")  # (NeuralForecast(local_scaler_type=...))


@pytest.mark.parametrize("settings, said", [
    ({"scale": "standard"}, "'standard' is 'std' here"),  # (the one-series scaler's name)
    ({"scale": "minmax"}, "no min-max scaling here"),
    ({"likelihood": "Normal"}, "'Normal' is 'gaussian' here"),  # DistributionLoss('Normal')
    ({"likelihood": "GaussianLikelihood"}, "'GaussianLikelihood' is 'gaussian' here"),
    ({"likelihood": "StudentT"}, "'StudentT' is 'studentt' here"),
    ({"likelihood": "NegativeBinomial"}, "'NegativeBinomial' is 'negbin' here"),
    ({"likelihood": "Poisson"}, "counts are 'negbin' here"),
    ({"model": "LSTM"}, "unknown model 'LSTM' (names are lower case: 'lstm')"),  # Darts' RNNModel
    ({"loss": "MQLoss"}, "'loss' (here: quantiles= for a quantile loss"),
    ({"freq": "M"}, "'freq' (here: read_panel(df, freq=...)"),
    # Darts' add_encoders (was: "did you mean max_seconds?"), dropout=
    ({"add_encoders": {"datetime_attribute": {"future": ["month"]}}},
     "'add_encoders' (here: calendar=)"),
    ({"dropout": 0.1}, "no dropout between the panel model's layers; inside them, "
                       "variational dropout is recurrent_dropout="),
    # Darts' RNNModel(save_checkpoints=True, model_name=, work_dir=, force_reset=), the
    # migration table's row (was: "unknown setting 'save_checkpoints'", no word of fit's
    # checkpoint_dir=), and its optimizer_kwargs (was: "did you mean optimizer?")
    ({"save_checkpoints": True}, "'save_checkpoints' (here: fit(panel, checkpoint_dir="),
    ({"model_name": "m", "work_dir": "w"}, "'work_dir' (here: fit(panel, checkpoint_dir="),
    ({"force_reset": True}, "resume=True"),
    ({"optimizer_kwargs": {"lr": 1e-3}}, "'optimizer_kwargs' (here: each a setting: lr="),
])
def test_peer_values_and_settings_are_refused_naming_ours(settings, said):
    # was: the bare choices ("scale must be std | robust, got 'standard'"), or "unknown
    # setting 'loss'" and the list of fields
    from rnnlab.panel import GlobalForecaster

    with pytest.raises(Exception, match=re.escape(said)):
        GlobalForecaster(**settings)


def test_the_registry_names_the_lower_case_model():
    from rnnlab.io.errors import ConfigError
    from rnnlab.nn.architectures import get_architecture

    with pytest.raises(ConfigError, match=r"'GRU' \(names are lower case: 'gru'\); known models"):
        get_architecture("GRU")
    with pytest.raises(ConfigError) as e:
        get_architecture("lstmm")
    assert "lower case" not in str(e.value)


def test_a_list_of_series_is_refused_naming_the_dict_in_fit_and_predict():
    """Darts' fit(series=[s1, s2]) / predict(n, series=[...]): predict(history=[...])
    raised "'list' object has no attribute 'df'"."""
    from rnnlab.panel import GlobalForecaster

    p = quarterly()
    series = [g.set_index("ds")["y"].rename(u) for u, g in p.df.groupby("unique_id")]
    f = GlobalForecaster("gru", lookback=4, horizon=2, epochs=1, hidden_size=4, head_size=4,
                         batches_per_epoch=1, val_size=0)
    with pytest.raises(DataError, match=r"got list; a list of series .* \{s.name: s for s in"):
        f.fit(series)
    f.fit({s.name: s for s in series})  # (the dict said is read)
    with pytest.raises(DataError, match=r"got list; a list of series"):
        f.predict(2, history=series)
    assert len(f.predict(2, history={s.name: s for s in series})) == 6


@pytest.mark.parametrize("argv, said", [
    # before: "--freq: did you mean --future?"
    (["backtest", "--data", "x", "--freq", "QS"], "--freq: the frequency is read from the dates"),
    (["forecast", "--data", "x", "--freq", "M"], "--freq: the frequency is read from the dates"),
    # Darts' historical_forecasts(start=, forecast_horizon=, retrain=): before, "--start:
    # did you mean --strategy?" and nothing for the others
    (["backtest", "--data", "x", "--start", "0.8"], "(--start: did you mean --first-origin?)"),
    (["backtest", "--data", "x", "--forecast-horizon", "4"],
     "--forecast-horizon: did you mean --horizon?"),
    (["backtest", "--data", "x", "--retrain"], "--retrain: did you mean --refit?"),
    (["backtest", "--data", "x", "--scaler-type", "robust"],
     "(--scaler-type: did you mean --scale?)"),
])
def test_the_peers_options_are_refused_naming_ours(argv, said, capsys):
    from rnnlab.cli import main

    assert main(argv) == 2
    assert said in capsys.readouterr().err


def test_a_panel_whose_frequency_cannot_be_told_is_said_the_command_lines_way(tmp_path, capsys):
    """The command line has no --freq: "pass freq='MS'" named what it cannot take."""
    from rnnlab.cli import main

    rng = np.random.default_rng(0)
    days = pd.date_range("2020-01-01", periods=200, freq="D")
    keep = np.sort(rng.choice(200, 120, replace=False))  # (40% of the days missing)
    path = tmp_path / "gaps.csv"
    pd.concat([pd.DataFrame({"unique_id": u, "ds": days[keep], "y": rng.random(120) + 1})
               for u in "ab"]).to_csv(path, index=False)
    assert main(["backtest", "--data", str(path), "--model", "naive", "--horizon", "4",
                 "--baselines", "none", "--out", str(tmp_path / "bt")]) == 1
    err = capsys.readouterr().err
    assert "to read_panel; on the command line" in err and "--fill ffill" in err


@pytest.mark.parametrize("given, said", [
    ({"df": "frame"}, "'df' (here: the data, fit's first argument: fit(df)"),  # NeuralForecast
    ({"series": "frame"}, "'series' (here: the data, fit's first argument"),  # Darts
    ({}, "fit() missing its data, the first argument: fit(df)"),
])
def test_fit_given_its_data_by_a_peers_keyword_names_the_first_argument(given, said):
    # was: "missing 1 required positional argument: 'panel'", no word of df=
    from rnnlab.panel import GlobalForecaster

    p = quarterly()
    given = {k: p.df for k in given}
    with pytest.raises(TypeError, match=re.escape(said)):
        GlobalForecaster(lookback=4, horizon=2).fit(**given)


def test_darts_val_series_names_the_validation_tail():
    from rnnlab.panel import GlobalForecaster

    p = quarterly()
    with pytest.raises(TypeError, match=r"'val_series' \(here: the last val_size points"):
        GlobalForecaster(lookback=4, horizon=2).fit(p, val_series=p)


def _nf_frame(p, **columns):
    """NeuralForecast's predict() frame of the panel's last 4 quarters: unique_id, ds and
    the columns given, each a function of the actual values."""
    last = p.df.groupby("unique_id").tail(4)
    y = last["y"].to_numpy()
    return last[["unique_id", "ds"]].assign(**{k: f(y) for k, f in columns.items()})


def test_score_reads_neuralforecasts_columns_of_one_model(tmp_path):
    """`rnnlab score nf.csv --actuals data.csv` of NeuralForecast's predict() CSV was
    refused listing our forms: the command line has no pandas to rename them in."""
    from rnnlab.forecast import score_forecast

    p = quarterly()
    ours = _nf_frame(p, mean=lambda y: y + 1.0, **{"q0.1": lambda y: y - 2.0,
                                                   "q0.9": lambda y: y + 3.0})
    def summary(fc, **kw):
        return score_forecast(fc, p, **kw).summary.iloc[0]

    want = summary(ours).drop("model")  # (ours names no model: "forecast"; theirs LSTM)
    nf = _nf_frame(p, LSTM=lambda y: y + 1.0, **{"LSTM-lo-80": lambda y: y - 2.0,
                                                  "LSTM-hi-80": lambda y: y + 3.0})
    assert summary(nf)["model"] == "LSTM"
    pd.testing.assert_series_equal(summary(nf).drop("model"), want)
    # a quantile loss's frame: its median is the point
    mq = nf.rename(columns={"LSTM": "LSTM-median"})
    assert summary(mq)["mae"] == pytest.approx(1.0) and summary(mq)["coverage80"] == 1.0
    two = nf.assign(**{"ETS": nf["LSTM"] + 1, "ETS-lo-80": nf["LSTM-lo-80"],
                       "ETS-hi-80": nf["LSTM-hi-80"]})
    with pytest.raises(DataError, match=r"columns of 2 models \(ETS, LSTM\); name the one to "
                                        r"score: --model ETS"):
        score_forecast(two, p)
    pd.testing.assert_series_equal(summary(two, model="LSTM").drop("model"), want)
    assert summary(two, model="ETS")["mae"] == pytest.approx(2.0)
    with pytest.raises(DataError, match=r"model 'XX' is not a model of the forecast"):
        score_forecast(two, p, model="XX")


def test_score_names_the_model_column_of_a_frame_of_point_forecasts(tmp_path, capsys):
    from rnnlab.cli import main

    p = quarterly()
    nf = _nf_frame(p, LSTM=lambda y: y + 1.0)
    nf.to_csv(tmp_path / "nf.csv", index=False)
    p.df.to_csv(tmp_path / "data.csv", index=False)
    assert main(["score", str(tmp_path / "nf.csv"), "--actuals", str(tmp_path / "data.csv")]) != 0
    assert "is scored one model at a time: --model LSTM" in capsys.readouterr().err
    assert main(["score", str(tmp_path / "nf.csv"), "--actuals", str(tmp_path / "data.csv"),
                 "--model", "LSTM", "--json"]) == 0
    assert '"mae": 1.0' in capsys.readouterr().out


def test_a_wide_file_refused_by_forecast_names_the_panel_reading(tmp_path, capsys):
    """A wide CSV (one column per series, as Darts writes a multi-column series):
    `rnnlab backtest` reads it as a panel, while `rnnlab forecast` asked for the one column
    to forecast and named the others as covariates, not the series they are."""
    from rnnlab.cli import main

    p = quarterly()
    wide = p.df.pivot(index="ds", columns="unique_id", values="y").reset_index()
    wide["ds"] = wide["ds"].dt.to_period("Q").astype(str)
    path = tmp_path / "wide.csv"
    wide.to_csv(path, index=False)
    assert main(["forecast", "--data", str(path), "--horizon", "4",
                 "--out", str(tmp_path / "run")]) == 1
    assert f"one series per column (a wide table): `rnnlab backtest --data {path}` reads it " \
           f"so" in capsys.readouterr().err
    assert main(["backtest", "--data", str(path), "--model", "naive", "--horizon", "4",
                 "--baselines", "none", "--out", str(tmp_path / "bt")]) == 0  # (as said)
    got = pd.read_csv(tmp_path / "bt" / "forecasts.csv")
    assert sorted(got["unique_id"].unique()) == ["a", "b", "c"]


@pytest.mark.parametrize("given, said", [
    ({"metric": "mape"}, "'metric' (here: res.summary(): mase, rmse"),  # Darts' backtest
    ({"last_points_only": True}, "res.forecasts[res.forecasts.step == horizon]"),
    ({"static_df": None}, "'static_df' (here: static=)"),  # cross_validation(static_df=)
    ({"futr_df": None}, "the future covariates' columns of the data itself"),
    ({"df": None}, "'df' (here: the data, the first argument: backtest(df, ...))"),
    ({"start": 0.8}, "Darts' start=0.8 is 20% of a series' steps before its end"),
])
def test_backtest_given_the_peers_arguments_names_ours(given, said):
    # were Python's bare "got an unexpected keyword argument 'metric'"
    from rnnlab.panel import GlobalForecaster

    with pytest.raises(TypeError, match=re.escape(said)):
        GlobalForecaster(lookback=4, horizon=2).backtest(quarterly(), **given)


@pytest.mark.parametrize("make, said", [
    # statsforecast's SeasonalNaive(season_length=12), AutoETS(season_length=, model=)
    ("SeasonalNaive(season_length=4)", "'season_length' (here: period=)"),
    ("ETS(season_length=4)", "'season_length' (here: period=)"),
    ("ETS(model='ZZZ')", "'model' (here: trend="),
    ("Naive(season_length=1)", "its settings: quantiles, min_residuals"),
    ("SeasonalNaive().fit(df=p.df)", "'df' (here: the data, fit's first argument"),
    ("ETS().fit(df=p.df)", "'df' (here: the data, fit's first argument"),
    ("Croston().fit()", "fit() missing its data, the first argument"),
    ("SeasonalNaive().fit(p).predict(h=4)", "'h' (here: horizon (the first argument))"),
    ("SeasonalNaive().fit(p).predict()", "predict() missing the horizon"),
    ("Croston().fit(p).predict(h=4)", "'h' (here: horizon (the first argument))"),
])
def test_baselines_given_statsforecasts_names_name_ours(make, said):
    # were Python's bare TypeErrors ("unexpected keyword argument 'season_length'",
    # "missing 1 required positional argument: 'panel'" / 'horizon')
    from rnnlab.panel.baselines import Croston, ETS, Naive, SeasonalNaive

    p = quarterly()
    names = {"SeasonalNaive": SeasonalNaive, "ETS": ETS, "Naive": Naive, "Croston": Croston,
             "p": p}
    with pytest.raises(TypeError, match=re.escape(said)):
        eval(make, names)


@pytest.mark.parametrize("index", [["unique_id"], ["unique_id", "ds"]])
def test_forecasts_indexed_by_unique_id_are_scored(index):
    """NeuralForecast before 1.7 returned its forecasts indexed by unique_id: accuracy said
    they lacked the column, and score_forecast read them as one series (refusing the
    panel of actuals)."""
    from rnnlab.forecast import score_forecast

    p = quarterly()
    fc = _nf_frame(p, mean=lambda y: y + 1.0)
    assert accuracy(fc.set_index(index), p)["mae"].to_numpy() == pytest.approx(1.0)
    assert score_forecast(fc.set_index(index), p).summary["mae"].iloc[0] == pytest.approx(1.0)
    nf = _nf_frame(p, LSTM=lambda y: y + 2.0, **{"LSTM-lo-80": lambda y: y - 1.0,
                                                  "LSTM-hi-80": lambda y: y + 3.0})
    assert score_forecast(nf.set_index(index), p).summary["mae"].iloc[0] == pytest.approx(2.0)


def test_a_future_table_merged_onto_make_future_dataframe_names_the_drop():
    """NeuralForecast's make_future_dataframe() has only unique_id and ds, so its users
    merge the values onto it; ours has a NaN column per covariate, and the merge made
    price_x and price_y: refused as lacking 'price', with no word of why."""
    from rnnlab.panel import GlobalForecaster

    p = quarterly()
    df = p.df.assign(price=np.arange(len(p.df)) % 5 + 1.0)
    f = GlobalForecaster("gru", lookback=4, horizon=2, epochs=1, hidden_size=4, head_size=4,
                         batches_per_epoch=1, val_size=0, future_covariates=("price",))
    f.fit(read_panel(df))
    fut = f.make_future_dataframe()
    values = fut[["unique_id", "ds"]].assign(price=2.0)
    with pytest.raises(DataError, match=r"price_x and price_y: a merge onto a table that "
                                        r"already held \['price'\]") as e:
        f.predict(future=fut.merge(values, on=["unique_id", "ds"]))
    said = str(e.value)
    fixed = eval(said[said.index("fut.drop("):], {"fut": fut, "values": values})
    assert len(f.predict(future=fixed)) == 6  # (the call said works)


def test_a_fraction_as_first_origin_is_said_as_darts_start():
    # was: "first_origin must be a whole number of steps, got 0.8", no word of start=0.8
    from rnnlab.panel.backtest import backtest
    from rnnlab.panel.baselines import Naive

    with pytest.raises(DataError, match=r"Darts' start=0.8, a fraction of a series, is "
                                          r"first_origin=round\(0.2 \* n\)"):
        backtest(Naive(), quarterly(), horizon=4, first_origin=0.8, stride=4)


@pytest.mark.parametrize("name, said", [
    ("historical_forecasts", "(Darts' historical_forecasts; here: "
                             "f.predict_insample(step_size=stride) (its retrain=False"),
    ("cross_validation", "(NeuralForecast's and statsforecast's cross_validation; here: "
                         "f.backtest(series, first_origin=h + (n_windows - 1) * step_size"),
])
def test_the_one_series_forecaster_names_its_backtest_for_the_peers_methods(name, said):
    # was Python's bare AttributeError (the panel model's named its backtest)
    from rnnlab.forecast import Forecaster

    f = Forecaster("gru", lookback=4, horizon=2)
    with pytest.raises(AttributeError, match=re.escape(said)):
        getattr(f, name)
    assert not hasattr(f, "no_such_thing")  # (other names: the bare AttributeError)


@pytest.mark.parametrize("given, said", [
    ({"fill_missing_dates": True}, "'fill_missing_dates' (here: fill= ('ffill'"),
    ({"fillna_value": 0}, "'fillna_value' (here: fill='zero' for 0"),
])
def test_read_panel_names_fill_for_darts_from_dataframe_arguments(given, said):
    # were bare: "got unexpected keyword argument 'fill_missing_dates'; read_panel(...)"
    with pytest.raises(TypeError, match=re.escape(said)):
        read_panel(quarterly().df, **given)


@pytest.mark.parametrize("argv, said", [
    # NeuralForecast's loss=: nothing was said
    (["forecast", "--data", "x", "--loss", "mqloss"],
     "--loss: the loss follows the outputs: pinball over --quantiles"),
    # was: "--dropout: did you mean --out?"
    (["backtest", "--data", "x", "--dropout", "0.1"],
     "--dropout: the panel model has no dropout between layers; inside its recurrent layers, "
     "variational dropout is --recurrent-dropout"),
    (["forecast", "--data", "x", "--dropout", "0.1"],
     "--dropout: dropout between stacked layers is the one-series model's, in Python only"),
])
def test_loss_and_dropout_options_say_what_there_is(argv, said, capsys):
    from rnnlab.cli import main

    assert main(argv) == 2
    assert said in capsys.readouterr().err


def test_trailing_rows_without_a_value_name_the_future_option_on_the_command_line(tmp_path,
                                                                                  capsys):
    """NeuralForecast's and Darts' one-table layout (the dates to forecast as rows with no
    y): the refusal said future=, which the command line has as --future FILE.csv."""
    from rnnlab.cli import main

    p = quarterly()
    df = p.df.assign(price=1.0)
    df.loc[df.groupby("unique_id").tail(2).index, "y"] = np.nan
    df.to_csv(tmp_path / "d.csv", index=False)
    assert main(["backtest", "--data", str(tmp_path / "d.csv"), "--model", "naive",
                 "--horizon", "2", "--out", str(tmp_path / "bt")]) == 1
    assert "give their covariates as future= (--future FILE.csv)" in capsys.readouterr().err
