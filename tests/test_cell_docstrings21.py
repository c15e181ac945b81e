"""What the cells' docstrings state as their equations, checked on the cells in float64 (the
teacher's sweep of session 21): the LSTM the docstring names is torch's, with a forget gate
(Gers et al., 2000; the 1997 LSTM had none) and no peephole connections."""

import torch

from rnnlab.nn import LSTM, LSTMCell

F64 = torch.float64


def test_the_lstm_cells_gates_never_read_the_previous_cell_state():
    # no peepholes: f_t and o_t are the same whatever c_{t-1}, so c_t is affine in c_{t-1}
    # with slope f_t, and h_t / tanh(c_t) is o_t for every c_{t-1}
    torch.manual_seed(0)
    cell = LSTMCell(3, 5, dtype=F64)
    x, h = torch.randn(2, 3, dtype=F64), torch.randn(2, 5, dtype=F64)
    cs = [torch.randn(2, 5, dtype=F64) for _ in range(3)]
    outs = [cell(x, (h, c)) for c in cs]
    slope = [(outs[k][1] - outs[0][1]) / (cs[k] - cs[0]) for k in (1, 2)]
    torch.testing.assert_close(slope[0], slope[1])
    gate_o = [hn / torch.tanh(cn) for hn, cn in outs]
    torch.testing.assert_close(gate_o[0], gate_o[1])
    torch.testing.assert_close(gate_o[0], gate_o[2])
    w, b = cell.weight_ih, cell.bias_ih + cell.bias_hh  # the docstring's f_t, transcribed
    f = torch.sigmoid(x @ w[5:10].T + h @ cell.weight_hh[5:10].T + b[5:10])
    torch.testing.assert_close(slope[0], f)


def test_the_lstm_docstrings_name_the_forget_gate_and_no_peepholes():
    # "Long short-term memory (Hochreiter & Schmidhuber, 1997)" over a forget gate the 1997
    # LSTM did not have, and nothing on peepholes, which textbooks (Graves) often include
    doc = " ".join(LSTMCell.__doc__.split())
    assert "forget gate f_t, which the 1997 LSTM did not have (Gers" in doc
    assert "without peephole connections" in doc and "never c_{t-1}" in doc
    assert "peephole" in " ".join(LSTM.__doc__.split())
