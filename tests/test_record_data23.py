"""A run repeated from its record (``--config RUN_DIR``) on data changed since says so:
before, a CSV edited after the run gave other results silently, though the record holds
the SHA-256 of the values the run read."""

from __future__ import annotations

import numpy as np
import pandas as pd
from cli_run import run
from printed_words import words


def _panel(path, bump=0.0):
    ds = pd.date_range("2020-01-01", periods=24, freq="MS")
    y = np.concatenate([np.arange(24.0) + 10, np.arange(24.0) * 2 + 5])
    y[3] += bump
    pd.DataFrame({"unique_id": np.repeat(["a", "b"], 24), "ds": list(ds) * 2,
                  "y": y}).to_csv(path, index=False)


def _backtest(capsys, *options):
    code, err = run(["backtest", "--model", "naive", "--baselines", "none",
                     "--plot-series", "0", "--horizon", "2", "--no-progress", *options], capsys)
    assert code == 0, err
    return err


def test_a_repeat_on_changed_data_warns(tmp_path, capsys):
    data = tmp_path / "sales.csv"
    _panel(data)
    _backtest(capsys, "--data", str(data), "--out", str(tmp_path / "run"))
    repeat = ["--config", str(tmp_path / "run")]
    err = _backtest(capsys, *repeat, "--out", str(tmp_path / "same"))
    assert "other values" not in err  # the same data: nothing to say
    _panel(data, bump=1.0)  # the file edited since the run
    err = _backtest(capsys, *repeat, "--out", str(tmp_path / "edited"))
    err = words(err)  # (its words: a warning wraps at 80 columns)
    assert "the data this run read has other values than the recorded run's" in err
    assert "give the data the run read" in err
    # other data given on purpose: not compared
    _panel(tmp_path / "other.csv", bump=2.0)
    err = _backtest(capsys, *repeat, "--data", str(tmp_path / "other.csv"), "--out",
                    str(tmp_path / "other"))
    assert "other values" not in err
