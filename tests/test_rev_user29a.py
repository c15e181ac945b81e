"""Review of user29a (session 29): rnnlab backtest --one-series's --print-config and
refusals, a wide table's series that end in NaN, a model saved to a name like a file."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest


def _monthly_csv(tmp_path, name: str = "m.csv") -> str:
    t = np.arange(60)
    path = tmp_path / name
    pd.DataFrame({"month": pd.date_range("2010-01-01", periods=60, freq="MS").strftime(
        "%Y-%m-%d"), "value": 200 + 3 * t + 20 * np.sin(2 * np.pi * t / 12)}).to_csv(
        path, index=False)
    return str(path)


def _printed(capsys, argv) -> dict:
    from rnnlab.cli import main

    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("route", [["--one-series"], ["--calendar", "holiday", "--country",
                                                      "US"]])
def test_print_config_of_the_one_series_route_prints_the_forecasters_settings(
        tmp_path, capsys, route):
    # was the panel parser's: hidden_size 48, lookback 24, ensemble 1, lr 0.003, and the
    # panel model's own options (head_size, likelihood, samples), none of which the run reads
    from rnnlab.forecast.config import ForecastConfig

    argv = ["backtest", "--data", _monthly_csv(tmp_path), "--model", "gru", *route,
            "--epochs", "2", "--print-config"]
    printed = _printed(capsys, argv)
    options, ran, plain = printed["options"], printed["options"]["model_config"], \
        ForecastConfig()
    for key in ("hidden_size", "lookback", "ensemble", "lr", "batch_size", "patience"):
        assert key not in options or options[key] == ran[key], key
        assert ran[key] == getattr(plain, key), key
    assert not {"head_size", "likelihood", "samples", "embed_size"} & set(options)
    assert (options["epochs"], ran["epochs"], ran["model"]) == (2, 2, "gru")
    # the printed file repeats the run's settings
    saved = tmp_path / "printed.json"
    saved.write_text(json.dumps(printed))
    again = _printed(capsys, ["backtest", "--config", str(saved), "--print-config"])
    assert again["options"] == options


def test_print_config_of_a_panel_backtest_is_unchanged(tmp_path, capsys):
    from rnnlab.panel.config import PanelConfig

    printed = _printed(capsys, ["backtest", "--data", _monthly_csv(tmp_path), "--model",
                                "gru", "--print-config"])
    assert printed["options"]["hidden_size"] == PanelConfig().hidden_size
    assert "model_config" not in printed["options"]


@pytest.mark.parametrize("extra, said", [
    (["--fill", "zero"], "--fill zero: --one-series backtests the one-series Forecaster"),
    (["--checkpoint-every", "2"], "--checkpoint-every 2: --one-series backtests the "
                                  "one-series Forecaster"),
    (["--model", "gru", "lstm"], "--model gru lstm: --one-series backtests the one-series "
                                 "Forecaster, one --model per run"),
])
def test_one_series_refusals_name_the_option_that_chose_the_route(tmp_path, capsys, extra,
                                                                   said):
    # each said "one series with --calendar holiday", which was not given
    from rnnlab.cli import main

    argv = ["backtest", "--data", _monthly_csv(tmp_path), "--model", "gru", "--one-series",
            "--out", str(tmp_path / "bt"), *extra]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert said in err and "--calendar holiday" not in err
    assert not (tmp_path / "bt").exists()


def _wide(nan_from: int = 57) -> pd.DataFrame:
    t = np.arange(60.0)
    df = pd.DataFrame({"month": pd.date_range("2010-01-01", periods=60, freq="MS"),
                       "a": 200 + 3 * t, "b": 100 + t})
    df.loc[nan_from:, "b"] = np.nan
    return df


def test_a_wide_tables_series_that_ends_in_nan_is_read_shorter_with_a_warning():
    # was read shorter with no word (the long table's reader refuses such rows)
    from rnnlab.panel import read_panel

    with pytest.warns(UserWarning, match=r"1 series ends with rows without a value, left out "
                                         r"\('b': 3 rows from 2014-10-01\)") as got:
        p = read_panel(_wide())
    # (this file's line, for a wide table and a dict read at other depths: a fixed
    # stacklevel named a line above the caller, or sys:1)
    assert [w.filename for w in got] == [__file__]
    lengths = p.df.groupby("unique_id").size()
    assert (lengths["a"], lengths["b"]) == (60, 57)  # (read as before)
    with pytest.warns(UserWarning, match=r"'b': 1 row from 2014-12-01") as got:
        read_panel({"a": _wide().set_index("month")["a"],
                    "b": _wide(59).set_index("month")["b"]})
    assert [w.filename for w in got] == [__file__]


def test_a_wide_table_without_nan_at_its_ends_reads_without_a_warning():
    import warnings

    from rnnlab.panel import read_panel

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(read_panel(_wide(60)).df) == 120


def test_a_wide_tables_series_that_starts_later_reads_without_a_warning():
    # NaN rows at a series' start are how a wide table writes a late start (pandas' stack
    # and Darts read them without a word): nothing lost, no origin moved, no warning
    import warnings

    from rnnlab.panel import read_panel

    df = _wide(60)
    df.loc[:4, "b"] = np.nan
    b = df.set_index("month")["b"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = read_panel(df)
        read_panel({"a": _wide(60).set_index("month")["a"], "b": b})
    lengths = p.df.groupby("unique_id").size()
    assert (lengths["a"], lengths["b"]) == (60, 55)
    assert p.df.loc[p.df["unique_id"] == "b", "ds"].min() == pd.Timestamp("2010-06-01")


def test_a_panel_backtest_of_a_one_column_table_ending_in_nan_says_so(tmp_path, capsys):
    # its origin moved back by the rows left out, with no word
    from rnnlab.cli import main

    path = tmp_path / "w.csv"
    _wide()[["month", "b"]].to_csv(path, index=False)
    with pytest.warns(UserWarning, match="'b': 3 rows from 2014-10-01"):
        assert main(["backtest", "--data", str(path), "--model", "naive", "--baselines",
                     "naive", "--plot-series", "0", "--no-progress", "--out",
                     str(tmp_path / "bt")]) == 0


def test_a_save_to_a_files_name_says_it_writes_a_folder(tmp_path):
    # Darts' model.save("model.pt") made a folder model.pt with no word
    import warnings

    from rnnlab import Forecaster

    t = np.arange(48.0)
    f = Forecaster("gru", lookback=12, horizon=6, epochs=1, ensemble=1, hidden_size=4,
                   progress=False).fit(pd.Series(100 + t + 10 * np.sin(t), index=pd.date_range(
                       "2010-01-01", periods=48, freq="MS")))
    target = tmp_path / "model.pt"
    with pytest.warns(UserWarning, match=r"writes a folder, .*model\.pt, holding model\.json "
                                         r"and model\.safetensors .*not one \.pt file"):
        assert f.save(target) == target
    assert target.is_dir() and (target / "model.json").is_file()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (the folder saved to again, or named as one: no word)
        f.save(target, overwrite=True)
        f.save(tmp_path / "model")
    np.testing.assert_allclose(Forecaster.load(target).predict(6).to_numpy(dtype=float),
                               f.predict(6).to_numpy(dtype=float))


def test_print_config_of_the_one_series_route_prints_before_the_data_exists(tmp_path, capsys):
    # (as rnnlab forecast --print-config does; the look-back is the default, said)
    from rnnlab.forecast.config import ForecastConfig

    printed = _printed(capsys, ["backtest", "--data", str(tmp_path / "later.csv"), "--model",
                                "gru", "--one-series", "--print-config"])
    assert printed["options"]["model_config"]["lookback"] == ForecastConfig().lookback
    assert "lookback" not in printed["options"]


def test_an_array_of_series_by_row_says_to_take_a_row():
    # it said "one series is one column, data[:, k] (k < 60)": a column of 2 values
    from rnnlab.data.series import load_series
    from rnnlab.io.errors import DataError

    rows = np.vstack([np.arange(60.0), np.arange(60.0) * 2])
    with pytest.raises(DataError, match=r"got shape \(2, 60\): one series is one row, "
                                        r"data\[k\] \(k < 2; 60 values each\)"):
        load_series(rows)
    with pytest.raises(DataError, match=r"got shape \(60, 2\): one series is one column, "
                                        r"data\[:, k\] \(k < 2\)"):
        load_series(rows.T)


def test_runs_columns_keeps_an_option_that_every_run_shares(tmp_path, capsys):
    # 'lr' (0.005 in each run) was refused: "matches no column of the table", the table
    # leaving out the options that do not differ
    import csv
    import io

    from rnnlab.cli import main
    from test_darts_cli_user29 import _forecast_run

    for h, rmse in ((4, 5.0), (8, 4.0)):
        _forecast_run(tmp_path / "sweep" / f"h{h}", h, rmse)
    assert main(["runs", str(tmp_path / "sweep"), "--columns", "hidden_size,lr"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [list(r.values())[1:] for r in rows] == [["4", "0.005"], ["8", "0.005"]]
    assert list(rows[0]) == ["run", "hidden_size", "lr"]
    assert main(["runs", str(tmp_path / "sweep")]) == 0  # (without --columns: as before)
    assert "lr" not in capsys.readouterr().out.splitlines()[0].split(",")


@pytest.mark.parametrize("extra, said", [
    (["--columns", " , "], "--columns ' , ': names no column"),  # (was: the run column alone)
    (["--columns", "lr", "--inputs"], "--columns chooses the runs table's columns, and "
                                      "--inputs prints"),  # (was: --columns left unread)
])
def test_runs_columns_that_choose_nothing_are_refused(tmp_path, capsys, extra, said):
    from rnnlab.cli import main
    from test_darts_cli_user29 import _forecast_run

    _forecast_run(tmp_path / "r", 4, 5.0)
    assert main(["runs", str(tmp_path / "r"), *extra]) == 2
    assert said in capsys.readouterr().err


@pytest.mark.slow  # (two short backtests)
def test_config_run_dir_repeats_a_one_series_backtest_on_the_one_series_route(tmp_path,
                                                                              capsys):
    # (user29a's tests left it untried: a record without one_series repeats as the panel
    # model, with its own defaults)
    import csv
    import io

    from rnnlab.cli import main

    out, again = tmp_path / "bt", tmp_path / "again"
    assert main(["backtest", "--data", _monthly_csv(tmp_path), "--model", "gru",
                 "--one-series", "--horizon", "6", "--first-origin", "12", "--stride", "6",
                 "--epochs", "1", "--hidden-size", "4", "--baselines", "naive",
                 "--plot-series", "0", "--no-progress", "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["runs", str(out)]) == 0
    (row,) = csv.DictReader(io.StringIO(capsys.readouterr().out))
    assert (row["one_series"], row["model_config.hidden_size"], row["hidden_size"]) == \
        ("True", "4", "4")
    assert "lookback" not in row and "head_size" not in row
    assert main(["backtest", "--config", str(out), "--out", str(again), "--no-progress"]) == 0
    assert "backtests the panel model" not in capsys.readouterr().err
    first, second = (json.loads((d / "config.json").read_text())["config"] for d in (out, again))
    assert first["model_config"] == second["model_config"] and second["one_series"] is True
    pd.testing.assert_frame_equal(pd.read_csv(out / "forecasts.csv"),
                                  pd.read_csv(again / "forecasts.csv"))


def test_one_series_without_a_model_says_the_default_is_a_baseline(tmp_path, capsys):
    # was "--model seasonal_naive is a baseline", of a --model not typed
    from rnnlab.cli import main

    assert main(["backtest", "--data", _monthly_csv(tmp_path), "--one-series"]) == 2
    err = capsys.readouterr().err
    assert "network; --model was not given, and backtest's default, seasonal_naive, is a " \
           "baseline: pass a network (--model lstm, rnnlab forecast's default)" in err


def test_print_config_of_the_one_series_route_reads_a_file_in_its_encoding(tmp_path, capsys):
    # the file was read as UTF-8 (the run reads its UTF-8 copy): "not valid UTF-8", and the
    # look-back left unsized (12, where the run trains on 14: two weeks of daily data)
    t = np.arange(400)
    path = tmp_path / "d.csv"
    pd.DataFrame({"día": pd.date_range("2020-01-01", periods=400, freq="D").strftime(
        "%Y-%m-%d"), "año": 50 + np.sin(2 * np.pi * t / 7) + 0.01 * t}).to_csv(
        path, index=False, encoding="cp1252")
    printed = _printed(capsys, ["backtest", "--data", str(path), "--column", "año", "--model",
                                "gru", "--one-series", "--encoding", "cp1252",
                                "--print-config"])
    assert printed["options"]["model_config"]["lookback"] == 14
    assert printed["options"]["encoding"] == "cp1252"


@pytest.mark.slow  # (a short backtest)
def test_a_one_series_backtest_records_what_its_fits_chose(tmp_path, capsys):
    # said on stderr alone: summary.json and rnnlab runs kept rows named gru that may score
    # a baseline the Forecaster's validation chose
    import csv
    import io

    from rnnlab.cli import main

    out = tmp_path / "bt"
    assert main(["backtest", "--data", _monthly_csv(tmp_path), "--model", "gru",
                 "--one-series", "--horizon", "6", "--first-origin", "12", "--stride", "6",
                 "--refit", "1", "--epochs", "1", "--hidden-size", "4", "--baselines",
                 "naive", "--plot-series", "0", "--no-progress", "--out", str(out)]) == 0
    chose = json.loads((out / "summary.json").read_text())["forecaster_choices"]
    assert list(chose) == ["gru"] and sum(chose["gru"].values()) == 2  # (two origins, refit)
    capsys.readouterr()
    assert main(["runs", str(out)]) == 0
    (row,) = csv.DictReader(io.StringIO(capsys.readouterr().out))
    assert {k: int(v) for k, v in row.items() if ".chose." in k} == {
        f"gru.chose.{c}": n for c, n in chose["gru"].items()}
