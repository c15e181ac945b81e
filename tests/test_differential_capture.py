"""Differential tests of captured graphs over random configurations
(tests/differential_setups.py): a layer traced by ``torch.jit.trace`` on one batch (every
impl), and compiled afresh by ``torch.compile`` (one impl drawn per example; checked to
have compiled), run on another batch of the same shapes (other values, other lengths)
give what the layer gives eagerly; float64 to 1e-10. So do the gradients of a fixed loss of
everything the call gives (``weighted_loss``) with respect to the input and every
parameter, through the traced graph and through the compiled one's AOT backward: the
forward alone could agree while a captured backward did not. (``torch.jit.script`` is
refused by every layer, with what to use instead.)"""

import warnings

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn
from torch._dynamo.utils import counters
from torch.utils._pytree import tree_leaves

from rnnlab.nn.paths import set_impl

from differential_setups import (FAST, LENGTHS, assert_same, configs, impls_for, inputs, stack,
                                 weighted_loss)


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


def with_grads(call, flat: "Flat", x, extra) -> list:
    """``call(x, *extra)``'s outputs, then the gradients of ``weighted_loss`` of them with
    respect to ``x`` and each parameter of ``flat`` (zeros for one no output reads: a
    captured graph may give zeros where eager autograd gives None)."""
    x = x.clone().requires_grad_(True)
    got = call(x, *extra)
    params = list(flat.parameters())
    grads = torch.autograd.grad(weighted_loss(got[0], list(got[1:])), [x, *params],
                                allow_unused=True)
    grads = [torch.zeros_like(p) if g is None else g for g, p in zip(grads, [x, *params])]
    return [t.detach() for t in got] + grads


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
        # (traced on an input that requires grad, as a model traced to be trained is)
        trained = capture(flat, (x.clone().requires_grad_(True), *extra))
        assert_same(with_grads(trained, flat, x2, extra2), with_grads(flat, flat, x2, extra2),
                    f"{impl} gradients")


def traced(flat, example):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (the trace's warnings on the unrolled loop)
        return torch.jit.trace(flat, example, check_trace=False)


OTHER = (st.integers(0, 2 ** 16), st.sampled_from(LENGTHS))  # the other batch's seed, lengths


@settings(FAST, max_examples=6)
@given(configs(), *OTHER)
def test_a_traced_layer_equals_the_layer_on_another_batch(s, other_seed, other_lengths):
    check_captured(s, other_seed, other_lengths, traced)


@pytest.mark.slow
@settings(FAST, max_examples=150)
@given(configs(), *OTHER)
def test_a_traced_layer_equals_the_layer_on_another_batch_wide(s, other_seed, other_lengths):
    check_captured(s, other_seed, other_lengths, traced)


class CountingBackend:
    """A ``torch.compile`` backend that counts the graphs dynamo hands it and the ops
    they hold, then runs them as ``aot_eager`` does (through AOT autograd, no codegen)."""

    def __init__(self):
        self.graphs = self.ops = 0

    def __call__(self, gm, example_inputs):
        from torch._dynamo.backends.debugging import aot_eager

        self.graphs += 1
        self.ops += sum(n.op.startswith("call_") for n in gm.graph.nodes)
        return aot_eager(gm, example_inputs)


def check_compiled(s, other_seed, other_lengths, impl_index: int):
    """One impl (drawn) of the layer compiled afresh (dynamo reset: no cache of an earlier
    example's, no recompile limit carried over), called on the batch, then on the other
    (other values, other lengths) as a compiled module is; each equals the eager call,
    and so do the gradients wrt the input and the parameters (each batch again, with
    grad: the graph AOT autograd splits into a forward and a backward).
    It must have compiled: a graph holding ops reached the backend, and no frame ran
    eager for hitting the recompile limit (that is an error here)."""
    layer, state, (x, lengths), (x2, lengths2) = two_batches(s, other_seed, other_lengths)
    cell = next(m for m in layer.modules() if hasattr(m, "recur"))
    impls = impls_for(cell, x, triton=False)
    impl = impls[impl_index % len(impls)]
    set_impl(layer, impl)
    flat = Flat(layer, state)
    torch._dynamo.reset()
    counters.clear()
    backend = CountingBackend()
    captured = torch.compile(flat, backend=backend, dynamic=False)
    with torch._dynamo.config.patch(fail_on_recompile_limit_hit=True):
        for xb, lb in ((x, lengths), (x2, lengths2)):
            extra = () if lb is None else (lb,)
            assert_same([t.detach() for t in captured(xb, *extra)],
                        [t.detach() for t in flat(xb, *extra)], impl)
        for xb, lb in ((x, lengths), (x2, lengths2)):  # (the graph AOT autograd differentiates)
            extra = () if lb is None else (lb,)
            assert_same(with_grads(captured, flat, xb, extra), with_grads(flat, flat, xb, extra),
                        f"{impl} gradients")
    assert backend.graphs >= 1 and backend.ops >= 1, (impl, backend.graphs, backend.ops)
    assert counters["frames"]["ok"] >= 1, dict(counters["frames"])


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore")  # (dynamo's graph-break notes)
@settings(FAST, max_examples=4)
@given(configs(), *OTHER, st.integers(0, 3))
def test_a_compiled_layer_equals_the_layer_on_another_batch(s, other_seed, other_lengths,
                                                            impl_index):
    check_compiled(s, other_seed, other_lengths, impl_index)
