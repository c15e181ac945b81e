"""A finished run resumed and stopped in training (killed, Ctrl-C, diverged) still knows the
files the user put there. Marked unfinished, it lost its record of what it wrote
(session 28: ``mark_resumed`` deleted ``.rnnlab-written``), so the ``--overwrite`` that
started it again took a user's notes.txt for the run's and deleted it, with no word."""

import pytest

from rnnlab.io.command_line import running
from rnnlab.io.errors import RunDirError
from rnnlab.io.incomplete_run import is_incomplete
from rnnlab.io.resumed_marks import mark_resumed
from rnnlab.io.rundir import finish_run_dir, prepare_run_dir
from rnnlab.io.user_added import user_added

FIRST = ["forecast", "--data", "s.csv", "--epochs", "1"]


def _resumed_and_stopped(tmp_path):
    out = tmp_path / "run"
    with running([*FIRST, "--out", str(out)]):
        prepare_run_dir(out)
    (out / "forecast.csv").write_text("t,y\n")
    finish_run_dir(out)
    (out / "notes.txt").write_text("mine")
    with running([*FIRST[:-1], "3", "--resume", str(out)]):
        mark_resumed(out)  # (then stopped in its training)
    assert is_incomplete(out)
    return out


def test_a_stopped_resume_still_names_the_users_files(tmp_path):
    out = _resumed_and_stopped(tmp_path)
    assert user_added(out) == ["notes.txt"]
    with running([*FIRST, "--out", str(out), "--overwrite"]):
        with pytest.raises(RunDirError, match="notes.txt"):
            prepare_run_dir(out, overwrite=True)
    assert (out / "notes.txt").read_text() == "mine"


def test_the_resume_finished_forgets_the_old_record(tmp_path):
    out = _resumed_and_stopped(tmp_path)
    finish_run_dir(out, not_written=["notes.txt"])
    assert not is_incomplete(out) and user_added(out) == ["notes.txt"]
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".rnnlab-written")) \
        == [".rnnlab-written"]
