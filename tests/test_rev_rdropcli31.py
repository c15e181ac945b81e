"""Review of rdropcli31 (input_dropout / recurrent_dropout through the configs and the
command line): what the review found, each pinned by a test that failed before it."""

from __future__ import annotations

import pytest

from cli_run import run
from test_own_cells20 import registry  # noqa: F401  (the fixture: the names added removed)


@pytest.mark.parametrize("command", [
    ["lm", "train", "--corpus", "time-machine", "--model", "dt-rnn"],
    ["forecast", "--data", "airline", "--model", "dt-rnn"],
    ["compare", "--data", "airline", "--models", "dt-rnn"],
])
def test_a_kernel_impl_with_recurrent_dropout_is_a_usage_error_before_the_run_folder(
        command, tmp_path, capsys):
    """Was exit status 1 (an UnsupportedError, not a usage error) where --impl fast with
    --model lstm, the same kind of clash, is 2."""
    code, err = run([*command, "--out", str(tmp_path / "o"), "--impl", "fast",
                     "--recurrent-dropout", "0.2"], capsys)
    assert code == 2
    assert "--impl auto" in err and "--recurrent-dropout" in err
    assert not (tmp_path / "o").exists()


def test_an_own_build_that_gives_the_rates_to_one_layer_of_two_is_refused(registry):
    """Was accepted (one layer carrying them was enough): the second layer trained without
    them while config.json recorded them for the model."""
    from rnnlab.io.errors import UnsupportedError
    from rnnlab.nn import GRUCell, Recurrent, Stacked
    from rnnlab.nn.architectures import Architecture, register_architecture
    from rnnlab.nn.registry import build_model

    def build(spec, layers):  # (the rates on the first layer only)
        first = Recurrent(GRUCell(spec.input_size, spec.hidden_size), batch_first=True,
                          input_dropout=spec.input_dropout,
                          recurrent_dropout=spec.recurrent_dropout)
        second = Recurrent(GRUCell(spec.hidden_size, spec.hidden_size), batch_first=True)
        return Stacked([first, second])

    register_architecture(Architecture("gru-half-rates31", "a GRU", build), replace=True)
    build_model("gru-half-rates31", input_size=1, hidden_size=2)  # (no rates: as before)
    with pytest.raises(UnsupportedError, match=r"layer\(s\) layers\.1 of its body"):
        build_model("gru-half-rates31", input_size=1, hidden_size=2, recurrent_dropout=0.2)
    for name in ("lstm", "bigru", "gru-cho", "stacked-dt-rnn", "dots-rnn"):  # (rnnlab's own)
        build_model(name, input_size=1, hidden_size=2, num_layers=2, input_dropout=0.1,
                    recurrent_dropout=0.2)


@pytest.mark.parametrize("make", [
    lambda: __import__("rnnlab.nn", fromlist=["LSTM"]).LSTM(3, 4, impl="fused",
                                                            recurrent_dropout=0.2),
    lambda: __import__("rnnlab.nn", fromlist=["Recurrent"]).Recurrent(
        __import__("rnnlab.nn", fromlist=["LSTMCell"]).LSTMCell(3, 4), impl="fast",
        recurrent_dropout=0.2),
], ids=["LSTM-fused", "Recurrent-fast"])
def test_path_refuses_a_kernel_impl_in_training_with_recurrent_dropout_as_the_call_does(make):
    """``path`` said "reference" for a call that is refused."""
    import torch

    from rnnlab.io.errors import UnsupportedError

    layer = make()
    with pytest.raises(UnsupportedError) as called:
        layer(torch.zeros(2, 1, 3))
    with pytest.raises(UnsupportedError) as said:
        layer.path
    assert str(said.value) == str(called.value)
    layer.eval()  # (no mask: the kernel runs, and path says so)
    assert layer.path == "fused"


@pytest.mark.parametrize("make", [
    lambda nn: nn.Stacked([nn.Recurrent(nn.GRUCell(3, 4)), nn.Recurrent(nn.GRUCell(4, 4))],
                          input_dropout=0.2),
    lambda nn: nn.Bidirectional(nn.Recurrent(nn.GRUCell(3, 4)),
                                nn.Recurrent(nn.GRUCell(3, 4), reverse=True),
                                input_dropout=0.2),
    lambda nn: nn.LSTMCell(3, 4, input_dropout=0.2),
], ids=["Stacked", "Bidirectional", "LSTMCell"])
def test_input_dropout_given_where_no_layer_takes_it_says_where_it_goes(make):
    """Was Python's bare "unexpected keyword argument 'input_dropout'" (recurrent_dropout,
    Keras' name, said where it goes)."""
    import rnnlab.nn as nn
    from rnnlab.io.errors import ConfigTypeError

    with pytest.raises(ConfigTypeError, match=r"'input_dropout' \(a layer's option, given "
                                              r"to each layer: Recurrent\(cell, "
                                              r"input_dropout=p\)"):
        make(nn)


@pytest.mark.parametrize("name", ["LSTM", "GRU", "RNN"])
def test_a_one_layer_drop_ins_dropout_warns_once_naming_the_dropouts_inside_a_layer(name):
    """A Keras user's LSTM(3, 5, dropout=0.2) got torch's warning alone, with no word of
    input_dropout / recurrent_dropout."""
    import warnings

    import rnnlab.nn as nn

    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        getattr(nn, name)(3, 5, dropout=0.2)
    texts = [str(w.message) for w in said]
    assert len(texts) == 1, texts  # (torch's own left out: the same words are in ours)
    assert "num_layers=1" in texts[0] and "input_dropout=p" in texts[0]
    assert "recurrent_dropout=p" in texts[0] and said[0].filename == __file__
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        getattr(nn, name)(3, 5, num_layers=2, dropout=0.2)  # (acts: nothing said)
    assert not said


def test_forecasts_dropout_hint_gives_the_one_series_model_the_rates_too(capsys):
    """`rnnlab forecast --dropout` said the variational rates were the panel model's
    ("the panel model has no dropout between layers; inside its recurrent layers, ...")
    where the one-series model takes them too."""
    code, err = run(["forecast", "--data", "airline", "--dropout", "0.1"], capsys)
    text = " ".join(err.split())
    assert code == 2
    assert "inside the recurrent layers of either model (one series or a panel)" in text
    assert "--recurrent-dropout" in text and "Forecaster(num_layers=2, dropout=0.1)" in text


@pytest.mark.slow
def test_a_global_forecaster_trains_with_the_rates_saves_and_loads_them(tmp_path):
    """The panel route end to end (its tests built a PanelNet by hand): the fitted network
    carries the rates, trains on the step loop (its history's path) and loads with them."""
    from rnnlab.nn.variational import DropsInside
    from rnnlab.panel import GlobalForecaster
    from test_panel_several_models import TINY, small_panel

    panel = small_panel()
    f = GlobalForecaster("gru", **TINY, input_dropout=0.1, recurrent_dropout=0.25).fit(panel)

    def carried(model):
        return {(m.input_dropout, m.recurrent_dropout) for m in model.members.modules()
                if isinstance(m, DropsInside)}

    assert carried(f) == {(0.1, 0.25)}
    assert [h["path"] for h in f.histories] == ["reference"]
    f.save(tmp_path / "m")
    back = GlobalForecaster.load(tmp_path / "m")
    assert (back.config.input_dropout, back.config.recurrent_dropout) == (0.1, 0.25)
    assert carried(back) == {(0.1, 0.25)}
    assert back.predict(2).equals(f.predict(2))
    plain = GlobalForecaster("gru", **TINY).fit(panel)
    assert [h["path"] for h in plain.histories] == ["fused"]  # (defaults: as before)
