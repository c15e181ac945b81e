"""What rnnlab changes of the process's global state, put back when it is done.

A web service or a notebook runs rnnlab inside its own process, whose settings are the
user's: torch's CPU threads and the torch, numpy and Python RNGs. A fit seeds the RNGs from
its own ``seed`` (so that it gives the same numbers whatever ran before, as in a fresh
process) and may set torch's threads; a load builds a network, whose initial weights draw
from torch's RNG; a command run in-process (``rnnlab.cli.main([...])``) sets ``--threads``
and seeds. Each of them runs inside :class:`process_state_kept`, which gives the caller's
settings back when it ends.

Threads: torch's RNGs and its thread count belong to the whole process. Two fits in two
threads would seed and draw from the same generator in turns (the results then depended on
the timing) and each would give back states the other had changed: fits (and in-process
commands) hold one lock, so that in several threads they run one after the other, each
with the result it has alone. Forecasts do not draw from the global RNGs and do not wait
for the lock; the thread count they set is shared (:class:`threads_kept`). Loads take the
lock where it is free and do not wait for a fit in another thread (a service's model
loads waited for its background training). A user's own draws from torch's global RNG in another thread while a fit runs still change that
fit's numbers: seed and draw in one thread at a time. Python's warning filters are the
process's too, and ``warnings.catch_warnings`` (which some of rnnlab's calls use to quiet
a warning they report themselves) is not thread-safe before Python 3.14.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading

_RNG_LOCK = threading.RLock()  # held by a fit, a load or a command while it runs


class threads_kept:
    """torch's CPU threads set to ``threads`` for the block (0: left as they are), given
    back when it ends. Blocks running at once (in any thread) are kept in the order they
    began: the latest one to end puts back the count it found (the one the block before it
    set, or the caller's); one ending under a later one leaves the count to that one, and
    hands it what it found, so that the last to end puts back the caller's. (A block
    ending while another ran restored the count from before the other had set it, or
    left the other's count behind; and a forecast in one thread while a fit ran in another
    left its own count, 1, to the caller when it ended, where the fit would not restore it.)"""

    _lock = threading.Lock()
    _running: list = []  # the blocks running, in the order they began

    def __init__(self, threads: int = 0):
        self.threads = threads
        self.found = 0

    def __enter__(self):
        import torch  # (here: this module is read by the torch-free command line)

        from ..fork_threads import held_to_one

        cls = type(self)
        want = held_to_one(self.threads or 0)  # (a forked worker on more threads hung)
        with cls._lock:
            self.found = torch.get_num_threads()
            cls._running.append(self)
            if want and self.found != want:
                torch.set_num_threads(want)
        return self

    def __exit__(self, *exc):
        import torch

        cls = type(self)
        with cls._lock:
            at = next((i for i, b in enumerate(cls._running) if b is self), None)
            if at is None:  # (begun before a fork, in the parent: the child's list is new)
                return False
            del cls._running[at]
            if at < len(cls._running):  # a later block runs on: its count stays, and what
                cls._running[at].found = self.found  # this one found is given back after it
            elif torch.get_num_threads() != self.found:
                torch.set_num_threads(self.found)
        return False


class process_state_kept:
    """The caller's torch (CPU, and CUDA where it is initialised), numpy and Python RNG
    states and torch's thread count (set to ``threads`` within, unless 0), put back when
    the block ends; one block at a time in the process (a block nests in its own thread).
    ``training``: autograd on within, out of the caller's ``torch.no_grad()`` or
    ``torch.inference_mode()`` (a serving process turns them on; a fit then raised
    "element 0 of tensors does not require grad", or blamed its task for a loss without
    a grad_fn). ``wait=False`` (a load): where a fit holds the lock in another thread, the
    block does not wait for it (a service training in the background had its loads wait
    for the whole fit) and keeps nothing: a load's build draws from a generator of its own
    (``rnnlab.io.private_draws``), so that fit's stream of draws is left alone."""

    def __init__(self, threads: int = 0, training: bool = False, wait: bool = True):
        self.threads = threads_kept(threads)
        self.training = training
        self.wait = wait

    def __enter__(self):
        from .device import rng_state

        self.kept = _RNG_LOCK.acquire(blocking=self.wait)
        if not self.kept:
            return self
        self.modes = contextlib.ExitStack()
        try:
            self.state = rng_state(cuda="initialized")  # (not CUDA's lazy start for a CPU fit)
            self.modes.enter_context(self.threads)
            if self.training:
                import torch

                self.modes.enter_context(torch.inference_mode(False))
                self.modes.enter_context(torch.enable_grad())
        except BaseException:
            self.modes.close()
            _RNG_LOCK.release()
            raise
        return self

    def __exit__(self, *exc):
        from .device import set_rng_state

        if not self.kept:
            return False
        try:
            self.modes.__exit__(*exc)
            set_rng_state(self.state)
        finally:
            _RNG_LOCK.release()
        return False


def command_state_kept():
    """:class:`process_state_kept` for a command run in-process (``rnnlab.cli.main``):
    nothing to keep, and nothing imported, where the caller has loaded neither torch nor
    numpy (``rnnlab --help`` and the refused command lines stay torch-free); numpy's and
    Python's RNGs alone where it has loaded numpy but not torch (``rnnlab.reference``'s
    numpy-only demo imported torch here)."""
    if "torch" in sys.modules:
        return process_state_kept()
    if "numpy" in sys.modules:
        return _numpy_state_kept()
    return contextlib.nullcontext()


class _numpy_state_kept:
    """numpy's global and Python's RNG states, put back when the block ends, one block at
    a time (for a caller that has not loaded torch: nothing of torch's is theirs)."""

    def __enter__(self):
        import random

        import numpy as np

        _RNG_LOCK.acquire()
        self.state = (random.getstate(), np.random.get_state())
        return self

    def __exit__(self, *exc):
        import random

        import numpy as np

        try:
            random.setstate(self.state[0])
            np.random.set_state(self.state[1])
        finally:
            _RNG_LOCK.release()
        return False


def built_in_float32(build):
    """``build()`` (one of rnnlab's networks, which train in float32) with float32 as
    torch's default dtype: under a notebook's ``torch.set_default_dtype(torch.float64)``
    the initial weights were drawn in float64, so the same seed gave another model than
    in a script (and a Forecaster's network predicted in float64). The caller's default
    is back when it returns; a fit holds :data:`_RNG_LOCK`, but another thread of the
    caller's making tensors in these milliseconds would see float32."""
    import torch

    before = torch.get_default_dtype()
    if before == torch.float32:
        return build()
    torch.set_default_dtype(torch.float32)
    try:
        return build()
    finally:
        torch.set_default_dtype(before)


def _after_fork_in_child() -> None:
    """A process forked while another thread held the lock (a fit in a service's thread,
    and a ``multiprocessing`` pool started with fork) got the lock held by a thread it
    does not have: its first fit waited forever. The child has one thread: fresh locks."""
    global _RNG_LOCK
    _RNG_LOCK = threading.RLock()
    threads_kept._lock = threading.Lock()
    threads_kept._running = []


if hasattr(os, "register_at_fork"):  # (POSIX)
    os.register_at_fork(after_in_child=_after_fork_in_child)
