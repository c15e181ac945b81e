"""How a ``rnnlab bench`` run ends: the line that sums up its rows, and its exit status.

A run in which every row failed measured nothing: it exits with ``ALL_FAILED`` (1, the
status of the CLI's other errors), so that a script or CI job running it sees the
failure; a run with some rows timed exits 0 and says how many have no times. A run cut
short (Ctrl-C, SIGTERM) says which rows it kept.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, List, Optional, Tuple

if TYPE_CHECKING:  # torch: imported by run
    from .suite import Result

ALL_FAILED = 1  # exit status when no row has times (like any error of the CLI)

# the lines below, which an --isolate parent makes itself for the whole run (its
# processes' own say them for one (workload, model) each: not passed on)
_RUN_END = re.compile(r"rnnlab bench: (all \d+ rows failed|\d+ of \d+ rows have no times"
                      r"|interrupted)")


def summary(results: List[Result]) -> Tuple[Optional[str], int]:
    """(the line for stderr or None, the exit status) of a run that finished."""
    failed = [r for r in results if r.error is not None]
    if results and len(failed) == len(results):
        return (f"rnnlab bench: all {len(results)} rows failed: nothing was measured "
                f"(each row says why: failed, over the time cap); fix what they name, or "
                f"run fewer --models/--configs/--paths (exit status {ALL_FAILED})",
                ALL_FAILED)
    if failed:
        return (f"rnnlab bench: {len(failed)} of {len(results)} rows have no times "
                f"(failed or over the time cap; see their rows); the other "
                f"{len(results) - len(failed)} were measured", 0)
    return None, 0


def interrupted(done: List[Result], json_path: Optional[str]) -> str:
    """The line for stderr when the run was cut short after the rows ``done``."""
    if not done:
        return "rnnlab bench: interrupted before any row was measured; run again"
    timed = sum(r.error is None for r in done)
    # (no resume: the same command is refused while --json holds results, and measures
    # every row again with --overwrite; it said "run again for the rest")
    todo = (f"; --json {json_path} holds them, marked \"interrupted\": true; to measure "
            f"them all, run the command again with --overwrite (it replaces {json_path})"
            if json_path else "; run again to measure them all")
    return (f"rnnlab bench: interrupted: kept the {len(done)} rows measured so far ({timed} "
            f"with times; those of the workload being timed have the runs timed before "
            f"the interrupt: see their repeats){todo}")


def is_run_end(line: str) -> bool:
    """A line of :func:`summary` or :func:`interrupted` (an isolated process's own)."""
    return _RUN_END.match(line) is not None
