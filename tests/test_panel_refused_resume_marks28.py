"""A panel run's ``--resume`` refused before it trained (other data, other settings: the
checkpoints' own check) leaves the run's marks as they were. The resumed run marked itself
unfinished first (session 28: ``.rnnlab-pending`` holding the command now running, the
finished run's ``.rnnlab-written`` deleted), so a typo in a resume command turned a finished
run into an unfinished one: its stop hint named the refused command, and an ``--overwrite``
no longer knew which files were the run's, deleting a file the user had put there."""

import json

import pytest
import torch

from rnnlab.io.command_line import running
from rnnlab.io.errors import CheckpointError
from rnnlab.io.incomplete_run import is_incomplete
from rnnlab.io.rundir import PENDING_NAME, WRITTEN_NAME, finish_run_dir, prepare_run_dir
from rnnlab.io.resumed_marks import resumed_marks
from rnnlab.train.checkpoint import CheckpointManager

FIRST = ["forecast", "--data", "p.csv", "--epochs", "3"]


def _run(tmp_path, finished: bool):
    """A panel run's folder (started by FIRST) with member 0's checkpoint; ``finished``:
    its record of what it wrote, no mark."""
    out = tmp_path / "run"
    with running([*FIRST, "--out", str(out)]):
        prepare_run_dir(out)
    CheckpointManager(out / "checkpoints" / "member0").save(
        4, {"w": torch.zeros(2)}, {"history": {}}, {})
    if finished:
        finish_run_dir(out)
    return out


def _marks(out):
    return {n: (out / n).read_bytes() if (out / n).exists() else None
            for n in (PENDING_NAME, WRITTEN_NAME)}


@pytest.mark.parametrize("finished", [True, False])
def test_a_resume_refused_before_training_leaves_the_marks_as_they_were(tmp_path, finished):
    out = _run(tmp_path, finished)
    before = _marks(out)
    with running([*FIRST, "--hidden-size", "5", "--out", str(out), "--resume"]):
        with pytest.raises(CheckpointError):
            with resumed_marks(out, True):
                assert is_incomplete(out)  # (while it runs: unfinished, by this command)
                assert "--hidden-size" in json.loads((out / PENDING_NAME).read_text())
                raise CheckpointError("cannot resume: other settings")
    assert _marks(out) == before and is_incomplete(out) is not finished


def test_a_resume_that_trained_and_then_failed_stays_unfinished(tmp_path):
    out = _run(tmp_path, finished=True)
    again = [*FIRST[:-1], "5", "--out", str(out), "--resume"]
    with running(again):
        with pytest.raises(KeyboardInterrupt):
            with resumed_marks(out, True):  # (member 0 trained on, then a stop)
                CheckpointManager(out / "checkpoints" / "member0").save(
                    8, {"w": torch.ones(2)}, {"history": {}}, {})
                raise KeyboardInterrupt
    assert is_incomplete(out) and not (out / WRITTEN_NAME).exists()
    assert json.loads((out / PENDING_NAME).read_text()) == ["rnnlab", *again]


def test_a_run_not_resumed_is_not_marked_here(tmp_path):
    out = _run(tmp_path, finished=True)
    before = _marks(out)
    with resumed_marks(out, False):
        assert _marks(out) == before


def test_a_resume_names_the_files_the_user_put_into_the_finished_run(tmp_path):
    out = _run(tmp_path, finished=True)
    (out / "notes.txt").write_text("mine")
    with running([*FIRST, "--out", str(out), "--resume"]):
        with resumed_marks(out, True) as added:
            pass
    assert added == ["notes.txt"]
    with resumed_marks(_run(tmp_path / "stopped", finished=False), True) as added:
        assert added == []  # (no record of what it wrote: nothing to tell apart)


@pytest.mark.slow  # (a short panel run, a resume, a refused --overwrite)
@pytest.mark.parametrize("resume, rc", [(["--hidden-size", "5"], 1), (["--epochs", "4"], 0)])
def test_a_resume_keeps_the_users_file_in_a_finished_run(tmp_path, capsys, resume, rc):
    # refused, the resume had deleted the run's record of what it wrote (marked unfinished,
    # by the refused command); gone on, it rewrote the record from every file there,
    # notes.txt too: either way a later --overwrite deleted the user's file with the run
    from rnnlab.cli import main
    from test_panel_resume_cli27 import _cmd, _data

    data = _data(tmp_path)
    out = tmp_path / "run"
    assert main(_cmd(data, out)) == 0
    (out / "notes.txt").write_text("mine")
    assert main([*_cmd(data, out), *resume, "--resume"]) == rc
    assert not rc or "hidden_size=5 (the checkpoints': 4)" in capsys.readouterr().err
    assert not is_incomplete(out)
    assert "notes.txt" not in json.loads((out / WRITTEN_NAME).read_text())
    assert main([*_cmd(data, out), "--overwrite"]) == 1  # (the user's file named, kept)
    assert "notes.txt" in capsys.readouterr().err
    assert (out / "notes.txt").read_text() == "mine"
