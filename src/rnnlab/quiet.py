"""``-q`` / ``--quiet``, on every command: nothing on stderr but an error.

A command's results go to stdout (a forecast, a table, a sample, ``--json``); its progress,
notes and warnings go to stderr, where ``2>/dev/null`` dropped its errors with them and
``--no-progress`` left the notes and warnings. ``--quiet`` holds stderr back: a command
that succeeds prints nothing there. One that fails (an error, a non-zero status, Ctrl-C)
prints what was held back, its last :data:`HELD_LINES` lines, before the error, as the
context of it (as moreutils' ``chronic`` does for a cron job); a reader of stdout that
left (``| head``, 141) gets nothing, as without it.

``--quiet`` is how the command speaks, no setting of its run: it is taken off the options
parsed at once (no ``cli.json``, ``config.json`` (its ``command`` neither), ``--print-config``
or ``rnnlab runs`` column holds it) and a ``--config`` file's ``quiet`` key is refused (command
line only).
Output written to descriptor 2 directly (a C library's message) is not held back.
"""

from __future__ import annotations

import argparse
import sys
from collections import deque
from contextlib import contextmanager
from typing import Iterator, List, Optional

HELD_LINES = 200  # (a failed command's context; a long training's log lines are many more)
HELP = ("print nothing on stderr but an error: progress, notes and warnings are held back "
        "(and printed before the error when the command fails); stdout as without it")


def without_quiet(argv) -> list:
    """The command line ``argv`` as a run records it: ``-q`` and ``--quiet`` taken off, a
    ``q`` among short flags (``-qn5``) too; the arguments after ``--`` as they are. (An
    abbreviation, ``--qui``, is refused by the parser: :mod:`rnnlab.cli_prefixes`.)"""
    kept: List[str] = []
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        if arg == "--":
            return kept + [arg, *rest]
        if arg == "--quiet":
            continue
        if arg.startswith("-q") and not arg.startswith("--"):
            arg = "-" + arg[2:] if len(arg) > 2 else ""
            if not arg:
                continue
        kept.append(arg)
    return kept


def recorded_argv(argv, quiet: bool):
    """What a run's records name as its command (config.json's ``command``, a report's
    Command line): ``argv`` (None: ``sys.argv[1:]``) less ``--quiet``, with it."""
    return without_quiet(sys.argv[1:] if argv is None else argv) if quiet else argv


def add_quiet_option(parser: argparse.ArgumentParser) -> None:
    """``-q`` / ``--quiet`` on each command's parser (``lm train``, ``recipe run``: the
    commands of a command), not on ``rnnlab`` itself nor on a command with commands."""
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for action in subparsers:
        for command in action.choices.values():
            add_quiet_option(command)
    if not subparsers and parser.add_help and "--quiet" not in parser._option_string_actions:
        parser.add_argument("-q", "--quiet", action="store_true", help=HELP)


class HeldStderr:
    """Standard error held back: its last ``limit`` whole lines (and an unfinished one)
    kept, every other attribute the stream's own (``encoding``); :meth:`release` writes
    them to ``stream``."""

    def __init__(self, stream, limit: int = HELD_LINES):
        self._stream = stream
        self._lines: deque = deque(maxlen=limit)
        self._partial = ""

    def write(self, text: str) -> int:
        *whole, self._partial = (self._partial + text).split("\n")
        self._lines.extend(whole)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:  # (progress: the lines, held back, not a bar)
        return False

    def release(self) -> None:
        """Write what was held back (once) to the stream it holds back."""
        held = list(self._lines) + ([self._partial] if self._partial else [])
        self._lines.clear()
        self._partial = ""
        if held:
            self._stream.write("\n".join(held) + "\n")
            self._stream.flush()

    def __getattr__(self, name):
        return getattr(self._stream, name)


@contextmanager
def quiet_stderr(quiet: bool) -> Iterator[Optional[HeldStderr]]:
    """Within it, with ``quiet``, ``sys.stderr`` is held back (None: as it is); what it held
    is released when the block raises (but a closed stdout's BrokenPipeError)."""
    if not quiet:
        yield None
        return
    real = sys.stderr
    held = sys.stderr = HeldStderr(real)
    try:
        yield held
    except BrokenPipeError:  # (`| head`: the reader left; said nothing without --quiet too)
        raise
    except BaseException:
        sys.stderr = real
        held.release()
        raise
    finally:
        sys.stderr = real
