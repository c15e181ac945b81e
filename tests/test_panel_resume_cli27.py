"""``rnnlab forecast --data PANEL ... --out DIR --resume``: a panel run stopped in training
(Ctrl-C, SIGTERM) goes on from DIR/checkpoints to the run an uninterrupted command writes.
Before, --resume was refused for a panel ("a panel run is trained again with --overwrite")
and a stopped panel run was trained again from its first epoch."""

import pandas as pd
import pytest

from rnnlab.cli import main


def _data(tmp_path):
    rows = ["unique_id,ds,y"] + [f"{s},2020-{m:02d}-01,{10 + m + 3 * (m % 4) + k}"
                                 for s, k in (("a", 0), ("b", 5), ("c", 9)) for m in range(1, 13)]
    path = tmp_path / "panel.csv"
    path.write_text("\n".join(rows) + "\n")
    return path


def _cmd(data, out):
    return ["forecast", "--data", str(data), "--model", "gru", "--hidden-size", "4",
            "--lookback", "4", "--horizon", "2", "--epochs", "3", "--batches-per-epoch", "3",
            "--batch-size", "8", "--baselines", "none", "--threads", "1", "--out", str(out),
            "-q"]


def _same_run(a, b):
    for name in ("forecasts.csv", "test_forecasts.csv", "metrics.csv"):
        x, y = (pd.read_csv(d / name).drop(columns="seconds", errors="ignore") for d in (a, b))
        pd.testing.assert_frame_equal(x, y)


@pytest.mark.slow  # (three short panel runs)
def test_a_stopped_panel_run_resumed_is_the_uninterrupted_one(tmp_path, capsys, monkeypatch):
    from test_interrupt19 import stop_at_first_step

    data = _data(tmp_path)
    assert main(_cmd(data, tmp_path / "whole")) == 0
    out = tmp_path / "run"
    with monkeypatch.context() as m:
        stop_at_first_step(m)
        assert main(_cmd(data, out)) == 130
    err = capsys.readouterr().err
    assert "Resume with: rnnlab forecast --data" in err and err.rstrip().endswith("--resume")
    assert (out / "checkpoints" / "member0" / "latest.json").is_file()
    # the same command without --resume: refused, naming --resume
    assert main(_cmd(data, out)) == 1
    assert "--resume to continue it" in capsys.readouterr().err
    assert main([*_cmd(data, out)[:-1], "--resume"]) == 0  # (-q: no notes)
    assert "resuming from the checkpoint after step 1" in capsys.readouterr().err
    _same_run(tmp_path / "whole", out)
    assert main([*_cmd(data, out), "--resume", "--hidden-size", "5"]) == 1
    said = capsys.readouterr().err
    assert "hidden_size=5 (the checkpoints': 4)" in said and "--overwrite" in said


@pytest.mark.slow  # (a short panel run, and its resume)
def test_resume_into_an_empty_folder_starts_the_run(tmp_path, capsys):
    data = _data(tmp_path)
    out = tmp_path / "new"
    assert main([*_cmd(data, out)[:-1], "--resume"]) == 0  # (-q: no notes)
    assert "no run to resume there yet, so it starts" in capsys.readouterr().err
    assert (out / "checkpoints" / "member0" / "latest.json").is_file()
    assert (out / "model" / "model.json").is_file()
    before = pd.read_csv(out / "forecasts.csv")
    # a finished run resumed: its members taken as they were, its files written again (its
    # model/ too: was "r/model: already holds a saved model")
    assert main([*_cmd(data, out), "--resume"]) == 0, capsys.readouterr().err
    pd.testing.assert_frame_equal(before, pd.read_csv(out / "forecasts.csv"))


def test_resume_of_a_baseline_run_is_refused(tmp_path, capsys):
    data = _data(tmp_path)
    cmd = ["forecast", "--data", str(data), "--model", "seasonal_naive", "--horizon", "2",
           "--baselines", "none", "--out", str(tmp_path / "b"), "--resume"]
    assert main(cmd) == 2
    assert "is a baseline, which trains none" in capsys.readouterr().err


@pytest.mark.slow  # (two short panel runs)
def test_ctrl_c_after_the_training_says_the_resume_command(tmp_path, capsys, monkeypatch):
    import rnnlab.panel.forecast_run as fr

    data = _data(tmp_path)
    out = tmp_path / "run"

    def interrupted(*a, **k):
        raise KeyboardInterrupt
    with monkeypatch.context() as m:
        m.setattr(fr, "_write_scores", interrupted)  # (while the results are written)
        assert main(_cmd(data, out)) == 130
    err = capsys.readouterr().err
    assert err.rstrip().endswith(f"continue it with: rnnlab forecast --data {data} --model "
                                 f"gru --hidden-size 4 --lookback 4 --horizon 2 --epochs 3 "
                                 f"--batches-per-epoch 3 --batch-size 8 --baselines none "
                                 f"--threads 1 --out {out} --resume"), err  # (-q: how it said)
    assert main([*_cmd(data, out), "--resume"]) == 0
    assert (out / "forecasts.csv").is_file()


def test_run_of_a_panel_run_stopped_in_training_says_its_resume_command(tmp_path, capsys):
    import json

    from rnnlab.io.rundir import PENDING_NAME, prepare_run_dir

    out = prepare_run_dir(tmp_path / "run")
    started = ["rnnlab", "forecast", "--data", "p.csv", "--model", "gru", "--out", str(out)]
    (out / PENDING_NAME).write_text(json.dumps(started))
    (out / "checkpoints" / "member0" / "ckpt-00000003").mkdir(parents=True)
    assert main(["forecast", "--run", str(out), "--horizon", "2"]) == 1
    err = capsys.readouterr().err
    assert "this run did not finish" in err
    assert f"continue it with: rnnlab forecast --data p.csv --model gru --out {out} " \
           f"--resume, then forecast again with --run" in err, err


def test_resume_of_a_panel_run_without_checkpoints_is_refused(tmp_path, capsys):
    from rnnlab.io.rundir import finish_run_dir, prepare_run_dir

    data = _data(tmp_path)
    out = prepare_run_dir(tmp_path / "older")  # (a run finished before panel checkpoints)
    (out / "panel.json").write_text("{}")
    (out / "metrics.json").write_text("{}")
    finish_run_dir(out)
    assert main([*_cmd(data, out), "--resume"]) == 1
    assert "holds a panel run without checkpoints" in capsys.readouterr().err
    assert main(["forecast", "--resume", str(out)]) == 1  # (no --data: no options to go on)
    said = capsys.readouterr().err
    assert "--resume with the folder alone has nothing to resume with" in said
    assert f"with --out {out} --resume" in said


def test_a_full_disk_in_a_panel_run_says_its_resume_command(tmp_path):
    # was "then continue with: rnnlab forecast --resume DIR", refused for a panel run
    import errno
    import json
    import os

    from rnnlab.io.rundir import PENDING_NAME, prepare_run_dir
    from rnnlab.io.write_failure import describe_write_failure

    out = prepare_run_dir(tmp_path / "run")
    (out / PENDING_NAME).write_text(json.dumps(["rnnlab", "forecast", "--data", "p.csv",
                                                "--out", str(out)]))
    (out / "checkpoints" / "member0" / "ckpt-00000012").mkdir(parents=True)
    said = describe_write_failure(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), str(out),
                                  "forecast")
    assert said.endswith(f"then continue with: rnnlab forecast --data p.csv --out {out} "
                         f"--resume."), said


def test_a_one_series_runs_checkpoints_are_not_a_panel_runs(tmp_path):
    from rnnlab.panel.checkpoints import has_panel_checkpoints

    run = tmp_path / "run"
    (run / "checkpoints" / "member0" / "ckpt-00000003").mkdir(parents=True)
    assert has_panel_checkpoints(run)
    (run / "cli.json").write_text("{}")  # (a one-series run: --resume DIR alone)
    assert not has_panel_checkpoints(run)
