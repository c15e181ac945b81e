"""``Recurrent.path_for`` tells the truth about lengths: where torch's packing cannot serve
variable lengths (forward-mode AD), the masked step loop runs and the path says
"reference" (it said "fused"); one rule (``sequence.lengths_need_loop``) decides both."""

from __future__ import annotations

import pytest
import torch
import torch.autograd.forward_ad as fwAD
from torch.nn.utils.rnn import pack_padded_sequence

from rnnlab.nn import GRUCell, LSTMCell, Recurrent, Stacked
from rnnlab.nn import recurrent as recurrent_module


def _spy_fused(monkeypatch) -> list:
    calls = []
    real = recurrent_module.run_fused

    def spy(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(recurrent_module, "run_fused", spy)
    return calls


def _ran(layer, x, lengths, monkeypatch) -> str:
    calls = _spy_fused(monkeypatch)
    with torch.no_grad():
        layer(x, lengths=lengths)
    return "fused" if calls else "reference"


@pytest.mark.parametrize("cell", [LSTMCell, GRUCell])
@pytest.mark.parametrize("lengths", [None, [4, 1, 2], [4, 4, 4]], ids=["none", "varied", "full"])
@pytest.mark.parametrize("dual", [False, True], ids=["plain", "forward-ad"])
def test_path_for_names_the_path_the_call_runs(monkeypatch, cell, lengths, dual):
    layer = Recurrent(cell(2, 3, dtype=torch.float64))
    x = torch.randn(4, 3, 2, dtype=torch.float64)
    lengths = None if lengths is None else torch.tensor(lengths)
    with fwAD.dual_level() if dual else torch.no_grad():
        if dual:
            x = fwAD.make_dual(x, torch.ones_like(x))
        said = layer.path_for(x, lengths)
        ran = _ran(layer, x, lengths, monkeypatch)
    assert said == ran
    assert said == ("reference" if dual and lengths is not None and lengths.min() < 4 else "fused")


def test_a_packed_batch_under_forward_ad_is_said_to_run_the_loop(monkeypatch):
    layer = Recurrent(LSTMCell(2, 3, dtype=torch.float64))
    x = torch.randn(4, 3, 2, dtype=torch.float64)
    packed = pack_padded_sequence(x, torch.tensor([4, 1, 2]), enforce_sorted=False)
    assert layer.path_for(packed) == "fused"
    with fwAD.dual_level():
        assert layer.path_for(packed) == "reference"
        calls = _spy_fused(monkeypatch)
        with torch.no_grad():
            layer(packed)
        assert not calls
    with pytest.raises(ValueError, match="carries its own"):
        layer.path_for(packed, torch.tensor([4, 1, 2]))


def test_a_stack_passes_the_lengths_to_each_layer():
    # (float64: a float32 CPU LSTM runs the loop under forward AD whatever the lengths,
    # oneDNN's kernel having none; this test is about the lengths)
    stack = Stacked([Recurrent(LSTMCell(2, 3)), Recurrent(LSTMCell(3, 3))]).double()
    x, lengths = torch.randn(4, 3, 2, dtype=torch.float64), torch.tensor([4, 1, 2])
    assert stack.path_for(x, lengths) == "fused"
    with fwAD.dual_level():
        assert stack.path_for(x, lengths) == "reference"
        assert stack.path_for(x) == "fused"
