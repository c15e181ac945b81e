"""The path a module reports (``path_for``) is the path its call runs, for a grid of the
cases that move a call off torch's kernel: a batch of no sequences, lengths torch's packing
cannot serve, forward-mode AD, a ``torch.func`` transform, a parametrized cell, and each
impl. One rule decides both (``layer_path.layer_path`` for ``Recurrent``,
``_Compat._torch_runs`` for the torch drop-ins, ``dispatch.chooses_fused`` for a
``Stacked``'s one call), so they cannot drift; this pins that they agree."""

from __future__ import annotations

import pytest
import torch
import torch.autograd.forward_ad as fwAD
from torch import nn
from torch.nn.utils import parametrize
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence

from rnnlab.nn import (GRU, LSTM, RNN, Bidirectional, GRUCell, LSTMCell, Recurrent, Stacked,
                       dispatch)
from rnnlab.nn import recurrent as recurrent_module
from rnnlab.nn import stacked as stacked_module


class _Double(nn.Module):
    def forward(self, w):
        return 2 * w


def _watch(monkeypatch) -> list:
    """Each path that runs, as it runs: torch's RNN ("torch-rnn"), torch's kernel behind a
    ``Recurrent`` ("fused"), a ``Stacked``'s one call ("stack"), rnnlab's kernel ("fast-*")."""
    ran = []

    def spy(name, real, label=None):
        def call(*args, **kwargs):
            ran.append(label(*args) if label else name)
            return real(*args, **kwargs)
        return call

    monkeypatch.setattr(recurrent_module, "run_fused", spy("fused", recurrent_module.run_fused))
    monkeypatch.setattr(stacked_module, "run_fused_stack",
                        spy("stack", stacked_module.run_fused_stack))
    monkeypatch.setattr(dispatch, "run_kernel",
                        spy(None, dispatch.run_kernel, lambda *a: a[-1]))
    for cls in (nn.LSTM, nn.GRU, nn.RNN):
        monkeypatch.setattr(cls, "forward", spy("torch-rnn", cls.forward))
    return ran


def _observed(ran: list) -> str:
    """The path as ``path_for`` names it: "fused" for torch's kernel, in whichever module."""
    names = {"fused" if r in ("torch-rnn", "stack") else r for r in ran}
    return "+".join(sorted(names)) or "reference"


def _layer(cell: str, impl: str, parametrized: bool) -> Recurrent:
    c = LSTMCell(2, 3) if cell == "lstm" else GRUCell(2, 3, reset_after=False)
    if parametrized:
        parametrize.register_parametrization(c, "weight_hh", _Double())
    return Recurrent(c.double(), impl=impl)


def _input(batch: int):
    return torch.randn(4, batch, 2, dtype=torch.float64)  # (T, B, I)


_LENGTHS = {"none": None, "varied": [4, 1, 2], "full": [4, 4, 4]}


def _said_and_ran(module, x, lengths, dual, monkeypatch):
    with fwAD.dual_level() if dual else torch.no_grad():
        if dual:
            x = fwAD.make_dual(x, torch.ones_like(x))
        said = module.path_for(x, lengths) if lengths is not None else module.path_for(x)
        ran = _watch(monkeypatch)
        module(x) if lengths is None else module(x, lengths=lengths)
        monkeypatch.undo()
    return said, _observed(ran)


@pytest.mark.parametrize("cell", ["lstm", "gru-cho"])
@pytest.mark.parametrize("impl", ["auto", "fast", "reference"])
@pytest.mark.parametrize("parametrized", [False, True], ids=["plain", "parametrized"])
@pytest.mark.parametrize("dual", [False, True], ids=["no-ad", "forward-ad"])
@pytest.mark.parametrize("lengths", list(_LENGTHS))
def test_a_layer_runs_the_path_it_reports(monkeypatch, cell, impl, parametrized, dual,
                                          lengths):
    layer = _layer(cell, impl, parametrized)
    lengths = None if _LENGTHS[lengths] is None else torch.tensor(_LENGTHS[lengths])
    said, ran = _said_and_ran(layer, _input(3), lengths, dual, monkeypatch)
    assert said == ran
    if impl == "reference":
        assert said == "reference"


@pytest.mark.parametrize("cell", ["lstm", "gru-cho"])
@pytest.mark.parametrize("impl", ["auto", "fast"])
def test_a_batch_of_no_sequences_runs_the_loop_it_reports(monkeypatch, cell, impl):
    layer = _layer(cell, impl, False)
    said, ran = _said_and_ran(layer, _input(0), None, False, monkeypatch)
    assert said == ran == "reference"


@pytest.mark.parametrize("cell", ["lstm", "gru-cho"])
@pytest.mark.parametrize("impl", ["auto", "reference"])
def test_under_vmap_a_layer_runs_the_path_it_reports(monkeypatch, cell, impl):
    layer, seen = _layer(cell, impl, False), {}

    def run(x):  # x (T, I) inside vmap over the batch... of (T, 1, I) windows
        seen["said"] = layer.path_for(x)
        return layer(x)[0]

    ran = _watch(monkeypatch)
    torch.func.vmap(run)(torch.randn(2, 4, 1, 2, dtype=torch.float64))
    assert seen["said"] == _observed(ran) == "reference"


@pytest.mark.parametrize("make", [lambda: LSTM(2, 3), lambda: GRU(2, 3),
                                  lambda: GRU(2, 3, reset_after=False)],
                         ids=["lstm", "gru", "gru-cho"])
@pytest.mark.parametrize("impl", ["auto", "reference"])
@pytest.mark.parametrize("dual", [False, True], ids=["no-ad", "forward-ad"])
@pytest.mark.parametrize("batch", [3, 0])
def test_a_torch_drop_in_runs_the_path_it_reports(monkeypatch, make, impl, dual, batch):
    rnn = make().double()
    rnn.impl = impl
    said, ran = _said_and_ran(rnn, _input(batch), None, dual, monkeypatch)
    assert said == ran


@pytest.mark.parametrize("grad", [False, True], ids=["no-grad", "grad"])
def test_a_packed_batch_to_a_drop_in_runs_the_path_it_reports(monkeypatch, grad):
    rnn = LSTM(2, 3).double()
    x = pack_padded_sequence(_input(3), torch.tensor([4, 1, 1]), enforce_sorted=False)
    said = rnn.path_for(x)
    ran = _watch(monkeypatch)
    with torch.enable_grad() if grad else torch.no_grad():
        rnn(x)
    assert said == _observed(ran)


@pytest.mark.parametrize("impl", ["auto", "fast", "reference"])
@pytest.mark.parametrize("dual", [False, True], ids=["no-ad", "forward-ad"])
@pytest.mark.parametrize("lengths", ["none", "varied"])
@pytest.mark.parametrize("parametrized", [False, True], ids=["plain", "parametrized"])
def test_a_stack_runs_the_path_it_reports(monkeypatch, impl, dual, lengths, parametrized):
    stack = Stacked([_layer("lstm", impl, parametrized), Recurrent(LSTMCell(3, 3), impl=impl)])
    stack = stack.double().eval()
    lengths = None if _LENGTHS[lengths] is None else torch.tensor(_LENGTHS[lengths])
    said, ran = _said_and_ran(stack, _input(3), lengths, dual, monkeypatch)
    assert said == ran


@pytest.mark.parametrize("make", [LSTM, GRU, RNN])
def test_a_drop_in_says_what_runs_a_packed_batch_whose_state_trains(monkeypatch, make):
    # a frozen model whose initial state needs a gradient: forward runs the packed batch
    # on the template's layers (``_pads`` reads hx), which take the masked loop under
    # forward AD; path_for(x) could not see hx and said "fused"
    rnn = make(2, 3).double().requires_grad_(False)
    h = torch.zeros(1, 3, 3, dtype=torch.float64, requires_grad=True)
    hx = (h, torch.zeros_like(h)) if make is LSTM else h
    packed = pack_padded_sequence(_input(3), torch.tensor([4, 1, 2]), enforce_sorted=False)
    with fwAD.dual_level():
        data = fwAD.make_dual(packed.data, torch.ones_like(packed.data))
        x = PackedSequence(data, packed.batch_sizes, packed.sorted_indices,
                           packed.unsorted_indices)
        said, ran = rnn.path_for(x, hx), _watch(monkeypatch)
        rnn(x, hx)
        monkeypatch.undo()
        assert said == _observed(ran) == "reference"
        assert rnn.path_for(x) == "fused"  # (no state that trains: torch's packed kernel)


_BF16 = dict(device_type="cpu", dtype=torch.bfloat16)
_DROP_INS = {"bidirectional": dict(bidirectional=True), "proj": dict(proj_size=2),
             "dropout": dict(num_layers=2, dropout=0.5), "batch-first": dict(batch_first=True)}


@pytest.mark.parametrize("make,shape", [(m, s) for m in (LSTM, GRU, RNN) for s in _DROP_INS
                                        if s != "proj" or m is LSTM])  # (proj_size: LSTM's)
@pytest.mark.parametrize("packed", [False, True], ids=["padded", "packed"])
@pytest.mark.parametrize("autocast", [False, True], ids=["fp32", "bf16-autocast"])
def test_a_drop_in_of_any_shape_runs_the_path_it_reports(monkeypatch, make, shape, packed,
                                                         autocast):
    # (the grid above is one layer, one direction: these move torch's call and the template)
    kw = _DROP_INS[shape]
    rnn = make(2, 3, **kw).train()  # (train: the dropout between layers draws)
    x = torch.randn(4, 3, 2)
    if kw.get("batch_first"):
        x = x.transpose(0, 1)
    if packed:
        x = pack_padded_sequence(x, torch.tensor([4, 1, 2]), enforce_sorted=False,
                                 batch_first=kw.get("batch_first", False))
    with torch.autocast(**_BF16, enabled=autocast):
        said, ran = rnn.path_for(x), _watch(monkeypatch)
        rnn(x)  # (grad on: a packed batch that trains may run padded)
    monkeypatch.undo()
    assert said == _observed(ran)


@pytest.mark.parametrize("cell", ["lstm", "gru-cho"])
@pytest.mark.parametrize("impl", ["auto", "reference"])
@pytest.mark.parametrize("autocast", [False, True], ids=["fp32", "bf16-autocast"])
@pytest.mark.parametrize("train", [False, True], ids=["eval", "train"])
def test_packed_batches_to_composed_layers_run_the_path_they_report(monkeypatch, cell, impl,
                                                                    autocast, train):
    def layer(reverse=False):
        c = LSTMCell(2, 3) if cell == "lstm" else GRUCell(2, 3, reset_after=False)
        return Recurrent(c, impl=impl, reverse=reverse)

    x = pack_padded_sequence(torch.randn(4, 3, 2), torch.tensor([4, 1, 2]),
                             enforce_sorted=False)
    top = LSTMCell(6, 3) if cell == "lstm" else GRUCell(6, 3, reset_after=False)
    for module in (layer(), Bidirectional(layer(), layer(reverse=True)),
                   Stacked([Bidirectional(layer(), layer(reverse=True)),
                            Recurrent(top, impl=impl)], dropout=0.5)):
        module.train(train)
        with torch.autocast(**_BF16, enabled=autocast):
            said, ran = module.path_for(x), _watch(monkeypatch)
            module(x)
        monkeypatch.undo()
        assert said == _observed(ran), module


def test_the_watch_sees_each_path(monkeypatch):
    # (the grid above compares two observations: this pins that the observed one moves)
    x, seen = _input(3), []
    for module in (_layer("lstm", "auto", False), _layer("gru-cho", "auto", False),
                   _layer("lstm", "reference", False), LSTM(2, 3).double(),
                   RNN(2, 3).double()):
        ran = _watch(monkeypatch)
        with torch.no_grad():
            module(x)
        monkeypatch.undo()
        seen.append(_observed(ran))
    assert seen == ["fused", "fast-torch", "reference", "fused", "fused"]
