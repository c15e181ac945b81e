"""DOT(S)-RNN (Pascanu et al. 2014), the deep-output model their experiments train, by
name: ``build_model("dots-rnn")`` is the DT(S) transition followed by the deep output.
It could only be composed by hand; its equations against the model are checked with every
architecture's in test_architecture_equations (forward and gradients, float64)."""

import pytest
import torch
from torch.testing import assert_close

from rnnlab.nn import DeepOutput, DTRNNCell, Recurrent
from rnnlab.nn.registry import build_model, count_parameters


def dots_count(I, H, L, F, D):
    """Parameters of a one-layer DOT(S)-RNN: transition (first layer with torch's two
    biases, L - 2 middle layers, the last to H), shortcuts W_s (H, H) and U_s (H, I),
    then the deep output: D layers of F units."""
    transition = F * I + F + F * H + F + (L - 2) * (F * F + F) + H * F + H
    shortcut = H * H + H * I
    output = H * F + F + (D - 1) * (F * F + F)
    return transition + shortcut + output


@pytest.mark.parametrize("I,H,L,F,D", [(1, 64, 2, 64, 1), (3, 8, 4, 5, 3)])
def test_dots_rnn_parameter_count_is_its_formula(I, H, L, F, D):
    model = build_model("dots-rnn", input_size=I, hidden_size=H, depth=L, width=F, out_depth=D)
    assert count_parameters(model) == dots_count(I, H, L, F, D)
    assert model.output_size == F


def test_dots_rnn_is_the_hand_composition():
    """The same draws as DT(S) cell + DeepOutput composed by hand, the same outputs."""
    torch.manual_seed(3)
    model = build_model("dots-rnn", input_size=3, hidden_size=6, depth=3, width=5,
                        out_depth=2, nonlinearity="relu").double()
    torch.manual_seed(3)
    cell = DTRNNCell(3, 6, depth=3, width=5, nonlinearity="relu", shortcut=True)
    layer = Recurrent(cell, batch_first=True).double()
    head = DeepOutput(6, depth=2, width=5, nonlinearity="relu").double()
    assert [k for k in model.state_dict()] == (
        [f"body.layers.0.{k}" for k in layer.state_dict()]
        + [f"deep_output.{k}" for k in head.state_dict()])
    for a, b in zip(model.state_dict().values(), [*layer.state_dict().values(),
                                                  *head.state_dict().values()]):
        assert torch.equal(a, b)
    x = torch.randn(2, 7, 3, dtype=torch.float64)
    out, state = model(x)
    want, h = layer(x)
    assert_close(out, head(want), rtol=0, atol=0)
    assert_close(state[0], h, rtol=0, atol=0)


def test_dots_rnn_refuses_depth_one_naming_itself():
    with pytest.raises(ValueError, match=r"'dots-rnn' \(DOT\(S\)-RNN\) needs depth >= 2.*"
                                         r"'dot-rnn'"):
        build_model("dots-rnn", input_size=1, hidden_size=4, depth=1)


def test_models_lists_dots_rnn_with_its_count(capsys):
    from rnnlab.cli import main

    assert main(["models", "--hidden-size", "8", "--depth", "3", "--out-depth", "2"]) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert ["dots-rnn", "1", f"{dots_count(1, 8, 3, 8, 2):,}"] in [r[:3] for r in rows]
