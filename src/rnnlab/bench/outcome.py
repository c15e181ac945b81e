"""How a ``rnnlab bench`` run ends: the line that sums up its rows, and its exit status.

A run in which a row failed (it raised while built or timed: a CUDA error, a path that
broke) exits with ``FAILED`` (1, the status of the CLI's other errors of the machine), the
rows measured kept in the table and in ``--json``: as asv (0.6 on) and pytest-benchmark
end a run with a failed benchmark, so that a CI job sees it. A row over ``--row-seconds``
is one the user asked to leave out, not a failure: it fails the run only when no row was
measured at all. A run cut short (Ctrl-C, SIGTERM) says which rows it kept.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, List, Optional, Tuple

if TYPE_CHECKING:  # torch: imported by run
    from .suite import Result

FAILED = 1  # exit status when a row failed (like any error of the machine in the CLI)
ALL_FAILED = FAILED  # when no row has times (failed, or every one over the time cap)
CAPPED = "over the time cap"  # how a row left out by --row-seconds starts its error

# the lines below, which an --isolate parent makes itself for the whole run (its
# processes' own say them for one (workload, model) each: not passed on)
_RUN_END = re.compile(r"rnnlab bench: (all \d+ rows failed|\d+ of \d+ rows "
                      r"(have no times|failed)|interrupted)")


def summary(results: List[Result]) -> Tuple[Optional[str], int]:
    """(the line for stderr or None, the exit status) of a run that finished."""
    untimed = [r.error for r in results if r.error is not None]
    failed = [e for e in untimed if not e.startswith(CAPPED)]
    if results and len(untimed) == len(results):
        return (f"rnnlab bench: all {len(results)} rows failed: nothing was measured "
                f"(each row says why: failed, over the time cap); fix what they name, or "
                f"run fewer --models/--configs/--paths (exit status {ALL_FAILED})",
                ALL_FAILED)
    capped = len(untimed) - len(failed)
    over = f"; {capped} over the --row-seconds cap, not timed" if capped else ""
    measured = f"the other {len(results) - len(untimed)} were measured"
    if failed:
        return (f"rnnlab bench: {len(failed)} of {len(results)} rows failed (each says why "
                f"in its row){over}; {measured} and are kept (exit status {FAILED}: a row "
                f"that fails is an error, as in asv and pytest-benchmark)", FAILED)
    if capped:
        return (f"rnnlab bench: {capped} of {len(results)} rows have no times (over the "
                f"--row-seconds cap: see their rows); {measured}", 0)
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
