"""Warnings with a fixed stacklevel checked on their public routes: each names the user's
line (the first frame in neither rnnlab nor torch), not a line of rnnlab's or torch's."""
from __future__ import annotations

import warnings

import pytest
import torch

from rnnlab.nn.registry import build_model


def _said(call, category, words):
    """The warnings of ``category`` whose text holds ``words`` that ``call()`` gave."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        call()
    return [w for w in seen if issubclass(w.category, category) and words in str(w.message)]


def test_tracing_rnnlabs_step_loop_names_the_line_that_traced():
    """It named rnnlab/nn/recurrent.py (stacklevel=3: Recurrent.forward's line)."""
    model = build_model("gru-cho", input_size=2, hidden_size=4).eval()
    said = _said(lambda: torch.jit.trace(model, torch.randn(2, 5, 2), check_trace=False),
                 torch.jit.TracerWarning, "unrolled")
    assert said and said[0].filename == __file__, [w.filename for w in said]
