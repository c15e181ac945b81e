"""The single-machine spawn path's rendezvous (``--devices N`` without torchrun) and the
workers' stop when their parent is gone."""

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


class _Libc:
    def __init__(self, answer):
        self.answer, self.calls = answer, []

    def prctl(self, *a):
        self.calls.append(a)
        return self.answer


@pytest.mark.parametrize("answer, thread", [(-1, True), (0, False)])
def test_a_worker_whose_prctl_is_refused_watches_its_parent_with_a_thread(monkeypatch, answer,
                                                                          thread):
    """prctl(PR_SET_PDEATHSIG) returning -1 (a seccomp filter, an emulated kernel) was taken
    for success: the worker went on without any watch, and a `kill -9` of its parent left
    it training to its last epoch. It now falls back to the thread macOS and Windows use."""
    import ctypes
    import signal

    from rnnlab.train import distributed, parent_watch

    libc = _Libc(answer)
    watched, ran, exits = [], [], []
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(ctypes, "CDLL", lambda *a, **k: libc)
    monkeypatch.setattr(parent_watch, "stop_when_parent_gone", lambda: watched.append(1))
    monkeypatch.setattr(distributed, "_worker", lambda *a: ran.append(a[0]))
    monkeypatch.setattr(distributed, "_release_semaphores", lambda: None)
    monkeypatch.setattr(distributed.os, "_exit", exits.append)
    if hasattr(os, "setpgid"):
        monkeypatch.setattr(distributed.os, "setpgid", lambda *a: None)
    distributed._spawned(0, None, (), None, None, None, os.getppid())
    assert libc.calls == [(1, int(signal.SIGTERM))]  # (PR_SET_PDEATHSIG, SIGTERM)
    assert watched == ([1] if thread else [])
    assert ran == [0] and exits == [0]
