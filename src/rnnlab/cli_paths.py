"""What a path typed on the command line means here: a leading ``~`` (quoted, or from a
script) is the home folder, as the Python API reads it; an empty one (``--out "$OUT"`` with
OUT unset) and a Windows path on a ``/`` system are refused before any work."""

from __future__ import annotations

from typing import Optional

# the options that name files or folders: a "~" there (quoted, or from a script) is the
# home folder, as the Python API reads it (a run was split between ./~/run and ~/run)
PATH_OPTIONS = ("out", "data", "run", "output", "resume", "corpus", "text", "json",
                "static_data", "future_data", "insample")


def expand_home(args) -> Optional[str]:
    """Expands a leading ``~``; returns the first path option given as "" (a run went to
    the working folder: `--out "$OUT"` with OUT unset), else None."""
    import os

    for name in PATH_OPTIONS:
        value = getattr(args, name, None)
        if isinstance(value, str) and not value.strip():
            return name
        if isinstance(value, str) and value.startswith("~"):
            setattr(args, name, os.path.expanduser(value))
    return None


def windows_path(args) -> Optional[str]:
    """What is wrong with a path option written as on Windows (``runs\\exp1``,
    ``C:\\data\\x.csv``) on a system whose folders are separated by ``/`` and where no
    such file is: a backslash is a letter of a name here (``--out runs\\exp1`` made one
    folder of that name); None when there is none."""
    import os

    if os.sep != "/":
        return None
    for name in PATH_OPTIONS:
        value = getattr(args, name, None)
        if isinstance(value, str) and "\\" in value and not os.path.lexists(value):
            posix = value.replace("\\", "/")
            if len(value) > 2 and value[1] == ":":  # C:\\...: WSL mounts drive C at /mnt/c
                posix = f"the path as this system names it (under WSL: " \
                        f"'/mnt/{value[0].lower()}{posix[2:]}')"
            else:
                posix = f"'{posix}'"
            return (f"--{name.replace('_', '-')} '{value}' is a Windows path (backslashes); "
                    f"on this system folders are separated by '/': write {posix}")
    return None


_NOT_IN_WINDOWS_NAMES = '<>:"|?*\\/'  # (':' names a file's stream there; '\\' a folder)


def folder_name(text: str) -> str:
    """``text`` (a dataset or file name typed: ``stooq:AAPL.US``, ``data\\sales.csv``) made
    one folder name for a run's default directory. On Windows the characters a name cannot
    hold are ``_``: ``runs/compare-forecast-stooq:AAPL.US`` could not be made ("The
    filename, directory name, or volume label syntax is incorrect"), and the backslash of
    ``--data data\\sales.csv`` made a run folder ``sales.csv`` inside ``forecast-data``.
    Elsewhere ``text`` is kept as it is (the folders of existing runs keep their names)."""
    import sys

    if sys.platform != "win32":
        return text
    return "".join("_" if c in _NOT_IN_WINDOWS_NAMES or ord(c) < 32 else c
                   for c in text).rstrip(" .") or "_"
