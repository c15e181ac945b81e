"""The command line a run records: ``rnnlab`` and the arguments :func:`rnnlab.cli.main`
ran with. Recorded from the process's ``sys.argv``, a run started from Python
(``main([...])`` in a notebook, a script or a test) named the host's command instead
(``['-c']``, a kernel's launcher), and the compare report printed ``rnnlab `` with nothing
after it: the record did not say how to run it again."""

from __future__ import annotations

import shlex
import sys
from contextlib import contextmanager
from typing import List, Optional, Sequence

_running: Optional[List[str]] = None  # the arguments of the main() now running


@contextmanager
def running(argv: Optional[Sequence[str]]):
    """While a command runs: ``argv`` (None: the process's own, ``sys.argv[1:]``) is
    what its records name as the command."""
    global _running
    before = _running
    _running = [str(a) for a in (sys.argv[1:] if argv is None else argv)]
    try:
        yield
    finally:
        _running = before


def command() -> List[str]:
    """``["rnnlab", *arguments]`` of the command now running (outside one, the process's
    ``sys.argv``): run it again, with another ``--out``, to repeat the run."""
    if _running is None:
        return list(sys.argv)
    return ["rnnlab", *_running]


def working_directory():
    """The working directory the command runs in, where the relative paths of
    :func:`command` are read from (a job's ``--data data/x.csv``); None when it was
    deleted under the process (a scheduler's scratch folder), so a record is still
    written."""
    import os

    try:
        return os.getcwd()
    except OSError:
        return None


def command_text() -> str:
    """:func:`command` as one shell line (each argument quoted where it needs it)."""
    return shlex.join(["rnnlab", *(_running if _running is not None else sys.argv[1:])])
