"""Why a file given to read cannot be read, in one wording for every loader: what stands at
the path (a link leading nowhere or back to itself, a file the user may not read), and what
to do about it.

``Path.exists()`` is False for a symbolic link whose target is missing and for one that
loops, so loaders said "no such file" of a link the user could see with ``ls``; and an
unreadable file said only "cannot be read (Permission denied)", no way out.
:func:`absent` and :func:`read_failure` say which it is.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Optional

__all__ = ["absent", "read_failure"]


def absent(path, hint: str, label: Optional[str] = None) -> str:
    """The message for ``path``, which a loader found missing: ``LABEL: no such file; HINT``
    (``label``: how the user gave it, default the path), or, where a symbolic link stands
    there, that it leads to nothing or back to itself, and how to mend it."""
    p = Path(path)
    label = str(p) if label is None else label
    try:
        target = os.readlink(p)
    except OSError:  # (not a link, or nothing there)
        return f"{label}: no such file; {hint}"
    try:
        os.stat(p)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return (f"{label}: a symbolic link that loops ({p.name} -> {target} leads back "
                    f"to itself), not a file; {_mend(p)}")
        if e.errno in (errno.EACCES, errno.EPERM):  # (it may exist: "does not" was untrue)
            return (f"{label}: a symbolic link to {target}, which you may not reach "
                    f"(permission denied); give yourself access to it (x on its folders, "
                    f"r on the file) or {_mend(p)}")
    return f"{label}: a symbolic link to {target}, which does not exist; {_mend(p)}"


def read_failure(path, e: OSError, label: Optional[str] = None) -> str:
    """``LABEL: ...`` (default the path) for an OSError met opening or reading ``path``:
    what it found and what to do (permission denied, a link that loops or leads nowhere),
    else the system's words."""
    p = Path(path)
    label = str(p) if label is None else label
    if e.errno in (errno.EACCES, errno.EPERM):
        return (f"{label}: cannot be read (permission denied); expected a file you may "
                f"read: give yourself read permission (chmod u+r {p}, and x on its "
                f"folders) or run as a user who may read it")
    if e.errno in (errno.ELOOP, errno.ENOENT):
        return absent(p, "give the path of a file that exists", label)
    return (f"{label}: cannot be read ({e.strerror or e}); check that the file is whole and "
            f"its disk working, or give a copy of it")


def _mend(p: Path) -> str:
    return f"point the link at the file (ln -sfn FILE {p}) or give the file's own path"
