"""Which locks' PIDs are judged here (:mod:`rnnlab.io.lock_place`): a crashed run restarted
with ``docker restart`` (same host name, same kernel, processes numbered anew) or on a
laptop whose host name DHCP changed takes its own stale lock over with no step by hand;
a live run of another container of this host is still refused, even under the same host
name. Stand-in processes (forked) play the other container: only the machine record they
write differs."""

import multiprocessing
import os
import socket
import subprocess
import sys

import pytest

from rnnlab.io.errors import CheckpointError, RunDirError
from rnnlab.io.lock_place import kernel_lock_free, this_boot
from rnnlab.io.runlock import RunLock, SaveLock, read_short_file
from rnnlab.train import stale_stores
from rnnlab.train.stale_stores import this_machine

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or not this_boot() or not os.path.exists("/proc/self/ns/pid"),
    reason="Linux: a kernel boot id, process-id namespaces, forked stand-ins")

OTHER_NS = f"{socket.gethostname()} pid:[1]"  # (this host name, another namespace)


def _take_as(machine, folder, name, keep, done):
    """Take the lock as a process of ``machine``; end without releasing it (killed) or,
    ``keep``, hold it until ``done`` is set."""
    stale_stores.this_machine = lambda: machine
    (SaveLock(folder) if name == "model.lock" else RunLock(folder)).acquire()
    if keep:
        done.wait(30)
    os._exit(0)  # (no release: as SIGKILL or a stopped container leaves it)


def _other(machine, folder, name=".lock", keep=False):
    ctx = multiprocessing.get_context("fork")
    done = ctx.Event()
    p = ctx.Process(target=_take_as, args=(machine, folder, name, keep, done))
    p.start()
    if not keep:
        p.join()
    else:
        while not (folder / name).exists() or "\n" not in (folder / name).read_text():
            p.join(0.01)
            assert p.exitcode is None, f"the holder ended ({p.exitcode}) before its lock"
    return p, done


def test_a_crashed_run_of_a_restarted_container_is_taken_over(tmp_path):
    """Reproduced: `docker restart` gave the container a new process-id namespace under
    the same host name; its killed run's lock was refused as "another machine" for good."""
    _other(OTHER_NS, tmp_path)
    assert f"\n{OTHER_NS}" in (tmp_path / ".lock").read_text()
    with RunLock(tmp_path) as lock:
        assert lock.held and (tmp_path / ".lock").read_text().endswith(this_machine())


def test_a_live_run_of_another_container_with_this_host_name_is_refused(tmp_path):
    p, done = _other(OTHER_NS, tmp_path, keep=True)
    try:
        with pytest.raises(RunDirError) as e:
            RunLock(tmp_path).acquire()
        assert f"in another container of this host, {OTHER_NS!r}" in str(e.value)
        assert "by hand" in str(e.value)
        with pytest.raises(CheckpointError, match="another container of this host"):
            _other_save_refused(tmp_path)
    finally:
        done.set()
        p.join()
    with RunLock(tmp_path) as lock:  # (it has ended: the kernel dropped its lock)
        assert lock.held


def _other_save_refused(tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    p, done = _other(OTHER_NS, folder, "model.lock", keep=True)
    try:
        SaveLock(folder).acquire()
    finally:
        done.set()
        p.join()


def test_a_laptop_renamed_by_dhcp_takes_its_killed_runs_lock_over(tmp_path):
    namespace = this_machine().split()[-1]
    _other(f"old-name.local {namespace}", tmp_path)
    with RunLock(tmp_path) as lock:
        assert lock.held


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_another_boot_is_judged_by_machine(tmp_path):
    """Another kernel boot: another machine (refused), or this one restarted after a crash
    (same host name and namespace: the PID judged, as before there was a boot id)."""
    (tmp_path / ".lock").write_text(f"{_dead_pid()} 5 another-boot\n{OTHER_NS}")
    with pytest.raises(RunDirError, match="on another machine"):
        RunLock(tmp_path).acquire()
    (tmp_path / ".lock").write_text(f"{_dead_pid()} 5 another-boot\n{this_machine()}")
    with RunLock(tmp_path) as lock:
        assert lock.held


def test_older_rnnlab_reads_the_new_lock(tmp_path):
    """Before session 27 a lock was "PID START" (read: its first two fields); session 27's
    rnnlab read the machine as the line after the first: both still read what they did."""
    with RunLock(tmp_path):
        fields = read_short_file(tmp_path / ".lock").split()
        assert fields[0] == str(os.getpid()) and fields[1].isdigit()
        assert (tmp_path / ".lock").read_text().partition("\n")[2] == this_machine()
        assert not kernel_lock_free(tmp_path / ".lock")  # (held while the run runs)
    assert not (tmp_path / ".lock").exists()


def test_without_a_kernel_lock_the_file_is_closed_and_records_no_boot(tmp_path, monkeypatch):
    """Where no kernel lock can be had (Windows, where an open file cannot be removed; a
    file system without locks) the lock file is not kept open and names no boot: it is
    judged as before (host name and namespace, then its PID)."""
    from rnnlab.io import runlock

    monkeypatch.setattr(runlock, "hold_kernel_lock", lambda fd: False)
    with RunLock(tmp_path) as lock:
        assert lock._fd is None and kernel_lock_free(tmp_path / ".lock")
        assert len((tmp_path / ".lock").read_text().split("\n")[0].split()) == 2
