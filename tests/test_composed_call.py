"""``Bidirectional`` and ``Stacked`` start their calls alike (recurrent.composed_call): a
non-tensor input and lengths given as the state are refused naming the module, and a
PackedSequence runs as the padded batch with its lengths."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from rnnlab.nn import Bidirectional, GRUCell, Recurrent, Stacked


def _modules():
    torch.manual_seed(0)
    cell = lambda: GRUCell(2, 3, dtype=torch.float64)  # noqa: E731
    bi = Bidirectional(Recurrent(cell()), Recurrent(cell(), reverse=True))
    st = Stacked([Recurrent(cell()), Recurrent(GRUCell(3, 3, dtype=torch.float64))])
    return {"Bidirectional": bi, "Stacked": st}


@pytest.mark.parametrize("name", ["Bidirectional", "Stacked"])
def test_a_composed_layer_starts_its_call_as_the_other(name):
    m = _modules()[name]
    with pytest.raises(TypeError, match=f"^{name}: expected the input as a torch.Tensor"):
        m(np.zeros((4, 2, 2)))
    x, lengths = torch.randn(4, 3, 2, dtype=torch.float64), torch.tensor([4, 1, 3])
    with pytest.raises(ValueError, match=f"^{name}: got the state .* lengths go by keyword"):
        m(x, lengths)
    packed = pack_padded_sequence(x, lengths, enforce_sorted=False)
    out, _ = pad_packed_sequence(m(packed)[0])
    torch.testing.assert_close(out, m(x, lengths=lengths)[0][:4])
