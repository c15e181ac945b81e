"""The files a user put into a finished run's directory (notes, a notebook): the entries
its record of what it wrote (:data:`~rnnlab.io.rundir.WRITTEN_NAME`) does not name. An
``--overwrite`` keeps them (it refuses, naming them), and a resumed run leaves them out of
the record it writes anew when it finishes (``finish_run_dir(path, not_written=...)``):
recorded, they read as the run's, and the next ``--overwrite`` deleted them with it."""

from __future__ import annotations

from pathlib import Path
from typing import List

from .json_file import peek_json

# a resumed run's copy of the finished run's record, while it goes on (marked unfinished,
# the record itself gone): a stop then an --overwrite still tells the user's files apart
RESUMED_RECORD = ".rnnlab-written-resumed"


def user_added(path) -> List[str]:
    """The entries of ``path`` its run's record of what it wrote does not name, sorted;
    hidden ones aside (the marks, a killed write's temporaries: rnnlab's). None at all
    without a readable record (a run that did not finish, or an older rnnlab's): nothing
    there can be told apart, and all of it counts as the run's. A finished run going on
    with ``--resume`` (stopped, perhaps) reads the record it had (:data:`RESUMED_RECORD`)."""
    from .rundir import WRITTEN_NAME

    path = Path(path)
    name = WRITTEN_NAME if (path / WRITTEN_NAME).exists() else RESUMED_RECORD
    written = peek_json(path / name)  # (a pipe there blocked --resume forever: not read)
    if not isinstance(written, list):
        return []
    return sorted(p.name for p in path.iterdir()
                  if not p.name.startswith(".") and p.name not in written)
