"""A Keras user's day with rnnlab (session 32): Keras' initial weights
(``keras_init_``), the refusal of a whole model naming its recurrent part in Python,
and the mask refusal warning of Keras' start padding. Keras' initializers are checked
against their documented definitions (keras/src/initializers/random_initializers.py:
glorot_uniform U(-a, a), a = sqrt(6 / (fan_in + fan_out)) of the (I, G*H) kernel;
orthogonal: an (H, G*H) matrix with orthonormal rows; keras/src/layers/rnn/lstm.py:
bias zeros with the forget block one when unit_forget_bias=True), read through
``to_keras_weights`` so the test sees Keras' layout, not rnnlab's."""

import math
import re

import numpy as np
import pytest
import torch
from torch import nn

from rnnlab.io.errors import ConfigError, ConfigTypeError
from rnnlab.nn.errors import ShapeError
from rnnlab.nn import (GRU, LSTM, RNN, Bidirectional, GRUCell, LSTMCell, Recurrent,
                       RNNCell, Stacked, from_keras_weights, keras_init_, to_keras_weights)


def _check_keras_start(weights, kinds, inputs, hidden, forget_one=True):
    """Each unit's (kernel, recurrent_kernel, bias) drawn as Keras' defaults draw them."""
    at = 0
    for kind, inp in zip(kinds, inputs):
        gates = {"rnn": 1, "gru": 3, "lstm": 4}[kind]
        kernel, rec, bias = weights[at:at + 3]
        at += 3
        assert kernel.shape == (inp, gates * hidden)
        bound = math.sqrt(6.0 / (inp + gates * hidden))
        assert np.abs(kernel).max() <= bound + 1e-6
        assert np.abs(kernel).max() > 0.8 * bound  # spread over the range, not U(+-1/sqrt(H))
        assert rec.shape == (hidden, gates * hidden)
        np.testing.assert_allclose(rec.astype(np.float64) @ rec.T, np.eye(hidden), atol=1e-5)
        want = np.zeros(bias.shape)
        if kind == "lstm" and forget_one:
            want[hidden:2 * hidden] = 1.0
        np.testing.assert_array_equal(bias, want)
    assert at == len(weights)


def test_keras_init_sets_keras_start_on_a_stacked_bidirectional_lstm_and_gru():
    torch.manual_seed(0)
    stack = Stacked([
        Bidirectional(Recurrent(LSTMCell(3, 8), batch_first=True),
                      Recurrent(LSTMCell(3, 8), reverse=True, batch_first=True)),
        Recurrent(GRUCell(16, 8), batch_first=True)])
    assert keras_init_(stack) is stack
    _check_keras_start(to_keras_weights(stack), ["lstm", "lstm", "gru"], [3, 3, 16], 8)
    # torch's own biases are both zero except bias_ih's forget block (Keras has one bias)
    cell = stack.layers[0].forward_layer.cell
    assert torch.equal(cell.bias_hh, torch.zeros(32))
    assert torch.equal(cell.bias_ih[8:16], torch.ones(8))


@pytest.mark.parametrize("make, kinds, inputs", [
    (lambda: LSTM(4, 6, num_layers=2, bidirectional=True), ["lstm"] * 4, [4, 4, 12, 12]),
    (lambda: GRU(4, 6, reset_after=False), ["gru"], [4]),
    (lambda: RNN(4, 6), ["rnn"], [4]),
    (lambda: nn.GRU(4, 6), ["gru"], [4]),
    (lambda: RNNCell(4, 6), ["rnn"], [4]),
])
def test_keras_init_on_drop_ins_torch_layers_and_cells(make, kinds, inputs):
    torch.manual_seed(1)
    module = keras_init_(make())
    _check_keras_start(to_keras_weights(module), kinds, inputs, 6)


def test_keras_init_unit_forget_bias_false_leaves_every_bias_zero():
    lstm = keras_init_(Recurrent(LSTMCell(3, 5)), unit_forget_bias=False)
    _check_keras_start(to_keras_weights(lstm), ["lstm"], [3], 5, forget_one=False)
    with pytest.raises(ConfigTypeError, match="unit_forget_bias must be True or False"):
        keras_init_(lstm, unit_forget_bias=1)


def test_keras_init_follows_the_generator_and_leaves_a_biasless_layer_so():
    a = keras_init_(LSTM(3, 5), generator=torch.Generator().manual_seed(7))
    b = keras_init_(LSTM(3, 5), generator=torch.Generator().manual_seed(7))
    for (k, x), (_, y) in zip(a.state_dict().items(), b.state_dict().items()):
        assert torch.equal(x, y), k
    nobias = keras_init_(Recurrent(GRUCell(3, 5, bias=False)))
    assert nobias.cell.bias_ih is None and len(to_keras_weights(nobias)) == 2


def test_keras_init_refuses_a_whole_model_naming_its_part():
    model = nn.Sequential(Recurrent(LSTMCell(3, 5)), nn.Linear(5, 1))
    with pytest.raises(ConfigTypeError, match=re.escape("keras_init_(model[0])")):
        keras_init_(model)


def test_keras_init_runs_as_keras_lstm_would_from_the_start():
    """The module computes Keras' LSTM of its own weights: nothing else is changed."""
    torch.manual_seed(3)
    layer = keras_init_(Recurrent(LSTMCell(2, 4), batch_first=True).double())
    kernel, rec, bias = to_keras_weights(layer)
    x = np.random.default_rng(0).normal(size=(2, 5, 2))
    h, c = np.zeros((2, 4)), np.zeros((2, 4))
    sig = lambda a: 1 / (1 + np.exp(-a))  # noqa: E731
    for t in range(5):
        z = x[:, t] @ kernel + h @ rec + bias
        i, f, g, o = (z[:, k * 4:(k + 1) * 4] for k in range(4))
        c = sig(f) * c + sig(i) * np.tanh(g)
        h = sig(o) * np.tanh(c)
    _, (h_t, c_t) = layer(torch.tensor(x))
    np.testing.assert_allclose(h_t.detach().numpy(), h, atol=1e-12)
    assert layer.cell.weight_ih.dtype == torch.float64


@pytest.mark.parametrize("call, name", [
    (lambda m, w: from_keras_weights(m, w), "from_keras_weights"),
    (lambda m, w: to_keras_weights(m), "to_keras_weights"),
])
def test_a_whole_model_is_refused_with_python_that_runs(call, name):
    """The refusal names the recurrent part as Python reaches it (model[0], not the
    syntax error model.0) and the function the user called; the suggestion runs."""
    model = nn.Sequential(nn.Identity(), Recurrent(GRUCell(3, 4)), nn.Linear(4, 1))
    weights = [np.ones((3, 12), "float32"), np.ones((4, 12), "float32"),
               np.zeros((2, 12), "float32")]
    with pytest.raises(ConfigTypeError) as info:
        call(model, weights)
    text = str(info.value)
    assert "model.1" not in text
    fix = text.split("model[1]: ", 1)[1]
    assert fix.startswith(f"model[1].load_state_dict({name}(model[1], weights))"
                          if name == "from_keras_weights" else f"{name}(model[1])")
    got = eval(fix, {name: from_keras_weights if name == "from_keras_weights"
                     else to_keras_weights, "model": model, "weights": weights})
    if name == "to_keras_weights":
        assert [a.shape for a in got] == [(3, 12), (4, 12), (2, 12)]
    else:
        assert torch.equal(model[1].cell.bias_hh, torch.zeros(12))


def test_a_nested_part_is_named_with_attributes_and_indices():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.ModuleList([nn.Identity(), LSTM(3, 4)])

    with pytest.raises(ConfigTypeError, match=re.escape("to_keras_weights(model.body[1])")):
        to_keras_weights(Net())


def test_the_mask_refusal_says_keras_pads_the_start():
    """lengths = mask.sum(1) of a start-padded mask reads the padding as steps: the
    refusal of mask= says to pad at the end (Keras' pad_sequences pads the start)."""
    layer = Recurrent(LSTMCell(2, 3), batch_first=True)
    with pytest.raises(ConfigTypeError, match=r"padding='post'"):
        layer(torch.zeros(1, 4, 2), mask=torch.ones(1, 4, dtype=torch.bool))


@pytest.mark.parametrize("keyword", ["kernel_initializer", "recurrent_initializer",
                                     "bias_initializer", "unit_forget_bias"])
def test_keras_initializer_arguments_name_keras_init(keyword):
    with pytest.raises(ConfigTypeError, match=re.escape("rnnlab.nn.keras_init_(layer)")):
        LSTMCell(3, 5, **{keyword: "zeros"})


def test_keras_init_refuses_a_parametrized_weight_as_from_keras_weights_does():
    cell = LSTMCell(3, 4)
    nn.utils.parametrizations.orthogonal(cell, "weight_hh")
    with pytest.raises(ConfigError, match="before parametrizing") as info:
        keras_init_(cell)
    # (it named from_keras_weights and "Keras' arrays", which a keras_init_ call has not)
    text = str(info.value)
    assert text.startswith("keras_init_: ") and "call keras_init_ before parametrizing" in text
    assert "from_keras_weights" not in text and "remove_parametrizations" in text


def test_a_parametrized_bare_cell_gives_its_computed_weights():
    """to_keras_weights reads a parametrized weight as computed: a bare cell too (it was
    refused as "ParametrizedLSTMCell ... holds no recurrent layer"), as in a Recurrent."""
    cell = LSTMCell(3, 4)
    nn.utils.parametrizations.orthogonal(cell, "weight_hh")
    kernel, rec, bias = to_keras_weights(cell)
    np.testing.assert_allclose(rec, cell.weight_hh.detach().T.numpy(), atol=0)
    np.testing.assert_allclose(to_keras_weights(Recurrent(cell))[1], rec, atol=0)


def _keras_page() -> str:
    from pathlib import Path
    return (Path(__file__).resolve().parents[1] / "docs/keras.md").read_text(encoding="utf-8")


def test_the_keras_page_says_keras_lstm_starts_with_its_forget_bias_one():
    """The page gave "zero biases" for Keras' start, and zeros_ on every bias as the
    recipe: Keras' LSTM defaults to unit_forget_bias=True (the forget bias one)."""
    bullet = _keras_page().split("* Initial weights.")[1].split("\n\n")[0]
    assert "unit_forget_bias=True" in bullet and "forget gate's bias to one" in bullet
    assert "keras_init_(layer)" in bullet


def test_the_keras_page_says_dropout_masks_are_tied_here_and_per_gate_in_keras():
    text = _keras_page()
    row = next(r for r in text.splitlines() if r.startswith("| `recurrent_dropout=p`"))
    assert "one for all gates" in row and "per gate" in row
    bullet = text.split("* Dropout masks per gate.")[1].split("\n* ")[0]
    assert "dropout_mask_count" in bullet and "four for an LSTM" in bullet


def test_keras_flat_bidirectional_lstm_state_is_paired_in_the_refusal():
    """Keras' Bidirectional(LSTM) takes initial_state=[h_f, c_f, h_b, c_b]; the refusal
    says how to pair it, and the pairing it gives runs."""
    bi = Bidirectional(Recurrent(LSTMCell(3, 4), batch_first=True),
                       Recurrent(LSTMCell(3, 4), reverse=True, batch_first=True))
    x, state = torch.randn(2, 5, 3), [torch.randn(2, 4) for _ in range(4)]
    with pytest.raises(ShapeError) as info:
        bi(x, state)
    fix = str(info.value).split(" here: ", 1)[1].split("; pass None")[0]
    out, (fin_f, fin_b) = bi(x, eval(fix, {"state": state}))
    want, _ = bi.forward_layer(x, (state[0], state[1]))
    torch.testing.assert_close(out[..., :4], want)


def test_a_length_of_zero_says_what_keras_did_and_what_to_do():
    layer = Recurrent(GRUCell(2, 3), batch_first=True)
    with pytest.raises(ShapeError, match="leave that row out of the batch"):
        layer(torch.zeros(2, 4, 2), lengths=torch.tensor([4, 0]))
    with pytest.raises(ShapeError) as info:  # (a length past the end: as before)
        layer(torch.zeros(2, 4, 2), lengths=torch.tensor([5, 1]))
    assert "leave that row out" not in str(info.value)


def test_the_keras_page_says_how_sequential_lstm_dense_is_written():
    """Keras' first model, Sequential([LSTM(u), Dense(1)]), fails in torch.nn.Sequential
    with torch's "must be Tensor, not tuple"; the page names that error and the forward
    that replaces it, and that forward runs."""
    row = next(r for r in _keras_page().splitlines()
               if r.startswith("| `Sequential([LSTM(u), Dense(1)])`"))
    rnn, head = Recurrent(LSTMCell(3, 4), batch_first=True), nn.Linear(4, 1)
    with pytest.raises(TypeError) as info:
        nn.Sequential(rnn, head)(torch.zeros(2, 5, 3))
    said = re.search(r'says "([^"]+)"', row).group(1)
    assert said in str(info.value)
    code = re.search(r"`(out, _ = self\.rnn\(x\); return [^`]+)`", row).group(1)

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn, self.head = rnn, head

        def forward(self, x):
            ns = {"self": self, "x": x}
            exec(code.replace("return ", "y = "), ns)
            return ns["y"]

    assert Net()(torch.zeros(2, 5, 3)).shape == (2, 1)


def test_the_keras_page_npz_block_runs_and_loads_the_arrays(tmp_path, monkeypatch):
    from test_docs_snippets import python_blocks

    [code] = [c for h, c in python_blocks("docs/keras.md")
              if h == "### Without Keras where torch runs"]
    monkeypatch.chdir(tmp_path)
    ns: dict = {}
    exec(code, ns)
    saved = np.load(tmp_path / "lstm.npz")
    for k, got in enumerate(to_keras_weights(ns["layer"])):
        np.testing.assert_array_equal(got, saved[f"arr_{k}"])


@pytest.mark.parametrize("names", [[f"arr_{k}" for k in range(12)], ["kernel", "bias"]])
def test_arrays_by_name_are_refused_naming_the_list_in_keras_order(tmp_path, names):
    """A .npz (np.savez(f, *get_weights())) read with np.load, or a dict by name, was
    "expected a list of arrays, got a NpzFile", with no word of how to list it."""
    np.savez(tmp_path / "w.npz", **{n: np.zeros(2, "float32") for n in names})
    with pytest.raises(ConfigTypeError) as info:
        from_keras_weights(Recurrent(GRUCell(2, 3)), np.load(tmp_path / "w.npz"))
    text = str(info.value)
    if names[0] == "arr_0":
        assert "[z[f'arr_{k}'] for k in range(len(z.files))]" in text
    else:
        assert "kernel, recurrent_kernel, bias of each layer" in text and "arr_" not in text


def test_the_keras_page_says_a_stacks_state_is_one_per_layer():
    """Keras' top-layer return_state is state[-1] of Stacked; the page says so, and it is
    the top layer's own final (h, c)."""
    row = next(r for r in _keras_page().splitlines() if r.startswith("| stacked layers"))
    assert "state[-1]" in row
    stack = Stacked([Recurrent(LSTMCell(3, 4), batch_first=True),
                     Recurrent(LSTMCell(4, 5), batch_first=True)])
    x = torch.randn(2, 6, 3)
    out, state = stack(x)
    h, c = state[-1]
    torch.testing.assert_close(h, out[:, -1])
    assert c.shape == (2, 5)


def test_the_keras_page_masking_and_mask_zero_lengths_are_the_valid_steps():
    """The Masking row's two expressions give each post-padded row's valid steps, and a
    layer given them computes the final state of the unpadded row."""
    row = next(r for r in _keras_page().splitlines() if r.startswith("| `Masking`"))
    masking = re.search(r"`(lengths = \(x != 0\)[^`]+)`", row).group(1)
    mask_zero = re.search(r"`(lengths = \(tokens != 0\)[^`]+)`", row).group(1)
    torch.manual_seed(0)
    x = torch.randn(3, 5, 2)
    x[1, 3:] = 0.0
    x[2, 1:] = 0.0
    tokens = torch.tensor([[4, 2, 7, 1, 3], [5, 5, 9, 0, 0], [8, 0, 0, 0, 0]])
    ns = {"x": x, "tokens": tokens}
    exec(masking, ns)
    assert ns["lengths"].tolist() == [5, 3, 1]
    exec(mask_zero, ns)
    assert ns["lengths"].tolist() == [5, 3, 1]
    layer = Recurrent(GRUCell(2, 3), batch_first=True)
    _, h = layer(x, lengths=ns["lengths"])
    _, h1 = layer(x[1:2, :3])
    torch.testing.assert_close(h[1:2], h1)


@pytest.mark.parametrize("call, name", [
    (lambda m: keras_init_(m), "keras_init_"),
    (lambda m: from_keras_weights(m, to_keras_weights(LSTM(3, 4))), "from_keras_weights"),
])
def test_a_meta_module_is_refused_saying_to_give_it_memory(call, name):
    """Was torch's "Tensor.item() cannot be called on meta tensors" / "Cannot copy out of
    meta tensor; no data!"; the fix it names works."""
    module = LSTM(3, 4, device="meta")
    with pytest.raises(ConfigError, match=rf"{name}: .*meta device.*to_empty\(device='cpu'\)"):
        call(module)
    call(module.to_empty(device="cpu"))


def test_the_keras_page_gives_keras_masked_outputs_from_rnnlabs():
    """Keras' default (zero_output_for_mask=False) repeats each row's last valid output at
    its masked steps (keras/src/backend/*/rnn.py); the page's two expressions make that
    from rnnlab's zeros, checked against a float64 loop of Keras' SimpleRNN."""
    bullet = _keras_page().split("* Masked steps.")[1].split("\n* ")[0]
    code = re.findall(r"`((?:last = |out\.gather)[^`]+)`", bullet.replace("\n  ", " "))
    assert len(code) == 2
    torch.manual_seed(0)
    layer = Recurrent(RNNCell(2, 3), batch_first=True).double()
    kernel, rec, bias = to_keras_weights(layer)
    x, lengths = torch.randn(3, 5, 2, dtype=torch.float64), torch.tensor([5, 2, 3])
    out, _ = layer(x, lengths=lengths)
    ns = {"torch": torch, "out": out, "lengths": lengths}
    exec(code[0], ns)
    got = eval(code[1], ns)
    h, prev, want = np.zeros((3, 3)), np.zeros((3, 3)), []
    for t in range(5):
        new = np.tanh(x[:, t].numpy() @ kernel + h @ rec + bias)
        valid = (t < lengths.numpy())[:, None]
        h = np.where(valid, new, h)
        prev = np.where(valid, new, prev)
        want.append(prev)
    np.testing.assert_allclose(got.detach().numpy(), np.stack(want, 1), atol=1e-12)
