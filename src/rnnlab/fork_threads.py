"""A process forked after torch ran on several CPU threads runs torch on one thread.

torch's OpenMP thread pool does not survive ``fork``: a worker forked (``multiprocessing``'s
'fork', gunicorn's ``--preload``) after the parent ran a model on its threads hung for
ever in its first LSTM forward (as ``torch.nn.LSTM`` alone does; a 'spawn' worker, which
starts afresh, did not). As torch's DataLoader workers do, the forked child of a process
that imported rnnlab sets torch's thread count to 1 (nothing when torch is not imported or
already runs on one thread), and rnnlab's own calls in it stay on one thread: a model
fitted on several (``Forecaster(threads=2)``, ``rnnlab forecast --threads 2``) predicted
on that many there, and hung as before (:func:`forked_with_torch`). A forked worker that
sets more threads itself again hangs: workers that want several threads each start with
'spawn' or 'forkserver'.
"""

from __future__ import annotations

import os
import sys

_forked = False  # this process was forked from one that had imported torch
_said = False  # held_to_one's note given


def forked_with_torch() -> bool:
    """True in a process forked from one that had imported torch: rnnlab's thread
    settings (a model's ``threads``) are held to one thread there."""
    return _forked


def held_to_one(asked: int) -> int:
    """The threads rnnlab sets for a call asking ``asked`` (0: torch's as they are): one in
    a process :func:`forked_with_torch` (said once, on stderr), else ``asked``."""
    global _said
    if not (_forked and asked > 1):
        return asked
    if not _said:
        _said = True
        print(f"rnnlab: note: this process was forked from one that had imported torch, "
              f"whose thread pool does not survive fork: torch runs here on one thread "
              f"({asked} asked); start workers with 'spawn' or 'forkserver' for more",
              file=sys.stderr)
    return 1


def _one_thread_in_child() -> None:
    global _forked, _said
    torch = sys.modules.get("torch")
    if torch is None or not hasattr(torch, "set_num_threads"):  # (not imported, or half)
        return
    _forked = True  # (even on one thread now: the parent's fit may have run on more)
    _said = False  # (its own note: a fork of a forked worker)
    if torch.get_num_threads() > 1:
        torch.set_num_threads(1)


def register() -> None:
    """Run :func:`_one_thread_in_child` in each process forked from this one."""
    if hasattr(os, "register_at_fork"):  # (POSIX; Windows has no fork)
        os.register_at_fork(after_in_child=_one_thread_in_child)
