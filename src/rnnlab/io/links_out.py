"""Links in a run folder that ``--run DIR`` reads, leading out of it: said, not followed
silently. A run folder from elsewhere (a colleague's, a download) with ``model`` linked to
another folder had ``rnnlab forecast --run DIR`` and ``rnnlab lm generate --run DIR`` read
a model outside the folder the user named, without a word; a writer refuses such links
(:func:`rnnlab.io.rundir.refuse_links`), a reader names them on stderr."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List

__all__ = ["links_out", "say_links_out"]

# names looked at under a folder before the walk stops: a run holds a few hundred; a
# folder given by mistake (`--run ~`) was walked whole before its loader could refuse it
MAX_ENTRIES = 10_000


def links_out(run_dir) -> List[str]:
    """``"NAME -> TARGET"`` for each link under ``run_dir`` (not followed) whose target is
    outside it, sorted; a link inside it, or one leading nowhere, is not named (its reader
    says what is missing). At most :data:`MAX_ENTRIES` names are looked at."""
    root = Path(run_dir)
    if not root.is_dir():
        return []
    inside = root.resolve()
    found, seen = [], 0
    for folder, dirs, files in os.walk(root, followlinks=False):
        seen += len(dirs) + len(files)
        if seen > MAX_ENTRIES:
            break
        for name in sorted(dirs + files):
            p = Path(folder) / name
            if not p.is_symlink() or not p.exists():
                continue
            target = p.resolve()
            if target != inside and inside not in target.parents:
                found.append(f"{p.relative_to(root)} -> {target}")
    return sorted(found)


def say_links_out(run_dir, prog: str) -> None:
    """A note on stderr naming the links of :func:`links_out` (at most 3), when any."""
    found = links_out(run_dir)
    if found:
        more = f" and {len(found) - 3} more" if len(found) > 3 else ""
        print(f"{prog}: note: {run_dir}: reading through links that lead out of it: "
              f"{'; '.join(found[:3])}{more}", file=sys.stderr)
