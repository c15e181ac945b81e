"""The rendezvous folders (``rnnlab-ddp-*``, :mod:`.rendezvous`) that a parent killed
outright left behind, found and removed by the next launch.

Each folder holds one ``owner-PID`` file per process that uses it (the parent's, written
before any worker starts, and each worker's), with the process's start time where the
system tells it (Linux: ``/proc/PID/stat``), so that a process id used again by another
program is not taken for the owner, and the machine that ran it (host name and process-id
namespace): a temporary directory on a shared file system (TMPDIR on NFS, a /tmp two
containers mount) holds the folders of runs on other machines, whose process ids mean
nothing here. A folder is removed only when it is this user's, has at least one owner
record and every owner is a process of this machine that is gone; one with a live owner or
one of another machine is kept.

Older rnnlab versions left folders these rules never judged, kept for good: the first ones
(``store`` alone) recorded no owner, and the next ones (``store``, ``owner-PID`` and
``met-RANK``) a start time without the machine. Such a folder, with none but those files,
is removed (:func:`_old_and_done`) once nothing in it has changed for :data:`OLD_AFTER_S`
(a day) and none of its recorded processes is alive here: the workers of those versions
waited for each other 30 minutes at most, and once met they read the folder no more, so
even a run of theirs still training (on another machine sharing the directory) misses
nothing but a folder its parent removes at the end anyway. A folder without records made
this moment is young, and kept. POSIX only: Windows has no signal 0 to ask whether a
process lives (``os.kill`` there ends it).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import stat
from pathlib import Path
from typing import Optional

OWNER = "owner-"
OLD_AFTER_S = 86400.0  # an older rnnlab's folder unchanged this long is done (docstring)
# the names the older versions gave what they wrote there: the FileStore, owner-PID and
# met-RANK (and arrived-RANK: this one's, in a folder whose owner records could not be
# written); a name like them but not theirs ("stores.csv", "met-notes") is someone else's
OLD_FILES = re.compile(r"store|(owner|met|arrived)-[0-9]+")


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


def _read_record(record: Path):
    """(process id, start time, machine) of an owner record: machine None in an older
    rnnlab's record (a start time alone); None where it cannot be read."""
    from ..io.runlock import read_short_file

    try:
        pid = int(record.name[len(OWNER):])
        text = read_short_file(record, 1024)
    except (ValueError, OSError):
        return None
    started, newline, machine = text.partition("\n")
    return pid, started, (machine if newline else None)


def _gone(record: Path, machine_needed: bool = True) -> bool:
    """Whether the process of an owner record has ended (False when unsure: a record of
    another machine, or one without its machine unless ``machine_needed`` is False)."""
    read = _read_record(record)
    if read is None:
        return False
    pid, started, machine = read
    if pid <= 0 or (machine_needed and machine != this_machine()):
        return False
    return _process_gone(pid, started)


def _process_gone(pid: int, started: str) -> bool:
    """Whether process ``pid`` (started at ``started``, or "" where unknown) has ended."""
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
    is gone (an older rnnlab's: :func:`_old_and_done`)."""
    try:
        st = folder.lstat()
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
            return False
        owners = [p for p in folder.iterdir() if p.name.startswith(OWNER)]
        if not any(_names_machine(p) for p in owners):  # (none, or an older rnnlab's)
            return _old_and_done(folder, owners)
    except OSError:
        return False
    return all(_gone(p) for p in owners)


def _names_machine(record: Path) -> bool:
    read = _read_record(record)
    return read is not None and read[2] is not None


def _old_and_done(folder: Path, owners: list) -> bool:
    """Whether ``folder``, of an older rnnlab (or of a launch whose records could not be
    written), holds only what those wrote (regular files), none changed for
    :data:`OLD_AFTER_S`, and none of its recorded processes is alive here."""
    import time

    newest = folder.lstat().st_mtime
    for p in folder.iterdir():
        st = p.lstat()
        if not OLD_FILES.fullmatch(p.name) or not stat.S_ISREG(st.st_mode):
            return False  # (not ours to remove: what the user put there, say)
        newest = max(newest, st.st_mtime)
    if time.time() - newest < OLD_AFTER_S:
        return False
    return all(_gone(p, machine_needed=False) for p in owners)


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
