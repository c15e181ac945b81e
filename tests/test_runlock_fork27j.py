"""A run lock's forked children (a DataLoader or multiprocessing worker with the fork
start method, a user's ``os.fork()``) leave it alone (:mod:`rnnlab.io.lock_fork`): the
kernel lock is the holder's alone, so a run that ended reads as ended to another container
while a child of it lives on, and a child's release never removes its parent's lock."""

import os

import pytest

from rnnlab.io.lock_place import kernel_lock_free
from rnnlab.io.runlock import RunLock, SaveLock

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or not hasattr(os, "register_at_fork"),
                                reason="POSIX fork")


def _fork(child):
    """Fork a child that says it runs (its fork handlers done), runs ``child()`` once told
    to (a pipe), then ends."""
    go_r, go_w = os.pipe()
    up_r, up_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.write(up_w, b"x")
            os.read(go_r, 1)
            child()
        finally:
            os._exit(0)
    os.close(go_r)
    os.close(up_w)
    os.read(up_r, 1)
    os.close(up_r)
    return pid, go_w


def _end(pid, go_w):
    os.write(go_w, b"x")
    os.close(go_w)
    os.waitpid(pid, 0)


def test_a_forked_child_does_not_keep_the_kernel_lock_of_an_ended_holder(tmp_path):
    lock = RunLock(tmp_path).acquire()
    if lock._fd is None:
        pytest.skip("no kernel lock on this file system")
    pid, go_w = _fork(lambda: None)  # (a worker still running)
    try:
        os.close(lock._fd)  # (the holder's end, as SIGKILL leaves it: its files closed)
        lock._fd = None
        assert kernel_lock_free(lock.path)  # (was held by the child, for as long as it ran)
    finally:
        _end(pid, go_w)
        lock.release()


def test_the_holder_keeps_its_kernel_lock_while_a_child_runs_and_ends(tmp_path):
    lock = RunLock(tmp_path).acquire()
    if lock._fd is None:
        pytest.skip("no kernel lock on this file system")
    pid, go_w = _fork(lock.release)
    _end(pid, go_w)
    assert not kernel_lock_free(lock.path)  # (the child closed its copy, never unlocked)
    lock.release()
    assert kernel_lock_free(lock.path)


@pytest.mark.parametrize("make", [RunLock, SaveLock])
def test_a_forked_childs_release_keeps_the_parents_lock(tmp_path, make):
    lock = make(tmp_path).acquire()
    text = lock.path.read_text()
    pid, go_w = _fork(lock.release)  # (a user's fork returning through the with block)
    _end(pid, go_w)
    assert lock.path.read_text() == text  # (was removed, the live run's lock with it)
    lock.release()
    assert not lock.path.exists()


def test_the_kernel_lock_is_waited_for_while_another_judges_the_new_lock(tmp_path, monkeypatch):
    """A process judging (or taking over) the file had its kernel lock for a moment as the
    maker took it: the maker wrote a lock with no boot and no kernel lock, judged from
    another container as one of another machine's (refused by hand)."""
    fcntl = pytest.importorskip("fcntl")
    real, busy = fcntl.flock, []

    def briefly_busy(fd, op):
        if not busy:
            busy.append(op)
            raise BlockingIOError(11, "Resource temporarily unavailable")
        return real(fd, op)

    monkeypatch.setattr(fcntl, "flock", briefly_busy)
    lock = RunLock(tmp_path).acquire()
    try:
        assert busy and lock._fd is not None
        assert not kernel_lock_free(lock.path)
    finally:
        lock.release()


def test_a_lock_dropped_unreleased_is_still_let_go_by_a_forked_child(tmp_path):
    """A lock taken and dropped without release() keeps its file open, and its kernel lock,
    until this process ends: a child forked later let that go too."""
    lock = RunLock(tmp_path).acquire()
    if lock._fd is None:
        pytest.skip("no kernel lock on this file system")
    fd = lock._fd
    del lock
    import gc

    gc.collect()
    pid, go_w = _fork(lambda: None)
    try:
        os.close(fd)  # (the holder's end)
        assert kernel_lock_free(tmp_path / ".lock")
    finally:
        _end(pid, go_w)
        (tmp_path / ".lock").unlink()


def test_a_child_leaves_open_a_file_that_took_the_number_of_a_lock_closed_unreleased(tmp_path):
    """Reproduced (CI hung in test_runlock_place27h after this file): a lock whose file was
    closed without release() left its number with the fork hook, which closed in each later
    forked child whatever file had taken that number since (there: the child's end of
    multiprocessing's pipe), so the child died before taking its lock and the parent waited
    for good. The hook now closes a number only while it is still the lock's file."""
    from rnnlab.io import lock_fork

    lock = RunLock(tmp_path).acquire()
    if lock._fd is None:
        pytest.skip("no kernel lock here: the lock keeps no file open")
    os.close(lock._fd)  # (closed unreleased, as the tests above do for a holder's end)
    lock._fd = None
    r, w = os.pipe()  # (the lowest free number: the lock's, now)
    try:
        pid = os.fork()
        if pid == 0:  # the child: its copy of the pipe's reading end must be open still
            try:
                os.fstat(r)
                os._exit(0)
            except OSError:
                os._exit(3)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0, "the child's pipe was closed"
    finally:
        os.close(r)
        os.close(w)
        lock.release()
        lock_fork._FDS.clear()
