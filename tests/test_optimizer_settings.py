"""SGD's momentum and Nesterov momentum, and weight decay for language models: settings of
every trainer (TrainConfig, Forecaster, GlobalForecaster, CharLM and their commands),
checked when the config is made, recorded with the run, refused where they do not apply."""

import json

import pytest
import torch
from torch import nn

from notebook_fits import TEXT, TINY_F, TINY_P, _monthly, _panel
from rnnlab.cli import main
from rnnlab.train import TensorTask, TrainConfig, fit, seed_everything

SGD = dict(optimizer="sgd", momentum=0.9, nesterov=True)


def test_nesterov_trains_as_torch_sgd_step_for_step():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(12, 3, dtype=torch.float64, generator=g)
    y = torch.randn(12, 1, dtype=torch.float64, generator=g)
    seed_everything(0)
    model, ref = nn.Linear(3, 1).double(), nn.Linear(3, 1).double()
    ref.load_state_dict(model.state_dict())
    fit(model, TensorTask(x, y, batch_size=4, shuffle=False),
        TrainConfig(epochs=2, lr=0.05, weight_decay=0.1, clip_norm=None, progress=False, **SGD))
    opt = torch.optim.SGD(ref.parameters(), lr=0.05, weight_decay=0.1, momentum=0.9,
                          nesterov=True)
    for _ in range(2):
        for i in range(0, 12, 4):
            opt.zero_grad()
            nn.functional.mse_loss(ref(x[i:i + 4]), y[i:i + 4]).backward()
            opt.step()
    for a, b in zip(model.parameters(), ref.parameters()):
        torch.testing.assert_close(a, b, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("kw, match", [
    (dict(nesterov=True), r"nesterov=True applies to optimizer='sgd' with a momentum > 0, "
                          r"and optimizer is 'adam'.*set optimizer='sgd' and a momentum"),
    (dict(optimizer="sgd", nesterov=True), r"optimizer is 'sgd', momentum 0.0; set a momentum"),
    (dict(optimizer="sgd", momentum=0.9, nesterov=1), "nesterov must be True or False, got 1"),
    (dict(optimizer="sgd", momentum=1.0), "momentum must be below 1"),
    (dict(optimizer="sgd", momentum=9), "momentum must be below 1 .* got 9"),
])
def test_train_config_refuses_momentum_settings_that_do_not_apply(kw, match):
    with pytest.raises(ValueError, match=match):
        TrainConfig(**kw)


def _optimizers(monkeypatch):
    """The optimizers the training loop makes, recorded."""
    from rnnlab.train import loop, optim

    made = []
    monkeypatch.setattr(loop, "make_optimizer", lambda *a, **k: made.append(
        optim.make_optimizer(*a, **k)) or made[-1])
    return made


def test_each_trainer_hands_momentum_and_nesterov_to_the_loop(monkeypatch):
    from rnnlab import CharLM, Forecaster, GlobalForecaster

    made = _optimizers(monkeypatch)
    Forecaster("gru", **TINY_F, lr=0.01, **SGD).fit(_monthly())
    GlobalForecaster("gru", lookback=6, horizon=3, **TINY_P, **SGD).fit(_panel())
    CharLM(hidden_size=8, num_layers=1, embedding=4).fit(
        TEXT, seq_len=16, batch_size=4, epochs=1, progress=False, weight_decay=0.01, **SGD)
    assert made and all(isinstance(o, torch.optim.SGD) for o in made)
    groups = [o.param_groups[0] for o in made]
    assert all(g["momentum"] == 0.9 and g["nesterov"] is True for g in groups)
    assert groups[-1]["weight_decay"] == 0.01  # (CharLM had no weight decay)


@pytest.mark.parametrize("make", ["Forecaster", "GlobalForecaster", "LMTrainConfig"])
def test_the_configs_refuse_them_when_made(make):
    from rnnlab import Forecaster, GlobalForecaster
    from rnnlab.lm.config import LMTrainConfig

    build = {"Forecaster": lambda **k: Forecaster("gru", **k),
             "GlobalForecaster": lambda **k: GlobalForecaster("gru", **k),
             "LMTrainConfig": LMTrainConfig}[make]
    with pytest.raises(ValueError, match="momentum=0.9 applies to optimizer='sgd' only"):
        build(momentum=0.9)
    with pytest.raises(ValueError, match="nesterov=True applies to optimizer='sgd'"):
        build(optimizer="sgd", nesterov=True)


@pytest.mark.parametrize("command", [["forecast"], ["backtest", "--data", "visnights",
                                                    "--model", "gru"], ["lm", "train"]])
def test_the_commands_take_them_and_print_them(command, capsys, tmp_path):
    assert main([*command, "--optimizer", "sgd", "--momentum", "0.9", "--nesterov", "yes",
                 "--weight-decay", "0.001", "--print-config"]) == 0
    got = json.loads(capsys.readouterr().out)["options"]
    assert (got["momentum"], got["nesterov"], got["weight_decay"]) == (0.9, True, 0.001)
    out = tmp_path / "o"
    assert main([*command, "--momentum", "0.9", "--out", str(out)]) == 2
    assert "momentum=0.9 applies to optimizer='sgd' only" in capsys.readouterr().err
    assert not out.exists()


def test_a_resume_keeps_the_checkpoints_nesterov_and_says_so():
    from rnnlab.train.checks import KEPT_ON_RESUME, changed_on_resume

    assert "nesterov" in KEPT_ON_RESUME  # (load_state_dict restores the saved group's)
    with pytest.warns(UserWarning, match=r"nesterov=False \(the checkpoint's: True\).*"
                                         r"The checkpoint's momentum, nesterov go on"):
        changed_on_resume({"momentum": 0.9, "nesterov": True},
                          {"momentum": 0.5, "nesterov": False}, "ck")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="a captured step needs CUDA")
def test_a_captured_sgd_step_with_nesterov_trains_as_eager():
    # (SGD keeps its momentum buffers in the optimizer state, made at the warm-up steps
    # before the capture; the graphed equality test ran Adam only)
    from test_cuda_graphs import _trained

    dev = torch.device("cuda")
    eager, h_eager = _trained("lstm", "off", dev, **SGD)
    graphed, h_graphed = _trained("lstm", "on", dev, **SGD)
    assert h_graphed.steps == h_eager.steps == 16
    for a, b in zip(eager.state_dict().values(), graphed.state_dict().values()):
        torch.testing.assert_close(b, a, rtol=1e-4, atol=1e-5)
