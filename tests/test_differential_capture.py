"""Differential tests of captured graphs over random configurations
(tests/differential_setups.py): a layer traced by ``torch.jit.trace`` on one batch, and
compiled by ``torch.compile``, run on another batch of the same shapes (other values,
other lengths) give what the layer gives eagerly, on every impl; float64 to 1e-10.
(``torch.jit.script`` is refused by every layer, with what to use instead.)"""

import warnings

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn
from torch.utils._pytree import tree_leaves

from rnnlab.nn.paths import set_impl

from differential_setups import FAST, LENGTHS, assert_same, configs, impls_for, inputs, stack


class Flat(nn.Module):
    """A layer's call as a flat tuple (outputs, final states…), lengths last if any."""

    def __init__(self, layer: nn.Module, state):
        super().__init__()
        self.layer, self.state = layer, state

    def forward(self, x, *lengths):
        out, fin = self.layer(x, self.state, *lengths)
        return (out, *tree_leaves(fin))


def two_batches(s, other_seed: int, other_lengths: str):
    """The configuration's batch and another of the same shapes (lengths of another kind;
    every sequence full where the first has none, where the second would have none)."""
    s = dict(s, packed=False)
    x, lengths, state = inputs(s)
    x2, lengths2, _ = inputs(dict(s, seed=other_seed, lengths=other_lengths))
    if lengths is None:
        lengths2 = None
    elif lengths2 is None:
        lengths2 = torch.full_like(lengths, s["T"])
    layer = stack(s)
    if s["L"] == 1:
        layer, state = layer.layers[0], None if state is None else state[0]
    return layer, state, (x, lengths), (x2, lengths2)


def check_captured(s, other_seed, other_lengths, capture):
    layer, state, (x, lengths), (x2, lengths2) = two_batches(s, other_seed, other_lengths)
    cell = next(m for m in layer.modules() if hasattr(m, "recur"))
    for impl in impls_for(cell, x, triton=False):
        set_impl(layer, impl)
        flat = Flat(layer, state)
        extra, extra2 = ((), ()) if lengths is None else ((lengths,), (lengths2,))
        want = flat(x2, *extra2)
        captured = capture(flat, (x, *extra))
        assert_same([t.detach() for t in captured(x2, *extra2)], [t.detach() for t in want],
                    impl)


def traced(flat, example):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (the trace's warnings on the unrolled loop)
        return torch.jit.trace(flat, example, check_trace=False)


def compiled(flat, example):
    torch._dynamo.reset()
    return torch.compile(flat, backend="aot_eager", dynamic=False)


OTHER = (st.integers(0, 2 ** 16), st.sampled_from(LENGTHS))  # the other batch's seed, lengths


@settings(FAST, max_examples=6)
@given(configs(), *OTHER)
def test_a_traced_layer_equals_the_layer_on_another_batch(s, other_seed, other_lengths):
    check_captured(s, other_seed, other_lengths, traced)


@pytest.mark.slow
@settings(FAST, max_examples=300)
@given(configs(), *OTHER)
def test_a_traced_layer_equals_the_layer_on_another_batch_wide(s, other_seed, other_lengths):
    check_captured(s, other_seed, other_lengths, traced)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore")  # (dynamo's graph-break and recompile notes)
@settings(FAST, max_examples=4)
@given(configs(), *OTHER)
def test_a_compiled_layer_equals_the_layer_on_another_batch(s, other_seed, other_lengths):
    check_captured(s, other_seed, other_lengths, compiled)
