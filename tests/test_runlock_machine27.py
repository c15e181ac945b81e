"""A run directory's lock on a shared file system (NFS, a folder two containers mount):
a lock of another machine names a PID that means nothing here, so it is never judged
stale by that PID; it is refused, naming its machine, its PID and the lock file."""

import os
import subprocess
import sys

import pytest

from rnnlab.io.errors import CheckpointError, RunDirError
from rnnlab.io.runlock import SaveLock
from rnnlab.io.rundir import RunLock
from rnnlab.train.stale_stores import this_machine


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_a_lock_of_another_machine_is_refused_not_taken_over(tmp_path):
    pid = _dead_pid()  # (no such process here; on the other machine it runs)
    (tmp_path / ".lock").write_text(f"{pid} 12345\nnode-b pid:[4026531836]")
    with pytest.raises(RunDirError) as e:
        RunLock(tmp_path).acquire()
    text = str(e.value)
    assert f"PID {pid}" in text and "'node-b pid:[4026531836]'" in text, text
    assert "wait for it" in text and f"remove its lock file {tmp_path / '.lock'} by hand" in text
    assert (tmp_path / ".lock").read_text().startswith(f"{pid} 12345")  # (left as it was)
    with pytest.raises(RunDirError, match="choose another --run"):
        RunLock(tmp_path).check_free("--run")


def test_a_lock_without_a_machine_keeps_its_treatment(tmp_path):
    (tmp_path / ".lock").write_text(f"{_dead_pid()}")  # (an older rnnlab's: a dead holder)
    with RunLock(tmp_path) as lock:
        assert lock.held


def test_a_lock_records_this_machine_and_a_dead_holder_of_it_is_stale(tmp_path):
    with RunLock(tmp_path):
        first, machine = (tmp_path / ".lock").read_text().split("\n")
        assert first.split()[0] == str(os.getpid()) and machine == this_machine()
    (tmp_path / ".lock").write_text(f"{_dead_pid()} 1\n{this_machine()}")
    with RunLock(tmp_path) as lock:
        assert lock.held


def test_a_model_folder_saved_from_another_machine_is_refused(tmp_path):
    (tmp_path / "model.lock").write_text(f"{_dead_pid()}\nnode-b")
    with pytest.raises(CheckpointError, match="another save.*'node-b'.*model.lock by hand"):
        SaveLock(tmp_path).acquire()


def test_lm_prepare_keeps_a_work_folder_locked_by_another_machine(tmp_path):
    """``lm prepare --overwrite`` removes the work folders of killed runs (their lock's
    holder gone); one locked by a run of another machine is being written: it is kept."""
    from rnnlab.data.prepare_leftovers import remove_stale_work

    dest = tmp_path / "corpus"
    work = tmp_path / ".corpus.1.preparing"
    work.mkdir()
    (work / ".lock").write_text(f"{_dead_pid()} 1\nnode-b pid:[4026531836]")
    remove_stale_work(dest)
    assert (work / ".lock").exists()
    (work / ".lock").write_text(f"{_dead_pid()} 1\n{this_machine()}")  # (this machine's: gone)
    remove_stale_work(dest)
    assert not work.exists()
