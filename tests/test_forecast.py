"""Forecasting: series loading, windows, scalers, metrics, baselines, Forecaster, CLI, bad input."""

import argparse
import json

import numpy as np
import pandas as pd
import pytest

from printed_words import words
from rnnlab.data.datasets import DATASETS, resolve_data, sine
from rnnlab.data.scalers import MinMaxScaler, StandardScaler, scaler_from_dict
from rnnlab.data.series import chronological_split, infer_period, load_series
from rnnlab.data.stooq import fetch_stooq, parse_stooq_csv
from rnnlab.data.windows import make_windows
from rnnlab.forecast import Forecaster, LinearAR, metrics, seasonal_naive
from rnnlab.forecast import cli as fcli
from rnnlab.forecast.transform import Pipeline
from rnnlab.io.errors import CheckpointError, DataError, RunDirError

DJI = "/work/shared/data/dji_stooq_2018-02-13_2023-02-10.csv"
TINY = dict(hidden_size=4, epochs=3, ensemble=1, progress=False, batch_size=32, lookback=6, horizon=3)


def _csv(tmp_path, text, name="d.csv"):
    p = tmp_path / name
    p.write_text(text)
    return p


def _monthly(n=60, seed=0):
    idx = pd.date_range("2000-01-01", periods=n, freq="MS")
    t = np.arange(n)
    v = 100 + t + 10 * np.sin(2 * np.pi * t / 12) + np.random.default_rng(seed).normal(0, 1, n)
    return pd.Series(v, index=idx, name="y")


# ---------------------------------------------------------------- data
def test_airline_builtin_and_period():
    s = resolve_data("airline")
    assert len(s) == 144 and s.values[0] == 112 and s.freq.startswith("MS")
    assert infer_period(s.freq) == 12
    assert s.future_index(2)[0] == pd.Timestamp("1961-01-01")


def test_dji_snapshot_and_sine():
    s = resolve_data("dji")
    assert len(s) == 1258 and s.index[0] == pd.Timestamp("2018-02-13")
    a, b = sine(50, seed=1).values, sine(50, seed=1).values
    assert np.array_equal(a, b) and not np.array_equal(a, sine(50, seed=2).values)
    assert np.allclose(sine(5, noise=0).values, 3 * np.sin(np.arange(5)) + np.cos(5 * np.arange(5)) + 6)
    assert set(DATASETS) == {"airline", "sine", "dji"}


def test_dates_with_holidays_or_a_missing_month_keep_their_calendar():
    """One missing date must not cost the future dates and the seasonal period."""
    s = resolve_data("dji")  # business days, with the exchange's holidays missing
    assert s.freq == "B" and infer_period(s.freq) == 5 and s.gaps > 0
    assert "dates of its 'B' calendar are missing" in s.gap_note()
    assert list(s.future_index(2)) == [pd.Timestamp("2023-02-13"), pd.Timestamp("2023-02-14")]
    monthly = _monthly(60).drop(pd.Timestamp("2002-05-01"))
    m = load_series(monthly)
    assert m.freq.startswith("MS") and m.gaps == 1 and infer_period(m.freq) == 12
    assert load_series(_monthly(60)).gap_note() is None
    odd = pd.Series(np.arange(8.0), index=pd.DatetimeIndex(
        ["2020-01-01", "2020-01-05", "2020-02-11", "2020-03-01", "2020-03-02", "2020-05-01",
         "2020-05-09", "2021-01-01"]))
    assert (load_series(odd).freq, load_series(odd).gaps) == (None, 0)  # irregular: no calendar
    sparse = _monthly(60).iloc[::2]  # half the months gone: too many gaps to call it monthly
    assert not str(load_series(sparse).freq).startswith("MS")


def test_repeated_dates_and_an_empty_column_are_refused(tmp_path):
    rows = ["date,value"] + [f"2020-01-{d:02d},{d}" for d in range(1, 20)]
    rows.insert(6, "2020-01-05,99")
    (tmp_path / "dup.csv").write_text("\n".join(rows) + "\n")
    # each repeated date once, with its rows (was "2020-01-05 00:00:00, 2020-01-05 00:00:00")
    with pytest.raises(DataError, match=r"repeats dates \(2020-01-05 at data rows 5, 6\); "
                                        r"expected one value per date"):
        resolve_data(str(tmp_path / "dup.csv"))
    (tmp_path / "nan.csv").write_text("date,a,b\n" + "".join(
        f"2020-01-{d:02d},{d},\n" for d in range(1, 20)))
    for fill in (None, "ffill", "interpolate"):
        with pytest.raises(DataError, match="series 'b' has no values"):
            resolve_data(str(tmp_path / "nan.csv"), column="b", fill=fill)


def test_stooq_fetch_injected_cached_and_polish(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNLAB_CACHE", str(tmp_path))
    raw = open(DJI, "rb").read()
    urls = []
    df = fetch_stooq("^DJI", fetch=lambda u: urls.append(u) or raw)
    assert len(df) == 1258 and "s=%5Edji" in urls[0] and "i=d" in urls[0]
    df2 = fetch_stooq("^DJI", fetch=lambda u: (_ for _ in ()).throw(AssertionError("no cache")))
    assert df2["Close"].iloc[-1] == df["Close"].iloc[-1]
    pl = raw.replace(b"Date,Open,High,Low,Close,Volume", b"Data,Otwarcie,Najwyzszy,Najnizszy,Zamkniecie,Wolumen")
    assert list(parse_stooq_csv(pl, "x").columns)[:5] == ["Date", "Open", "High", "Low", "Close"]
    s = resolve_data("stooq:^DJI")
    assert len(s) == 1258 and s.name == "Close"


def test_stooq_offline_message(tmp_path, monkeypatch):
    import urllib.error
    import urllib.request

    monkeypatch.setenv("RNNLAB_CACHE", str(tmp_path))

    def boom(*a, **k):
        raise urllib.error.URLError("no network")

    monkeypatch.setattr(urllib.request, "urlopen", boom)
    with pytest.raises(DataError, match="pass the CSV file instead"):
        resolve_data("stooq:AAPL.US")
    with pytest.raises(DataError, match=r"q/d/l/\?s=%5Edji.*ships a snapshot .*--data dji"):
        resolve_data("stooq:^DJI")


def test_csv_column_by_name_index_and_dates(tmp_path):
    p = _csv(tmp_path, "date,a,b\n2020-01-01,1,10\n2020-01-02,2,20\n2020-01-03,3,30\n")
    assert load_series(p, column="b").values.tolist() == [10, 20, 30]
    assert load_series(p, column=1).values.tolist() == [1, 2, 3]
    assert load_series(p, column="a").index[0] == pd.Timestamp("2020-01-01")
    assert load_series(np.arange(4.0)).index is None


def test_split_windows_scalers():
    tr, te = chronological_split(np.arange(10.0), 3)
    assert tr.tolist() == list(range(7)) and te.tolist() == [7, 8, 9]
    assert len(chronological_split(np.arange(10.0), 0.2)[1]) == 2
    x, y = make_windows(np.arange(6.0), 3, "one")
    assert x.tolist()[0] == [0, 1, 2] and y[:, 0].tolist() == [3, 4, 5]
    x, y = make_windows(np.arange(6.0), 3, "direct", 2)
    assert y.tolist() == [[3, 4], [4, 5]]
    x, y = make_windows(np.arange(6.0), 3, "seq2seq")
    assert y[0].tolist() == [1, 2, 3] and len(x) == 3
    v = np.array([1.0, 5.0, 3.0])
    for sc in (StandardScaler(), MinMaxScaler((-1.0, 1.0))):
        z = sc.fit(v).transform(v)
        assert np.allclose(sc.inverse_transform(z), v)
        assert np.allclose(scaler_from_dict(json.loads(json.dumps(sc.to_dict()))).transform(v), z)
    assert MinMaxScaler((-1.0, 1.0)).fit(v).transform(v).tolist() == [-1, 1, 0]


def test_pipeline_inverse_roundtrip():
    y = _monthly().values
    p = Pipeline.fit(y[:40], "auto", "auto", 12, "standard")
    assert p.log and p.lag == 12
    z = p.to_model(y)
    assert np.allclose(p.from_model(z[40 - 12:], y[:40]), y[40:])


def test_metrics_and_baselines():
    m = metrics([1, 2, 4], [2, 2, 2], scale=1.0)
    assert m["mse"] == pytest.approx(5 / 3) and m["mae"] == pytest.approx(1.0)
    assert m["mape"] == pytest.approx(100 * (1 + 0 + 0.5) / 3) and m["mase"] == 1.0
    assert seasonal_naive(np.arange(24.0), 14, 12).tolist()[:3] == [12, 13, 14]
    ar = LinearAR(2).fit(np.arange(20.0))
    assert np.allclose(ar.forecast(np.arange(20.0), 3), [20, 21, 22])


# ---------------------------------------------------------------- model
def test_forecaster_fit_predict_evaluate_roundtrip(tmp_path):
    f = Forecaster(model="gru", **TINY).fit(_monthly(), checkpoint_dir=tmp_path / "ck")
    ev = f.evaluate()
    assert set(ev["forecast"]) == {"model", "network", "naive", "seasonal_naive", "drift",
                                   "linear_ar", "linear_ar0", "arma"}
    assert ev["test_size"] == 3 and len(ev["by_step"]["model"]["rmse"]) == 3
    assert np.isfinite(ev["model"]["rmse"]) and ev["forecast"]["naive"]["rmse"] > 0
    p = f.predict(5)
    assert len(p) == 5 and p.index[0] == pd.Timestamp("2005-01-01")
    f.save(tmp_path / "m")
    g = Forecaster.load(tmp_path / "m")
    assert np.array_equal(g.predict(5).values, p.values)  # bit-exact
    assert g.config == f.config.replace(device="cpu")
    for kind in ("forecast", "loss", "horizon"):
        assert f.plot(tmp_path / f"{kind}.png", kind).stat().st_size > 1000


@pytest.mark.parametrize("strategy", ["recursive", "seq2seq"])
def test_strategies_and_array_input(strategy):
    f = Forecaster(model="lstm", strategy=strategy, **TINY).fit(sine(80).values)
    p = f.predict(7)
    assert len(p) == 7 and p.index[0] == 80 and np.isfinite(p.values).all()


def test_bidirectional_refused_in_seq2seq_but_encodes_windows():
    with pytest.raises(DataError, match="backward direction"):
        Forecaster(model="bilstm", strategy="seq2seq", **TINY).fit(sine(80).values)
    f = Forecaster(model="bigru", strategy="direct", **TINY).fit(sine(80).values)
    assert np.isfinite(f.predict(3).values).all()


def test_early_stopping_restores_best_and_val_from_training_part():
    f = Forecaster(model="gru", **{**TINY, "epochs": 6, "patience": 1}).fit(_monthly())
    h = f.histories[0]
    assert h["best_epoch"] == min(h["epochs"], key=lambda e: e["val_loss"])["epoch"]
    assert f.n_train == 57  # test = horizon = 3, and the model never saw it


# ---------------------------------------------------------------- bad input
def test_missing_file():
    with pytest.raises(DataError, match="no such file"):
        resolve_data("/nonexistent/x.csv")


def test_column_not_found_lists_columns(tmp_path):
    p = _csv(tmp_path, "a,b\n1,2\n3,4\n")
    with pytest.raises(DataError, match=r"'zz' not found; columns are \['a', 'b'\]"):
        load_series(p, column="zz")


def test_non_numeric_rows(tmp_path):
    p = _csv(tmp_path, "a\n1\n2\nx\n4\n")
    with pytest.raises(DataError, match="non-numeric value.*2: 'x'"):
        load_series(p, column="a")


def test_nans_rows_and_fill(tmp_path):
    p = _csv(tmp_path, "t,a\n0,1\n1,\n2,3\n3,\n4,5\n")
    with pytest.raises(DataError, match=r"2 NaN values \(rows 1, 3\).*fill='ffill'"):
        load_series(p, column="a")
    assert load_series(p, column="a", fill="ffill").values.tolist() == [1, 1, 3, 3, 5]


def test_too_short_says_minimum():
    with pytest.raises(DataError, match="needs at least"):
        Forecaster(**TINY).fit(np.arange(1.0, 12.0))


def test_constant_series():
    with pytest.raises(DataError, match="constant"):
        Forecaster(**TINY).fit(np.full(50, 3.0))


@pytest.mark.parametrize("kw", [{"horizon": 0}, {"lookback": 0}, {"horizon": -2}])
def test_bad_horizon_lookback(kw):
    with pytest.raises(DataError, match="must be an integer >= 1"):
        Forecaster(**{**TINY, **kw})


def test_unknown_model_lists_names():
    with pytest.raises(ValueError, match="known models: .*lstm"):
        Forecaster(model="transformer", **TINY).fit(sine(80).values)


def test_corrupted_and_incompatible_checkpoint(tmp_path):
    f = Forecaster(**TINY).fit(sine(80).values)
    f.save(tmp_path / "m")
    w = tmp_path / "m" / "model.safetensors"
    data = w.read_bytes()
    w.write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError):
        Forecaster.load(tmp_path / "m")
    f.save(tmp_path / "m2")
    meta = json.loads((tmp_path / "m2" / "model.json").read_text())
    meta["config"]["hidden_size"] = 5
    del meta["_sha256"]  # (no checksum, as an older rnnlab wrote it: read, then checked)
    (tmp_path / "m2" / "model.json").write_text(json.dumps(meta))
    with pytest.raises(CheckpointError, match="shape mismatch"):
        Forecaster.load(tmp_path / "m2")
    meta["config"]["bogus"] = 1
    (tmp_path / "m2" / "model.json").write_text(json.dumps(meta))
    with pytest.raises(CheckpointError, match="unknown config keys"):
        Forecaster.load(tmp_path / "m2")


# ---------------------------------------------------------------- CLI
def _args(*argv):
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="command")
    fcli.register(sub)
    return p.parse_args(["forecast", *argv])


def test_cli_end_to_end_and_predict_again(tmp_path, capsys):
    csv = tmp_path / "s.csv"
    _monthly(48).rename_axis("month").reset_index().to_csv(csv, index=False)
    out = tmp_path / "run"
    common = ["--data", str(csv), "--column", "y", "--hidden-size", "4", "--epochs", "2",
              "--lookback", "6", "--horizon", "3", "--ensemble", "1", "--no-progress"]
    assert fcli.run(_args(*common, "--out", str(out))) == 0
    for name in ("config.json", "metrics.json", "forecast.csv", "forecast.png", "loss.png",
                 "error_by_step.png", "model/model.json", "model/model.safetensors"):
        assert (out / name).is_file(), name
    assert any((out / "checkpoints").rglob("*"))
    m = json.loads((out / "metrics.json").read_text())
    assert {"model", "naive", "seasonal_naive", "linear_ar"} <= set(m["forecast"])
    assert m["training"]["path"] == ["fused"]  # lstm: torch's kernel
    assert "recurrent path: fused" in capsys.readouterr().out
    ref = tmp_path / "ref"
    assert fcli.run(_args(*common, "--out", str(ref), "--impl", "reference")) == 0
    assert json.loads((ref / "metrics.json").read_text())["training"]["path"] == ["reference"]
    fc = pd.read_csv(out / "forecast.csv")
    assert (fc["part"] == "test").sum() == 3 and (fc["part"] == "future").sum() == 3
    with pytest.raises(RunDirError, match="already exists"):
        fcli.run(_args(*common, "--out", str(out)))
    capsys.readouterr()
    assert fcli.run(_args("--run", str(out), "--horizon", "4")) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "time,forecast" and len(lines) == 5 and lines[1].startswith("2004-01-01")
    assert fcli.run(_args(*common, "--out", str(out), "--overwrite", "--seeds", "0", "1")) == 0
    from rnnlab.io.incomplete_run import is_incomplete

    # a finished run's seeds are not marked unfinished (each seed kept its .rnnlab-pending)
    assert not any(is_incomplete(p) for p in (out, out / "seed_0", out / "seed_1"))
    s = json.loads((out / "summary.json").read_text())
    assert len(s["forecast"]["model"]["rmse"]["values"]) == 2
    with pytest.raises(RunDirError, match=r"a run of several seeds \(seed_0, seed_1\).*--run "):
        fcli.run(_args("--run", str(out)))
    assert fcli.run(_args("--run", str(out / "seed_1"), "--horizon", "2")) == 0
    capsys.readouterr()
    from rnnlab.cli import main

    assert main(["forecast", "--run", str(out / "seed_1"), "--epochs", "9", "--model", "gru"]) == 0
    assert ("--run forecasts with the saved model as it was trained; ignored --epochs, --model"
            in words(capsys.readouterr().err))  # (its words: a warning wraps at 80 columns)


def test_cli_test_size_zero_trains_on_everything_and_forecasts(tmp_path, capsys):
    csv = tmp_path / "s.csv"
    _monthly(48).rename_axis("month").reset_index().to_csv(csv, index=False)
    out = tmp_path / "run"
    assert fcli.run(_args("--data", str(csv), "--column", "y", "--hidden-size", "4", "--epochs",
                          "1", "--lookback", "6", "--horizon", "3", "--ensemble", "1",
                          "--no-progress", "--test-size", "0", "--out", str(out))) == 0
    printed = capsys.readouterr().out
    # (the header is broken at its clauses, in lines of at most 80 columns)
    assert "no test part (--test-size 0): trained on the whole series" in " ".join(printed.split())
    # was: the choice the run made (saved, and printed by --val-data's same run) went unsaid
    assert "\nchoice: " in printed and "lowest validation MASE" in printed, printed
    m = json.loads((out / "metrics.json").read_text())
    assert m["test_size"] == 0 and m["n_train"] == 48 and m["forecast"] == {}
    fc = pd.read_csv(out / "forecast.csv")
    assert list(fc["part"]) == ["future"] * 3 and fc["time"].iloc[0] == "2004-01-01"
    assert not (out / "error_by_step.png").exists()


def test_short_series_and_bad_dates_say_what_to_do(tmp_path):
    with pytest.raises(DataError, match="has 1 point; a forecaster needs a history"):
        Forecaster(hidden_size=4, epochs=1).fit(pd.Series([1.0]))
    with pytest.raises(DataError, match=r"has 20 points, and the test part is the last "
                                        r"horizon=24 of them.*--horizon.*--test-size"):
        Forecaster(horizon=24, lookback=4, hidden_size=4, epochs=1).fit(
            pd.Series(np.sin(np.arange(20.0))))
    (tmp_path / "d.csv").write_text("date,v\n2020-01-01,1\n2020-01-02,2\nsoon,3\n2020-01-04,5\n")
    with pytest.raises(DataError, match=r"has values that are not dates \(data row 3: 'soon'\); "
                                        r"fix them in the file"):
        resolve_data(str(tmp_path / "d.csv"))


def test_filled_values_are_remembered_and_named_when_they_are_scored(tmp_path, capsys):
    s = _monthly(48)
    s.iloc[[5, 46, 47]] = np.nan
    loaded = load_series(s, fill="ffill")
    assert list(loaded.filled) == [5, 46, 47] and not np.isnan(loaded.values).any()
    assert load_series(_monthly(48)).filled is None
    csv = tmp_path / "s.csv"
    s.rename_axis("month").reset_index().to_csv(csv, index=False)
    assert fcli.run(_args("--data", str(csv), "--column", "y", "--fill", "ffill", "--hidden-size",
                          "4", "--epochs", "1", "--lookback", "6", "--horizon", "3",
                          "--ensemble", "1", "--no-progress", "--out", str(tmp_path / "r"))) == 0
    assert ("note: 2 of the 3 test values were missing and filled in (--fill ffill)"
            in capsys.readouterr().out)


def test_deep_architecture_options_reach_the_model():
    f = Forecaster(model="dt-rnn", depth=3, width=7, nonlinearity="relu", hidden_size=5,
                   epochs=1, lookback=6, horizon=3, ensemble=1, progress=False)
    f.fit(_monthly(40))
    cell = f.net.members[0].body.body.layers[0].cell
    assert (cell.depth, cell.width, cell.nonlinearity) == (3, 7, "relu")
    with pytest.raises(DataError, match="ForecastConfig: .*depth"):
        Forecaster(model="dt-rnn", depth=0)
    with pytest.raises(DataError, match="ForecastConfig: unknown model 'tcn'"):
        Forecaster(model="tcn")
    dot = Forecaster(model="dot-rnn", out_depth=2, hidden_size=4)
    assert dot.config.model_spec().out_depth == 2


def test_csv_dialects_and_day_first_dates_are_read_not_misread(tmp_path):
    """Semicolons with decimal commas, tabs, and dd/mm/yyyy dates: read as written; two
    unnamed numeric columns: refused rather than the last one picked."""
    (tmp_path / "eu.csv").write_text("Date;Close\n2015-01-01;1000,50\n2015-01-02;1026,36\n"
                                     "2015-01-05;1030,00\n")
    s = resolve_data(str(tmp_path / "eu.csv"))
    assert s.name == "Close" and list(s.values) == [1000.5, 1026.36, 1030.0] and s.freq == "B"
    (tmp_path / "tab.csv").write_text("Date\tClose\n2015-01-01\t1.5\n2015-01-02\t2.5\n"
                                      "2015-01-05\t3.0\n")
    assert list(resolve_data(str(tmp_path / "tab.csv")).values) == [1.5, 2.5, 3.0]
    (tmp_path / "two.csv").write_text("Date,Temperature,Humidity\n2015-01-01,1,2\n"
                                      "2015-01-02,3,4\n2015-01-03,5,6\n")
    with pytest.raises(DataError, match=r"several numeric columns \(Temperature, Humidity\) and "
                                        r"none is Close; choose .* --column NAME"):
        resolve_data(str(tmp_path / "two.csv"))
    # the other columns as covariates: the global model's options, which a user with
    # demand and temperature looks for (Forecaster reads one column)
    with pytest.raises(DataError, match=r"--column Temperature --future-covariates Humidity "
                                        r"for values known ahead.*--past-covariates"):
        resolve_data(str(tmp_path / "two.csv"))
    assert resolve_data(str(tmp_path / "two.csv"), column="Humidity").values[0] == 2
    (tmp_path / "year.csv").write_text("Year,Sales\n2001,5.5\n2002,3.0\n2003,7.25\n2004,6\n")
    assert resolve_data(str(tmp_path / "year.csv")).name == "Sales"  # a row counter is no target
    monthly = pd.date_range("2015-01-01", periods=36, freq="MS")  # every day field is 01
    for fmt, freq in (("%d/%m/%Y", "MS"), ("%m/%d/%Y", "MS"), ("%d.%m.%Y", "MS")):
        pd.DataFrame({"Date": monthly.strftime(fmt), "v": np.arange(36.0)}).to_csv(
            tmp_path / "d.csv", index=False)
        s = resolve_data(str(tmp_path / "d.csv"))
        assert s.index[1] == pd.Timestamp("2015-02-01") and s.freq == freq, fmt
    daily = pd.date_range("2015-01-01", periods=40, freq="D")
    pd.DataFrame({"Date": daily.strftime("%d/%m/%Y"), "v": np.arange(40.0)}).to_csv(
        tmp_path / "d.csv", index=False)
    assert resolve_data(str(tmp_path / "d.csv")).index[12] == pd.Timestamp("2015-01-13")


def test_an_option_the_model_does_not_read_is_refused_not_recorded():
    with pytest.raises(DataError, match=r"model 'lstm' has no depth \(set depth=3\); depth "
                                        r"shapes dt-rnn"):
        Forecaster(model="lstm", depth=3)
    with pytest.raises(DataError, match="model 'dt-rnn' has no out_depth"):
        Forecaster(model="dt-rnn", out_depth=2)
    assert Forecaster(model="rnn", nonlinearity="relu").config.nonlinearity == "relu"


def test_drift_baseline_is_the_models_target_held_at_its_mean():
    """With log and a seasonal difference, drift = the seasonal naive grown by the average
    seasonal log growth of the training part: computed here by hand."""
    f = Forecaster(hidden_size=4, epochs=1, ensemble=1, progress=False).fit("airline")
    ev = f.evaluate()
    y = resolve_data("airline").values
    train, test = y[:-12], y[-12:]
    growth = np.mean(np.log(train[12:]) - np.log(train[:-12]))
    by_hand = train[-12:] * np.exp(growth)
    np.testing.assert_allclose(ev["predictions"]["drift"], by_hand, rtol=1e-9)
    assert ev["forecast"]["drift"]["rmse"] == pytest.approx(np.sqrt(np.mean((by_hand - test) ** 2)))
