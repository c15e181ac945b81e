"""Differential tests of the torch.nn drop-ins (``rnnlab.nn.RNN``, ``GRU``, ``LSTM``, and
``GRU(reset_after=False)``, which torch.nn lacks) over random configurations
(tests/differential_setups.py): every impl against torch.nn where it has the
configuration, else against the drop-in's step loop and a ``Stacked`` of the same cells
composed by hand; forward and backward, in float64 to 1e-10.

Drawn besides the configuration: the input dense, packed (sorted or not, from the drawn
lengths) or unbatched; torch's ``dropout`` between layers and ``input_dropout`` /
``recurrent_dropout``, all in eval mode (where they must change nothing)."""

import copy

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import rnnlab.nn as R

from differential_setups import (FAST, TORCH_KINDS, assert_same, configs, impls_for, inputs,
                                 run, stack, torch_module, torch_state, TorchLayout)


def drop_in(s, impl="auto", p=0.0, q=0.0):
    """The drop-in of the configuration (dropout p between layers, q inside, eval mode)."""
    kw = dict(num_layers=s["L"], bias=s["bias"], batch_first=s["bf"], bidirectional=s["bi"],
              dtype=torch.float64, dropout=p if s["L"] > 1 else 0.0, impl=impl,
              input_dropout=q, recurrent_dropout=q)
    kind = s["kind"]
    if kind.startswith("rnn"):
        return R.RNN(s["I"], s["H"], nonlinearity=kind[4:], **kw).eval()
    if kind.startswith("gru"):
        return R.GRU(s["I"], s["H"], reset_after=kind == "gru", **kw).eval()
    return R.LSTM(s["I"], s["H"], proj_size=s["proj"], **kw).eval()


def batch(s, mode):
    """(x, hx in torch's layout, lengths) as the input mode asks."""
    if mode == "unbatched":
        s = dict(s, B=1, lengths="none")
    x, lengths, _ = inputs(s)
    hx = torch_state(s, torch.Generator().manual_seed(s["seed"] + 1))
    if mode == "unbatched":
        x = x[0] if s["bf"] else x[:, 0]
        hx = None if hx is None else tuple(h[:, 0] for h in hx) if isinstance(hx, tuple) \
            else hx[:, 0]
    return x, hx, (lengths if mode == "packed" else None)


def call(m, s, mode, x, hx, lengths, params=None):
    return run(m, x, hx, lengths, mode == "packed", s["bf"] and mode != "unbatched", params)


def composed_like(s, ours) -> TorchLayout:
    """A ``Stacked`` of the drop-in's cells holding its weights (torch.nn's names)."""
    model = stack(dict(s, reverse=False))
    D = 2 if s["bi"] else 1
    for k, layer in enumerate(model.layers):
        recs = [layer.forward_layer, layer.backward_layer] if s["bi"] else [layer]
        for d, rec in enumerate(recs[:D]):
            suffix = "_reverse" if d else ""
            with torch.no_grad():  # (copied: a Cho GRU's state_dict would lack its form's mark)
                for n, w in rec.cell.named_parameters():
                    w.copy_(getattr(ours, f"{n}_l{k}{suffix}"))
    return TorchLayout(model, s["bi"])


def check_drop_in(s, mode, p, q, triton=False):
    base = drop_in(s, "reference", p, q)
    x, hx, lengths = batch(s, mode)
    cell = base._reference.layers[0]
    cell = (cell.forward_layer if s["bi"] else cell).cell
    if s["kind"] in TORCH_KINDS:
        theirs = torch_module(s)
        base.load_state_dict(theirs.state_dict(), strict=True)
        want = call(theirs.eval(), s, mode, x, hx, lengths)
    else:
        want = call(base, s, mode, x, hx, lengths)
        if mode != "unbatched":  # (the composed layers take batches)
            composed = composed_like(s, base)
            names = dict(composed.inner.named_parameters())
            order = [names[n] for n in _composed_names(s)]
            assert_same(call(composed, s, mode, x, hx, lengths, order), want, "composed")
    for impl in impls_for(cell, x, drop_in=True, triton=triton):
        ours = drop_in(s, impl, p, q)
        ours.load_state_dict(base.state_dict(), strict=True)
        assert_same(call(ours, s, mode, x, hx, lengths), want, impl)
        assert_same(call(copy.deepcopy(ours), s, mode, x, hx, lengths), want, impl + " copy")


def _composed_names(s):
    """The composed stack's names of the drop-in's parameters, in the drop-in's order."""
    out = []
    for k in range(s["L"]):
        for d in range(2 if s["bi"] else 1):
            where = f"layers.{k}." + (("backward_layer." if d else "forward_layer.")
                                      if s["bi"] else "")
            out += [where + "cell." + n for n in ("weight_ih", "weight_hh", "bias_ih",
                                                 "bias_hh")[:4 if s["bias"] else 2]]
    return out


MODES = st.sampled_from(["dense", "packed", "unbatched"])
RATES = st.sampled_from([0.0, 0.5])
DROP_IN_KINDS = TORCH_KINDS + ("gru_cho",)


@pytest.mark.parametrize("kind", DROP_IN_KINDS)  # (each kind drawn: see the layers')
@settings(FAST, max_examples=6)
@given(data=st.data(), mode=MODES, p=RATES, q=RATES)
def test_every_impl_of_a_drop_in_equals_torch_nn_or_its_step_loop(kind, data, mode, p, q):
    check_drop_in(data.draw(configs(kinds=(kind,))), mode, p, q)


@pytest.mark.slow
@settings(FAST, max_examples=1500)
@given(configs(kinds=DROP_IN_KINDS), MODES, RATES, RATES)
def test_every_impl_of_a_drop_in_equals_torch_nn_or_its_step_loop_wide(s, mode, p, q):
    check_drop_in(s, mode, p, q)
