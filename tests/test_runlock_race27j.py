"""Two takers of one free run lock: exactly one wins (:mod:`rnnlab.io.lock_takeover`).
Stand-ins play the race deterministically: a SaveLock (a lock naming this process is held,
another thread's) taken by two threads, one paused at the racy step."""

import os
import threading

import pytest

from rnnlab.io import runlock
from rnnlab.io.errors import CheckpointError
from rnnlab.io.runlock import SaveLock


def test_a_lock_being_written_is_not_taken_over_as_empty(tmp_path, monkeypatch):
    """A creates the lock file, then writes it; B, between the two, read an empty lock as
    stale, removed it and took its own: both held the lock."""
    go_a = threading.Event()
    real_hold = runlock.hold_kernel_lock

    def paused_hold(fd):  # (A: its file made, not yet written)
        go_a.wait(10)
        return real_hold(fd)

    outcome = {}

    def take_a():
        outcome["a"] = SaveLock(tmp_path).acquire()

    monkeypatch.setattr(runlock, "hold_kernel_lock", paused_hold)
    a = threading.Thread(target=take_a)
    a.start()
    while not (tmp_path / "model.lock").exists():
        pass
    monkeypatch.setattr(runlock, "hold_kernel_lock", real_hold)
    real_pause = getattr(runlock, "_pause", None)

    def pause(seconds):  # (B waits for the lock being written: A goes on)
        go_a.set()
        a.join(10)
        real_pause(seconds)

    monkeypatch.setattr(runlock, "_pause", pause, raising=False)
    try:
        with pytest.raises(CheckpointError, match="another save"):
            outcome["b"] = SaveLock(tmp_path).acquire()
    finally:
        go_a.set()
        a.join(10)
    assert outcome["a"].held and "b" not in outcome
    assert (tmp_path / "model.lock").read_text().split()[0] == str(os.getpid())
    outcome["a"].release()


def test_a_stale_lock_taken_over_by_two_leaves_one_holder(tmp_path):
    """A and B both judged a dead run's lock stale; A removed it and took its own, then B
    removed A's (judged as the dead one's) and took its own: both held the lock."""
    (tmp_path / "model.lock").write_text("999999999 1\n")  # (a dead process's)
    taken = []
    b = SaveLock(tmp_path)
    real_check = b.check_free

    def check_then_a_wins(out="--out"):
        real_check(out)  # (B: stale)
        if not taken:
            taken.append(SaveLock(tmp_path).acquire())  # (A, in between)

    b.check_free = check_then_a_wins
    with pytest.raises(CheckpointError, match="another save"):
        b.acquire()
    assert taken[0].held and not b.held
    assert (tmp_path / "model.lock").exists()
    taken[0].release()


def test_a_stale_lock_whose_kernel_lock_another_keeps_is_still_taken_over(tmp_path):
    """A dead run's lock whose kernel lock a process it does not name keeps (a forked
    child of an older rnnlab's run) is waited out briefly, then taken over as before."""
    fcntl = pytest.importorskip("fcntl")
    path = tmp_path / ".lock"
    path.write_text("999999999 1\n")
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        lock = runlock.RunLock(tmp_path).acquire()
        assert lock.held and path.read_text().split()[0] == str(os.getpid())
        lock.release()
    finally:
        os.close(fd)


def test_a_stale_lock_is_removed_where_an_open_file_cannot_be(tmp_path, monkeypatch):
    """Windows (stand-in: removing a file this process has open is refused, and the module
    told so): the stale lock was removed while open to be checked, PermissionError."""
    from pathlib import Path

    from rnnlab.io import lock_takeover

    real_unlink = Path.unlink

    def pinned_unlink(self, missing_ok=False):
        for fd in os.listdir("/proc/self/fd"):
            try:
                if os.readlink(f"/proc/self/fd/{fd}") == str(self):
                    raise PermissionError(13, "in use by another process", str(self))
            except OSError as e:
                if isinstance(e, PermissionError):
                    raise
        return real_unlink(self)

    if not os.path.isdir("/proc/self/fd"):
        pytest.skip("/proc: which files are open")
    monkeypatch.setattr(Path, "unlink", pinned_unlink)
    monkeypatch.setattr(lock_takeover, "OPEN_FILES_PINNED", True, raising=False)
    (tmp_path / "model.lock").write_text("999999999 1\n")
    lock = SaveLock(tmp_path).acquire()
    assert lock.held
    monkeypatch.setattr(Path, "unlink", real_unlink)  # (its own file: kept open here only)
    lock.release()
