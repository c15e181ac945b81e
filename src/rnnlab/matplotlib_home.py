"""Where matplotlib keeps its settings and font cache when the home folder cannot hold them.

matplotlib reads ``MPLCONFIGDIR``, else (on Linux) ``~/.config/matplotlib`` for its
settings and ``~/.cache/matplotlib`` for its font cache, making them when they are
missing. With a read-only home folder (a container's, a batch job's ``HOME=/nonexistent``)
it falls back to a temporary folder on its own, but says so in two warnings on stderr
(``mkdir -p failed ...``, ``Matplotlib created a temporary cache directory ...``), which
every plotting rnnlab command then printed. Before rnnlab first imports matplotlib,
:func:`use_private_dir_if_home_is_read_only` gives it a temporary folder of rnnlab's
own in that case alone, removed when the process ends: no warning, nothing written under
the home folder. A ``MPLCONFIGDIR`` the user set is never replaced, nor is anything done
once matplotlib is imported (its folders are chosen then) or where the home folder works.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

__all__ = ["use_private_dir_if_home_is_read_only"]


def use_private_dir_if_home_is_read_only() -> None:
    """Set ``MPLCONFIGDIR`` to a temporary folder (removed at exit) where it is unset,
    matplotlib is not imported yet, and the folders matplotlib would use by default cannot
    be made or written. Not where the settings folder works and holds the user's files
    (a ``matplotlibrc`` matplotlib would read; only its cache folder is read-only): there
    matplotlib's own fallback for the cache, and its warning, are kept."""
    if "matplotlib" in sys.modules or os.environ.get("MPLCONFIGDIR") \
            or sys.platform == "win32":  # (Windows: under %LOCALAPPDATA%, the user's)
        return
    config, cache = _default_dirs()
    if _writable(config) and (_writable(cache) or _holds_files(config)):
        return
    import atexit
    import shutil
    import tempfile

    try:
        made = tempfile.mkdtemp(prefix="rnnlab-matplotlib-")
    except OSError:  # (no temporary folder either: matplotlib's own error says so)
        return
    atexit.register(shutil.rmtree, made, ignore_errors=True)
    os.environ["MPLCONFIGDIR"] = made


def _default_dirs() -> List[Optional[Path]]:
    """matplotlib's settings and cache folders when ``MPLCONFIGDIR`` is unset, as it finds
    them on Linux and macOS (None: no home folder to find one in). ``XDG_CONFIG_HOME`` and
    ``XDG_CACHE_HOME`` are read before the home folder is looked for, as matplotlib does:
    with no home folder (HOME unset, a user id without a passwd entry) they still hold the
    user's ``matplotlibrc`` and font cache."""
    if not sys.platform.startswith(("linux", "freebsd")):  # (macOS: one folder)
        home = _home()
        return [home and home / ".matplotlib"] * 2
    found: List[Optional[Path]] = []
    for variable, below in (("XDG_CONFIG_HOME", ".config"), ("XDG_CACHE_HOME", ".cache")):
        named = os.environ.get(variable)
        home = None if named else _home()
        found.append(Path(named, "matplotlib") if named else
                     home and home / below / "matplotlib")
    return found


def _home() -> Optional[Path]:
    """The home folder, None where there is none to be found (no HOME, no user entry)."""
    try:
        return Path.home()
    except RuntimeError:
        return None


def _writable(folder: Optional[Path]) -> bool:
    """Whether ``folder`` is a folder this process can write, or could be made by
    ``mkdir -p`` (its nearest existing parent a writable folder), found without writing."""
    if folder is None:
        return False
    try:
        path = folder.resolve()
        if path.exists():
            return path.is_dir() and os.access(path, os.W_OK)
        parent = next(p for p in path.parents if p.exists())
        return parent.is_dir() and os.access(parent, os.W_OK | os.X_OK)
    except (OSError, RuntimeError, StopIteration):  # (a link loop, a folder unreadable)
        return False


def _holds_files(folder: Optional[Path]) -> bool:
    """Whether ``folder`` holds anything (the user's ``matplotlibrc``, styles)."""
    try:
        return folder is not None and folder.is_dir() and any(folder.iterdir())
    except OSError:
        return False
