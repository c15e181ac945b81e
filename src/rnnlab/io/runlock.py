"""The lock a process holds while it writes a run directory: a file with its PID, start
time, kernel boot and machine, taken over when that process is gone (a stale lock never
blocks a new run). A lock of another machine (a run directory on NFS) is never judged by
its PID, which means nothing here: it is refused, naming its holder; one of another
container of this host is judged by the kernel lock its holder keeps (:mod:`.lock_place`)."""

from __future__ import annotations

import os
import stat
import sys
import time
from pathlib import Path
from typing import Optional, Tuple

from . import lock_fork
from .errors import RunDirError
from .lock_takeover import being_written, remove_stale
from .lock_place import (ASK_KERNEL, ELSEWHERE, JUDGE_PID, hold_kernel_lock, judged_by,
                         kernel_lock_free, this_boot)

LOCK_NAME = ".lock"
POLL_S = 0.02  # how often a lock being written is read again
SAVE_LOCK_NAME = "model.lock"  # in a model folder, while save() writes it


def _pause(seconds: float) -> None:
    time.sleep(seconds)


def _start_time(pid: int) -> Optional[str]:
    """When process ``pid`` started (clock ticks since boot, from /proc); None elsewhere."""
    try:
        line = Path(f"/proc/{pid}/stat").read_text()
        return line[line.rindex(")") + 2:].split()[19]
    except (OSError, ValueError, IndexError):
        return None


def read_short_file(path: Path, limit: int = 64) -> str:
    """The text of a small file rnnlab writes in a run directory (a lock: a PID and a
    start time), read without following a link and no more than ``limit`` bytes: a
    crafted run directory's ``.lock -> /dev/zero`` was read until memory ran out, and a
    FIFO blocked the open. Anything but a regular file reads as "" (a lock: no holder,
    a stale one taken over); FileNotFoundError when there is nothing."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except OSError:  # (a link: ELOOP; not readable)
        return ""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return ""
        return os.read(fd, limit).decode("utf-8", errors="replace")
    finally:
        os.close(fd)
def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs. On Windows not ``os.kill(pid, 0)``: there signal 0 is
    CTRL_C_EVENT, which interrupts the console process group ``pid`` (another rnnlab run)
    or raises OSError for a plain PID, never ProcessLookupError."""
    if sys.platform == "win32":
        return _alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # (another user's process)
        return True
    return True


def _alive_windows(pid: int, kernel32=None, last_error=None) -> bool:
    """Windows: the process can be opened and has no exit code yet (a process of another
    user, which cannot be opened, counts as running). ``kernel32``, ``last_error``: the
    Windows API's (given by a test)."""
    import ctypes

    if kernel32 is None and sys.platform == "win32":  # (ctypes has them on Windows only)
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        last_error = ctypes.get_last_error
    handle = kernel32.OpenProcess(_QUERY_LIMITED_INFORMATION, False, pid)
    if not handle:
        return last_error() == _ERROR_ACCESS_DENIED
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True  # (unknown: do not take a lock that may be held)
        return code.value == _STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


_QUERY_LIMITED_INFORMATION = 0x1000  # (the Windows API's constants)
_ERROR_ACCESS_DENIED = 5
_STILL_ACTIVE = 259


def _lock_text(kernel_held: bool) -> str:
    """This process's lock record: "PID START" (what older rnnlab reads), the kernel's boot
    id where it holds the kernel lock (and a start time tells the fields apart), then its
    machine."""
    from ..train.stale_stores import this_machine

    start = _start_time(os.getpid()) or ""
    boot = this_boot() if kernel_held and start else ""
    return " ".join(f for f in (str(os.getpid()), start, boot) if f) + f"\n{this_machine()}"


def _on(machine: str, how: str) -> str:
    if how == ASK_KERNEL:  # (its PID is another namespace's: `kill PID` here is another's)
        return (f"in another container of this host, {machine!r}, which numbers its "
                f"processes apart from this one's")
    return f"on another machine, {machine!r}, whose processes cannot be checked from here"


def _by_hand(path: Path) -> str:
    return f"if that process is known to have ended, remove its lock file {path} by hand"


class RunLock:
    """An exclusive lock file holding the writer's PID and machine, and its kernel lock
    while it runs (POSIX); a dead holder's lock is taken over, one of another machine is
    refused (its PID cannot be asked about here): :mod:`.lock_place`."""

    own_pid_holds = False  # a lock naming this process is its own (a run's nested writers)

    def __init__(self, run_dir, name: str = LOCK_NAME):
        self.path = Path(run_dir) / name
        self.held = False
        self._fd: Optional[int] = None  # (open while held: its kernel lock with it)
        self._seen: Optional[str] = None  # (the lock's text as last read)

    def _record(self) -> Tuple[int, Optional[str], str, str]:
        """The lock's PID, start time, kernel boot and machine (boot and machine: "" in a
        lock an older rnnlab wrote); PID 0 when there is no lock or it cannot be read."""
        try:
            self._seen = read_short_file(self.path, 512)
            first, _, machine = self._seen.partition("\n")
            fields = first.split()
            pid = int(fields[0]) if fields else 0
        except (FileNotFoundError, ValueError):
            return 0, None, "", ""
        return (pid, (fields[1] if len(fields) > 1 else None),
                (fields[2] if len(fields) > 2 else ""), machine.strip())

    def _holder(self, record=None) -> Optional[int]:
        """The PID holding the lock, or None where it is free or stale (``record``: the
        lock's, read now when not given)."""
        pid, started, boot, machine = record or self._record()
        how = judged_by(boot, machine) if pid > 0 else JUDGE_PID
        if how == ELSEWHERE:
            return pid  # (held: whether it runs cannot be asked from this machine)
        if how == ASK_KERNEL:  # (this host's kernel, another container's PIDs)
            return None if kernel_lock_free(self.path) else pid
        if pid <= 0 or (pid == os.getpid() and not self.own_pid_holds):
            return None
        now = _start_time(pid)
        if started is not None and now is not None and now != started:
            return None  # the PID was reused by a later process: the holder is gone
        return pid if _alive(pid) else None  # (not alive: stale, the holder died)

    def check_free(self, out: str = "--out") -> None:
        """Refused while another process holds the lock (``out``: what the message asks
        the caller to choose another of: the option, or a Python caller's path)."""
        record = self._record()
        pid, how = self._holder(record), judged_by(record[2], record[3])
        if pid is not None and how != JUDGE_PID:
            raise RunDirError(f"{self.path.parent}: in use by another rnnlab process (PID {pid} "
                              f"{_on(record[3], how)}); wait for it to finish, or choose another "
                              f"{out}; {_by_hand(self.path)}")
        if pid is not None:
            self._refuse(pid, out)

    def _refuse(self, pid: int, out: str) -> None:
        raise RunDirError(f"{self.path.parent}: in use by another rnnlab process (PID {pid}); "
                          f"wait for it, stop it, or choose another {out}")

    def acquire(self) -> "RunLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        texts = _lock_text(False), _lock_text(True)  # (made first: the file is written at once)
        tries = 0
        while tries < 3:
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                # a stale lock of a dead process is removed, only while it is still the
                # one judged; one being written is waited for (:mod:`.lock_takeover`)
                self._seen = None
                self.check_free()
                if self._seen is not None and being_written(self.path, self._seen):
                    _pause(POLL_S)
                    continue
                tries += 1
                if self._seen is not None:  # (None: it was gone when read)
                    remove_stale(self.path, self._seen)
                continue
            self._hold(fd, texts)
            return self
        raise self._taken_error()

    def _hold(self, fd: int, texts: Tuple[str, str]) -> None:
        """Write this process's record in the lock it made (open as ``fd``): PID, start
        time (a reused PID is told apart), boot, machine; with its kernel lock the file
        stays open until release() or this process's end (without one, as on Windows,
        where an open file cannot be removed, it is closed now). ``texts``: the record
        without and with the kernel lock."""
        kernel_held = hold_kernel_lock(fd)
        os.write(fd, texts[kernel_held].encode())
        if not kernel_held:
            os.close(fd)
        self._fd, self.held = (fd if kernel_held else None), True
        lock_fork.holding(self)  # (a forked child lets it go: :mod:`.lock_fork`)

    def _taken_error(self) -> Exception:
        return RunDirError(f"{self.path}: could not take the run directory's lock")

    def release(self) -> None:
        if self.held:
            try:
                self.path.unlink()
            except FileNotFoundError:
                pass
            self.held = False
        fd, self._fd = self._fd, None
        lock_fork.released(self, fd)
        if fd is not None:
            os.close(fd)

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()


class SaveLock(RunLock):
    """The lock ``save()`` holds while it writes a model folder (``model.lock`` in it): a
    second save of that folder, by another process or another thread of this one, is
    refused naming the writer, so that one save's model.json is never paired with the
    other's weights."""

    own_pid_holds = True  # another thread of this process saving the same folder

    def __init__(self, folder):
        super().__init__(folder, SAVE_LOCK_NAME)

    def check_free(self, out: str = "--out") -> None:
        from .errors import CheckpointError

        pid, _, boot, machine = record = self._record()
        how = judged_by(boot, machine)
        if self._holder(record) is not None and how != JUDGE_PID:
            raise CheckpointError(f"{self.path.parent}: another save() is writing this model "
                                  f"folder (PID {pid} {_on(machine, how)}); wait for it to finish, "
                                  f"then save again, or save to another folder; "
                                  f"{_by_hand(self.path)}")
        super().check_free(out)

    def _refuse(self, pid: int, out: str) -> None:
        from .errors import CheckpointError

        who = "this process (another thread)" if pid == os.getpid() else f"PID {pid}"
        raise CheckpointError(f"{self.path.parent}: another save() is writing this model folder "
                              f"({who}; its lock is {self.path.name}); wait for it to finish, "
                              f"then save again, or save to another folder")

    def _taken_error(self) -> Exception:
        from .errors import CheckpointError

        return CheckpointError(f"{self.path}: could not take the model folder's lock (another "
                               f"save keeps taking it); save again, or save to another folder")
