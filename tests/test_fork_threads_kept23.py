"""A model fitted on several CPU threads (``Forecaster(threads=2)``, ``rnnlab forecast
--threads 2``) predicts on that many: in a worker forked from the process that ran it
(gunicorn ``--preload`` after a warm-up prediction) its predict set torch back to 2
threads, after rnnlab's fork hook had set 1, and hung in its first large forward. rnnlab's
thread settings are held to one thread in a forked child."""

import os

import pytest
import torch

from rnnlab.train.process_state import threads_kept

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")


def _in_child(job) -> int:
    """``job()``'s small integer, computed in a forked child (its exit status)."""
    pid = os.fork()
    if pid == 0:
        try:
            code = int(job())
        except BaseException:
            code = 99
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _threads_within(n: int) -> int:
    with threads_kept(n):
        return torch.get_num_threads()


def _said_once() -> int:
    import io
    import sys

    sys.stderr = io.StringIO()
    _threads_within(2), _threads_within(3)
    said = sys.stderr.getvalue()
    return said.count("forked from one that had imported torch") + 10 * ("(2 asked)" in said)


def test_a_models_threads_stay_one_in_a_forked_child():
    before = torch.get_num_threads()
    torch.set_num_threads(1)  # (even where the parent is on one thread now: a fit ran on 2)
    try:
        with threads_kept(2):
            assert torch.get_num_threads() == 2  # (the parent's own fit: as asked)
        assert _in_child(lambda: _threads_within(2)) == 1  # (was 2: hung in a large forward)
        assert _in_child(lambda: _threads_within(1)) == 1
        assert _in_child(lambda: torch.get_num_threads()) == 1
        assert _in_child(_said_once) == 11  # (a note, once: the fit's threads are not used)
    finally:
        torch.set_num_threads(before)


def test_the_parent_keeps_its_threads_after_a_fork():
    before = torch.get_num_threads()
    try:
        _in_child(lambda: 0)
        assert _threads_within(3) == 3 and torch.get_num_threads() == before
    finally:
        torch.set_num_threads(before)
