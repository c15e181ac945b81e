"""Review of session 28's module-wide hooks on a call's view (rnnlab.nn.view_calls): every
kind of hook torch calls from a module's call, on a parametrized submodule of a cell, is
called with the user's module and as often as on a plain cell, its result used as
torch.nn uses it. A non-full backward hook (``register_backward_hook``, the module's own
or module-wide) died in backward with "You are trying to call the hook of a dead Module!":
torch keeps it on the output's grad_fn with a weak reference to the module called, the
view, gone when the call ended."""

import gc
import warnings

import pytest
import torch
from torch import nn
from torch.nn.modules import module as torch_module
from torch.nn.utils.parametrizations import orthogonal

from rnnlab.nn import CellBase, Recurrent

F64 = torch.float64


class _WithLinear(CellBase):
    """tanh RNN with an extra ``nn.Linear`` of the state, called once a step."""

    def __init__(self):
        super().__init__(3, 4, dtype=F64)
        self.lin = nn.Linear(4, 4, dtype=F64)

    def recur(self, xp, h):
        h = torch.tanh(xp + nn.functional.linear(h, self.weight_hh, self.bias_hh) + self.lin(h))
        return h, h


def _calls(parametrized, register, steps=3):
    """The modules ``register``'s hook was called with in a forward and backward of a
    layer of the cell (``parametrized``: its Linear's weight orthogonal): (how many times
    with the cell's Linear, types of the others not the layer's own)."""
    torch.manual_seed(0)
    cell = _WithLinear()
    if parametrized:
        orthogonal(cell.lin, "weight")
    layer = Recurrent(cell)
    seen = []
    handle = register(cell, seen)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (non-full hooks' deprecation, first step's h)
            out, _ = layer(torch.randn(steps, 2, 3, dtype=F64, requires_grad=True))
            gc.collect()  # (the call's views: gone before backward)
            out.sum().backward()
    finally:
        handle.remove()
        torch_module._global_is_full_backward_hook = None  # (as no hook registered)
    ours = {id(m) for m in layer.modules()}
    return (sum(1 for m in seen if m is cell.lin),
            sorted({type(m).__name__ for m in seen if id(m) not in ours}))


_KINDS = {
    "forward with kwargs": lambda cell, seen: torch_module.register_module_forward_hook(
        lambda m, args, kwargs, out: seen.append(m), with_kwargs=True),
    "full backward pre": lambda cell, seen: torch_module.register_module_full_backward_pre_hook(
        lambda m, grad_out: seen.append(m)),
    "module-wide non-full backward": lambda cell, seen:
        torch_module.register_module_backward_hook(lambda m, gi, go: seen.append(m)),
    "own non-full backward": lambda cell, seen: cell.lin.register_backward_hook(
        lambda m, gi, go: seen.append(m)),
}


@pytest.mark.parametrize("kind", sorted(_KINDS))
def test_each_kind_of_hook_is_called_with_the_module_as_on_a_plain_cell(kind):
    plain = _calls(False, _KINDS[kind])
    assert plain[0] == 3  # (once a step on torch's own call: the check checks)
    assert _calls(True, _KINDS[kind]) == plain  # non-full ones: "hook of a dead Module"


def test_a_module_wide_forward_hooks_result_is_the_output_on_a_view():
    torch.manual_seed(0)
    cell = _WithLinear()
    orthogonal(cell.lin, "weight")
    layer = Recurrent(cell)
    x = torch.randn(3, 2, 3, dtype=F64)
    with torch.no_grad():
        before, _ = layer(x)
        cell.lin.bias.zero_()
        handle = torch_module.register_module_forward_hook(
            lambda m, args, out: out * 0 if m is cell.lin else None)
        try:
            zeroed, _ = layer(x)
        finally:
            handle.remove()
        with torch.nn.utils.parametrize.cached():  # (the Linear's term gone: by hand)
            h, want = torch.zeros(2, 4, dtype=F64), []
            for t in range(3):
                h = torch.tanh(cell.project_input(x[t])
                               + nn.functional.linear(h, cell.weight_hh, cell.bias_hh))
                want.append(h)
    assert not torch.allclose(before, zeroed)
    torch.testing.assert_close(zeroed, torch.stack(want), rtol=0, atol=1e-13)


def test_an_always_called_module_wide_hook_is_called_with_the_module_when_it_raises():
    torch.manual_seed(0)
    cell = _WithLinear()
    orthogonal(cell.lin, "weight")
    cell.lin.register_forward_pre_hook(lambda m, args: (args[0][:, :3],))  # (wrong width)
    layer, seen = Recurrent(cell), []
    handle = torch_module.register_module_forward_hook(
        lambda m, args, out: seen.append(m), always_call=True)
    try:
        with pytest.raises(RuntimeError):
            layer(torch.randn(2, 2, 3, dtype=F64))
    finally:
        handle.remove()
    assert any(m is cell.lin for m in seen)
    ours = {id(m) for m in layer.modules()}
    assert [type(m).__name__ for m in seen if id(m) not in ours] == []  # (not the view)


def test_a_calls_view_is_freed_when_the_call_ends_with_a_module_wide_hook_registered():
    # (review: the view's own call held the view, a reference cycle: each call's view, its
    # computed weights with it, lived on until the garbage collector's next pass)
    torch.manual_seed(0)
    cell = _WithLinear()
    orthogonal(cell.lin, "weight")
    layer = Recurrent(cell)

    def linears():
        return sum(1 for o in gc.get_objects() if type(o) is nn.Linear)  # (the views' class)

    handle = torch_module.register_module_forward_hook(lambda m, args, out: None)
    gc.collect()
    gc.disable()
    try:
        before = linears()
        for _ in range(3):
            layer(torch.randn(2, 2, 3, dtype=F64))
        left = linears() - before
    finally:
        gc.enable()
        handle.remove()
    assert left == 0
