"""``rnnlab forecast --run DIR`` on a one-series run killed mid-ensemble was refused ("this
run did not finish ... continue it with --resume") though its finished members were whole
in the checkpoints; now it forecasts with those (the forecast of ``--ensemble k``, said with
how many of how many were used), as ``lm generate``/``lm eval`` use an unfinished run."""

import hashlib
import os
import signal

import numpy as np
import pandas as pd
import pytest

from rnnlab.cli import main
from rnnlab.forecast import training

RUN = ["--hidden-size", "4", "--epochs", "4", "--lookback", "6", "--horizon", "3",
       "--no-progress"]


def _csv(tmp_path, n=60):
    t = np.arange(n)
    y = 100 + t + 10 * np.sin(2 * np.pi * t / 12) + np.random.default_rng(0).normal(0, 1, n)
    path = tmp_path / "s.csv"
    pd.DataFrame({"month": pd.date_range("2000-01-01", periods=n, freq="MS")
                  .strftime("%Y-%m-%d"), "y": y}).to_csv(path, index=False)
    return path


def _killed(tmp_path, monkeypatch, member, *extra, ensemble=3):
    """A run stopped by Ctrl-C at the second epoch of ``member`` (its checkpoint written)."""
    real = training.member_hook

    def hook(on_epoch, m, is_main=True, refit=False):
        if m != member:
            return real(on_epoch, m, is_main, refit=refit)
        return lambda epoch, record: epoch == 2 and os.kill(os.getpid(), signal.SIGINT)

    out = tmp_path / "run"
    with monkeypatch.context() as mp:
        mp.setattr(training, "member_hook", hook)
        assert main(["forecast", "--data", str(_csv(tmp_path)), "--ensemble", str(ensemble),
                     "--out", str(out), *RUN, *extra]) == 130
    assert not (out / "model").exists()
    return out


def _files(run):
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in run.rglob("*") if p.is_file()}


def _forecast_of_killed(tmp_path, monkeypatch, capsys):
    run = _killed(tmp_path, monkeypatch, member=2)
    before = _files(run)
    capsys.readouterr()
    assert main(["forecast", "--run", str(run), "--output", str(tmp_path / "f.csv")]) == 0
    err = capsys.readouterr().err
    assert "forecasting with 2 of its 3 ensemble members, those that finished" in err
    assert "the forecast of a run with --ensemble 2, not of this run once finished" in err
    assert f"rnnlab forecast --resume {run}" in err
    assert _files(run) == before  # (read only: nothing written in the run)


def test_the_finished_members_forecast_saying_how_many(tmp_path, monkeypatch, capsys):
    _forecast_of_killed(tmp_path, monkeypatch, capsys)
    assert len(pd.read_csv(tmp_path / "f.csv")) == 3


@pytest.mark.slow
def test_the_finished_members_forecast_as_a_run_of_that_many(tmp_path, monkeypatch, capsys):
    _forecast_of_killed(tmp_path, monkeypatch, capsys)
    two = tmp_path / "two"
    assert main(["forecast", "--data", str(tmp_path / "s.csv"), "--ensemble", "2", "--out",
                 str(two), *RUN]) == 0
    full = pd.read_csv(two / "forecast.csv")
    full = full[full["part"] == "future"]
    got = pd.read_csv(tmp_path / "f.csv")
    assert list(got["time"]) == list(full["time"])
    np.testing.assert_array_equal(got["forecast"].to_numpy(), full["model"].to_numpy())


def test_a_run_stopped_in_its_first_member_is_still_refused(tmp_path, monkeypatch, capsys):
    run = _killed(tmp_path, monkeypatch, member=0, ensemble=2)
    capsys.readouterr()
    assert main(["forecast", "--run", str(run)]) == 1
    err = capsys.readouterr().err
    assert "none of its ensemble members had finished" in err
    assert f"continue it with: rnnlab forecast --resume {run}" in err


@pytest.mark.parametrize("change", ["data", "refit"])
def test_changed_data_or_a_refit_is_refused(tmp_path, monkeypatch, capsys, change):
    run = _killed(tmp_path, monkeypatch, 1, *(["--refit", "true"] if change == "refit" else []),
                  ensemble=2)
    if change == "data":
        data = tmp_path / "s.csv"
        data.write_text(data.read_text().replace("\n2000-01-01,", "\n2000-01-01,1"))
    capsys.readouterr()
    assert main(["forecast", "--run", str(run)]) == 1
    err = capsys.readouterr().err
    assert ("changed since it started" if change == "data" else
            "its --refit trains the members again") in err
    assert f"rnnlab forecast --resume {run}" in err


def test_a_run_stopped_after_its_last_member_forecasts_as_the_run(tmp_path, capsys):
    """Killed while writing its results: every member finished, so the forecast is the
    run's own (the model/ it would have written)."""
    import shutil

    from rnnlab.io.rundir import WRITTEN_NAME

    run = tmp_path / "run"
    assert main(["forecast", "--data", str(_csv(tmp_path)), "--ensemble", "2", "--out",
                 str(run), *RUN]) == 0
    full = pd.read_csv(run / "forecast.csv")
    shutil.rmtree(run / "model")
    for name in ("metrics.json", "forecast.csv", WRITTEN_NAME):
        (run / name).unlink()
    capsys.readouterr()
    assert main(["forecast", "--run", str(run), "--output", str(tmp_path / "f.csv")]) == 0
    assert "all 2 of its ensemble members had finished" in capsys.readouterr().err
    np.testing.assert_array_equal(pd.read_csv(tmp_path / "f.csv")["forecast"].to_numpy(),
                                  full[full["part"] == "future"]["model"].to_numpy())


def test_a_run_of_relative_paths_forecasts_from_another_directory(tmp_path, monkeypatch,
                                                                  capsys):
    # config.json keeps --data and --val-data as typed (train.csv); the finished members'
    # choice read them from the working directory: "train.csv: no such file" from any
    # other (cli.json records them absolute, as --resume reads them).
    data = pd.read_csv(_csv(tmp_path))
    work = tmp_path / "work"
    work.mkdir()
    data[:48].to_csv(work / "train.csv", index=False)
    data[48:].to_csv(work / "val.csv", index=False)
    monkeypatch.chdir(work)
    run = _killed(tmp_path, monkeypatch, 1, "--data", "train.csv", "--val-data", "val.csv",
                  ensemble=2)
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert main(["forecast", "--run", str(run), "--output", str(tmp_path / "f.csv")]) == 0
    assert "forecasting with 1 of its 2 ensemble members" in capsys.readouterr().err
    assert len(pd.read_csv(tmp_path / "f.csv")) == 3


def test_a_changed_validation_file_is_named(tmp_path, monkeypatch, capsys):
    # the refusal named --data alone ("its data (train.csv) changed") when the file that
    # changed was --val-data's
    data = pd.read_csv(_csv(tmp_path))
    data[:48].to_csv(tmp_path / "train.csv", index=False)
    data[48:].to_csv(tmp_path / "val.csv", index=False)
    run = _killed(tmp_path, monkeypatch, 1, "--data", str(tmp_path / "train.csv"),
                  "--val-data", str(tmp_path / "val.csv"), ensemble=2)
    data.iloc[50, 1] += 1
    data[48:].to_csv(tmp_path / "val.csv", index=False)
    capsys.readouterr()
    assert main(["forecast", "--run", str(run)]) == 1
    err = capsys.readouterr().err
    assert f"train.csv and --val-data {tmp_path / 'val.csv'}) changed since it started" in err
