"""Run a network in eval mode without disturbing concurrent calls on it.

``generate`` and the scores (``bits_per_char``, ``perplexity``, ``nll``) run the network in
eval mode (no dropout). A net already in eval mode (as ``CharLM.load`` and ``CharLM.fit``
leave it) is run as it is: nothing shared is written, so calls from many threads run side
by side. A net in train mode (a user's ``lm.net.train()``) is switched to eval mode for the
call and back afterwards; that switch is made while no other call is running (a
readers-writer lock): with a plain ``eval()`` / ``train(was_training)`` pair, one thread put
the net back in train mode while another was still generating, whose text then came out
with dropout on (not the text of the same seed alone) and its net left in eval mode.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator

from torch import nn

_cond = threading.Condition()
_running = 0  # calls running on a net left as it was (any net: the lock is per process)
_switched = False  # one call runs with a net it switched to eval mode


@contextmanager
def in_eval_mode(net: nn.Module) -> Iterator[None]:
    """``net`` in eval mode for the ``with`` block, and in the mode it had afterwards."""
    global _running, _switched
    with _cond:
        while _switched or (net.training and _running):
            _cond.wait()
        switch = net.training
        if switch:
            _switched = True
        else:
            _running += 1
    try:
        if switch:
            net.eval()
        yield
    finally:
        with _cond:
            if switch:
                net.train(True)
                _switched = False
            else:
                _running -= 1
            _cond.notify_all()
