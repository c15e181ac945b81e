"""``rnnlab forecast --val-data FILE``: ``Forecaster.fit(data, val_data=...)`` on the command
line (was: "unrecognized arguments: --val-data"; the joined file with ``--val-size N
--test-size 0`` was the only way)."""

import json

import numpy as np
import pandas as pd
import pytest

from rnnlab.cli import main
from rnnlab.io.rundir import data_hash

RUN = ["--hidden-size", "4", "--epochs", "2", "--ensemble", "1", "--lookback", "6",
       "--horizon", "3", "--no-progress"]


def _files(tmp_path, n=60, n_val=12):
    idx = pd.date_range("2000-01-01", periods=n, freq="MS")
    t = np.arange(n)
    y = 100 + t + 10 * np.sin(2 * np.pi * t / 12) + np.random.default_rng(0).normal(0, 1, n)
    df = pd.DataFrame({"month": idx.strftime("%Y-%m-%d"), "y": y})
    paths = [tmp_path / name for name in ("all.csv", "train.csv", "val.csv", "overlap.csv")]
    for path, part in zip(paths, (df, df[:n - n_val], df[n - n_val:], df[n - n_val - 2:])):
        part.to_csv(path, index=False)
    return paths


def _exact_y(path):
    """The file's numbers as written, as rnnlab reads them: pandas 2's default parser (all
    Python 3.10 installs) reads some 17-digit numbers one ulp off, and the hash differed."""
    return pd.read_csv(path, float_precision="round_trip")["y"].to_numpy(dtype=float)


@pytest.mark.slow
def test_val_data_run_is_the_joined_series_with_its_validation_tail(tmp_path, capsys):
    whole, train, val, _ = _files(tmp_path)
    assert main(["forecast", "--data", str(whole), "--val-size", "12", "--test-size", "0",
                 "--out", str(tmp_path / "joined"), *RUN]) == 0
    capsys.readouterr()
    out = tmp_path / "run"
    assert main(["forecast", "--data", str(train), "--val-data", str(val), "--out", str(out),
                 *RUN]) == 0
    said = capsys.readouterr().out
    assert f"no test part: --val-data {val} validated the network and the choice" in " ".join(
        said.split())  # (broken at its clauses, in lines of at most 80 columns)
    assert "\nchoice: " in said  # (what the validation chose, as a run with a test part says)
    assert (out / "forecast.csv").read_text() == (tmp_path / "joined/forecast.csv").read_text()
    info = json.loads((out / "config.json").read_text())
    assert info["config"]["val_data"] == str(val)
    assert info["config"]["val_size"] == 12 and info["config"]["test_size"] == 0
    assert info["data_sha256"] == data_hash(_exact_y(whole))  # (a resume on a changed FILE: warned)
    assert json.loads((out / "cli.json").read_text())["options"]["val_data"] == str(val)


def test_split_options_beside_val_data_are_refused_before_any_folder(tmp_path, capsys):
    _, train, val, _ = _files(tmp_path)
    out = tmp_path / "run"
    assert main(["forecast", "--data", str(train), "--val-data", str(val), "--test-size", "3",
                 "--out", str(out), *RUN]) == 2
    err = capsys.readouterr().err
    assert f"--val-data {val} is the validation tail, and --test-size 3 would cut" in err
    assert not out.exists()


def test_val_data_that_overlaps_the_data_is_refused_naming_the_option(tmp_path, capsys):
    _, train, _, overlap = _files(tmp_path)
    out = tmp_path / "run"
    assert main(["forecast", "--data", str(train), "--val-data", str(overlap), "--out",
                 str(out), *RUN]) == 1
    err = capsys.readouterr().err
    assert f"--val-data {overlap}: --val-data must come right after the training data" in err
    assert "Forecaster.fit" not in err and not out.exists()


def test_a_panel_run_refuses_val_data(tmp_path, capsys):
    _, _, val, _ = _files(tmp_path)
    assert main(["forecast", "--data", "visnights", "--val-data", str(val), "--out",
                 str(tmp_path / "p"), "--epochs", "1"]) == 2
    assert "--val-data: an option of the one-series forecaster" in capsys.readouterr().err


def test_seeds_without_a_test_part_say_there_is_nothing_to_compare(tmp_path, capsys):
    """--seeds with --val-data (or --test-size 0) printed the summary table's bare header
    ("method RMSE MAE"), no row under it."""
    _, train, val, _ = _files(tmp_path)
    assert main(["forecast", "--data", str(train), "--val-data", str(val), "--seeds", "0", "1",
                 "--out", str(tmp_path / "run"), *RUN]) == 0
    said = capsys.readouterr().out
    said = " ".join(said.split())  # (the line is broken at its clauses, ≤ 80 columns)
    assert said.endswith("over seeds [0, 1]: no test part, so no metrics to compare across the "
                         "seeds; each seed's forecast is in its seed_K/forecast.csv")
    info = json.loads((tmp_path / "run/seed_1/config.json").read_text())
    assert info["config"]["val_data"] == str(val)  # (the run's record, read by --resume)
    assert info["config"]["val_size"] == 12 and info["config"]["test_size"] == 0
    assert info["data_sha256"] == data_hash(_exact_y(tmp_path / "all.csv"))
    future = pd.read_csv(tmp_path / "run/seed_1/forecast.csv")
    assert future["time"].iloc[0] == "2005-01-01"  # (after val.csv's last month)
