"""Session 28: a layer of a parametrized cell runs on a per-call view of the cell
(rnnlab.nn.stored_weight.computed_once). A submodule or parameter that the cell's
``recur`` made (``self.norm = nn.LayerNorm(4)`` on first use) was made on the view and
lost: made anew at each call, never trained, absent from ``cell.parameters()``, where
torch.nn's modules keep what their forward adds (and a plain cell kept it). And the
module-wide hooks (``torch.nn.modules.module.register_module_forward_hook`` and kin) were
called with the view of a parametrized submodule, not the module itself."""

import pytest
import torch
from torch import nn
from torch.nn.modules import module as torch_module
from torch.nn.utils import parametrize
from torch.nn.utils.parametrizations import orthogonal
from torch.testing import assert_close

from rnnlab.nn import CellBase, Recurrent

F64 = torch.float64


class _Grows(CellBase):
    """tanh RNN that makes a LayerNorm of its pre-activation and a scale parameter on its
    first step, counting the times it made them; optionally aliases its ``nn.Linear``."""

    def __init__(self, linear: bool = False, alias: bool = False):
        super().__init__(3, 4, dtype=F64)
        self.lin = nn.Linear(4, 4, dtype=F64) if linear else None
        self.alias = alias
        self.made = 0

    def recur(self, xp, h):
        if "norm" not in self._modules:
            self.made += 1
            self.norm = nn.LayerNorm(4, dtype=F64)
            self.scale = nn.Parameter(torch.full((4,), 0.5, dtype=F64))
            if self.alias:
                self.same_lin = self.lin
        pre = xp + nn.functional.linear(h, self.weight_hh, self.bias_hh)
        if self.lin is not None:
            pre = pre + self.lin(h)
        h = torch.tanh(self.norm(pre) * self.scale)
        return h, h


def _reference(cell, x):
    """The step loop on the cell itself (torch.nn's way: each weight read from the module),
    its computed weights cached for the call."""
    with parametrize.cached():
        h = torch.zeros(x.shape[1], 4, dtype=F64)
        outs = []
        for t in range(x.shape[0]):
            h, _ = cell.recur(cell.project_input(x[t]), h)
            outs.append(h)
    return torch.stack(outs)


@pytest.mark.parametrize("parametrized", [False, True])
def test_a_submodule_and_a_parameter_made_in_recur_are_kept_on_the_cell(parametrized):
    torch.manual_seed(0)
    cell = _Grows()
    if parametrized:
        orthogonal(cell, "weight_hh")
    layer = Recurrent(cell)
    x = torch.randn(5, 2, 3, dtype=F64)
    layer(x)
    assert cell.made == 1
    norm, scale = cell.__dict__["_modules"].get("norm"), cell.__dict__["_parameters"].get("scale")
    assert isinstance(norm, nn.LayerNorm)  # was missing on a parametrized cell
    assert scale is not None
    names = dict(layer.named_parameters())
    assert names["cell.norm.weight"] is norm.weight and names["cell.scale"] is scale
    with torch.no_grad():  # (a training step: the next call reads it)
        norm.weight.mul_(1.5)
        scale.add_(0.25)
    out, _ = layer(x)
    assert cell.made == 1  # was 2: made anew at each call
    assert cell.norm is norm and cell.scale is scale
    assert_close(out, _reference(cell, x), rtol=0, atol=1e-13)
    out.sum().backward()
    assert norm.weight.grad is not None and scale.grad is not None


def test_a_viewed_submodule_set_anew_in_recur_is_the_module_on_the_cell():
    torch.manual_seed(0)
    cell = _Grows(linear=True, alias=True)
    orthogonal(cell.lin, "weight")  # (the cell's Linear is viewed in the call)
    Recurrent(cell)(torch.randn(4, 2, 3, dtype=F64))
    assert cell.same_lin is cell.lin  # not the call's view of it


@pytest.mark.filterwarnings("ignore:Full backward hook is firing")  # (the first step's h)
def test_module_wide_hooks_are_called_with_the_module_not_the_view():
    torch.manual_seed(0)
    cell = _Grows(linear=True)
    orthogonal(cell.lin, "weight")
    orthogonal(cell, "weight_hh")
    layer = Recurrent(cell)
    layer(torch.randn(2, 2, 3, dtype=F64))  # (norm made)
    seen = []
    handles = [
        torch_module.register_module_forward_pre_hook(lambda m, a: seen.append(("pre", m))),
        torch_module.register_module_forward_hook(lambda m, a, o: seen.append(("fwd", m))),
        torch_module.register_module_full_backward_hook(
            lambda m, gi, go: seen.append(("bwd", m))),
    ]
    try:
        out, _ = layer(torch.randn(3, 2, 3, dtype=F64, requires_grad=True))
        out.sum().backward()
    finally:
        for handle in handles:
            handle.remove()
    ours = {id(m) for m in layer.modules()}
    strangers = [(kind, type(m).__name__) for kind, m in seen if id(m) not in ours]
    assert strangers == []  # was the view of cell.lin, once a step, each kind
    kinds = {kind for kind, m in seen if m is cell.lin}
    assert kinds == {"pre", "fwd", "bwd"}
    # (each hook once a step, as on the module itself)
    assert sum(1 for kind, m in seen if m is cell.lin and kind == "fwd") == 3
