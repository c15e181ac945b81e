"""A process forked after torch ran on several CPU threads runs torch on one thread.

torch's OpenMP thread pool does not survive ``fork``: a worker forked (``multiprocessing``'s
'fork', gunicorn's ``--preload``) after the parent ran a model on its threads hung for
ever in its first LSTM forward (as ``torch.nn.LSTM`` alone does; a 'spawn' worker, which
starts afresh, did not). As torch's DataLoader workers do, the forked child of a process
that imported rnnlab sets torch's thread count to 1 (nothing when torch is not imported or
already runs on one thread). A forked worker that sets more threads again hangs as
before: workers that want several threads each start with 'spawn' or 'forkserver'.
"""

from __future__ import annotations

import os
import sys


def _one_thread_in_child() -> None:
    torch = sys.modules.get("torch")
    if torch is None or not hasattr(torch, "set_num_threads"):  # (not imported, or half)
        return
    if torch.get_num_threads() > 1:
        torch.set_num_threads(1)


def register() -> None:
    """Run :func:`_one_thread_in_child` in each process forked from this one."""
    if hasattr(os, "register_at_fork"):  # (POSIX; Windows has no fork)
        os.register_at_fork(after_in_child=_one_thread_in_child)
