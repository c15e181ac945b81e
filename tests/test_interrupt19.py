"""Session 19, interrupted and failed writes: what a full disk, Ctrl-C or SIGTERM leaves in
a run directory, and whether the way on the message names works."""

import errno
import os
from pathlib import Path

import pytest
from finished_runs import finished_run

from rnnlab.cli import main

BACKTEST = ["backtest", "--data", "visnights", "--model", "naive", "--baselines", "none",
            "--horizon", "4", "--plot-series", "0"]
LM = ["lm", "train", "--hidden-size", "4", "--num-layers", "1", "--embedding", "0",
      "--seq-len", "8", "--batch-size", "4", "--epochs", "1", "--no-progress", "--threads", "1",
      "--sample-every", "0"]


def _full_disk_on(monkeypatch, hit):
    """os.replace fails with ENOSPC (naming its target) for the first target ``hit`` takes."""
    real, done = os.replace, []

    def replace(src, dst, *a, **k):
        if not done and hit(str(dst)):
            done.append(dst)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dst))
        return real(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", replace)
    return done


def test_a_failed_write_names_its_file_once():
    from rnnlab.io.write_failure import describe_write_failure

    e = OSError(errno.ENOSPC, "No space left on device", "run/summary.csv")
    said = describe_write_failure(e, None, "backtest")
    assert said.startswith("cannot write run/summary.csv: no space left on the device")
    assert "writing" not in said  # ("cannot write writing run/summary.csv")


def test_backtest_full_disk_after_its_first_results_says_overwrite_which_works(
        tmp_path, monkeypatch, capsys):
    """A backtest that wrote forecasts.csv before the disk filled: the same command alone is
    refused (the folder holds results), so the message says --overwrite, and that works."""
    out = tmp_path / "bt"
    failed = _full_disk_on(monkeypatch, lambda dst: dst.endswith("summary.csv"))
    assert main(BACKTEST + ["--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert failed and (out / "forecasts.csv").is_file() and "Traceback" not in err
    assert "then run the same command again with --overwrite" in err, err
    monkeypatch.undo()
    assert main(BACKTEST + ["--out", str(out), "--overwrite"]) == 0
    assert (out / "summary.csv").is_file() and not list(tmp_path.glob(".bt.previous"))


def test_backtest_full_disk_then_the_same_command_alone_runs_it_again(tmp_path, monkeypatch,
                                                                    capsys):
    # (session 23: a run that did not finish is run again from the start; was refused)
    out = tmp_path / "bt"
    _full_disk_on(monkeypatch, lambda dst: dst.endswith("summary.csv"))
    assert main(BACKTEST + ["--out", str(out)]) == 1
    monkeypatch.undo()
    capsys.readouterr()
    assert main(BACKTEST + ["--out", str(out)]) == 0
    assert "stopped before it finished" in capsys.readouterr().err
    assert (out / "summary.csv").is_file() and not list(tmp_path.glob(".bt.previous"))


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text("the quick brown fox jumps over the lazy dog. " * 20, encoding="utf-8")
    return path


def test_lm_train_whose_first_checkpoint_failed_is_taken_over_by_the_same_command(
        tmp_path, corpus, monkeypatch, capsys):
    """The disk filled at the first checkpoint: nothing to resume (the message says so and
    sends the user to the same command without --resume, "taken over as it is"); the
    empty checkpoints/ folder the failed save left refused exactly that."""
    out = tmp_path / "lm"
    cmd = LM + ["--corpus", str(corpus), "--out", str(out)]
    failed = _full_disk_on(monkeypatch, lambda dst: "ckpt-" in Path(dst).name)
    assert main(cmd) == 1
    err = capsys.readouterr().err
    assert failed and "no space left on the device" in err
    assert "then run the same command again" in err and "--resume" not in err, err
    monkeypatch.undo()
    assert (out / "checkpoints").is_dir() and not any((out / "checkpoints").iterdir())
    assert main(["lm", "train", "--resume", str(out)]) == 1
    assert "the same command without --resume" in capsys.readouterr().err
    assert main(cmd) == 0, capsys.readouterr().err
    assert (out / "model" / "model.safetensors").is_file()


def test_an_empty_folder_is_nothing_but_a_file_or_link_in_one_is(tmp_path):
    from rnnlab.io.rundir import is_unstarted

    (tmp_path / "checkpoints" / "member0").mkdir(parents=True)
    assert is_unstarted(["config.json", "checkpoints"], tmp_path)
    assert not is_unstarted(["config.json", "checkpoints"])  # (no folder: names alone)
    (tmp_path / "checkpoints" / "member0" / "meta.json").write_text("{}")
    assert not is_unstarted(["config.json", "checkpoints"], tmp_path)
    (tmp_path / "checkpoints" / "member0" / "meta.json").unlink()
    (tmp_path / "checkpoints" / "member0" / "away").symlink_to(tmp_path)
    assert not is_unstarted(["config.json", "checkpoints"], tmp_path)


@pytest.fixture
def signal_at_first_step(monkeypatch):
    """Every fit is stopped as by Ctrl-C after its first step (the loop's own handler)."""
    stop_at_first_step(monkeypatch)


def stop_at_first_step(monkeypatch, signum=None):
    """Every fit is stopped as by Ctrl-C (or ``signum``) after its first step."""
    import signal

    from rnnlab.train.signals import StopSignals

    enter = StopSignals.__enter__

    def stopped(self):
        enter(self)
        self.signum = signal.SIGINT if signum is None else signum
        return self

    monkeypatch.setattr(StopSignals, "__enter__", stopped)


def test_backtest_stopped_in_training_says_the_resume_command_in_the_commands_words(
        tmp_path, signal_at_first_step, monkeypatch, capsys):
    """Was: "this training keeps no checkpoints (checkpoint_dir=None), so it starts again
    from the beginning": fit's argument, in a command that has none; then "run the same
    command again to start it over". A backtest keeps its checkpoints since session 29:
    the command that goes on from them is said, and it finishes the run."""
    out = tmp_path / "bt"
    cmd = ["backtest", "--data", "visnights", "--model", "rnn", "--hidden-size", "2",
           "--epochs", "1", "--baselines", "none", "--horizon", "4", "--threads", "1",
           "--out", str(out)]
    assert main(cmd) == 130
    err = capsys.readouterr().err
    assert "checkpoint_dir" not in err and "Traceback" not in err
    assert "stopped by a signal at epoch 1, step 1; the checkpoint is written. Resume with: " \
           "rnnlab backtest --data visnights" in err and f"--out {out} --resume\n" in err, err
    monkeypatch.undo()
    assert main(cmd + ["--resume"]) == 0 and (out / "summary.json").is_file()


def test_ctrl_c_after_a_backtests_first_results_says_the_resume(tmp_path, monkeypatch, capsys):
    """A Ctrl-C while a backtest writes its results: the message said only "files already
    written are kept", then "run the same command again with --overwrite to start it over",
    which threw the finished folds away; since session 29 they are kept, and the command
    that reads them back is said."""
    import rnnlab.panel.backtest_save as save
    from rnnlab.io.atomic import atomic_write_text

    def first_then_stop(result, out, *a, **k):  # the forecasts written, then Ctrl-C
        atomic_write_text(out / "forecasts.csv", "x\n")
        raise KeyboardInterrupt

    out = tmp_path / "bt"
    monkeypatch.setattr(save, "write_results", first_then_stop)
    assert main(BACKTEST + ["--out", str(out)]) == 130
    err = capsys.readouterr().err
    assert "interrupted; files already written are kept; its 1 finished fold is kept; " \
           "continue it with: rnnlab backtest " in err and f"--out {out} --resume\n" in err, err
    monkeypatch.undo()
    assert main(BACKTEST + ["--out", str(out), "--resume"]) == 0
    assert (out / "summary.json").is_file()


def test_a_resumed_lm_runs_record_says_what_ran_and_how_it_started(tmp_path, corpus, capsys):
    """Was: config.json kept the start's config alone: a run resumed to 2 epochs said 1
    (and its command, --epochs 1), while model.json, cli.json and metrics.json said 2."""
    import json

    out = tmp_path / "lm"
    start = LM + ["--corpus", str(corpus), "--out", str(out)]
    assert main(start) == 0
    resume = ["lm", "train", "--resume", str(out), "--epochs", "2"]
    assert main(resume) == 0, capsys.readouterr().err
    info = json.loads((out / "config.json").read_text())
    assert info["config"]["train"]["epochs"] == 2
    assert info["command"] == ["rnnlab", *start]
    assert [r["command"] for r in info["resumed"]] == [["rnnlab", *resume]]
    assert "torch" in info["resumed"][0]["versions"]
    assert len(json.loads((out / "metrics.json").read_text())["epochs_detail"]) == 2
    from rnnlab.io.errors import RunDirError
    from rnnlab.io.json_file import read_json

    read_json(out / "config.json", RunDirError)  # (its checksum written anew: verified)


def test_a_resumed_forecast_over_seeds_keeps_the_command_that_started_it(
        tmp_path, monkeypatch, capsys):
    """Was: summary.json's command was the resume's (`rnnlab forecast --resume DIR`), which
    repeats nothing with another --out; each seed's config.json kept the start's."""
    import json
    import signal

    out = tmp_path / "f"
    start = ["forecast", "--data", "sine", "--lookback", "4", "--horizon", "2", "--epochs", "1",
             "--hidden-size", "2", "--batch-size", "64", "--ensemble", "1", "--no-progress",
             "--threads", "1", "--select", "network", "--seeds", "0", "1", "--out", str(out)]
    stop_at_first_step(monkeypatch, signal.SIGTERM)
    assert main(start) == 143
    monkeypatch.undo()
    assert main(["forecast", "--resume", str(out)]) == 0, capsys.readouterr().err
    summary = json.loads((out / "summary.json").read_text())
    assert summary["command"] == ["rnnlab", *start]
    assert [r["command"] for r in summary["resumed"]] == [["rnnlab", "forecast", "--resume",
                                                           str(out)]]


@pytest.mark.parametrize("command", [["forecast"], ["lm", "train"]])
def test_resume_with_overwrite_is_a_usage_error(command, tmp_path, capsys):
    """Was: --overwrite was dropped without a word and the run resumed."""
    assert main([*command, "--resume", str(tmp_path), "--overwrite"]) == 2
    err = capsys.readouterr().err
    assert "--resume continues the run where it stopped and --overwrite starts it over" in err


def _tiny_fit(tmp_path, validate_hook=None, resume=False):
    """A float64 linear model on a TensorTask: 3 epochs, checkpointed in tmp_path/ck."""
    import torch
    from torch import nn

    from rnnlab.train import TensorTask, TrainConfig, fit

    torch.manual_seed(0)
    x = torch.randn(64, 3, dtype=torch.float64)
    y = x.sum(1, keepdim=True)

    class Task(TensorTask):
        def validate(self, model):
            if validate_hook is not None:
                validate_hook()
            return super().validate(model)

    model = nn.Linear(3, 1).double()
    task = Task(x[:48], y[:48], batch_size=16, val=(x[48:], y[48:]))
    history = fit(model, task, TrainConfig(epochs=3, lr=0.05, progress=False, seed=1),
                  checkpoint_dir=tmp_path / "ck", resume=resume)
    return model, history


def test_a_signal_in_the_last_validation_stops_the_run_and_it_resumes_to_the_same(tmp_path):
    """Was: a Ctrl-C after the last step's check (in the last validation or checkpoint) was
    lost with the loop's handlers: fit returned as if none came, and the command went on
    (the next ensemble member, model or seed trained in full)."""
    import signal

    import torch

    from rnnlab.train import TrainingInterrupted

    ref_model, ref = _tiny_fit(tmp_path / "ref")
    calls = []

    def ctrl_c_in_the_third():
        calls.append(1)
        if len(calls) == 3:
            os.kill(os.getpid(), signal.SIGINT)

    with pytest.raises(TrainingInterrupted, match="after epoch 3, its last; the checkpoint "
                                                  "is written") as stop:
        _tiny_fit(tmp_path / "run", ctrl_c_in_the_third)
    assert stop.value.exit_code == 130
    with pytest.warns(UserWarning, match="so nothing is trained"):  # (its end was saved)
        model, history = _tiny_fit(tmp_path / "run", resume=True)
    assert [e["train_loss"] for e in history.epochs] == [e["train_loss"] for e in ref.epochs]
    for a, b in zip(model.state_dict().values(), ref_model.state_dict().values()):
        assert torch.equal(a, b)


def test_a_signal_in_a_forecasts_refit_names_the_resume_alone(tmp_path, monkeypatch, capsys):
    """The --refit phase trains without checkpoints (its members' are kept): the message
    said "this training keeps no checkpoints (checkpoint_dir=None), so it starts again from
    the beginning. Resume with: rnnlab forecast --resume DIR"."""
    import signal

    from rnnlab.train.signals import StopSignals

    enter, fits = StopSignals.__enter__, []

    def second_fit_stopped(self):  # the first: the member's; the second: its refit
        enter(self)
        fits.append(1)
        if len(fits) == 2:
            self.signum = signal.SIGINT
        return self

    monkeypatch.setattr(StopSignals, "__enter__", second_fit_stopped)
    out = tmp_path / "f"
    assert main(["forecast", "--data", "sine", "--lookback", "4", "--horizon", "2",
                 "--epochs", "1", "--hidden-size", "2", "--ensemble", "1", "--no-progress",
                 "--threads", "1", "--select", "network", "--refit", "1",
                 "--out", str(out)]) == 130
    err = capsys.readouterr().err
    assert len(fits) == 2 and "checkpoint_dir" not in err and "starts again" not in err
    assert f"stopped by a signal at epoch 1, step 1. Resume with: rnnlab forecast --resume " \
           f"{out}\n" in err, err
    monkeypatch.undo()
    assert main(["forecast", "--resume", str(out)]) == 0


def test_ctrl_c_before_the_first_checkpoint_says_to_run_the_command_again(
        tmp_path, corpus, monkeypatch, capsys):
    """A second Ctrl-C in the first checkpoint's save (nothing kept): the message said
    "continue it with: rnnlab lm train --resume DIR", which says "nothing to resume"."""
    from rnnlab.train.checkpoint import CheckpointManager

    def cut(self, *a, **k):
        self.directory.mkdir(parents=True, exist_ok=True)
        raise KeyboardInterrupt

    monkeypatch.setattr(CheckpointManager, "save", cut)
    out = tmp_path / "lm"
    cmd = LM + ["--corpus", str(corpus), "--out", str(out)]
    assert main(cmd) == 130
    err = capsys.readouterr().err
    assert "interrupted; files already written are kept; nothing was trained yet: run the " \
           "same command again to start it over" in err and "--resume" not in err, err


def test_a_read_only_disk_during_a_resume_says_how_to_go_on_with_that_run(tmp_path):
    """Was: "choose an --out on a writable file system, then run the same command again"
    (with this session's first fix: "... again with --overwrite"): a resume continues the
    run where it is, and --resume refuses --overwrite."""
    from rnnlab.io.write_failure import describe_write_failure

    run = tmp_path / "run"
    (run / "checkpoints").mkdir(parents=True)
    (run / "metrics.json").write_text("{}")
    e = OSError(errno.EROFS, "Read-only file system", str(run / "cli.json"))
    said = describe_write_failure(e, str(run), "lm train", resuming=True)
    assert said.endswith(f"To go on: make {run} writable again (or copy it to a writable disk "
                         f"and resume the copy: rnnlab lm train --resume COPY).")
    assert "--overwrite" not in said and "choose an --out" not in said
    said = describe_write_failure(e, str(run), "backtest")  # a new run: another --out
    assert said.endswith("To go on: choose an --out on a writable file system and run the "
                         "command again."), said


def test_overwrite_after_a_finish_cut_short_keeps_the_finished_run_not_the_stale_one(tmp_path):
    """A kill while a finished --overwrite run deleted the run it replaced left that one's
    remains in .NAME.previous: the next --overwrite took them for the kept run and deleted
    the finished run at once (a failed new run then lost it)."""
    from rnnlab.io.rundir import REPLACING_NAME, prepare_run_dir, previous_of

    run = finished_run(tmp_path / "run", "newest")
    aside = previous_of(run)
    aside.mkdir()  # the old run's remains: its config.json not yet deleted
    (aside / "config.json").write_text('{"versions": {"rnnlab": "0"}}')
    (aside / "metrics.json").write_text("stale")
    (run / REPLACING_NAME).write_text(f"{aside.name}\n")
    prepare_run_dir(run, overwrite=True)
    assert (aside / "metrics.json").read_text() == "newest"  # kept until the new one ends
    assert not (run / "metrics.json").exists()


def test_overwrite_with_an_empty_previous_folder_still_keeps_the_run(tmp_path):
    """An empty .NAME.previous (a kill right after --overwrite made it): the run here was
    deleted, not set aside."""
    from rnnlab.io.rundir import prepare_run_dir, previous_of

    run = finished_run(tmp_path / "run", "good")
    previous_of(run).mkdir()
    prepare_run_dir(run, overwrite=True)
    assert (previous_of(run) / "metrics.json").read_text() == "good"


def test_overwrite_refuses_when_a_folder_of_the_users_has_the_previous_name(tmp_path):
    from rnnlab.io.errors import RunDirError
    from rnnlab.io.rundir import prepare_run_dir, previous_of

    run = finished_run(tmp_path / "run", "good")
    mine = previous_of(run)
    mine.mkdir()
    (mine / "mine.txt").write_text("precious")
    with pytest.raises(RunDirError, match=r"\.run\.previous holds files rnnlab did not put "
                                          r"there; move it away"):
        prepare_run_dir(run, overwrite=True)
    assert (run / "metrics.json").read_text() == "good"  # was: deleted, unsaid
    assert (mine / "mine.txt").read_text() == "precious"


def test_a_replaced_run_not_wholly_deleted_is_cleared_by_the_next_overwrite(tmp_path,
                                                                            monkeypatch):
    """finish_run_dir deletes the replaced run ignoring errors: what stayed, without the
    record naming it stale, was taken by the next --overwrite for the run to keep, and the
    finished run was deleted in its place."""
    import shutil

    from rnnlab.io.rundir import finish_run_dir, prepare_run_dir, previous_of

    run = finished_run(tmp_path / "run", "old")
    prepare_run_dir(run, overwrite=True)
    (run / "metrics.json").write_text("new")
    real = shutil.rmtree

    def partial(path, ignore_errors=False, **k):  # config.json stays (a file it could not delete)
        for p in Path(path).iterdir():
            if p.name != "config.json" and p.is_file():
                p.unlink()

    monkeypatch.setattr(shutil, "rmtree", partial)
    (previous_of(run) / "config.json").write_text('{"versions": {"rnnlab": "0"}}')
    finish_run_dir(run)
    monkeypatch.setattr(shutil, "rmtree", real)
    prepare_run_dir(run, overwrite=True)
    assert (previous_of(run) / "metrics.json").read_text() == "new"
