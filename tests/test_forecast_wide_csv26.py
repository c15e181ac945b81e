"""``rnnlab forecast --data wide.csv`` (a date column and several numeric ones, Darts'
multi-column series as written) is read by one rule whatever the options: one series
(rnnlab.panel.one_table), or refused with the same message."""

import numpy as np
import pandas as pd
import pytest

from cli_run import run

TINY = ["--lookback", "12", "--horizon", "6", "--hidden-size", "8", "--head-size", "8",
        "--epochs", "1", "--batches-per-epoch", "2"]


def _write(path, columns):
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"date": pd.date_range("2020-01-01", periods=48, freq="MS")})
    for i, c in enumerate(columns):
        df[c] = 50.0 + 10 * i + rng.normal(size=48).cumsum()
    df.to_csv(path, index=False)
    return str(path)


@pytest.mark.parametrize("options", [[], ["--baselines", "naive"],
                                     ["--quantiles", "0.1", "0.5", "0.9", "--calibrate", "none"],
                                     ["--likelihood", "gaussian"], ["--calendar", "month"]])
def test_a_wide_csv_is_refused_with_one_message_whatever_the_options(options, capsys, tmp_path):
    # with --quantiles --calibrate none it trained three series, one per column; with
    # --baselines it was "one series"; with no option it asked for --column
    data = _write(tmp_path / "wide.csv", ["a", "b", "c"])
    code, err = run(["forecast", "--data", data, *TINY, *options, "--out",
                     str(tmp_path / "run")], capsys)
    assert code == 1 and "several numeric columns (a, b, c) and none is Close" in err, err
    assert "is one series" not in err and not (tmp_path / "run").exists()


@pytest.mark.slow
def test_the_panel_model_reads_the_one_series_target_of_a_price_file(capsys, tmp_path):
    # Open, High, Low, Close: the one-series reader's Close, not four series
    data = _write(tmp_path / "prices.csv", ["Open", "High", "Low", "Close"])
    out = tmp_path / "run"
    code, err = run(["forecast", "--data", data, *TINY, "--quantiles", "0.1", "0.5", "0.9",
                     "--calibrate", "none", "--baselines", "naive", "--out", str(out)], capsys)
    assert code == 0, err
    assert set(pd.read_csv(out / "forecasts.csv")["unique_id"]) == {"Close"}


def test_a_long_table_without_its_id_column_is_still_asked_for_it(capsys, tmp_path):
    # (its text id column is no wide table's: read_panel's message, not the several columns')
    ds = pd.date_range("2020-01-01", periods=30, freq="MS")
    df = pd.concat([pd.DataFrame({"store": s, "date": ds, "sales": np.arange(30.0) + i,
                                  "price": 2.0 + np.sin(np.arange(30.0))})
                    for i, s in enumerate("ab")])
    df.to_csv(tmp_path / "long.csv", index=False)
    code, err = run(["forecast", "--data", str(tmp_path / "long.csv"), *TINY, "--quantiles",
                     "0.1", "0.5", "0.9", "--calibrate", "none", "--out", str(tmp_path / "run")],
                    capsys)
    assert code == 1 and "no id column" in err and "several numeric" not in err, err
