"""Session 27 review: a layer of a parametrized cell runs on a per-call view of the cell
(rnnlab.nn.stored_weight.computed_once). What a cell of your own keeps on itself during
a call (``self.last_gate = f``) was set on the view and lost; a submodule slot left None
(``register_module("norm", None)``) was missing from the view ("'C' object has no
attribute 'norm'"); and a parametrized submodule's weight (``spectral_norm`` on a cell's
``nn.Linear``) was computed at every step, its state stepped T times a call."""

import contextlib
import copy
import warnings

import pytest
import torch
from torch import nn
from torch.nn.utils import parametrize
from torch.nn.utils.parametrizations import orthogonal, spectral_norm
from torch.testing import assert_close

import rnnlab.nn.recurrent as recurrent
from rnnlab.nn import CellBase, Recurrent

F64 = torch.float64


class _KeepsGates(CellBase):
    """tanh RNN that keeps its last gate and counts its steps on itself, with an optional
    ``nn.Linear`` on h and a submodule slot left None."""

    def __init__(self, linear: bool = False, slot: bool = False):
        super().__init__(3, 4, dtype=F64)
        self.lin = nn.Linear(4, 4, dtype=F64) if linear else None
        self.slot = slot
        if slot:
            self.register_module("norm", None)
        self.steps = 0

    def recur(self, xp, h):
        self.steps += 1
        if self.slot and self.norm is not None:
            xp = self.norm(xp)
        pre = xp + nn.functional.linear(h, self.weight_hh, self.bias_hh)
        if self.lin is not None:
            pre = pre + self.lin(h)
        self.last_gate = torch.tanh(pre)
        return self.last_gate, self.last_gate


class _Counted(nn.Module):
    """The identity, counting its runs."""

    def __init__(self):
        super().__init__()
        self.runs = 0

    def forward(self, w):
        self.runs += 1
        return w


def test_what_a_parametrized_cell_keeps_on_itself_in_a_call_stays_on_it():
    torch.manual_seed(0)
    cell = _KeepsGates()
    orthogonal(cell, "weight_hh")
    out, h = Recurrent(cell)(torch.randn(5, 2, 3, dtype=F64))
    assert cell.steps == 5  # was 0: set on the call's view
    assert cell.__dict__.get("last_gate") is not None  # was missing
    assert_close(cell.last_gate, out[-1], rtol=0, atol=0)


def test_a_submodule_slot_left_none_is_kept_on_the_view():
    torch.manual_seed(0)
    cell = _KeepsGates(slot=True)
    orthogonal(cell, "weight_hh")
    x = torch.randn(5, 2, 3, dtype=F64)
    out, _ = Recurrent(cell)(x)  # died: "'_KeepsGates' object has no attribute 'norm'"
    with parametrize.cached():  # (the reference: the cell itself, its weight cached)
        h = torch.zeros(2, 4, dtype=F64)
        for t in range(5):
            h, _ = cell.recur(cell.project_input(x[t]), h)
    assert_close(out[-1], h, rtol=0, atol=1e-14)


def test_a_parametrized_submodules_weight_is_computed_once_a_call(monkeypatch):
    torch.manual_seed(0)
    cell = _KeepsGates(linear=True)
    counted = _Counted()
    parametrize.register_parametrization(cell.lin, "weight", counted)
    torch.manual_seed(1)
    spectral_norm(cell.lin, "weight")  # (its power iteration steps at each compute)
    old = copy.deepcopy(cell)
    x = torch.randn(6, 2, 3, dtype=F64)
    counted.runs = 0
    outs = [Recurrent(cell)(x)[0] for _ in range(2)]
    assert counted.runs == 2  # was 12: once a step
    with monkeypatch.context() as m:  # the cached reference: the cell itself, computed once
        m.setattr(recurrent, "computed_once", contextlib.nullcontext)
        with parametrize.cached():
            want = Recurrent(old)(x)[0]
        with parametrize.cached():
            want2 = Recurrent(old)(x)[0]
    for got, w in zip(outs, (want, want2)):
        assert_close(got, w, rtol=0, atol=1e-13)
    (outs[0].sum() + outs[1].sum()).backward()
    (want.sum() + want2.sum()).backward()
    for (name, p), (_, q) in zip(cell.named_parameters(), old.named_parameters()):
        assert_close(p.grad, q.grad, rtol=0, atol=1e-12, msg=name)


@pytest.mark.filterwarnings("ignore:Full backward hook is firing")  # (the first step's h)
def test_a_hook_on_a_parametrized_submodule_is_called_with_the_submodule():
    # was called with the call's view of it: ``module is cell.lin`` False, a dict of
    # activations keyed by module grew a key a call that no lookup found
    cell = _KeepsGates(linear=True)
    parametrize.register_parametrization(cell.lin, "weight", _Counted())
    orthogonal(cell, "weight_hh")
    seen = []
    cell.lin.register_forward_pre_hook(lambda m, args: seen.append(("pre", m is cell.lin)))
    cell.lin.register_forward_hook(lambda m, args, out: seen.append(("fwd", m is cell.lin)))
    cell.lin.register_full_backward_hook(lambda m, gi, go: seen.append(("bwd", m is cell.lin)))
    out, _ = Recurrent(cell)(torch.randn(3, 2, 3, dtype=F64))
    out.sum().backward()
    assert sorted(set(seen)) == [("bwd", True), ("fwd", True), ("pre", True)]
    assert len(seen) == 9  # (3 steps, each hook once a step)


class _Twice(nn.Module):
    def forward(self, b):
        return 2 * b


def _weight_normed():
    """A cell whose ``nn.Linear`` has torch's hook-made weight_norm on its weight and a
    parametrized bias (so the call views it), its own weight_hh parametrized."""
    torch.manual_seed(0)
    cell = _KeepsGates(linear=True)
    torch.nn.utils.weight_norm(cell.lin, "weight")
    parametrize.register_parametrization(cell.lin, "bias", _Twice())
    orthogonal(cell, "weight_hh")
    return cell


def test_torchs_weight_hook_on_a_viewed_submodule_sets_the_weight_the_call_reads(monkeypatch):
    # (torch's weight_norm hook sets the weight it computes on the module it is called
    # with: called with the submodule rather than the view, the view read the weight of
    # the call before, stale after an optimizer step)
    x = torch.randn(5, 2, 3, dtype=F64)

    def run(cell):
        outs = []
        for _ in range(2):
            with parametrize.cached():  # (the reference's; a no-op for the view)
                outs.append(Recurrent(cell)(x)[0])
            with torch.no_grad():
                cell.lin.weight_v.add_(0.1)  # an optimizer step
        return outs

    with warnings.catch_warnings():  # (torch.nn.utils.weight_norm is deprecated)
        warnings.simplefilter("ignore")
        new, old = _weight_normed(), _weight_normed()
    got = run(new)
    monkeypatch.setattr(recurrent, "computed_once", contextlib.nullcontext)
    for g, w in zip(got, run(old)):
        assert_close(g, w, rtol=0, atol=1e-13)
