"""A PyTorch user's habits with rnnlab.nn's modules (session 27's sweep): what torch.nn's
own modules take, rnnlab's take too, or refuse saying so."""

import pytest
import torch
from torch.nn.utils.rnn import pack_padded_sequence

from rnnlab.nn import GRU, DeepOutput, DTRNNCell, GRUCell, LSTMCell, Recurrent
from rnnlab.nn.autocast_on import autocast_on

F64 = torch.float64


def test_deep_output_takes_device_and_dtype_as_torch_modules_do():
    """Old: ``DeepOutput(4, dtype=torch.float64)`` died with "got an unexpected keyword
    argument 'dtype'" and ``torch.nn.utils.skip_init(DeepOutput, 4)`` with "Module must
    support a 'device' arg", where the cells and torch.nn.Linear take both."""
    assert DeepOutput(4, depth=2, dtype=F64).layers[1].weight.dtype == F64
    on_meta = DeepOutput(4, depth=2, width=3, device="meta")
    assert all(p.is_meta for p in on_meta.parameters())
    on_meta.to_empty(device="cpu").reset_parameters()
    bound = 1 / 4 ** 0.5
    assert all(p.abs().max() <= bound for p in on_meta.layers[0].parameters())
    skipped = torch.nn.utils.skip_init(DeepOutput, 4, depth=2, width=3)
    assert skipped(torch.ones(2, 4)).shape == (2, 3)
    made = DeepOutput(4, depth=2, width=3, dtype=F64)
    assert made(torch.randn(5, 4, dtype=F64)).dtype == F64


@pytest.mark.parametrize("register", [
    lambda cell, got: cell.register_full_backward_hook(lambda *a: got.append("b")),
    lambda cell, got: cell.register_full_backward_pre_hook(lambda *a: got.append("p")),
], ids=["full-backward", "full-backward-pre"])
def test_a_backward_hook_on_a_cell_that_cannot_run_is_warned_about(register):
    """Old: a cell's ``register_full_backward_hook`` inside ``Recurrent`` never ran and
    nothing said so (forward hooks were warned about): the layer never calls the cell."""
    layer = Recurrent(LSTMCell(3, 4))
    got = []
    register(layer.cell, got)
    x = torch.randn(5, 2, 3, requires_grad=True)
    with pytest.warns(UserWarning, match="hooks registered on the cell do not run"):
        out, _ = layer(x)
    out.sum().backward()
    assert got == []  # (what the warning says)


@pytest.mark.parametrize("make", [
    lambda: GRU(3, 4, reset_after=False),
    lambda: Recurrent(DTRNNCell(3, 4, shortcut=True)),
    lambda: Recurrent(GRUCell(3, 4, reset_after=False), batch_first=True),
], ids=["gru-cho", "dts-rnn", "gru-cho-layer"])
def test_layers_on_rnnlabs_kernels_run_on_the_meta_device_as_torchs_do(make):
    """Old: on the meta device (shape inference: ``with torch.device("meta")``, as
    ``torch.nn.LSTM`` runs there) these died with "unknown device type for autocast in
    get_autocast_dispatch_key_from_device_type": the autocast check asked torch about
    "meta", which it raises for."""
    with torch.device("meta"):
        layer = make()
    x = torch.randn(2, 5, 3)
    out, _ = layer(x.to("meta"))
    packed, _ = layer(pack_padded_sequence(x, torch.tensor([5, 3]), batch_first=True).to("meta"))
    assert out.is_meta and out.shape == (2, 5, 4)
    assert packed.data.is_meta and packed.data.shape == (8, 4)
    assert not autocast_on("meta") and autocast_on("cpu") is False
    with torch.autocast("cpu", dtype=torch.bfloat16):
        assert autocast_on("cpu")


@pytest.mark.parametrize("name, kwargs", [
    ("RNN", dict(nonlinearity="relu", impl="reference")),
    ("GRU", dict(num_layers=2, bidirectional=True)),
    ("GRU", dict(reset_after=False)),
    ("LSTM", dict(proj_size=2, bidirectional=True, impl="reference")),
], ids=["rnn-ref", "gru", "gru-cho", "lstm-proj-ref"])
def test_meta_init_then_assign_or_to_empty_runs_as_torchs(name, kwargs):
    """The large-model recipe: built on the meta device, then filled by
    ``load_state_dict(..., assign=True)`` from torch.nn's module (or ``to_empty`` +
    ``reset_parameters``); every path reads the assigned parameters, forward and backward
    (not pinned before this sweep)."""
    import rnnlab.nn as R

    torch_kwargs = {k: v for k, v in kwargs.items() if k not in ("impl", "reset_after")}
    torch.manual_seed(0)
    ref = getattr(torch.nn, name)(3, 4, dtype=F64, **torch_kwargs)
    with torch.device("meta"):
        ours = getattr(R, name)(3, 4, dtype=F64, **kwargs)
        empty = getattr(R, name)(3, 4, dtype=F64, **kwargs)
    ours.load_state_dict(ref.state_dict(), assign=True)
    assert all(isinstance(p, torch.nn.Parameter) and p.requires_grad for p in ours.parameters())
    x = torch.randn(5, 2, 3, dtype=F64)
    out, _ = ours(x)
    grads = torch.autograd.grad(out.sin().sum(), list(ours.parameters()))
    if kwargs.get("reset_after", True) is False:  # (torch has no Cho GRU: our step loop)
        ref = R.GRU(3, 4, dtype=F64, reset_after=False, impl="reference")
        ref.load_state_dict(ours.state_dict())
    want, _ = ref(x)
    torch.testing.assert_close(out, want)
    torch.testing.assert_close(grads, torch.autograd.grad(want.sin().sum(), list(ref.parameters())))
    empty.to_empty(device="cpu").reset_parameters()
    bound = 1 / 4 ** 0.5
    assert all(p.abs().max() <= bound for p in empty.parameters())
    assert empty(x)[0].shape == out.shape
