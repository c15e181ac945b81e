"""Run a network in eval mode without disturbing concurrent calls on it.

``generate`` and the scores (``bits_per_char``, ``perplexity``, ``nll``) run the network in
eval mode (no dropout). A net already in eval mode (as ``CharLM.load`` and ``CharLM.fit``
leave it) is run as it is: nothing shared is written, so calls from many threads run side
by side. A net in train mode (a user's ``lm.net.train()``) is switched to eval mode for the
call and back afterwards, while no other call on that net runs (a readers-writer lock per
net): with a plain ``eval()`` / ``train(was_training)`` pair, one thread put the net back in
train mode while another was still generating, whose text then came out with dropout on
(not the text of the same seed alone), and the net was left in eval mode.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Dict, Iterator, Set

from torch import nn

_cond = threading.Condition()
_running: Dict[int, int] = {}  # id(net): calls running on it as it was (in eval mode)
_switched: Set[int] = set()  # id(net): one call runs on it, switched to eval mode


@contextmanager
def in_eval_mode(net: nn.Module) -> Iterator[None]:
    """``net`` in eval mode for the ``with`` block, and in the mode it had afterwards."""
    key = id(net)  # (calls on other nets never wait on this one's)
    with _cond:
        while key in _switched or (net.training and _running.get(key)):
            _cond.wait()
        switch = net.training
        if switch:
            _switched.add(key)
        else:
            _running[key] = _running.get(key, 0) + 1
    try:
        if switch:
            net.eval()
        yield
    finally:
        with _cond:
            if switch:
                net.train(True)
                _switched.discard(key)
            elif _running[key] == 1:
                del _running[key]
            else:
                _running[key] -= 1
            _cond.notify_all()
