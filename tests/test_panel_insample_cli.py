"""``rnnlab forecast ... --insample FILE.csv [--insample-step N]``: the panel network's
in-sample forecasts written to the user's file, never over a file unasked, the data read
or a file of the run read; refused, before any work, where there is nothing to write."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.cli import main
from rnnlab.panel import GlobalForecaster, read_panel

TINY = ["--model", "gru", "--lookback", "5", "--horizon", "3", "--epochs", "1",
        "--batches-per-epoch", "2", "--hidden-size", "8", "--baselines", "none", "-q"]


def _data(path, lengths=(30, 30, 30)):
    rng = np.random.default_rng(0)
    pd.concat([pd.DataFrame({"unique_id": f"s{j}", "y": 10 + j + rng.normal(0, 1, n),
                             "ds": pd.date_range("2020-01-01", periods=n, freq="D")
                             .strftime("%Y-%m-%d")})
               for j, n in enumerate(lengths)]).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """A trained run (its model fitted on all but each series' last 3 days), and the
    in-sample file its training wrote."""
    tmp = tmp_path_factory.mktemp("insample")
    data = _data(tmp / "p.csv")
    out, fitted = tmp / "run", tmp / "fitted.csv"
    assert main(["forecast", "--data", str(data), *TINY, "--out", str(out),
                 "--insample", str(fitted)]) == 0
    return data, out, fitted


def test_training_writes_the_saved_models_insample_forecasts(run):
    data, out, fitted = run
    table = pd.read_csv(fitted)
    assert list(table.columns) == ["unique_id", "ds", "cutoff", "step", "y", "mean", "q0.1",
                                   "q0.5", "q0.9"]
    assert table["ds"].iloc[0] == "2020-01-13"  # (dates as the data wrote them)
    model = GlobalForecaster.load(out / "model")
    mine = model.predict_insample(read_panel(pd.read_csv(data)))
    np.testing.assert_allclose(table["mean"], mine["mean"], rtol=1e-12)


def test_run_writes_them_for_the_data_given_every_step_cutoffs(run, tmp_path, capsys):
    data, out, fitted = run
    target = tmp_path / "again.csv"
    assert main(["forecast", "--run", str(out), "--data", str(data), "--insample",
                 str(target), "--insample-step", "3"]) == 0
    table = pd.read_csv(target)
    every = pd.read_csv(fitted)
    cut = table.groupby("unique_id")["cutoff"].unique()
    assert all(c[-1] == every.loc[every["unique_id"] == u, "cutoff"].max() for u, c in cut.items())
    assert all((np.diff(pd.to_datetime(c)) == pd.Timedelta(days=3)).all() for c in cut)
    assert "in-sample forecasts" in capsys.readouterr().err


def test_a_file_is_not_replaced_unasked_nor_the_data(run, tmp_path, capsys):
    data, out, fitted = run
    before = fitted.read_text()
    assert main(["forecast", "--data", str(data), *TINY, "--out", str(tmp_path / "r2"),
                 "--insample", str(fitted)]) != 0
    err = capsys.readouterr().err
    assert "exists; pass --overwrite to replace it or choose another --insample" in err
    assert not (tmp_path / "r2").exists() and fitted.read_text() == before  # (before any work)
    assert main(["forecast", "--run", str(out), "--data", str(data), "--insample", str(data),
                 "--overwrite"]) != 0
    assert "is the file" in capsys.readouterr().err and pd.read_csv(data).shape[1] == 3
    assert main(["forecast", "--run", str(out), "--data", str(data), "--insample",
                 str(fitted), "--overwrite"]) == 0  # (asked: replaced)


@pytest.mark.parametrize("extra, said", [
    (TINY + ["--insample-step", "2"], "give --insample FILE.csv with it"),
    (["--insample", "x.csv", "--model", "naive"], "--model naive is a baseline"),
    (TINY + ["--insample", "-"], "give a CSV file name")])
def test_refused_before_any_folder(tmp_path, extra, said, capsys):
    data = _data(tmp_path / "p.csv")
    assert main(["forecast", "--data", str(data), "--out", str(tmp_path / "r")] + extra) != 0
    assert said in capsys.readouterr().err and not (tmp_path / "r").exists()


def test_run_without_data_is_refused(run, tmp_path, capsys):
    data, out, _ = run
    assert main(["forecast", "--run", str(out), "--insample", str(tmp_path / "x.csv")]) != 0
    assert "give the data to forecast in sample (--data FILE.csv" in capsys.readouterr().err
    # (one series: the Forecaster's in-sample forecasts, tests/test_forecaster_insample_cli.py)


def test_darts_word_as_a_command_names_insample_too(capsys):
    assert main(["historical_forecasts", "--data", "x.csv"]) == 2
    err = capsys.readouterr().err
    assert "`rnnlab backtest`" in err and "`rnnlab forecast ... --insample FILE.csv`" in err


def test_a_repeat_of_the_run_does_not_write_its_recorded_insample_file(run, tmp_path, capsys):
    """``--config RUN`` repeats the run's options, not the files it wrote: as its --out, its
    --insample is left out (a repeat given --overwrite for a new --out replaced the first
    run's in-sample file unasked); a recorded --insample-step is dropped with it."""
    import json

    data, out, fitted = run
    before = fitted.read_text()
    record = json.loads((out / "config.json").read_text())
    record["config"]["options"]["insample_step"] = 2  # (as a run typed with it records)
    edited = tmp_path / "config.json"
    edited.write_text(json.dumps(record))
    (tmp_path / "again").mkdir()
    assert main(["forecast", "--config", str(edited), "--out", str(tmp_path / "again"),
                 "--overwrite"]) == 0
    assert "in-sample forecasts" not in capsys.readouterr().err
    assert fitted.read_text() == before
    mine = tmp_path / "mine.csv"  # (typed again: written, at the recorded step)
    assert main(["forecast", "--config", str(edited), "--out", str(tmp_path / "again"),
                 "--overwrite", "--insample", str(mine)]) == 0
    cut = pd.read_csv(mine).groupby("unique_id")["cutoff"].unique()
    assert all((np.diff(pd.to_datetime(c)) == pd.Timedelta(days=2)).all() for c in cut)


@pytest.mark.parametrize("inside", ["forecasts.csv", "model/model.json", "mine.csv", "."])
def test_a_file_in_the_run_directory_written_is_refused_before_any_work(tmp_path, inside,
                                                                        capsys):
    """``--out R --insample R/forecasts.csv``: the run's own forecasts.csv was replaced by
    the in-sample table after the run (its model.json, the saved model broken); ``--insample
    R``: the folder the run makes, refused only after it."""
    data, out = _data(tmp_path / "p.csv"), tmp_path / "r"
    assert main(["forecast", "--data", str(data), *TINY, "--out", str(out), "--insample",
                 str(out / inside)]) != 0
    err = capsys.readouterr().err
    assert f"inside the run directory {out} this run writes" in err
    assert f"e.g. {tmp_path / 'r-insample.csv'}" in err and not out.exists()
