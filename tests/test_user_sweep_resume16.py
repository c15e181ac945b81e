"""Session 16 sweep: runs stopped (Ctrl-C, SIGKILL) mid-way, then run again or resumed.

The interruptions are simulated in-process: a KeyboardInterrupt raised where training or a
write would be, or the files a killed process leaves behind made by hand."""

from __future__ import annotations

import pytest

from cli_run import run


def _finished_run(path):
    """A run directory as a finished run leaves it (what --overwrite replaces)."""
    from rnnlab.io.rundir import finish_run_dir, prepare_run_dir, write_run_info

    prepare_run_dir(path)
    write_run_info(path, {"old": True}, 0)
    (path / "metrics.json").write_text('{"old": 1}\n')
    finish_run_dir(path)
    return {p.name: p.read_bytes() for p in path.iterdir()}


def _interrupt(*_a, **_k):
    raise KeyboardInterrupt


def _patch_training(monkeypatch, command):
    """Ctrl-C at the start of the command's training (before any checkpoint)."""
    if command in ("forecast", "lm"):
        import rnnlab.forecast.forecaster as fc
        import rnnlab.lm.api as lm

        monkeypatch.setattr(fc.Forecaster, "fit", _interrupt)
        monkeypatch.setattr(lm.CharLM, "fit", _interrupt)
    else:  # backtest and a panel forecast train inside backtest()
        import rnnlab.panel.backtest as bt

        monkeypatch.setattr(bt, "backtest", _interrupt)


@pytest.mark.parametrize("command,argv", [
    ("forecast", ["forecast", "--data", "airline", "--epochs", "1", "--no-progress"]),
    ("backtest", ["backtest", "--data", "visnights", "--model", "naive", "--baselines", "none"]),
    ("panel", ["forecast", "--data", "visnights", "--model", "naive"]),
    ("lm", ["lm", "train", "--corpus", "CORPUS", "--epochs", "1", "--no-progress",
            "--batch-size", "2", "--seq-len", "8", "--hidden-size", "4"]),
])
def test_ctrl_c_before_results_puts_the_replaced_run_back(tmp_path, capsys, monkeypatch,
                                                          command, argv):
    """Was: `--overwrite` moved the finished run into a hidden `.NAME.previous` folder and
    a Ctrl-C during training (forecast, lm train, backtest, a panel forecast) left it there,
    the run folder empty, and the next run here deleted it on finishing (compare already
    put it back)."""
    corpus = tmp_path / "t.txt"
    corpus.write_text("hello world, hello again\n" * 40)
    out = tmp_path / "run"
    before = _finished_run(out)
    _patch_training(monkeypatch, command)
    argv = [str(corpus) if a == "CORPUS" else a for a in argv]
    code, err = run([*argv, "--out", str(out), "--overwrite"], capsys)
    assert code == 130, err
    assert "Traceback" not in err
    assert "the previous run is back in place" in err
    assert "--resume" not in err  # (it would continue the finished run put back)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not (tmp_path / ".run.previous").exists()


def test_a_temporary_left_by_a_kill_does_not_block_taking_over_an_unstarted_run(tmp_path):
    """Was: a run killed while writing its config.json left `.config.json.<random>.tmp`;
    the same command again was refused ("pass --overwrite ..., --resume to continue it")
    and --resume then said there was nothing to resume."""
    from rnnlab.io.rundir import MARKER_NAME, PENDING_NAME, prepare_run_dir

    out = tmp_path / "run"
    out.mkdir()
    (out / MARKER_NAME).write_text("made by rnnlab\n")
    (out / ".config.json.k2x_9qab.tmp").write_text('{"config": ')
    prepare_run_dir(out)
    assert sorted(p.name for p in out.iterdir()) == [PENDING_NAME, MARKER_NAME]


def test_a_users_tmp_file_still_makes_a_folder_the_users(tmp_path):
    """Only the atomic writer's own temporaries are passed over: a file of the user's
    that merely ends in .tmp is kept, and the folder refused."""
    from rnnlab.io.errors import RunDirError
    from rnnlab.io.rundir import MARKER_NAME, prepare_run_dir

    out = tmp_path / "run"
    out.mkdir()
    (out / MARKER_NAME).write_text("made by rnnlab\n")
    (out / "draft.tmp").write_text("mine")
    with pytest.raises(RunDirError, match="already exists"):
        prepare_run_dir(out)
    assert (out / "draft.tmp").read_text() == "mine"


def test_ctrl_c_while_lm_prepare_writes_corpus_json_leaves_no_half_corpus(tmp_path, capsys,
                                                                          monkeypatch):
    """Was: a Ctrl-C after tokens.bin and vocab.json were written into a new --out left
    them there (the size of the corpus), and the same command was then refused: "holds
    files that are not a prepared corpus ... choose another --out"."""
    import rnnlab.io.atomic as atomic

    real = atomic.atomic_write_json

    def stop_at_corpus_json(path, *a, **k):
        if str(path).endswith("corpus.json"):
            raise KeyboardInterrupt
        return real(path, *a, **k)

    src = tmp_path / "t.txt"
    src.write_text("hello world, hello again\n" * 20)
    argv = ["lm", "prepare", str(src), "--out", str(tmp_path / "prep")]
    monkeypatch.setattr(atomic, "atomic_write_json", stop_at_corpus_json)
    code, err = run(argv, capsys)
    assert code == 130 and "Traceback" not in err
    assert not (tmp_path / "prep").exists()
    monkeypatch.setattr(atomic, "atomic_write_json", real)
    assert run(argv, capsys)[0] == 0
    assert (tmp_path / "prep" / "corpus.json").is_file()


@pytest.mark.parametrize("command", ["forecast", "lm"])
def test_ctrl_c_outside_training_names_resume_only_for_a_run_to_continue(tmp_path, capsys,
                                                                         monkeypatch, command):
    """Was: "a run that saved a checkpoint continues with: rnnlab forecast --resume DIR"
    whatever DIR held: also where no folder was ever made (the command stopped before it)."""
    corpus = tmp_path / "t.txt"
    corpus.write_text("hello world, hello again\n" * 40)
    argv = (["forecast", "--data", "airline", "--epochs", "1", "--no-progress"]
            if command == "forecast" else
            ["lm", "train", "--corpus", str(corpus), "--epochs", "1", "--no-progress",
             "--batch-size", "2", "--seq-len", "8", "--hidden-size", "4"])
    name = "forecast" if command == "forecast" else "lm train"
    _patch_training(monkeypatch, command)
    out = tmp_path / "run"
    code, err = run([*argv, "--out", str(out)], capsys)
    assert code == 130 and "Traceback" not in err
    # (session 19: stopped before its first checkpoint, there is nothing to continue:
    # `lm train --resume` refuses it, and the same command takes the folder over)
    assert f"rnnlab {name}: interrupted; files already written are kept; nothing was " \
           f"trained yet: run the same command again to start it over" in err
    assert "--resume" not in err
    import rnnlab.data.datasets as ds
    import rnnlab.lm.train_command as tc

    # stopped before the run folder was made (reading the data): nothing to resume
    monkeypatch.setattr(ds, "resolve_data", _interrupt)
    monkeypatch.setattr(tc, "_load_training_data", _interrupt)
    code, err = run([*argv, "--out", str(tmp_path / "never")], capsys)
    assert code == 130 and "--resume" not in err and not (tmp_path / "never").exists()


def _dead_pid() -> int:
    import subprocess
    import sys

    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def _killed_prepare(folder, pid):
    """What `lm prepare` leaves when killed mid-way: its lock and part of its files."""
    folder.mkdir()
    (folder / ".lock").write_text(f"{pid}")
    (folder / "tokens.first.tmp").write_bytes(b"\0" * 400)
    (folder / ".tokens.bin.a1b2c3d4.tmp").write_bytes(b"\1" * 100)


def test_lm_prepare_again_after_a_kill_takes_its_folder_over(tmp_path, capsys):
    """Was: a killed `lm prepare --out NEW` left NEW holding its first-pass ids (four times
    the corpus's size), and the same command was refused ("holds files that are not a
    prepared corpus ... choose another --out (a new folder)")."""
    src = tmp_path / "t.txt"
    src.write_text("hello world, hello again\n" * 20)
    _killed_prepare(tmp_path / "prep", _dead_pid())
    code, err = run(["lm", "prepare", str(src), "--out", str(tmp_path / "prep")], capsys)
    assert code == 0, err
    assert "stopped before it finished here; preparing again" in err
    assert sorted(p.name for p in (tmp_path / "prep").iterdir()) == [
        "corpus.json", "tokens.bin", "vocab.json"]


def test_lm_prepare_never_takes_over_a_folder_with_a_users_file(tmp_path, capsys):
    src = tmp_path / "t.txt"
    src.write_text("hello world, hello again\n" * 20)
    _killed_prepare(tmp_path / "prep", _dead_pid())
    (tmp_path / "prep" / "notes.txt").write_text("mine")
    code, err = run(["lm", "prepare", str(src), "--out", str(tmp_path / "prep")], capsys)
    assert code == 1 and "not a prepared corpus" in err
    assert (tmp_path / "prep" / "notes.txt").read_text() == "mine"


def test_lm_prepare_overwrite_removes_the_work_folders_of_killed_runs(tmp_path, capsys):
    """Was: each `lm prepare --overwrite` killed mid-way left a hidden `.prep.*.preparing`
    folder beside the corpus (up to five times its size), never removed."""
    import subprocess
    import sys

    src = tmp_path / "t.txt"
    src.write_text("hello world, hello again\n" * 20)
    argv = ["lm", "prepare", str(src), "--out", str(tmp_path / "prep")]
    assert run(argv, capsys)[0] == 0
    _killed_prepare(tmp_path / ".prep.dead1234.preparing", _dead_pid())
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:  # one being written by a process still running is left alone
        _killed_prepare(tmp_path / ".prep.live1234.preparing", live.pid)
        code, err = run([*argv, "--overwrite"], capsys)
    finally:
        live.kill()
        live.wait()
    assert code == 0, err
    assert not (tmp_path / ".prep.dead1234.preparing").exists()
    assert (tmp_path / ".prep.live1234.preparing" / "tokens.first.tmp").exists()
    assert "left by an `lm prepare --overwrite` that was stopped" in err


def test_a_finished_run_keeps_no_temporary_of_a_killed_write(tmp_path):
    """Was: a run killed while writing model.safetensors (or summary.json) and then resumed
    kept `model/.model.safetensors.<random>.tmp` (a half weights file) for good, and its
    record of what it wrote listed the top-level one."""
    import json

    from rnnlab.io.rundir import WRITTEN_NAME, finish_run_dir, prepare_run_dir

    out = prepare_run_dir(tmp_path / "run")
    (out / "model").mkdir()
    (out / "model" / "model.safetensors").write_bytes(b"whole")
    (out / "model" / ".model.safetensors.q1w2e3r4.tmp").write_bytes(b"ha")
    (out / ".summary.json.z9x8c7v6.tmp").write_text("{")
    finish_run_dir(out)
    assert sorted(p.name for p in (out / "model").iterdir()) == ["model.safetensors"]
    assert not (out / ".summary.json.z9x8c7v6.tmp").exists()
    assert json.loads((out / WRITTEN_NAME).read_text()) == [".rnnlab-run", "model"]


@pytest.mark.parametrize("kind", ["forecast", "panel"])
def test_run_of_a_run_stopped_while_saving_its_model_says_so(tmp_path, capsys, kind):
    """Was: `forecast --run DIR` on a run killed while its model was saved said "DIR/model:
    not a saved rnnlab model (no model.json); pass the folder written by save() ...", and
    for a panel run stopped before its model/ "an interrupted run continues with --resume"
    (a panel run has none)."""
    from rnnlab.io.rundir import prepare_run_dir, write_run_info

    out = prepare_run_dir(tmp_path / "run")
    write_run_info(out, {"panel": kind == "panel"}, 0)
    if kind == "forecast":
        (out / "cli.json").write_text("{}")
        (out / "model").mkdir()
        (out / "model" / "model.safetensors").write_bytes(b"half")
    code, err = run(["forecast", "--run", str(out), "--horizon", "3"], capsys)
    assert code == 1 and "this run did not finish" in err and "Traceback" not in err
    if kind == "forecast":
        assert f"continue it with: rnnlab forecast --resume {out}" in err
    else:
        # (one this rnnlab started is run again without --overwrite: test_panel_incomplete23)
        assert "--resume" not in err and "run its command again (it starts over)" in err


def test_an_interrupted_bench_says_how_to_finish_in_a_way_that_works(tmp_path):
    """Was: "... --json FILE holds them ...; run again for the rest": the same command was
    then refused (FILE holds results: --overwrite), and bench has no way to measure only
    the rest. The line now says to run again with --overwrite, which is accepted."""
    import json

    from rnnlab.bench.outcome import interrupted
    from rnnlab.bench.record import check_json_target
    from rnnlab.bench.suite import Result

    row = Result("C3", "lstm", "fused", 1, "float32", "cpu", 1.0, 2.0, 3.0, "lstm", None)
    out = tmp_path / "bj.json"
    out.write_text(json.dumps({"options": {}, "interrupted": True, "rows": [row.__dict__]}))
    line = interrupted([row], str(out))
    assert "for the rest" not in line
    assert f"run the command again with --overwrite (it replaces {out})" in line
    with pytest.raises(ValueError, match="pass --overwrite"):
        check_json_target(str(out))
    check_json_target(str(out), overwrite=True)  # (what the line says: accepted)
    assert interrupted([row], None).endswith("; run again to measure them all")


@pytest.mark.parametrize("overwrite", [False, True])
def test_a_run_started_after_a_killed_overwrite_deletes_the_old_run_only_if_told(tmp_path,
                                                                                 capsys,
                                                                                 overwrite):
    """Was: after an `--overwrite` killed before writing results (nothing can put the old
    run back then), the same command without --overwrite took the folder over and deleted
    the old run from its hidden folder when it finished."""
    from rnnlab.io.errors import RunDirError
    from rnnlab.io.rundir import (MARKER_NAME, PENDING_NAME, REPLACING_NAME, prepare_run_dir,
                                  previous_of)

    out = tmp_path / "run"
    before = _finished_run(out)
    prepare_run_dir(out, overwrite=True)  # the old run set aside ...
    (out / "config.json").write_text("{}")  # ... and the new one killed at its start
    assert (out / REPLACING_NAME).exists()
    if overwrite:  # asked again: replaced (the old run stays aside until this one ends)
        prepare_run_dir(out, overwrite=True)
        assert previous_of(out).is_dir() and sorted(p.name for p in out.iterdir()) == sorted(
            [MARKER_NAME, REPLACING_NAME, PENDING_NAME])
        return
    with pytest.raises(RunDirError, match="already exists and is not empty; pass --overwrite"):
        prepare_run_dir(out)
    assert "an --overwrite run here was stopped before writing results; the previous run " \
        "is back in place" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not previous_of(out).exists()


def test_ctrl_c_in_training_is_not_called_an_error(tmp_path, capsys, monkeypatch):
    """Was: "rnnlab forecast: error: stopped by a signal at epoch 2, step 1; the checkpoint
    is written. Resume with: ..." for a stop the user asked for."""
    import rnnlab.forecast.forecaster as fc
    from rnnlab.train.stops import TrainingInterrupted

    def stopped(*_a, **_k):
        raise TrainingInterrupted("stopped by a signal at epoch 2, step 1; the checkpoint "
                                  "is written", 130)

    monkeypatch.setattr(fc.Forecaster, "fit", stopped)
    out = tmp_path / "run"
    code, err = run(["forecast", "--data", "airline", "--epochs", "1", "--no-progress",
                     "--out", str(out)], capsys)
    assert code == 130
    assert "rnnlab forecast: stopped by a signal at epoch 2, step 1" in err
    assert "error" not in err and f"Resume with: rnnlab forecast --resume {out}" in err


def test_ctrl_c_while_overwrite_moves_the_old_run_aside_leaves_it_whole(tmp_path,
                                                                        monkeypatch):
    """Was: a Ctrl-C between the renames left the old run split between its folder and
    the hidden one, and the next --overwrite deleted the part still in its folder."""
    import os

    import rnnlab.io.rundir as rundir

    out = tmp_path / "run"
    before = _finished_run(out)
    real, calls = os.replace, []

    def cut(src, dst):
        calls.append(src)
        if len(calls) == 3:
            raise KeyboardInterrupt
        real(src, dst)

    monkeypatch.setattr(rundir.os, "replace", cut)
    with pytest.raises(KeyboardInterrupt):
        rundir.prepare_run_dir(out, overwrite=True)
    monkeypatch.setattr(rundir.os, "replace", real)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not rundir.previous_of(out).exists()


def test_a_replacement_stopped_before_its_marker_is_still_a_run_of_rnnlabs(tmp_path):
    """Was: a Ctrl-C just after --overwrite moved the old run aside (before the new run's
    marker) left a folder holding only `.rnnlab-replacing`, which the next run called
    "files rnnlab did not write", with the old run hidden beside it."""
    from rnnlab.io.errors import RunDirError
    from rnnlab.io.rundir import MARKER_NAME, prepare_run_dir, previous_of

    out = tmp_path / "run"
    before = _finished_run(out)
    prepare_run_dir(out, overwrite=True)
    (out / MARKER_NAME).unlink()  # (stopped before it was written)
    with pytest.raises(RunDirError, match="already exists and is not empty"):
        prepare_run_dir(out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not previous_of(out).exists()


def test_an_unfinished_run_in_a_folder_with_a_space_gets_a_command_that_can_be_pasted(
        tmp_path, capsys):
    """Was: "continue it with: rnnlab forecast --resume /x/my runs/run", two arguments when
    pasted (a stopped training run's own hint quoted the path)."""
    import shlex

    from rnnlab.io.rundir import prepare_run_dir, write_run_info

    out = prepare_run_dir(tmp_path / "my runs" / "run")
    write_run_info(out, {"panel": False}, 0)
    (out / "cli.json").write_text("{}")
    (out / "model").mkdir()
    (out / "model" / "model.safetensors").write_bytes(b"half")
    code, err = run(["forecast", "--run", str(out), "--horizon", "3"], capsys)
    assert code == 1 and f"continue it with: rnnlab forecast --resume {shlex.quote(str(out))}" in err
