"""Every registry architecture equals its equations, written out from its state_dict.

The other tests chain: cells against transcribed formulas (test_cells, test_deep), layers
against stepping the cell (test_layers), fast paths against the loop (test_fast_paths),
registry models on "auto" against "reference" (test_user_sweep_deep). This one checks
the whole ``build_model`` network on its default path against one independent oracle:
each sequence run alone, step by step, over its own real steps only, with column-vector
equations (Elman, Cho et al.'s and torch's GRU, LSTM, Pascanu et al.'s DT / DT(S) and
deep output) and explicit matrices read from the parameters. Two layers where the
architecture allows it (so the second reads both directions of the first), variable
lengths with junk in the padding, a given initial state, float64, forward and gradients
(of the parameters, the input and the state). The backward direction must start at each
sequence's last real step, its final state is the one after reading step 0, and outputs
past each end are zero.
"""

import pytest
import torch
from torch.testing import assert_close

from rnnlab.nn.registry import ARCHITECTURES, build_model

F64 = torch.float64
I, H, LENGTHS = 3, 4, [5, 2, 4]  # 11 of 15 steps valid: training runs the padded batch
sig, tanh = torch.sigmoid, torch.tanh
PHI = {"tanh": tanh, "relu": torch.relu}


def elman(p, phi):
    return lambda x, h: phi(p["weight_ih"] @ x + p["bias_ih"] + p["weight_hh"] @ h + p["bias_hh"])


def gru(p, reset_after):
    """Gates r, z, n; h_t = z h_{t-1} + (1 - z) n (Cho et al.'s update convention)."""
    (Wr, Wz, Wn), (Ur, Uz, Un) = p["weight_ih"].chunk(3), p["weight_hh"].chunk(3)
    (br, bz, bn), (cr, cz, cn) = p["bias_ih"].chunk(3), p["bias_hh"].chunk(3)

    def step(x, h):
        r = sig(Wr @ x + br + Ur @ h + cr)
        z = sig(Wz @ x + bz + Uz @ h + cz)
        rec = r * (Un @ h + cn) if reset_after else Un @ (r * h) + cn  # torch's / Cho's
        return z * h + (1 - z) * tanh(Wn @ x + bn + rec)
    return step


def lstm(p):
    def step(x, hc):
        h, c = hc
        i, f, g, o = (p["weight_ih"] @ x + p["bias_ih"] + p["weight_hh"] @ h
                      + p["bias_hh"]).chunk(4)
        c = sig(f) * c + sig(i) * tanh(g)
        return sig(o) * tanh(c), c
    return step


def deep_transition(cell):
    """Pascanu et al. (2014): z1 = phi(U x + W_1 h + b), z_l = phi(W_l z_(l-1) + b_l),
    h_t = z_L, and with shortcuts z_L = phi(W_L z_(L-1) + b_L + W_s h + U_s x)."""
    phi = PHI[cell.nonlinearity]

    def step(x, h):
        z = phi(cell.weight_ih @ x + cell.bias_ih + cell.weight_hh @ h + cell.bias_hh)
        for l in range(2, cell.depth + 1):
            a = getattr(cell, f"weight_tl{l}") @ z + getattr(cell, f"bias_tl{l}")
            if cell.shortcut and l == cell.depth:
                a = a + cell.weight_sh @ h + cell.weight_sx @ x
            z = phi(a)
        return z
    return step


def run(step, xs, s0, reverse):
    """One direction over the real steps ``xs``; (outputs in time order, final state)."""
    outs, s = [None] * len(xs), s0
    for t in (reversed(range(len(xs))) if reverse else range(len(xs))):
        s = step(xs[t], s)
        outs[t] = s[0] if isinstance(s, tuple) else s
    return outs, s


def L_D(body):
    """States of a torch-style body: layers x directions."""
    return body.num_layers * (2 if body.bidirectional else 1)


def torch_style(model, x, state):
    """rnn, drnn, brnn, gru, gru-cho, bigru, lstm, bilstm: torch's parameter names and
    state layout ((L*D, B, H), an (h, c) pair for the LSTMs)."""
    body = model.body
    p_all = dict(body.named_parameters())
    D, is_lstm = 2 if body.bidirectional else 1, isinstance(state, tuple)
    out = torch.zeros(x.shape[0], x.shape[1], D * H, dtype=F64)
    fin = [[None] * x.shape[0] for _ in range(L_D(body))]
    fin_c = [[None] * x.shape[0] for _ in range(L_D(body))]
    for b, n in enumerate(LENGTHS):
        seq = list(x[b, :n])
        for k in range(body.num_layers):
            dirs = []
            for d in range(D):
                p = {w: p_all[f"{w}_l{k}{'_reverse' if d else ''}"]
                     for w in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
                if is_lstm:
                    step, s0 = lstm(p), (state[0][k * D + d, b], state[1][k * D + d, b])
                elif isinstance(body, torch.nn.GRU):
                    step, s0 = gru(p, body.reset_after), state[k * D + d, b]
                else:
                    step, s0 = elman(p, PHI[body.nonlinearity]), state[k * D + d, b]
                o, s = run(step, seq, s0, reverse=d == 1)
                dirs.append(o)
                fin[k * D + d][b], fin_c[k * D + d][b] = (s if is_lstm else (s, None))
            seq = [torch.cat([o[t] for o in dirs]) for t in range(n)]
        if n:
            out[b, :n] = torch.stack(seq)
    h = torch.stack([torch.stack(f) for f in fin])
    return out, ((h, torch.stack([torch.stack(f) for f in fin_c])) if is_lstm else h)


def deep_style(model, x, state):
    """dt-rnn, dts-rnn, dot-rnn, stacked-dt-rnn: a list of (B, H) states, one per layer;
    dot-rnn's deep output o_k = phi(V_k o_(k-1) + c_k) after the top layer."""
    cells = [layer.cell for layer in model.body.layers]
    out = torch.zeros(x.shape[0], x.shape[1], model.output_size, dtype=F64)
    fin = [[None] * x.shape[0] for _ in cells]
    for b, n in enumerate(LENGTHS):
        seq = list(x[b, :n])
        for k, cell in enumerate(cells):
            seq, fin[k][b] = run(deep_transition(cell), seq, state[k][b], reverse=False)
        if model.deep_output is not None:
            phi = PHI[model.deep_output.nonlinearity]
            for lin in model.deep_output.layers:
                seq = [phi(lin.weight @ o + lin.bias) for o in seq]
        out[b, :n] = torch.stack(seq)
    return out, [torch.stack(f) for f in fin]


def leaves(s):
    return [s] if isinstance(s, torch.Tensor) else [t for u in s for t in leaves(u)]


def build(name):
    arch = ARCHITECTURES[name]
    kw = dict(input_size=I, hidden_size=H)
    if arch.bidirectional or name in ("gru-cho", "lstm", "drnn"):
        kw["num_layers"] = 2
    if "depth" in arch.options:
        kw.update(depth=3, width=5)
    if name == "dts-rnn":
        kw.update(nonlinearity="relu")
    if name == "dot-rnn":
        kw.update(depth=2, out_depth=2)
    torch.manual_seed(0)
    model = build_model(name, **kw).double()
    with torch.no_grad():  # larger weights than the init's, so that every term matters
        for p in model.parameters():
            p.mul_(2.5)
    return model


@pytest.mark.parametrize("grad", [True, False], ids=["training", "inference"])
@pytest.mark.parametrize("name", list(ARCHITECTURES))
def test_every_architecture_equals_its_equations(name, grad):
    model = build(name)
    B, T = len(LENGTHS), max(LENGTHS)
    g = torch.Generator().manual_seed(1)
    x = torch.randn(B, T, I, generator=g, dtype=F64)
    junk = x.clone()
    for b, n in enumerate(LENGTHS):
        junk[b, n:] = 1e3  # never read: the equations below never see it
    deep = "depth" in ARCHITECTURES[name].options
    if deep:
        state = [torch.randn(B, H, generator=g, dtype=F64) for _ in model.body.layers]
    else:
        shape = (L_D(model.body), B, H)
        state = torch.randn(*shape, generator=g, dtype=F64)
        if name in ("lstm", "bilstm"):
            state = (state, torch.randn(*shape, generator=g, dtype=F64))
    lengths = torch.tensor(LENGTHS)
    xs = junk.clone().requires_grad_(grad)
    st = [s.clone().requires_grad_(grad) for s in leaves(state)]
    given = st if deep else (tuple(st) if isinstance(state, tuple) else st[0])
    with torch.set_grad_enabled(grad):
        out, fin = model(xs, given, lengths)
    xh = x.clone().requires_grad_(grad)
    sh = [s.clone().requires_grad_(grad) for s in leaves(state)]
    with torch.set_grad_enabled(grad):
        want, want_fin = (deep_style if deep else torch_style)(
            model, xh, sh if deep else (tuple(sh) if isinstance(state, tuple) else sh[0]))
    got, expected = [out, *leaves(fin)], [want, *leaves(want_fin)]
    for a, b in zip(got, expected):
        assert_close(a, b, rtol=1e-10, atol=1e-12)
    if not grad:
        return
    w = [torch.randn(t.shape, generator=g, dtype=F64) for t in got]
    params = list(model.parameters())
    ga = torch.autograd.grad(sum((t * v).sum() for t, v in zip(got, w)), params + [xs] + st)
    gb = torch.autograd.grad(sum((t * v).sum() for t, v in zip(expected, w)),
                             params + [xh] + sh)
    for a, b in zip(ga, gb):
        assert_close(a, b, rtol=1e-10, atol=1e-12)


def test_models_says_dot_rnns_count_holds_its_deep_output(capsys):
    """``rnnlab models`` said its counts were "the recurrent layers only", but dot-rnn's row
    counts its deep output MLP too (12,608 at the defaults: 8,448 for the transition and
    4,160 for the output layer); the footer now says so, and the count is that sum."""
    from rnnlab.cli import main
    from rnnlab.nn.registry import count_parameters

    assert main(["models"]) == 0
    out = capsys.readouterr().out
    dot = build_model("dot-rnn", input_size=1, hidden_size=64)
    body, head = count_parameters(dot.body), count_parameters(dot.deep_output)
    assert head > 0 and any(line.split()[:3] == ["dot-rnn", "1", f"{body + head:,}"]
                            for line in out.splitlines())
    assert "dot-rnn's with its deep output" in out
