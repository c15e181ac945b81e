"""Session 25: dynamic quantization of models holding rnnlab's drop-ins. torch's
``quantize_dynamic`` picks modules by exact type and returned rnnlab's LSTM, GRU and
cells in float without a word; ``rnnlab.nn.quantize_dynamic`` quantizes them as torch
quantizes torch.nn's (the same result) and names what stays in float."""

import warnings

import pytest
import torch
from torch import nn

import rnnlab.nn as R

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning",
                                        "ignore:.*quantize_per_tensor.*:UserWarning")


class _Net(nn.Module):
    def __init__(self, lstm, gru, cell):
        super().__init__()
        self.lstm, self.gru, self.cell = lstm, gru, cell
        self.head = nn.Linear(4, 1)

    def forward(self, x):  # x (B, T, 3)
        h = self.lstm(x)[0]  # (B, T, 8)
        h = self.gru(h)[0]  # (B, T, 4)
        return self.head(self.cell(h[:, -1])[0])  # (B, 1)


def _twins():
    torch.manual_seed(0)
    theirs = _Net(nn.LSTM(3, 4, num_layers=2, bidirectional=True, batch_first=True),
                  nn.GRU(8, 4, batch_first=True), nn.LSTMCell(4, 4))
    ours = _Net(R.LSTM(3, 4, num_layers=2, bidirectional=True, batch_first=True),
                R.GRU(8, 4, batch_first=True), R.LSTMCell(4, 4))
    ours.load_state_dict(theirs.state_dict())
    return theirs, ours


def test_quantizes_rnnlabs_modules_as_torch_quantizes_torchs():
    theirs, ours = _twins()
    x = torch.randn(3, 6, 3)
    want = torch.ao.quantization.quantize_dynamic(theirs)
    got = R.quantize_dynamic(ours)
    for name in ("lstm", "gru", "cell"):
        assert type(getattr(got, name)) is type(getattr(want, name))
        assert "quantized" in type(getattr(got, name)).__module__
    torch.testing.assert_close(got(x), want(x), rtol=0, atol=0)
    assert type(ours.lstm) is R.LSTM  # inplace=False: the model itself unchanged


def test_spec_may_name_rnnlabs_classes_or_modules():
    _, ours = _twins()
    by_class = R.quantize_dynamic(ours, {R.GRU})
    assert "quantized" in type(by_class.gru).__module__
    assert type(by_class.lstm) is R.LSTM and type(by_class.head) is nn.Linear
    by_name = R.quantize_dynamic(ours, {"lstm", "head"})
    assert "quantized" in type(by_name.lstm).__module__
    assert "quantized" in type(by_name.head).__module__
    assert type(by_name.gru) is R.GRU


def test_what_stays_in_float_is_named():
    torch.manual_seed(0)
    model = nn.Sequential(R.Recurrent(R.LSTMCell(3, 4)), R.GRU(4, 4, reset_after=False))
    x = torch.randn(5, 2, 3)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = R.quantize_dynamic(model)
    said = " ".join(str(w.message) for w in caught if "stay in float" in str(w.message))
    assert "0.cell (LSTMCell run over time by a Recurrent)" in said
    assert "1 (GRU(reset_after=False)" in said
    assert type(got[0].cell) is R.LSTMCell and type(got[1]) is R.GRU
    def run(m):
        return m[1](m[0](x)[0])[0]  # (T, B, 4)
    torch.testing.assert_close(run(got), run(model), rtol=0, atol=0)


def test_a_registry_model_runs_quantized_with_and_without_lengths():
    # build_model's networks called their body with lengths (rnnlab's drop-ins take them),
    # and torch's quantized LSTM died there: "forward() takes from 2 to 3 positional
    # arguments but 4 were given"; it now gets them packed, as torch.nn's LSTM does
    from rnnlab.nn.registry import build_model

    torch.manual_seed(0)
    model = build_model("lstm", input_size=2, hidden_size=4)
    got = R.quantize_dynamic(model)
    assert "quantized" in type(got.body).__module__
    x = torch.randn(3, 7, 2)
    lengths = torch.tensor([7, 4, 2])
    for given in (None, lengths):
        out, _ = got(x, None, given)
        want, _ = model(x, None, given)
        assert out.shape == want.shape
        torch.testing.assert_close(out, want, rtol=0, atol=0.05)  # (int8 weights)
    out, _ = got(x, None, lengths)
    assert out[2, 2:].abs().max() == 0  # past a sequence's end: zeros, as unquantized


@pytest.mark.parametrize("kind, x", [("LSTM", torch.randn(5, 2, 3)),
                                     ("GRUCell", torch.randn(2, 3))])
def test_a_parametrized_module_is_quantized_on_the_weights_it_computes(kind, x):
    # parametrize makes a module's class its own subclass (ParametrizedLSTM): looked up by
    # exact class, it stayed in float without a word
    from torch.nn.utils.parametrizations import weight_norm

    torch.manual_seed(0)
    ours = nn.Sequential(getattr(R, kind)(3, 4))
    weight_norm(ours[0], "weight_hh_l0" if kind == "LSTM" else "weight_hh")
    plain = nn.Sequential(getattr(nn, kind)(3, 4))  # (torch's, on the computed weights)
    plain[0].load_state_dict({k: getattr(ours[0], k).detach() for k in plain[0].state_dict()})
    got = R.quantize_dynamic(ours)
    want = torch.ao.quantization.quantize_dynamic(plain)
    assert type(got[0]) is type(want[0]) and "quantized" in type(got[0]).__module__
    torch.testing.assert_close(got(x)[0], want(x)[0], rtol=0, atol=0)


def test_a_module_torch_leaves_in_float_keeps_its_rnnlab_class():
    # each was swapped for its torch class before torch's call and stayed that class:
    # rnnlab's RNN came back an nn.RNN (no quantized RNN in torch), and a module whose
    # qconfig the spec set to None an nn.GRU, both without a word
    from torch.ao.quantization import default_dynamic_qconfig

    torch.manual_seed(0)
    model = nn.Sequential(R.RNN(3, 4), R.GRU(3, 4), R.LSTM(3, 4))
    spec = {R.RNN: default_dynamic_qconfig, R.GRU: default_dynamic_qconfig,
            R.LSTM: default_dynamic_qconfig, "1": None}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = R.quantize_dynamic(model, spec)
    said = " ".join(str(w.message) for w in caught if "stay in float" in str(w.message))
    assert "0 (RNN: the quantization mapping has no nn.RNN)" in said and "1 (" not in said
    assert type(got[0]) is R.RNN and type(got[1]) is R.GRU
    assert not got[0].training and not got[1].training  # (torch's call sets eval)
    assert "quantized" in type(got[2]).__module__
    x = torch.randn(5, 2, 3)
    torch.testing.assert_close(got[1](x)[0], model[1](x)[0], rtol=0, atol=0)


def test_a_gru_cell_of_chos_form_stays_in_float_and_is_named():
    # GRUCell(reset_after=False) went to torch's quantized GRUCell, which runs torch's
    # form: outputs 0.29 off the float cell's without a word
    torch.manual_seed(0)
    model = nn.Sequential(R.GRUCell(3, 4, reset_after=False))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = R.quantize_dynamic(model)
    said = " ".join(str(w.message) for w in caught if "stay in float" in str(w.message))
    assert "0 (GRUCell(reset_after=False)" in said
    assert type(got[0]) is R.GRUCell
    x, h = torch.randn(2, 3), torch.randn(2, 4)
    torch.testing.assert_close(got[0](x, h), model[0](x, h), rtol=0, atol=0)
