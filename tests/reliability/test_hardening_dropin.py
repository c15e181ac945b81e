"""Issue 19, a drop-in wherever torch.nn goes: pytorch/examples' word_language_model
saves the whole model with torch.save(model) and loads it with weights_only=True under
safe_globals listing its own class and torch's; with rnnlab.nn's RNN/GRU/LSTM patched in,
that load must work as with torch's. And torch.jit.trace of GRU(reset_after=False)."""

import copy
import io

import pytest
import torch
from torch import nn

import rnnlab.nn as rnn_nn


class RNNModel(nn.Module):
    """The client's model: encoder, recurrent module, decoder (its code pattern)."""

    def __init__(self, rnn_type, ntoken, ninp, nhid, nlayers, dropout=0.5):
        super().__init__()
        self.drop = nn.Dropout(dropout)
        self.encoder = nn.Embedding(ntoken, ninp)
        if rnn_type in ("LSTM", "GRU"):
            self.rnn = getattr(rnn_nn, rnn_type)(ninp, nhid, nlayers, dropout=dropout)
        else:
            self.rnn = rnn_nn.RNN(ninp, nhid, nlayers, nonlinearity={"RNN_TANH": "tanh",
                                                                     "RNN_RELU": "relu"}[rnn_type],
                                  dropout=dropout)
        self.decoder = nn.Linear(nhid, ntoken)

    def forward(self, input, hidden):
        output, hidden = self.rnn(self.drop(self.encoder(input)), hidden)
        return self.decoder(self.drop(output)), hidden


# what the client lists: its own class and torch's, nothing of rnnlab's
CLIENT_SAFE_GLOBALS = [RNNModel, torch.nn.modules.dropout.Dropout,
                       torch.nn.modules.sparse.Embedding, torch.nn.modules.linear.Linear,
                       torch.nn.modules.rnn.LSTM, torch.nn.modules.rnn.GRU,
                       torch.nn.modules.rnn.RNN]


@pytest.mark.parametrize("rnn_type", ["LSTM", "GRU", "RNN_TANH", "RNN_RELU"])
def test_word_language_model_client_reloads_its_saved_rnnlab_model(rnn_type):
    torch.manual_seed(0)
    model = RNNModel(rnn_type, ntoken=11, ninp=4, nhid=5, nlayers=2).eval()
    buf = io.BytesIO()
    torch.save(model, buf)
    buf.seek(0)
    with torch.serialization.safe_globals(CLIENT_SAFE_GLOBALS):
        loaded = torch.load(buf, weights_only=True)
    loaded.rnn.flatten_parameters()
    assert type(loaded.rnn) is type(model.rnn) and loaded.rnn.impl == model.rnn.impl
    x = torch.randint(0, 11, (6, 3))
    h = None
    out, hid = model(x, h)
    out2, hid2 = loaded(x, h)
    torch.testing.assert_close(out2, out, rtol=0, atol=0)
    ref = copy.deepcopy(loaded.rnn)  # the reference path too (its template was rebuilt)
    ref.impl = "reference"
    torch.testing.assert_close(ref(loaded.encoder(x))[0], loaded.rnn(loaded.encoder(x))[0])


def test_every_rnnlab_architecture_reloads_with_weights_only():
    from rnnlab.nn.registry import ARCHITECTURES, build_model

    # torch's safe_globals context (the test above) removes what it lists when it exits,
    # Linear and Dropout included, even where they were registered before: as at import
    rnn_nn._allow_in_weights_only_load()
    x = torch.randn(5, 2, 3)
    for name in ARCHITECTURES:
        m = build_model(name, input_size=3, hidden_size=4).eval()
        buf = io.BytesIO()
        torch.save(m, buf)
        buf.seek(0)
        loaded = torch.load(buf, weights_only=True)  # no safe_globals needed at all
        torch.testing.assert_close(loaded(x)[0], m(x)[0], rtol=0, atol=0, msg=name)
    gru = rnn_nn.GRU(3, 4, reset_after=False)
    buf = io.BytesIO()
    torch.save(gru, buf)
    buf.seek(0)
    assert torch.load(buf, weights_only=True).reset_after is False


def test_jit_trace_of_the_articles_gru_matches_eager():
    torch.manual_seed(0)
    gru = rnn_nn.GRU(3, 4, num_layers=2, reset_after=False)
    x, h0 = torch.randn(5, 2, 3), torch.randn(2, 2, 4)
    with pytest.warns(torch.jit.TracerWarning):  # (shape checks become constants)
        traced = torch.jit.trace(gru, (x, h0))
    out, h = gru(x, h0)
    tout, th = traced(x, h0)
    torch.testing.assert_close(tout, out)
    torch.testing.assert_close(th, h)
    x2 = torch.randn(5, 2, 3)  # other values of the traced shape
    torch.testing.assert_close(traced(x2, h0)[0], gru(x2, h0)[0])
    tout.sum().backward()  # the trace reads the module's own parameters
    assert gru.weight_hh_l1.grad is not None
