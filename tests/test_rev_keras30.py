"""Review of session 30's Keras work (keras30): each test pins a fix."""

from pathlib import Path

import pytest
import torch

from rnnlab.io.errors import ConfigTypeError
from rnnlab.nn import GRU, LSTM, RNN, Bidirectional

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("make", [lambda: LSTM(3, hiden_size=5), lambda: GRU(3, hidden=5),
                                  lambda: RNN(input_size=3, hidensize=5)])
def test_a_dropin_given_a_misspelt_hidden_size_names_the_misspelling(make):
    """LSTM(3, hiden_size=5) said "got LSTM(3), Keras' units alone: here
    LSTM(input_size, 3)": the advice builds a layer of 3 hidden features, and the
    misspelt keyword went unnamed (torch's own check names it, as before keras30)."""
    with pytest.raises(TypeError) as err:
        make()
    message = str(err.value)
    assert "units alone" not in message
    assert any(bad in message for bad in ("hiden_size", "'hidden'", "hidensize")), message


def _layers():
    from rnnlab.nn import Bidirectional, GRUCell, LSTMCell, Recurrent, RNNCell
    rec = lambda **kw: Recurrent(LSTMCell(3, 5), **kw)  # noqa: E731
    return {"RNNCell": lambda **kw: RNNCell(3, 5, **kw),
            "GRUCell": lambda **kw: GRUCell(3, 5, **kw),
            "LSTMCell": lambda **kw: LSTMCell(3, 5, **kw), "Recurrent": rec,
            "Bidirectional": lambda **kw: Bidirectional(rec(), rec(reverse=True), **kw)}


@pytest.mark.parametrize("name", ["RNNCell", "GRUCell", "LSTMCell", "Recurrent",
                                  "Bidirectional"])
def test_constructors_keep_their_own_signature_and_name_a_misspelt_keyword(name):
    """keras30 gave these constructors a ``**keras`` catch-all: help() and inspect showed
    it, a type checker accepted any keyword (LSTMCell(3, 5, baias=False) checked clean),
    and LSTMCell(3, hiden_size=5) said "missing 1 required positional argument:
    'hidden_size'", not naming the misspelling. Keras' names are still refused naming
    rnnlab's way, any other by name with the signature."""
    import inspect

    from rnnlab import nn as rnn
    cls = getattr(rnn, name)
    kinds = [p.kind for p in inspect.signature(cls).parameters.values()]
    assert inspect.Parameter.VAR_KEYWORD not in kinds, inspect.signature(cls)
    with pytest.raises(ConfigTypeError, match=r"'hiden_size'\. \w+ takes \(.*\)$"):
        _layers()[name](hiden_size=5)
    with pytest.raises(ConfigTypeError, match=r"'unroll' \(Keras': here .*path_for"):
        _layers()[name](unroll=True)


def test_a_subclass_taking_a_keras_name_as_its_own_argument_gets_it():
    from rnnlab.nn import LSTMCell

    class Mine(LSTMCell):
        def __init__(self, input_size, hidden_size, activation="tanh"):
            super().__init__(input_size, hidden_size)
            self.activation = activation

    assert Mine(3, 5, activation="relu").activation == "relu"
    with pytest.raises(ConfigTypeError, match="'recurrent_dropout' \\(Keras'"):
        Mine(3, 5, recurrent_dropout=0.1)
    import copy
    import io

    cell = Mine(3, 5, activation="relu")
    assert copy.deepcopy(cell).activation == "relu"
    buf = io.BytesIO()
    torch.save(LSTMCell(3, 5), buf)
    buf.seek(0)
    assert isinstance(torch.load(buf, weights_only=True), LSTMCell)


@pytest.mark.parametrize("make", [
    lambda **kw: Bidirectional(
        _layers()["Recurrent"](batch_first=True),
        _layers()["Recurrent"](reverse=True, batch_first=True), **kw),
    lambda **kw: LSTM(3, 5, batch_first=True, bidirectional=True, **kw)])
def test_bidirectional_return_sequences_false_is_said_as_the_final_states(make):
    """Keras' Bidirectional(LSTM(u)) (return_sequences=False) gives the forward
    direction's last output beside the backward direction's after the whole sequence.
    The refusal (and docs/keras.md) said outputs[:, -1] alone: its backward half has
    read only the last step, a different number silently. What it says now equals
    Keras' (the forward's last step beside the backward's first)."""
    with pytest.raises(ConfigTypeError) as err:
        make(return_sequences=False)
    message = str(err.value)
    assert "torch.cat([h_f, h_b], -1)" in message and "h_n[-2], h_n[-1]" in message
    torch.manual_seed(0)
    layer = make()
    x = torch.randn(2, 6, 3)
    with torch.no_grad():
        out, state = layer(x)
    if isinstance(layer, LSTM):
        h_n = state[0]
        said = torch.cat([h_n[-2], h_n[-1]], -1)
    else:
        h_f, h_b = state[0][0], state[1][0]  # (an LSTM's h of each direction)
        said = torch.cat([h_f, h_b], -1)
    keras = torch.cat([out[:, -1, :5], out[:, 0, 5:]], -1)
    torch.testing.assert_close(said, keras)
    assert not torch.allclose(out[:, -1], keras)
    doc = (ROOT / "docs/keras.md").read_text(encoding="utf-8")
    row = [r for r in doc.splitlines() if r.startswith("| `return_sequences")][0]
    assert "torch.cat([h_f, h_b], -1)" in row


@pytest.mark.parametrize("weights, said", [
    (lambda good: [good[0], None, good[2]], r"weights\[1\] is a NoneType"),
    (lambda good: ["a", "b", "c"], r"weights\[0\] is a str"),
    (lambda good: [[[1.0, 2.0], [3.0]], good[1], good[2]], r"weights\[0\] is a list"),
    (lambda good: (w for w in good), r"got a generator.*list\("),
    (lambda good: {"kernel": good[0], "recurrent_kernel": good[1], "bias": good[2]},
     r"got a dict.*get_weights\(\)"),
])
def test_from_keras_weights_refuses_what_is_not_a_list_of_arrays_by_name(weights, said):
    """A None, a string, a ragged list, a generator or a dict of the arrays escaped as
    torch's or NumPy's TypeError / ValueError ("can't convert np.ndarray of type
    numpy.object_", "unhashable type: 'slice'", "object of type 'generator' has no
    len()"), naming neither the argument nor the fix."""
    import numpy as np

    from rnnlab.nn import LSTMCell, Recurrent, from_keras_weights
    layer = Recurrent(LSTMCell(3, 4))
    good = [np.zeros((3, 16)), np.zeros((4, 16)), np.zeros(16)]
    with pytest.raises(ConfigTypeError, match=said):
        from_keras_weights(layer, weights(good))
    state = from_keras_weights(layer, tuple(good))  # (a tuple is a list of arrays too)
    assert state["cell.weight_ih"].shape == (16, 3)


def test_detach_state_is_exported_where_a_stateful_user_looks():
    """docs/keras.md sent a Keras stateful=True user to rnnlab.nn.registry.detach_state,
    a module of the model registry; it is rnnlab.nn's, annotated (its state's own type
    back), and the page and the refusal name it there."""
    import typing

    import rnnlab.nn as rnn
    from rnnlab.nn import Recurrent, LSTMCell
    from rnnlab.nn.keras_names import KERAS_ARGUMENTS

    assert "detach_state" in rnn.__all__
    layer = Recurrent(LSTMCell(3, 4))
    x = torch.randn(5, 2, 3, requires_grad=True)
    _, state = layer(x)
    cut = rnn.detach_state(state)
    assert isinstance(cut, tuple) and not any(s.requires_grad for s in cut)
    assert typing.get_type_hints(rnn.detach_state)["return"] is not typing.Any
    assert "rnnlab.nn.detach_state(state)" in KERAS_ARGUMENTS["stateful"]
    doc = (ROOT / "docs/keras.md").read_text(encoding="utf-8")
    assert "rnnlab.nn.detach_state(state)" in doc and "registry.detach_state" not in doc


def test_the_keras_page_says_which_keras_versions_gate_with_hard_sigmoid():
    """docs/keras.md said "Keras 2's hard_sigmoid GRU": tf.keras 2's GRU and LSTM gate
    with sigmoid (what the weights assume), while TensorFlow 1's tf.keras, and standalone Keras
    2.2 and before, default both the LSTM and the GRU to hard_sigmoid; an LSTM trained there
    loads and computes another function, which the page did not say."""
    text = (ROOT / "docs/keras.md").read_text(encoding="utf-8")
    said = " ".join(text.split("hard_sigmoid")[0].split()[-40:] + text.split(
        "hard_sigmoid")[1].split()[:30])
    assert "Keras 2's" not in said
    assert "LSTM" in said and "TensorFlow 1" in said


def test_stacked_refuses_keras_arguments_as_the_layers_it_holds_do():
    """docs/keras.md says Keras' arguments given to rnnlab's layers are refused naming
    rnnlab's way; Stacked([...], return_sequences=True) was Python's bare "unexpected
    keyword argument"."""
    from rnnlab.nn import LSTMCell, Recurrent, Stacked

    layers = lambda: [Recurrent(LSTMCell(3, 4)), Recurrent(LSTMCell(4, 4))]  # noqa: E731
    with pytest.raises(ConfigTypeError, match=r"'return_sequences' \(Keras'.*outputs\[:, -1\]"):
        Stacked(layers(), return_sequences=True)
    with pytest.raises(ConfigTypeError, match=r"'dropuot'\. Stacked takes \(layers"):
        Stacked(layers(), dropuot=0.1)
    assert Stacked(layers(), dropout=0.1).dropout is not None


@pytest.mark.parametrize("modes, one_call", [(("concat", "concat"), True),
                                             (("concat", "sum"), False),
                                             (("ave", "concat"), False)])
def test_a_concatenating_bidirectional_stack_still_runs_as_one_kernel_call(monkeypatch, modes,
                                                                           one_call):
    """keras30's merge modes made stack_plan check merge_mode: a stack of concatenating
    Bidirectional layers must keep torch's one multi-layer call (no test watched it: the
    output tests pass on the layer-by-layer path too), a merged one must not take it."""
    import rnnlab.nn.stacked as stacked_module
    from rnnlab.nn import Bidirectional, LSTMCell, Recurrent, Stacked

    calls = []
    real = stacked_module.run_fused_stack
    monkeypatch.setattr(stacked_module, "run_fused_stack",
                        lambda *a, **k: calls.append(1) or real(*a, **k))

    def bi(I, mode):
        return Bidirectional(Recurrent(LSTMCell(I, 3)), Recurrent(LSTMCell(I, 3), reverse=True),
                             merge_mode=mode)
    first = bi(2, modes[0])
    stack = Stacked([first, bi(first.output_size, modes[1])]).eval()
    with torch.no_grad():
        stack(torch.randn(4, 3, 2))
    assert bool(calls) is one_call


def test_keras_weights_given_a_model_name_its_recurrent_part_by_its_own_name():
    """from_keras_weights(build_model('lstm', ...), ws) said "from_keras_weights(model.rnn,
    weights)": rnnlab's models hold it as .body (model.rnn is an AttributeError)."""
    from rnnlab.nn import from_keras_weights, to_keras_weights
    from rnnlab.nn.registry import build_model

    model = build_model("lstm", input_size=3, hidden_size=4)
    for call in (lambda: from_keras_weights(model, []), lambda: to_keras_weights(model)):
        with pytest.raises(ConfigTypeError, match=r"got SequenceModel.*model\.body") as err:
            call()
        assert "model.rnn" not in str(err.value)
    wrapper = torch.nn.Sequential(torch.nn.Identity(), torch.nn.Linear(4, 1))
    with pytest.raises(ConfigTypeError, match=r"holds no recurrent layer"):
        from_keras_weights(wrapper, [])


def test_to_keras_weights_of_a_bfloat16_module_gives_float32_arrays():
    """NumPy has no bfloat16: to_keras_weights of a bf16 module was torch's bare
    "TypeError: Got unsupported ScalarType BFloat16"."""
    import numpy as np

    from rnnlab.nn import LSTMCell, Recurrent, to_keras_weights
    layer = Recurrent(LSTMCell(3, 4)).bfloat16()
    ws = to_keras_weights(layer)
    assert [w.dtype for w in ws] == [np.float32] * 3
    np.testing.assert_array_equal(ws[1], layer.cell.weight_hh.detach().float().T.numpy())


def test_the_keras_page_says_a_keras_bidirectional_zeroes_masked_steps_as_rnnlab_does():
    """Keras' Bidirectional sets zero_output_for_mask when it returns sequences: its
    masked outputs are zero, as rnnlab's. The page said only that Keras' RNN layers repeat
    the last valid output there, which a Bidirectional user would read as a difference."""
    from rnnlab.nn import GRUCell, Recurrent

    text = (ROOT / "docs/keras.md").read_text(encoding="utf-8")
    masked = text.split("* Masked steps.")[1].split("\n* ")[0]
    assert "Bidirectional" in masked and "zeros there too" in masked
    bi = Bidirectional(Recurrent(GRUCell(2, 3), batch_first=True),
                       Recurrent(GRUCell(2, 3), reverse=True, batch_first=True))
    out, _ = bi(torch.randn(2, 4, 2), lengths=torch.tensor([4, 2]))
    assert bool((out[1, 2:] == 0).all())  # (what the page says of rnnlab's)


def test_bidirectional_backward_layer_is_required_in_its_signature_and_one_layer_is_said():
    """keras30 made backward_layer Optional (default None) to refuse Keras'
    Bidirectional(layer) by name: help() and type checkers then showed it optional, and a
    checker passed Bidirectional(fwd). It is required again; one layer is still refused
    naming what to build."""
    import inspect

    from rnnlab.nn import Bidirectional, LSTMCell, Recurrent
    param = inspect.signature(Bidirectional).parameters["backward_layer"]
    assert param.default is inspect.Parameter.empty
    assert "Optional" not in str(param.annotation)
    for call in (lambda: Bidirectional(Recurrent(LSTMCell(3, 5))),
                 lambda: Bidirectional(forward_layer=Recurrent(LSTMCell(3, 5))),
                 lambda: Bidirectional(Recurrent(LSTMCell(3, 5)), merge_mode="sum")):
        with pytest.raises(ConfigTypeError, match=r"got one.*reverse=True\)\)"):
            call()
