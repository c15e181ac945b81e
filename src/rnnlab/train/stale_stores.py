"""The rendezvous folders (``rnnlab-ddp-*``, :mod:`.rendezvous`) that a parent killed
outright left behind, found and removed by the next launch.

Each folder holds one ``owner-PID`` file per process that uses it (the parent's, written
before any worker starts, and each worker's), with the process's start time where the
system tells it (Linux: ``/proc/PID/stat``), so that a process id used again by another
program is not taken for the owner, and the machine that ran it (host name and process-id
namespace): a temporary directory on a shared file system (TMPDIR on NFS, a /tmp two
containers mount) holds the folders of runs on other machines, whose process ids mean
nothing here. A folder is removed only when it is this user's, has at least one owner
record and every owner is a process of this machine that is gone; a folder without records
(one being made this moment, or one an older rnnlab left), with one live owner or one of
another machine is kept. POSIX only: Windows has no signal 0 to ask whether a process lives
(``os.kill`` there ends it).
"""

from __future__ import annotations

import os
import shutil
import socket
import stat
from pathlib import Path
from typing import Optional

OWNER = "owner-"


def _start_time(pid: int) -> Optional[str]:
    """When process ``pid`` started (clock ticks since boot), or None where unknown."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    fields = text[text.rfind(")") + 2:].split()  # (after the command's name, which may hold
    return fields[19] if len(fields) > 19 else None  # spaces and parentheses): field 22


def this_machine() -> str:
    """What tells this machine's process ids from another's: the host name and, on Linux,
    the process-id namespace (two containers of one host number their processes apart)."""
    try:
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        namespace = ""
    return f"{socket.gethostname()} {namespace}".strip()


def owner_record() -> str:
    """This process's owner record: its start time (or nothing), then its machine."""
    return f"{_start_time(os.getpid()) or ''}\n{this_machine()}"


def record_owner(folder) -> None:
    """Record this process as one that uses ``folder`` (atomically: a half-written record
    would read as no record). Best effort: a folder with no record is never removed."""
    from ..io.atomic import atomic_write_text

    try:
        atomic_write_text(Path(folder, f"{OWNER}{os.getpid()}"), owner_record())
    except OSError:
        pass


def _gone(record: Path) -> bool:
    """Whether the process of an owner record has ended (False when unsure: a record of
    another machine, or one without its machine)."""
    from ..io.runlock import read_short_file

    try:
        pid = int(record.name[len(OWNER):])
        started, _, machine = read_short_file(record, 1024).partition("\n")
    except (ValueError, OSError):
        return False
    if pid <= 0 or machine != this_machine():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # (PermissionError: a live process of another user)
        return False
    now = _start_time(pid)
    return bool(started) and now is not None and now != started  # (the id used again)


def is_stale(folder: Path) -> bool:
    """Whether ``folder`` is this user's rendezvous folder and every process that used it
    is gone."""
    try:
        st = folder.lstat()
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
            return False
        owners = [p for p in folder.iterdir() if p.name.startswith(OWNER)]
    except OSError:
        return False
    return bool(owners) and all(_gone(p) for p in owners)


def remove_stale(where: Path, prefix: str, keep=None) -> list:
    """Remove the stale folders named ``prefix*`` in ``where`` (never ``keep``); returns
    those removed. Never fails a launch: what cannot be read or removed is left."""
    if os.name != "posix":
        return []
    removed = []
    try:
        found = [p for p in Path(where).iterdir() if p.name.startswith(prefix)]
    except OSError:
        return []
    for p in found:
        if (keep is None or p.name != Path(keep).name) and is_stale(p):
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
    return removed
