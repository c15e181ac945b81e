"""Pascanu et al. (2014), "How to construct deep recurrent neural networks", checked from
the paper's equations, not from rnnlab's code: each architecture's parameter count by
the paper's layer sizes, and its forward pass against a float64 step-by-step loop written
here (column vectors as in the paper: h_t = phi(W_L^T ... phi(W_1^T h_{t-1} + U^T x_t)))."""

import pytest
import torch

from rnnlab.nn import Bidirectional, DTRNNCell, Recurrent, build_model

I, H, F = 3, 5, 4  # input, hidden and intermediate (width) units


def transition_count(i, h, f, depth, shortcut):
    """The DT(S) transition's parameters: U (i x f) and W_1 (h x f) with their biases into
    the first layer (torch's two: b_ih, b_hh), W_l (f x f) + b_l in between, W_L (f x h)
    + b_L into h_t; the shortcut adds W_s (h x h) and U_s (i x h), biasless."""
    if depth == 1:
        return i * h + h * h + 2 * h
    n = i * f + h * f + 2 * f + (depth - 2) * (f * f + f) + f * h + h
    return n + (h * h + i * h if shortcut else 0)


@pytest.mark.parametrize("name,shortcut,out", [("dt-rnn", False, 0), ("dts-rnn", True, 0),
                                               ("dot-rnn", False, 1), ("dots-rnn", True, 2)])
@pytest.mark.parametrize("depth", [2, 3])
def test_parameter_counts_by_the_papers_layer_sizes(name, shortcut, out, depth):
    kw = {"out_depth": out} if out else {}
    m = build_model(name, input_size=I, hidden_size=H, depth=depth, width=F, **kw)
    deep_output = (H * F + F) + (out - 1) * (F * F + F) if out else 0
    assert sum(p.numel() for p in m.parameters()) == \
        transition_count(I, H, F, depth, shortcut) + deep_output


def test_stacked_counts_read_the_layer_below():
    m = build_model("stacked-dt-rnn", input_size=I, hidden_size=H, depth=3, width=F,
                    num_layers=3)
    want = transition_count(I, H, F, 3, False) + 2 * transition_count(H, H, F, 3, False)
    assert sum(p.numel() for p in m.parameters()) == want
    assert sum(p.numel() for p in build_model("drnn", input_size=I, hidden_size=H)
               .parameters()) == transition_count(I, H, F, 1, False) + \
        transition_count(H, H, F, 1, False)


def paper_step(cell, x, h):
    """One DT(S) step from the paper's equations, float64, column vectors (x: (I,), h: (H,))."""
    p = {k: v.detach().double() for k, v in cell.named_parameters()}
    U, W1 = p["weight_ih"].T, p["weight_hh"].T  # the paper's (in, out) matrices
    z = torch.tanh(W1.T @ h + U.T @ x + p["bias_ih"] + p["bias_hh"])
    for l in range(2, cell.depth + 1):
        W_l = p[f"weight_tl{l}"].T
        a = W_l.T @ z + p[f"bias_tl{l}"]
        if cell.shortcut and l == cell.depth:  # the shortcut skips into the last layer
            W_s, U_s = p["weight_sh"].T, p["weight_sx"].T
            a = a + W_s.T @ h + U_s.T @ x
        z = torch.tanh(a)
    return z


def paper_run(cells, xs, length):
    """Stacked levels over one sequence's first ``length`` steps: (outputs, final states)."""
    finals = []
    for cell in cells:
        h, outs = torch.zeros(cell.hidden_size, dtype=torch.float64), []
        for t in range(length):
            h = paper_step(cell, xs[t], h)
            outs.append(h)
        xs, finals = torch.stack(outs), finals + [h]
    return xs, finals


@pytest.mark.parametrize("name", ["dt-rnn", "dts-rnn", "dot-rnn", "dots-rnn", "stacked-dt-rnn"])
@pytest.mark.parametrize("depth", [2, 3])
def test_forward_equals_the_papers_equations_with_variable_lengths(name, depth):
    torch.manual_seed(depth)
    m = build_model(name, input_size=I, hidden_size=H, depth=depth, width=F)
    x, lengths = torch.randn(3, 6, I), torch.tensor([6, 2, 4])
    out, state = m(x, lengths=lengths)
    cells = [layer.cell for layer in m.body.layers]
    for b in range(3):
        n = int(lengths[b])
        seq, finals = paper_run(cells, x[b].double(), n)
        if m.deep_output is not None:  # DOT: y_t's intermediate layers, per step
            for layer in m.deep_output.layers:
                seq = torch.tanh(layer.weight.double() @ seq.T + layer.bias.double()[:, None]).T
        torch.testing.assert_close(out[b, :n].double(), seq, atol=1e-6, rtol=0)
        assert not out[b, n:].any()  # past the end: zero
        for got, want in zip(state, finals):
            torch.testing.assert_close(got[b].double(), want, atol=1e-6, rtol=0)


def test_bidirectional_deep_transition_reads_each_sequence_backwards_from_its_end():
    torch.manual_seed(0)
    fw, bw = (DTRNNCell(I, H, depth=3, width=F, shortcut=True) for _ in range(2))
    bi = Bidirectional(Recurrent(fw, batch_first=True),
                       Recurrent(bw, batch_first=True, reverse=True))
    x, lengths = torch.randn(3, 6, I), torch.tensor([6, 1, 4])
    out, (h_fw, h_bw) = bi(x, lengths=lengths)
    for b in range(3):
        n = int(lengths[b])
        seq_f, (last_f,) = paper_run([fw], x[b].double(), n)
        seq_b, (last_b,) = paper_run([bw], x[b, :n].double().flip(0), n)
        torch.testing.assert_close(out[b, :n].double(), torch.cat([seq_f, seq_b.flip(0)], 1),
                                   atol=1e-6, rtol=0)
        torch.testing.assert_close(h_fw[b].double(), last_f, atol=1e-6, rtol=0)
        torch.testing.assert_close(h_bw[b].double(), last_b, atol=1e-6, rtol=0)
