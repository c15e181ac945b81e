"""Record the file writes made in this process, for the 'only rank 0 writes' tests.

Two views: the rnnlab functions that write (checkpoint saves, weights, atomic writes),
by name; and every path the process renames into place or opens for writing, whichever
module the call comes from.
"""

import builtins
import contextlib
import io
import os


@contextlib.contextmanager
def recorded_writes():
    import rnnlab.io.atomic as atomic
    import rnnlab.io.weights as weights
    from rnnlab.train.checkpoint import CheckpointManager

    calls, paths, patched = [], [], []

    def wrap(owner, name):
        orig = getattr(owner, name)

        def rec(*a, **k):
            calls.append(name)
            return orig(*a, **k)
        setattr(owner, name, rec)
        patched.append((owner, name, orig))

    for owner, name in ((CheckpointManager, "save"), (weights, "save_weights"),
                        (atomic, "atomic_write_bytes"), (atomic, "atomic_write_text")):
        wrap(owner, name)
    orig_replace, orig_open = os.replace, builtins.open

    def replace(src, dst, *a, **k):
        paths.append(str(dst))
        return orig_replace(src, dst, *a, **k)

    def open_(file, mode="r", *a, **k):
        if isinstance(mode, str) and any(c in mode for c in "wax+"):
            paths.append(str(file))
        return orig_open(file, mode, *a, **k)

    os.replace, builtins.open, io.open = replace, open_, open_
    try:
        yield calls, paths
    finally:
        os.replace, builtins.open, io.open = orig_replace, orig_open, orig_open
        for owner, name, orig in reversed(patched):
            setattr(owner, name, orig)
