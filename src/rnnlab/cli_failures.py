"""How ``rnnlab``'s command line tells a failure: the exit status of an rnnlab error, what
an OSError (a failed write, an unusable path) and an allocation that failed say."""

from __future__ import annotations

from typing import Optional


def error_status(e) -> int:
    """2 for a usage error, 3 for a training that diverged (a result of its settings: a
    sweep tries others), 1 for the rest: the data, the files, the machine."""
    from .io.errors import OptionError
    from .train.stops import TrainingDiverged

    return 2 if isinstance(e, OptionError) else 3 if isinstance(e, TrainingDiverged) else 1


def os_error_message(e: OSError, args, name: str) -> Optional[str]:
    """What a failed write (what was kept, what to do) or an unusable path says; None for
    another OSError (raised as it is)."""
    from .io.write_failure import describe_write_failure, is_write_failure

    if is_write_failure(e):
        return describe_write_failure(e, getattr(args, "out", None), name,
                                      bool(getattr(args, "resume", False)))
    if not e.filename:
        return None
    import errno

    if e.errno == errno.ENAMETOOLONG:  # (the hint below named the wrong cause)
        return (f"cannot use {e.filename}: {e.strerror or e}; choose a shorter path (each "
                f"folder or file name at most 255 bytes on most file systems)")
    if _held_open_on_windows(e):  # (not a path to change: the same one works once closed)
        return (f"cannot use {e.filename}: {e.strerror or e}; it is open in another program "
                f"(Excel holds every file it has open): close it there and run the command "
                f"again")
    # a path that cannot be used: a file where a folder is needed, no permission
    return (f"cannot use {e.filename}: {e.strerror or e}; choose a path you can read and "
            f"write (its parent folders must be folders)")


_SHARING_VIOLATION, _LOCK_VIOLATION = 32, 33  # Windows' error codes


def _held_open_on_windows(e: OSError) -> bool:
    """A file that Windows cannot move, replace or remove because another program holds it
    open (``--overwrite`` setting a run aside while its forecast.csv is open in Excel):
    "choose a path you can read and write" sent the user after the wrong cause."""
    import sys

    if sys.platform != "win32" or "another program" in str(e.strerror):  # (said already)
        return False
    return getattr(e, "winerror", None) in (_SHARING_VIOLATION, _LOCK_VIOLATION)


def out_of_memory(e: BaseException) -> bool:
    """A failed allocation: Python's MemoryError, or torch's (CPU or CUDA) RuntimeError,
    including a tensor whose byte count overflows (``--hidden-size 99999999999``)."""
    text = str(e)
    return isinstance(e, MemoryError) or "can't allocate memory" in text \
        or "out of memory" in text.lower() or "Storage size calculation overflowed" in text
