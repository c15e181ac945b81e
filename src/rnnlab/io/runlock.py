"""The lock a process holds while it writes a run directory: a file with its PID and start
time, taken over when that process is gone (a stale lock never blocks a new run)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

from .errors import RunDirError

LOCK_NAME = ".lock"


def _start_time(pid: int) -> Optional[str]:
    """When process ``pid`` started (clock ticks since boot, from /proc); None elsewhere."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat[stat.rindex(")") + 2:].split()[19]
    except (OSError, ValueError, IndexError):
        return None


class RunLock:
    """An exclusive lock file holding the writer's PID; a dead holder's lock is taken over."""

    def __init__(self, run_dir):
        self.path = Path(run_dir) / LOCK_NAME
        self.held = False

    def _holder(self) -> Optional[int]:
        try:
            fields = self.path.read_text().split()
            pid = int(fields[0]) if fields else 0
            started = fields[1] if len(fields) > 1 else None
        except (FileNotFoundError, ValueError):
            return None
        if pid <= 0 or pid == os.getpid():
            return None
        now = _start_time(pid)
        if started is not None and now is not None and now != started:
            return None  # the PID was reused by a later process: the holder is gone
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None  # stale: the holder died
        except PermissionError:
            return pid
        return pid

    def check_free(self, out: str = "--out") -> None:
        """Refused while another process holds the lock (``out``: what the message asks
        the caller to choose another of: the option, or a Python caller's path)."""
        pid = self._holder()
        if pid is not None:
            raise RunDirError(f"{self.path.parent}: in use by another rnnlab process (PID {pid}); "
                              f"wait for it, stop it, or choose another {out}")

    def acquire(self) -> "RunLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                self.check_free()
                try:  # stale lock of a dead process
                    self.path.unlink()
                except FileNotFoundError:
                    pass
                continue
            with os.fdopen(fd, "w") as f:  # PID and its start time (a reused PID is told apart)
                f.write(f"{os.getpid()} {_start_time(os.getpid()) or ''}".strip())
            self.held = True
            return self
        raise RunDirError(f"{self.path}: could not take the run directory's lock")

    def release(self) -> None:
        if self.held:
            try:
                self.path.unlink()
            except FileNotFoundError:
                pass
            self.held = False

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()
