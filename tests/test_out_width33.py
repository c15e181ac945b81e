"""dot-rnn's and dots-rnn's deep output width, ``out_width``: its own option (it was tied
to ``width``, the transition's), through ModelSpec, the command lines and saved configs;
the model against the paper's equations written out by hand in float64."""

import json
import re

import pytest
import torch

from rnnlab.io.errors import ConfigError
from rnnlab.nn.registry import ModelSpec, build_model


def hand_dot_rnn(sd, x, shortcut=False):
    """DOT(-S)-RNN at transition depth 2 and deep output depth 2, step by step:
    z = tanh(x U^T + b_ih + h W_1^T + b_hh), h = tanh(z W_2^T + b_2 [+ h W_s^T + x U_s^T]),
    o1 = tanh(h V_1^T + c_1), o2 = tanh(o1 V_2^T + c_2)."""
    p = "body.layers.0.cell."
    B, T, _ = x.shape
    h = torch.zeros(B, sd[p + "weight_hh"].shape[1], dtype=x.dtype)
    outs = []
    for t in range(T):
        xt = x[:, t]
        z = torch.tanh(xt @ sd[p + "weight_ih"].T + sd[p + "bias_ih"]
                       + h @ sd[p + "weight_hh"].T + sd[p + "bias_hh"])
        pre = z @ sd[p + "weight_tl2"].T + sd[p + "bias_tl2"]
        if shortcut:
            pre = pre + h @ sd[p + "weight_sh"].T + xt @ sd[p + "weight_sx"].T
        h = torch.tanh(pre)
        o = torch.tanh(h @ sd["deep_output.layers.0.weight"].T + sd["deep_output.layers.0.bias"])
        o = torch.tanh(o @ sd["deep_output.layers.1.weight"].T + sd["deep_output.layers.1.bias"])
        outs.append(o)
    return torch.stack(outs, 1)  # (B, T, out_width)


@pytest.mark.parametrize("name", ["dot-rnn", "dots-rnn"])
def test_a_deep_output_of_its_own_width_is_the_papers_mlp_in_float64(name):
    torch.manual_seed(0)
    m = build_model(name, input_size=2, hidden_size=5, width=3, out_depth=2,
                    out_width=7).double()
    sd = dict(m.named_parameters())
    assert sd["deep_output.layers.0.weight"].shape == (7, 5)  # (out_width, hidden_size)
    assert sd["body.layers.0.cell.weight_hh"].shape == (3, 5)  # (width, hidden_size)
    assert m.output_size == 7
    x = torch.randn(4, 6, 2, dtype=torch.float64, requires_grad=True)
    out, _ = m(x)
    ref = hand_dot_rnn(sd, x, shortcut=name == "dots-rnn")
    torch.testing.assert_close(out, ref, rtol=1e-12, atol=1e-12)
    g = torch.randn_like(out)
    got = torch.autograd.grad(out, [x, *sd.values()], g)
    want = torch.autograd.grad(ref, [x, *sd.values()], g)
    for a, b in zip(got, want):
        torch.testing.assert_close(a, b, rtol=1e-10, atol=1e-12)


def test_without_out_width_the_deep_output_keeps_widths_units_as_before():
    torch.manual_seed(0)
    a = build_model("dot-rnn", input_size=1, hidden_size=6, width=4)
    torch.manual_seed(0)
    b = build_model("dot-rnn", input_size=1, hidden_size=6, width=4, out_width=None)
    assert a.deep_output.width == 4 and a.output_size == 4
    assert all(torch.equal(p, q) for p, q in zip(a.state_dict().values(),
                                                 b.state_dict().values()))
    assert build_model("dot-rnn", input_size=1, hidden_size=6).deep_output.width == 6


@pytest.mark.parametrize("name", ["lstm", "gru", "rnn", "dt-rnn", "dts-rnn", "stacked-dt-rnn"])
def test_out_width_is_refused_where_there_is_no_deep_output(name):
    with pytest.raises(ConfigError, match=r"has no out_width.*out_width shapes dot-rnn, "
                                          r"dots-rnn: leave it out"):
        build_model(name, input_size=1, hidden_size=4, out_width=3)
    with pytest.raises(ConfigError, match="has no out_width"):
        build_model(ModelSpec(name=name, input_size=1, hidden_size=4, out_width=3))


@pytest.mark.parametrize("bad", [0, -2, 2.5, True, "8"])
def test_a_bad_out_width_is_refused_saying_what_it_takes(bad):
    with pytest.raises(ConfigError, match=r"out_width must be a whole number >= 1 .* got"):
        build_model("dot-rnn", input_size=1, hidden_size=4, out_width=bad)


def test_width_at_depth_one_beside_out_width_shapes_nothing_and_is_refused():
    with pytest.raises(ConfigError, match=r"depth=1 with out_width=5 has no layer for "
                                          r"width=3"):
        build_model("dot-rnn", input_size=1, hidden_size=4, depth=1, width=3, out_width=5)
    m = build_model("dot-rnn", input_size=1, hidden_size=4, depth=1, out_width=5)
    assert m.output_size == 5  # (depth 1: out_width alone is fine)


def test_a_saved_forecaster_rebuilds_its_deep_output_width(tmp_path):
    import numpy as np

    from rnnlab.forecast import ForecastConfig, Forecaster

    y = np.sin(np.arange(60) / 3.0) + 2.0
    cfg = ForecastConfig(model="dot-rnn", lookback=6, horizon=2, hidden_size=5, width=3,
                         out_width=9, epochs=1, progress=False)
    f = Forecaster(config=cfg).fit(y)
    assert f.config.model_spec().out_width == 9
    f.save(tmp_path / "m")
    saved = json.loads((tmp_path / "m" / "model.json").read_text())
    assert '"out_width": 9' in json.dumps(saved)  # (the saved config holds it)
    back = Forecaster.load(tmp_path / "m")
    assert back.config.out_width == 9
    shapes = [tuple(p.shape) for k, p in back.net.named_parameters()
              if k.endswith("deep_output.layers.0.weight")]
    assert shapes and set(shapes) == {(9, 5)}  # (out_width, hidden_size) in each member
    np.testing.assert_allclose(back.predict(), f.predict())


def test_the_command_lines_take_out_width(tmp_path, capsys):
    from rnnlab.cli import main

    assert main(["models", "--hidden-size", "4", "--width", "3", "--out-width", "11"]) == 0
    out = capsys.readouterr().out
    assert "out_width=11" in out
    from rnnlab.nn.registry import count_parameters

    listed = {line.split()[0]: int(line.split()[2].replace(",", ""))
              for line in out.splitlines() if line.startswith(("dot-rnn ", "dots-rnn "))}
    for name, n in listed.items():  # (the counts built at out_width 11, not only the header)
        assert n == count_parameters(build_model(name, input_size=1, hidden_size=4, width=3,
                                                 out_width=11)) != count_parameters(
            build_model(name, input_size=1, hidden_size=4, width=3))
    assert set(listed) == {"dot-rnn", "dots-rnn"}
    from rnnlab.compare.config import CompareConfig

    with pytest.raises(ConfigError, match=r"out_width \(--out-width\) 5 shapes dot-rnn, "
                                          r"dots-rnn"):
        CompareConfig(models=["lstm", "gru"], out_width=5)
    with pytest.raises(ConfigError, match="out_width"):
        CompareConfig(models=["dot-rnn"], out_width=0)
    assert CompareConfig(models=["dot-rnn", "lstm"], out_width=5).shape_for("dot-rnn")[
        "out_width"] == 5
    assert "out_width" not in CompareConfig(models=["dot-rnn", "lstm"],
                                            out_width=5).shape_for("lstm")


def test_a_saved_char_lm_rebuilds_its_deep_output_width(tmp_path):
    from rnnlab.lm import CharLM
    from rnnlab.lm.config import LMConfig, LMTrainConfig

    lm = CharLM(LMConfig(model="dot-rnn", hidden_size=6, width=3, out_width=5, embedding=4,
                         num_layers=1))
    lm.fit("hello world. " * 40, LMTrainConfig(epochs=1, seq_len=8, batch_size=4,
                                               progress=False))
    lm.save(tmp_path / "m")
    back = CharLM.load(tmp_path / "m")
    assert back.config.out_width == 5
    shapes = [tuple(p.shape) for k, p in back.net.named_parameters()
              if k.endswith("deep_output.layers.0.weight")]
    assert shapes == [(5, 6)]  # (out_width, hidden_size)


@pytest.mark.parametrize("route", ["Forecaster", "CharLM", "forecast", "lm train"])
def test_out_width_is_refused_without_a_deep_output_on_every_route(route, tmp_path, capsys):
    # (build_model and ModelSpec were tested; the user's routes to them were not)
    said = r"model 'lstm' has no out_width.*out_width shapes dot-rnn, dots-rnn"
    if route in ("Forecaster", "CharLM"):
        from rnnlab.forecast import Forecaster
        from rnnlab.lm import CharLM

        with pytest.raises(ConfigError, match=said):
            (Forecaster if route == "Forecaster" else CharLM)(model="lstm", out_width=3)
        return
    from rnnlab.cli import main

    out = tmp_path / "run"
    data = ["--data", "airline"] if route == "forecast" else []
    assert main([*route.split(), *data, "--model", "lstm", "--out-width", "3", "--epochs", "1",
                 "--out", str(out)]) == 2
    assert re.search(said, capsys.readouterr().err)
    assert not out.exists()  # (refused before a run directory was made)
