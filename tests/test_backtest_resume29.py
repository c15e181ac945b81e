"""A backtest killed midway goes on from its checkpoint_dir (backtest(..., resume=True),
backtest_models, rnnlab backtest --resume): the finished (model, origin) folds are read
back, the rest computed, and the tables are the uninterrupted run's to the bit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import CheckpointError, ConfigError, RunDirError
from rnnlab.panel import GlobalForecaster, backtest_models
from rnnlab.panel.backtest import backtest
from rnnlab.panel.fold_records import read_fold, write_fold
from test_panel_backtest_models28 import TINY, tiny_frame

OPTS = dict(first_origin=6, stride=2, baselines=("naive",))


class Killed(Exception):
    """Stands for a kill: raised by the progress line after a fold."""


def kill_after(line: str):
    """A progress that raises Killed once it says ``line`` (a fold done)."""
    def progress(text: str) -> None:
        if text.startswith(line):
            raise Killed(text)
    return progress


def nets():
    return [GlobalForecaster("lstm", **TINY), GlobalForecaster("gru", seed=3, **TINY)]


def same_tables(a, b) -> None:
    pd.testing.assert_frame_equal(a.forecasts, b.forecasts)
    for x, y in zip(a.tables(), b.tables()):  # summary, per_series, by_step
        pd.testing.assert_frame_equal(x.drop(columns=["seconds"], errors="ignore"),
                                      y.drop(columns=["seconds"], errors="ignore"))


def fits_counted(monkeypatch) -> list:
    """The keywords of each GlobalForecaster.fit from now on."""
    import functools

    seen = []
    real = GlobalForecaster.fit

    @functools.wraps(real)  # (its signature: the backtest passes it the checkpoint keywords)
    def fit(self, panel, *a, **kw):
        seen.append(kw)
        return real(self, panel, *a, **kw)
    monkeypatch.setattr(GlobalForecaster, "fit", fit)
    return seen


@pytest.mark.slow
def test_a_backtest_killed_midway_resumes_to_the_uninterrupted_tables(tmp_path, monkeypatch):
    whole = backtest_models(nets(), tiny_frame(), refit=1, **OPTS)
    with pytest.raises(Killed):  # (lstm's three folds done, gru's first)
        backtest_models(nets(), tiny_frame(), refit=1, checkpoint_dir=tmp_path,
                        progress=kill_after("gru: origin 1/3 done"), **OPTS)
    kept = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.npz"))
    assert kept == ["folds/gru/origin0.npz", *(f"folds/lstm/origin{j}.npz" for j in range(3))]
    fits = fits_counted(monkeypatch)
    resumed = backtest_models(nets(), tiny_frame(), refit=1, checkpoint_dir=tmp_path,
                              resume=True, **OPTS)
    same_tables(whole, resumed)
    assert len(fits) == 2  # gru's origins 1 and 2: the four folds kept were read back
    assert all(f["resume"] and "fits/gru/origin" in Path(f["checkpoint_dir"]).as_posix()
               for f in fits)
    assert resumed.seconds["lstm"] > 0  # (the folds' seconds, as recorded)


@pytest.mark.slow
def test_a_network_fitted_once_goes_on_from_its_checkpoint_for_the_later_folds(tmp_path):
    # refit="never": lstm's first fold read back, its network taken from its finished
    # checkpoint (not trained again) for the folds after it
    whole = backtest_models(nets()[:1], tiny_frame(), **OPTS)
    with pytest.raises(Killed):
        backtest_models(nets()[:1], tiny_frame(), checkpoint_dir=tmp_path,
                        checkpoint_every=1, progress=kill_after("lstm: origin 1/3"), **OPTS)
    latest = tmp_path / "fits" / "lstm" / "origin0" / "member0" / "latest.json"
    before = latest.stat().st_mtime_ns
    resumed = nets()[0].backtest(tiny_frame(), checkpoint_dir=tmp_path, resume=True, **OPTS)
    same_tables(whole, resumed)
    assert latest.stat().st_mtime_ns == before  # (taken as it was: no epoch trained)


def test_a_resume_with_other_settings_or_data_is_refused_naming_what_differs(tmp_path):
    run = dict(checkpoint_dir=tmp_path, **OPTS)
    with pytest.raises(Killed):
        backtest_models(nets()[:1], tiny_frame(), progress=kill_after("lstm: origin 1/3"),
                        **run)
    wider = [GlobalForecaster("lstm", **{**TINY, "hidden_size": 6})]
    with pytest.raises(CheckpointError, match=r"model 'lstm' differs .*hidden_size=6 \(the "
                                              r"folds': 4\).*--overwrite in place of --resume"):
        backtest_models(wider, tiny_frame(), resume=True, **run)
    with pytest.raises(CheckpointError, match=r"offsets=\[8, 6, 4, 2\] \(the folds': "
                                              r"\[6, 4, 2\]\)"):
        backtest_models(nets()[:1], tiny_frame(), resume=True,
                        **{**run, "first_origin": 8})
    other = tiny_frame().assign(y=lambda d: d["y"] + 1)
    with pytest.raises(CheckpointError, match="computed on other data"):
        backtest_models(nets()[:1], other, resume=True, **run)
    with pytest.raises(ConfigError, match="holds another backtest's folds; pass resume=True"):
        backtest_models(nets()[:1], tiny_frame(), **run)  # (not resume: nothing is lost)
    assert (tmp_path / "folds" / "lstm" / "origin0.npz").is_file()


def test_the_checkpoint_keywords_are_checked_before_anything_runs(tmp_path):
    with pytest.raises(ConfigError, match="resume=True needs checkpoint_dir"):
        backtest_models(nets(), tiny_frame(), resume=True, **OPTS)
    with pytest.raises(ConfigError, match="checkpoint_every=2 needs checkpoint_dir"):
        backtest_models(nets(), tiny_frame(), checkpoint_every=2, **OPTS)
    with pytest.raises(ConfigError, match="whole number of optimizer steps"):
        backtest_models(nets(), tiny_frame(), checkpoint_dir=tmp_path, checkpoint_every=1.5,
                        **OPTS)
    with pytest.raises(ConfigError, match="resume is True or False .*the folder goes in "
                                          "checkpoint_dir="):
        backtest_models(nets(), tiny_frame(), resume=str(tmp_path), **OPTS)
    (tmp_path / "f").write_text("x")
    with pytest.raises(ConfigError, match="is a file, not a folder"):
        backtest_models(nets(), tiny_frame(), checkpoint_dir=tmp_path / "f", **OPTS)


def lock_holder(folder) -> subprocess.Popen:
    """Another process holding ``folder``'s RunLock (kill it when done)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from rnnlab.io.runlock import RunLock; "
         "RunLock(sys.argv[1]).acquire(); print('held', flush=True); time.sleep(60)",
         str(folder)], stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_checkpoint_dir_in_use_by_another_process_is_refused_with_its_pid(tmp_path):
    holder = lock_holder(tmp_path)
    try:
        with pytest.raises(RunDirError, match=str(holder.pid)):
            backtest_models(nets()[:1], tiny_frame(), checkpoint_dir=tmp_path, resume=True,
                            **OPTS)
    finally:
        holder.kill()
        holder.wait()
    assert not (tmp_path / "folds").exists()


def test_a_fold_record_reads_back_its_columns_to_the_bit(tmp_path):
    df = pd.DataFrame({
        "model": pd.Series(["lstm", None, "naive"], dtype="str"),
        "unique_id": ["007", "b", "c"],
        "ds": pd.to_datetime(["2020-01-01", "2020-02-01", "2020-03-01"]).tz_localize(
            "Australia/Sydney"),
        "origin": pd.to_datetime(["2019-12-01"] * 3).astype("datetime64[us]"),
        "step": np.arange(1, 4), "y": [0.1, np.nan, 1 / 3], "mean": [np.float64(2) / 7] * 3})
    write_fold(tmp_path / "r.npz", df, {"seconds": 0.25})
    back, extra = read_fold(tmp_path / "r.npz")
    pd.testing.assert_frame_equal(back, df)
    assert extra == {"seconds": 0.25}
    (tmp_path / "bad.npz").write_bytes(b"PK\x03\x04 cut short")
    with pytest.raises(CheckpointError, match="delete it to compute that fold again"):
        read_fold(tmp_path / "bad.npz")


BT = ["backtest", "--data", "visnights", "--model", "rnn", "--hidden-size", "2",
      "--epochs", "1", "--baselines", "naive", "--horizon", "4", "--first-origin", "8",
      "--stride", "4", "--refit", "1", "--no-progress", "--plot-series", "0", "-q"]


def _rnnlab(args, cwd, **kw):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.Popen([sys.executable, "-m", "rnnlab", *args], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, **kw)


@pytest.mark.slow
def test_rnnlab_backtest_killed_after_its_first_fold_resumes_to_the_same_tables(tmp_path):
    run = _rnnlab([*BT, "--out", "k"], tmp_path)
    first = tmp_path / "k" / "checkpoints" / "folds" / "rnn" / "origin0.npz"
    while not first.exists() and run.poll() is None:
        time.sleep(0.02)
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert not (tmp_path / "k" / "summary.json").exists()
    resumed = _rnnlab([*BT, "--out", "k", "--resume"], tmp_path)
    assert resumed.wait() == 0, resumed.stderr.read()
    whole = _rnnlab([*BT, "--out", "u"], tmp_path)
    assert whole.wait() == 0, whole.stderr.read()
    for name in ("forecasts.csv", "per_series.csv", "by_step.csv"):
        assert (tmp_path / "k" / name).read_bytes() == (tmp_path / "u" / name).read_bytes()
    k, u = (pd.read_csv(tmp_path / d / "summary.csv").drop(columns="seconds") for d in "ku")
    pd.testing.assert_frame_equal(k, u)
    again = _rnnlab([*BT, "--out", "k", "--resume", "--epochs", "2"], tmp_path)
    assert again.wait() == 1
    assert "model 'rnn' differs from the one its folds were computed with: epochs=2" in \
        again.stderr.read()


@pytest.mark.slow
def test_rnnlab_backtest_resume_refusals_in_the_commands_words(tmp_path, capsys):
    from rnnlab.cli import main

    base = ["backtest", "--data", "visnights", "--model", "naive", "--baselines", "none"]
    assert main([*base, "--out", "a", "--resume", "--overwrite"]) == 2
    assert "--resume continues the run where it stopped and --overwrite" in \
        capsys.readouterr().err
    assert main([*base, "--out", str(tmp_path / "a"), "--resume", str(tmp_path / "b")]) == 2
    assert "names another directory" in capsys.readouterr().err
    assert main([*base, "--out", str(tmp_path / "c"), "--checkpoint-every", "5"]) == 2
    assert "--model naive is a baseline, which trains no network" in capsys.readouterr().err
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("mine")
    assert main([*base, "--out", str(tmp_path / "mine"), "--resume"]) != 0
    assert "holds no run of rnnlab's (notes.txt): nothing to resume" in capsys.readouterr().err
    # a baseline's folds are kept too (ETS fits one model per series): --resume on a
    # folder with none yet starts the run
    assert main([*base, "--out", str(tmp_path / "d"), "--resume", "--horizon", "4"]) == 0
    assert "no run to resume there yet, so it starts" in capsys.readouterr().err
    assert (tmp_path / "d" / "checkpoints" / "folds" / "naive" / "origin0.npz").is_file()
    d = str(tmp_path / "d")  # (its config.json repeats the command: the hint's way)
    assert main(["backtest", "--config", d, "--out", d, "--resume", "--no-progress"]) == 0


def test_a_backtest_that_failed_before_its_first_fold_leaves_nothing_to_refuse(tmp_path):
    class Broken:
        name = "broken"

        def fit(self, panel, static=None):
            raise ValueError("a bug in the model")

        def predict(self, horizon, future=None, history=None):
            raise AssertionError("not fitted")
    with pytest.raises(ValueError, match="a bug in the model"):
        backtest(Broken, tiny_frame(), horizon=2, first_origin=4, checkpoint_dir=tmp_path)
    res = backtest(None, tiny_frame(), horizon=2, first_origin=4, baselines=("naive",),
                   checkpoint_dir=tmp_path)  # (was: "holds another backtest's folds")
    assert list(pd.unique(res.forecasts["model"])) == ["naive"]


def test_rnnlab_backtest_resume_of_a_run_in_use_names_the_holders_pid(tmp_path, capsys):
    from rnnlab.cli import main

    out = tmp_path / "run"
    out.mkdir()
    holder = lock_holder(out)
    try:
        assert main(["backtest", "--data", "visnights", "--model", "naive", "--baselines",
                     "none", "--out", str(out), "--resume"]) != 0
    finally:
        holder.kill()
        holder.wait()
    err = capsys.readouterr().err
    assert str(holder.pid) in err and "Traceback" not in err, err


def test_the_same_command_alone_goes_on_from_a_killed_backtests_folds(tmp_path, monkeypatch,
                                                                       capsys):
    # was: run again from the start (session 23's rule for runs without checkpoints), the
    # finished folds set aside and dropped; a full disk at summary.csv stands for the kill
    import rnnlab.panel.origin_loop as loop
    from rnnlab.cli import main
    from test_interrupt19 import _full_disk_on

    cmd = ["backtest", "--data", "visnights", "--model", "naive", "--baselines", "none",
           "--horizon", "4", "--first-origin", "8", "--stride", "4", "--plot-series", "0",
           "--out", str(tmp_path / "bt")]
    _full_disk_on(monkeypatch, lambda dst: dst.endswith("summary.csv"))
    assert main(cmd) == 1
    monkeypatch.undo()
    computed = []
    real = loop._fold
    monkeypatch.setattr(loop, "_fold", lambda *a: computed.append(a[2]) or real(*a))
    capsys.readouterr()
    assert main(cmd) == 0
    err = capsys.readouterr().err
    assert "stopped before it finished; it goes on from its 2 finished folds" in err, err
    assert computed == [] and (tmp_path / "bt" / "summary.csv").is_file()
    assert main([*cmd, "--overwrite"]) == 0 and computed == [0, 1]  # (starts over)


@pytest.mark.slow
def test_a_fit_killed_in_training_goes_on_from_its_checkpoint(tmp_path, monkeypatch):
    # killed in the second of three epochs of the fit at the second origin
    # (refit=1): resumed, that fit goes on from its first epoch's checkpoint: the same tables
    import functools

    two = [GlobalForecaster("gru", **{**TINY, "epochs": 3})]
    whole = backtest_models(two, tiny_frame(), refit=1, **OPTS)
    real, fits = GlobalForecaster.fit, []

    @functools.wraps(real)
    def fit(self, panel, *a, **kw):
        fits.append(kw)

        def on_epoch(epoch, record):
            if len(fits) == 2 and epoch == 2:
                raise Killed
        return real(self, panel, *a, on_epoch=on_epoch, **kw)
    monkeypatch.setattr(GlobalForecaster, "fit", fit)
    with pytest.raises(Killed):
        backtest_models(two, tiny_frame(), refit=1, checkpoint_dir=tmp_path, **OPTS)
    monkeypatch.undo()
    member = tmp_path / "fits" / "gru" / "origin1" / "member0"
    assert (member / "latest.json").is_file()  # (its first epoch's checkpoint)
    resumed = backtest_models(two, tiny_frame(), refit=1, checkpoint_dir=tmp_path,
                              resume=True, **OPTS)
    same_tables(whole, resumed)


def test_a_backtest_resumed_by_its_folder_alone_is_told_the_command_that_repeats_it(capsys):
    # was argparse's "the following arguments are required: --data" alone
    from rnnlab.cli import main

    assert main(["backtest", "--resume", "runs/bt"]) == 2
    assert "`rnnlab backtest --config runs/bt --out runs/bt --resume` repeats it from its " \
           "config.json" in capsys.readouterr().err


def test_print_config_with_a_backtests_resume_prints_the_options_it_resumes_with(tmp_path,
                                                                                capsys):
    # was: "not a run directory of rnnlab backtest (no cli.json); nothing to resume", the
    # one-series run's rule: a backtest resumes with the options given (checked against
    # its folds' record), which --print-config prints
    import json

    from rnnlab.cli import main

    (tmp_path / "bt").mkdir()
    (tmp_path / "bt" / "config.json").write_text("{}")
    assert main(["backtest", "--data", "visnights", "--horizon", "4", "--out",
                 str(tmp_path / "bt"), "--resume", "--print-config"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["options"]["horizon"] == 4
