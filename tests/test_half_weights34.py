"""A saved model whose weights are float16 (put in half precision, then saved) loads into
rnnlab's float32 model by an exact cast, as before, and now says so once (session 34): the
forecast, panel and language-model loaders alike, through one helper
(rnnlab.io.weight_dtypes). Weights of the model's own dtype load without a word."""

import numpy as np
import pandas as pd
import pytest
import torch

from rnnlab.io.atomic import atomic_write_json
from rnnlab.io.json_file import read_json
from rnnlab.io.weight_dtypes import cast_weights, note_cast_weights
from rnnlab.io.weights import load_weights, save_weights


def _forecaster(folder):
    from rnnlab.forecast import Forecaster

    f = Forecaster(model="gru", hidden_size=4, epochs=1, ensemble=1, progress=False,
                   lookback=6, horizon=3, select="network").fit(np.sin(np.arange(60) / 3) + 5)
    f.save(folder)
    return Forecaster.load, lambda m: m.net


def _panel(folder):
    from rnnlab.panel import GlobalForecaster, read_panel

    ds = pd.date_range("2020-01-01", periods=30, freq="MS")
    df = pd.DataFrame({"unique_id": np.repeat(["a", "b"], 30), "ds": np.tile(ds, 2),
                       "y": np.concatenate([np.arange(30.0) + 10, np.arange(30.0) * 2 + 5])})
    f = GlobalForecaster("gru", lookback=6, horizon=3, hidden_size=4, epochs=1,
                         batches_per_epoch=1, ensemble=1, progress=False).fit(read_panel(df))
    f.save(folder)
    return GlobalForecaster.load, lambda m: m.members


def _lm(folder):
    from rnnlab.lm import CharLM

    lm = CharLM(hidden_size=8, num_layers=1, embedding=4).fit(
        "the cat sat on the mat. " * 20, seq_len=8, batch_size=4, epochs=1, progress=False)
    lm.save(folder)
    return CharLM.load, lambda m: m.net


def _store_as(folder, dtype):
    """The saved model in ``folder`` with its floating weights stored as ``dtype`` (as a
    model put in that precision saves them), model.json naming the new file's hash;
    returns the stored tensors."""
    meta = read_json(folder / "model.json")
    weights = {k: (v.to(dtype) if v.is_floating_point() else v)
               for k, v in load_weights(folder / "model.safetensors").items()}
    meta["weights_sha256"] = save_weights(folder / "model.safetensors", weights)
    atomic_write_json(folder / "model.json", meta, checksum=True)
    return weights


@pytest.mark.parametrize("build", [_lm, _panel, _forecaster], ids=["lm", "panel", "forecast"])
def test_half_precision_weights_load_exactly_with_one_note(tmp_path, capsys, build):
    folder = tmp_path / "model"
    load, module_of = build(folder)
    capsys.readouterr()
    load(folder)
    assert "float16" not in capsys.readouterr().err  # (float32 weights: no note)
    stored = _store_as(folder, torch.float16)
    model = load(folder)
    err = capsys.readouterr().err
    notes = [line for line in err.splitlines() if "are stored as float16" in line]
    assert len(notes) == 1, err
    assert "load into this float32 model by an exact cast" in notes[0]
    assert str(folder / "model.safetensors") in notes[0]
    n = sum(1 for v in stored.values() if v.is_floating_point())
    assert f"{n} of its {n} floating weight tensors" in notes[0]
    state = module_of(model).state_dict()
    for k, v in stored.items():
        if v.is_floating_point():
            assert state[k].dtype == torch.float32
            assert torch.equal(state[k], v.float()), k  # (the cast: exact)


def test_the_note_says_which_casts_round():
    net = torch.nn.Linear(3, 2)
    weights = {"weight": net.weight.detach().double(), "bias": net.bias.detach().half()}
    assert cast_weights(net, weights) == {("float64", "float32"): ["weight"],
                                          ("float16", "float32"): ["bias"]}
    assert cast_weights(net, dict(net.state_dict())) == {}
    assert cast_weights(net, {"weight": net.weight.detach().to(torch.int64)}) == {}


def test_one_line_says_every_cast(capsys):
    net = torch.nn.Linear(3, 2)
    note_cast_weights(net, {"weight": net.weight.detach().double(),
                            "bias": net.bias.detach().bfloat16()}, "m/model.safetensors")
    err = capsys.readouterr().err
    assert err.count("rnnlab: note: m/model.safetensors:") == 1 and err.count("\n") == 1
    assert "1 of its 2 floating weight tensors is stored as float64 and loads into this " \
           "float32 model rounded to float32" in err  # (was: '1 of its 2 ... are stored')
    assert "1 of its 2 floating weight tensors is stored as bfloat16 and loads into this " \
           "float32 model by an exact cast" in err
    note_cast_weights(net, dict(net.state_dict()), "m")
    assert capsys.readouterr().err == ""
