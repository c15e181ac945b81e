"""``rnnlab compare --date-column`` (``CompareConfig.date_column``), as ``rnnlab forecast``
and ``rnnlab backtest`` take it: a CSV's date column named, or ``none`` to read the series
without dates. Before, compare had no such option: a file whose date column was not
detected could not be compared on its calendar."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.cli import main
from rnnlab.compare.config import CompareConfig
from rnnlab.compare.forecast_run import run_forecast
from rnnlab.io.errors import ConfigError, DataError


def _csv(tmp_path):
    n = 48
    pd.DataFrame({"month": pd.date_range("2015-01-01", periods=n, freq="MS").strftime(
        "%Y-%m-%d"), "sales": 100 + 10 * np.sin(np.arange(n) * np.pi / 6) + np.arange(n)}
                 ).to_csv(tmp_path / "s.csv", index=False)
    return str(tmp_path / "s.csv")


def _series(path, **given):
    cfg = CompareConfig(data=path, column="sales", models=("rnn",), seeds=(0,), epochs=1,
                        hidden_size=2, lookback=6, horizon=6, **given)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run_forecast(cfg, "rnn", 2, 0, 0)[1]["series"]


def test_compare_reads_the_date_column_given(tmp_path):
    path = _csv(tmp_path)
    named = _series(path, date_column="month")
    assert named["dates"][0].startswith("2015-01-01") and len(named["dates"]) == 48
    assert _series(path, date_column="none")["dates"] is None  # (as forecast's 'none')
    with pytest.raises(DataError, match="week_of"):  # (a column the file lacks: named)
        _series(path, date_column="week_of")


def test_rnnlab_compare_takes_date_column(tmp_path, capsys):
    path = _csv(tmp_path)
    for typed in ("month", "none"):
        assert main(["compare", "--data", path, "--date-column", typed, "--print-config"]) == 0
        assert json.loads(capsys.readouterr().out)["options"]["date_column"] == typed


def test_compare_date_column_is_a_forecast_flag(tmp_path, capsys):
    assert main(["compare", "--task", "lm", "--data", "x.txt", "--date-column", "month",
                 "--out", str(tmp_path / "c")]) == 2
    assert "--date-column: read by --task forecast only" in capsys.readouterr().err


def test_compare_takes_period_as_forecast_does(tmp_path, capsys):
    """``--period`` (``CompareConfig.period``), forecast's, backtest's and score's option:
    the season every model's differences, the seasonal naive baseline and MASE read."""
    path = _csv(tmp_path)
    assert _series(path, period=4)["period"] == 4
    assert _series(path)["period"] == 12  # (from the monthly dates, as before)
    assert main(["compare", "--data", path, "--period", "4", "--print-config"]) == 0
    assert json.loads(capsys.readouterr().out)["options"]["period"] == 4
    with pytest.raises(ConfigError, match=r"period \(--period\) must be a whole number >= 1"):
        CompareConfig(period=0)
