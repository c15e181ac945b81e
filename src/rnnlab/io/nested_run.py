"""A run directory is not made inside another: the outer run's ``--overwrite`` set aside
and deleted everything in it, a whole run written into its ``checkpoints/`` included (the
marker says so: "--overwrite may replace everything in this directory"). A command's own
folders inside its run (``seed_K``, a recipe's parts) are made by the command, not here."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

from .rundir import MARKER_NAME

# the commands whose --out is a run directory (bptt-demo's is an image file)
RUN_COMMANDS = ("forecast", "lm", "compare", "recipe", "backtest")


def enclosing_run(path) -> Optional[Path]:
    """The run directory rnnlab made that holds ``path`` (not ``path`` itself), or None."""
    here = Path(os.path.abspath(path))
    return next((p for p in here.parents if (p / MARKER_NAME).is_file()), None)


def nested_out_refusal(args) -> Optional[str]:
    """What is wrong with an ``--out`` inside another run's directory (a usage error)."""
    out = getattr(args, "out", None)  # (typed only: a default is under the working folder,
    # which may be a run's, as in `cd runs/x && rnnlab forecast --resume .`)
    if args.command not in RUN_COMMANDS or not isinstance(out, str) or not out \
            or "out" not in getattr(args, "given_options", ()):
        return None
    outer = enclosing_run(out)
    if outer is None:
        return None
    return (f"--out {out} is inside the run directory {outer}, which --overwrite of that run "
            f"replaces as a whole; choose an --out outside it (e.g. beside it: "
            f"{outer.parent / Path(out).name})")
