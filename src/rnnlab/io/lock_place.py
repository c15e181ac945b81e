"""Where a run lock was written, and so how its holder is judged from here
(:class:`rnnlab.io.runlock.RunLock`).

A lock's PID means something only to the kernel, and the process-id namespace, that
numbered it. The lock records them: its first line is "PID START BOOT" (BOOT: the Linux
kernel's boot id, shared by every container of one host and new at each boot), its second
the machine, ``stale_stores.this_machine()`` ("HOST pid:[NAMESPACE]"). From them:

* the same boot and namespace: the PID is judged (alive, and not reused: its start time),
  whatever the host is called now (a laptop whose DHCP renamed it);
* the same boot, another namespace (``docker restart``, which numbers its processes anew;
  another container of this host on a shared folder): the PID means nothing here, but the
  kernel does: the holder keeps a kernel lock (``flock``) on the file while it runs, which
  the kernel drops when it ends, however it ended (SIGKILL, a stopped container). Free:
  the holder is gone; held: a running process of this host holds it;
* another boot: the host name and namespace decide, as before there was a boot id: the
  same (a host restarted after a crash; a lock of an rnnlab that wrote no boot id) judge
  the PID, another is another machine, whose processes cannot be asked about: refused.

The host name alone would not do: two containers of one host can carry the same one (both
given ``--hostname``, or ``--network host``, which takes the host's) while numbering their
processes apart, so one's live run would read as dead to the other and be written over.
A lock with no machine (an older rnnlab's) is judged by its PID, as it always was.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

BOOT_ID = Path("/proc/sys/kernel/random/boot_id")  # (Linux; elsewhere there is none)
JUDGE_PID, ASK_KERNEL, ELSEWHERE = "pid", "kernel", "elsewhere"  # (how a lock is judged)


def this_boot(source: Path = BOOT_ID) -> str:
    """This kernel's boot id ("" where there is none: not Linux)."""
    try:
        return source.read_text().strip()
    except OSError:
        return ""


def _namespace(machine: str) -> str:
    """The process-id namespace part of a machine record ("" where it has none)."""
    last = machine.split()[-1] if machine.split() else ""
    return last if last.startswith("pid:[") else ""


def judged_by(boot: str, machine: str) -> str:
    """How a lock recorded on ``machine`` (its machine line) and kernel ``boot`` is judged
    here: :data:`JUDGE_PID`, :data:`ASK_KERNEL` or :data:`ELSEWHERE` (module docstring)."""
    from ..train.stale_stores import this_machine

    here = this_machine()
    if not machine:
        return JUDGE_PID
    if boot and boot == this_boot():
        return JUDGE_PID if _namespace(machine) == _namespace(here) else ASK_KERNEL
    return JUDGE_PID if machine == here else ELSEWHERE


def hold_kernel_lock(fd: int, wait_s: float = 1.0) -> bool:
    """Take the kernel's lock on the lock file open as ``fd`` (kept while it stays open);
    False where it cannot be had (not POSIX; a file system with no locks). Another process
    may have it for a moment (one judging the file: :func:`kernel_lock_free`, a taker of a
    stale lock): waited for up to ``wait_s``, as a lock made without it is judged, from
    another container, as one of another machine's."""
    try:
        import fcntl
    except ImportError:
        return False
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        except OSError:
            return False


def kernel_lock_free(path: Path) -> bool:
    """Whether no process of this kernel holds the kernel lock of the lock file ``path``
    (read without following a link; anything that cannot be asked: held)."""
    import fcntl

    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)  # (dropped at the close below)
        return True
    except OSError:  # (BlockingIOError: held)
        return False
    finally:
        os.close(fd)
