"""Differential tests over random configurations (tests/differential_setups.py) of what a
call carries: the final state of one call given to the next equals one call over the
concatenated sequence, on every impl; and the ``torch.func`` transforms the README says
every layer takes (``vmap`` of ``grad``: per-sample gradients, lengths batched too;
``grad`` of a PackedSequence; forward-mode AD), which run the step loop, equal
autograd on the path a plain call takes. Float64, to 1e-10."""

import copy

import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from torch import nn
from torch.func import functional_call, grad, jvp, vmap
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
from torch.utils._pytree import tree_map

from rnnlab.nn.paths import set_impl

from differential_setups import (FAST, KINDS, assert_same, configs, impls_for, inputs, run, stack,
                                 weighted_loss)
from test_differential_dropins import batch, drop_in


class TwoCalls(nn.Module):
    """``inner`` over the first ``k`` steps, then over the rest from the state it left;
    the outputs joined. ``pack``: each part goes in packed (a drop-in takes no lengths)."""

    def __init__(self, inner: nn.Module, k: int, batch_first: bool, pack: bool):
        super().__init__()
        self.inner, self.k, self.bf, self.pack = inner, k, batch_first, pack

    def forward(self, x, state=None, lengths=None):
        dim = 1 if self.bf else 0
        first, rest = x.split([self.k, x.shape[dim] - self.k], dim)
        out1, mid = self.inner(first, state)
        rest_lengths = None if lengths is None else lengths - self.k
        if self.pack and rest_lengths is not None:
            packed = pack_padded_sequence(rest, rest_lengths, batch_first=self.bf,
                                          enforce_sorted=False)
            out2, fin = self.inner(packed, mid)
            out2 = pad_packed_sequence(out2, batch_first=self.bf,
                                       total_length=rest.shape[dim])[0]
        elif rest_lengths is None:
            out2, fin = self.inner(rest, mid)
        else:
            out2, fin = self.inner(rest, mid, rest_lengths)
        return torch.cat([out1, out2], dim), fin


def split_point(s, lengths, frac: float) -> int:
    """A step 1 <= k < every length (so that each sequence has steps in both calls)."""
    shortest = s["T"] if lengths is None else int(lengths.min())
    assume(shortest >= 2)
    return 1 + int(frac * (shortest - 1)) if frac < 1 else shortest - 1


def check_carried_state(s, frac: float, dropin: bool):
    s = dict(s, bi=False, reverse=False, T=max(s["T"], 2))
    if dropin:
        x, state, lengths = batch(s, "packed" if s["lengths"] != "none" else "dense")
        model = drop_in(s, "reference")
    else:
        x, lengths, state = inputs(s)
        model = stack(s)
    k = split_point(s, lengths, frac)
    set_impl(model, "reference")
    want = run(model, x, state, lengths, dropin and lengths is not None, s["bf"])
    cell = next(m for m in stack(s).modules() if hasattr(m, "recur"))
    for impl in impls_for(cell, x, drop_in=dropin, triton=False):  # (Triton: with the layers)
        other = drop_in(s, impl) if dropin else copy.deepcopy(model)
        other.load_state_dict(model.state_dict())
        if not dropin:
            set_impl(other, impl)
        two = TwoCalls(other, k, s["bf"], dropin)
        assert_same(run(two, x, state, lengths, False, s["bf"]), want, impl)


@pytest.mark.parametrize("kind", KINDS)  # (each kind drawn: see the layers')
@settings(FAST, max_examples=4)
@given(data=st.data(), frac=st.floats(0, 1), dropin=st.booleans())
def test_a_state_carried_to_the_next_call_equals_one_call(kind, data, frac, dropin):
    assume(not dropin or kind not in ("dt", "dts"))  # (no drop-in of a DT cell)
    check_carried_state(data.draw(configs(kinds=(kind,))), frac, dropin)


@pytest.mark.slow
@settings(FAST, max_examples=800)
@given(configs(), st.floats(0, 1), st.booleans())
def test_a_state_carried_to_the_next_call_equals_one_call_wide(s, frac, dropin):
    assume(not dropin or s["kind"] not in ("dt", "dts"))
    check_carried_state(s, frac, dropin)


# --- torch.func -----------------------------------------------------------------------------
def per_sample_grads(model, params, x, lengths, state, batch_first: bool):
    """vmap(grad) of the weighted loss over the samples (x, lengths, state batched)."""
    bdim = 0 if batch_first else 1

    def loss(p, xi, li, si):
        xi = xi.unsqueeze(bdim)
        si = None if si is None else tree_map(lambda t: t.unsqueeze(0), si)
        out, fin = functional_call(model, p, (xi, si, None if li is None else li.unsqueeze(0)))
        return weighted_loss(out, torch.utils._pytree.tree_leaves(fin))

    dims = (None, bdim, None if lengths is None else 0, None if state is None else 0)
    return vmap(grad(loss), in_dims=dims)(params, x, lengths, state)


def check_per_sample_grads(s):
    s = dict(s, L=min(s["L"], 2))
    x, lengths, state = inputs(s)
    state = None if state is None else state[0] if s["L"] == 1 else state
    model = stack(dict(s, L=1)).layers[0] if s["L"] == 1 else stack(s)
    params = dict(model.named_parameters())
    got = per_sample_grads(model, {n: p.detach() for n, p in params.items()}, x, lengths,
                           state, s["bf"])
    for b in range(s["B"]):  # autograd, one sample at a time, on the path a call takes
        take = (lambda t: t[b:b + 1]) if s["bf"] else (lambda t: t[:, b:b + 1])
        sb = None if state is None else tree_map(lambda t: t[b:b + 1], state)
        out, fin = model(take(x), sb, None if lengths is None else lengths[b:b + 1])
        want = torch.autograd.grad(
            weighted_loss(out, torch.utils._pytree.tree_leaves(fin)), list(params.values()))
        assert_same([got[n][b] for n in params], list(want), f"sample {b}")


@settings(FAST, max_examples=10)
@given(configs())
def test_per_sample_gradients_under_vmap_equal_autograd(s):
    check_per_sample_grads(s)


def check_forward_ad(s):
    """torch.func.jvp (forward AD: the step loop) against reverse mode on the path a plain
    call takes: <J v, u> = <v, J^T u> for the input and the initial state."""
    model = stack(s)
    x, lengths, state = inputs(s)
    leaves = [x] + ([] if state is None else torch.utils._pytree.tree_leaves(state))
    spec = torch.utils._pytree.tree_structure(state)
    g = torch.Generator().manual_seed(3)
    tangents = [torch.randn(t.shape, dtype=t.dtype, generator=g) for t in leaves]

    def f(*ts):
        given = None if state is None else torch.utils._pytree.tree_unflatten(list(ts[1:]), spec)
        out, fin = model(ts[0], given, lengths)
        return weighted_loss(out, torch.utils._pytree.tree_leaves(fin))

    _, forward = jvp(f, tuple(leaves), tuple(tangents))
    wrt = [t.clone().requires_grad_(True) for t in leaves]
    reverse = torch.autograd.grad(f(*wrt), wrt)
    backward = sum((d * t).sum() for d, t in zip(reverse, tangents))
    torch.testing.assert_close(forward, backward, rtol=1e-10, atol=1e-10)


@pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated")  # torch's own jvp set-up
@settings(FAST, max_examples=6)
@given(configs())
def test_forward_ad_equals_autograds_jvp(s):
    check_forward_ad(s)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated")
@settings(FAST, max_examples=300)
@given(configs())
def test_torch_func_transforms_equal_autograd_wide(s):
    check_per_sample_grads(s)
    check_forward_ad(s)
