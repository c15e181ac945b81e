"""Session 28: the meta device (shapes only) with variable lengths. torch.nn's LSTM runs a
PackedSequence made with ``enforce_sorted=False`` there; rnnlab's torch-compatible layers
and ``Recurrent`` died on it ("Cannot copy out of meta tensor; no data!": the batch order's
indices are meta). Lengths themselves on the meta device hold no values: torch's
``pack_padded_sequence`` refuses them ("should be a 1D CPU int64 tensor"), rnnlab said
"Cannot copy out of meta tensor"; it now says to pass them on the CPU."""

import pytest
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
from torch.testing import assert_close

import rnnlab.nn as R
from rnnlab.io.errors import ConfigError

F64 = torch.float64


def _states(h):
    return h if isinstance(h, tuple) else (h,)


@pytest.mark.parametrize("kind, kw", [("LSTM", dict(num_layers=2)),
                                      ("GRU", dict(bidirectional=True)),
                                      ("RNN", dict(batch_first=True))])
def test_an_unsorted_packed_batch_runs_on_meta_as_on_torch_nn(kind, kw):
    with torch.device("meta"):
        ours, theirs = getattr(R, kind)(3, 4, **kw), getattr(torch.nn, kind)(3, 4, **kw)
    shape = (3, 5, 3) if kw.get("batch_first") else (5, 3, 3)
    packed = pack_padded_sequence(torch.empty(shape, device="meta"), torch.tensor([3, 5, 2]),
                                  batch_first=bool(kw.get("batch_first")), enforce_sorted=False)
    (out, h), (want, h_want) = ours(packed), theirs(packed)
    assert out.data.device.type == "meta"
    assert out.data.shape == want.data.shape
    assert torch.equal(out.batch_sizes, want.batch_sizes)
    assert out.sorted_indices is packed.sorted_indices
    assert [s.shape for s in _states(h)] == [s.shape for s in _states(h_want)]


def test_recurrent_runs_an_unsorted_packed_batch_on_meta():
    with torch.device("meta"):
        layer = R.Recurrent(R.LSTMCell(3, 4))
    packed = pack_padded_sequence(torch.empty(5, 3, 3, device="meta"), torch.tensor([3, 5, 2]),
                                  enforce_sorted=False)
    out, (h, c) = layer(packed)
    assert out.data.shape == (10, 4) and h.shape == c.shape == (3, 4)


def test_an_unsorted_packed_batch_on_the_cpu_is_still_torch_nns():
    # (repack now takes the sorted lengths from the batch sizes: the same ones)
    torch.manual_seed(0)
    theirs = torch.nn.LSTM(3, 4, dtype=F64)
    ours = R.LSTM(3, 4, dtype=F64)
    ours.load_state_dict(theirs.state_dict())
    x = torch.randn(5, 3, 3, dtype=F64)
    packed = pack_padded_sequence(x, torch.tensor([3, 5, 2]), enforce_sorted=False)
    (out, (h, c)), (want, (hw, cw)) = ours(packed), theirs(packed)
    assert_close(pad_packed_sequence(out)[0], pad_packed_sequence(want)[0], rtol=0, atol=1e-13)
    assert_close((h, c), (hw, cw), rtol=0, atol=1e-13)


@pytest.mark.parametrize("stacked", [False, True])
def test_lengths_on_meta_are_refused_saying_to_pass_them_on_the_cpu(stacked):
    with torch.device("meta"):
        layer = R.Recurrent(R.GRUCell(3, 4))
        if stacked:  # (its plan read them first: "Tensor.item() cannot be called on meta")
            layer = R.Stacked([layer, R.Recurrent(R.GRUCell(4, 4))])
    x = torch.empty(5, 2, 3, device="meta")
    with pytest.raises(ConfigError, match="lengths on the meta device hold no values.*CPU"):
        layer(x, lengths=torch.tensor([5, 3], device="meta"))
    out, h = layer(x, lengths=torch.tensor([5, 3]))  # (on the CPU: runs, shapes only)
    assert out.shape == (5, 2, 4) and out.device.type == "meta"


def test_the_readme_says_how_the_meta_device_takes_lengths():
    # (review: the session's change was in no doc)
    from pathlib import Path

    text = " ".join((Path(__file__).parents[1] / "README.md").read_text("utf-8").split())
    assert "On the meta device (shapes only) a `PackedSequence` runs" in text
    assert "`lengths=` are given on the CPU there" in text
