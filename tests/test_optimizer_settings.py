"""SGD's momentum and Nesterov momentum, Adam's betas, and weight decay for language models:
settings of every trainer (TrainConfig, Forecaster, GlobalForecaster, CharLM and their commands),
checked when the config is made, recorded with the run, refused where they do not apply."""

import json

import pytest
import torch
from torch import nn

from notebook_fits import TEXT, TINY_F, TINY_P, _monthly, _panel
from rnnlab.cli import main
from rnnlab.train import TensorTask, TrainConfig, fit, seed_everything

SGD = dict(optimizer="sgd", momentum=0.9, nesterov=True)


@pytest.mark.parametrize("kw, make", [
    (SGD, lambda p: torch.optim.SGD(p, lr=0.05, weight_decay=0.1, momentum=0.9, nesterov=True)),
    (dict(betas=(0.5, 0.9)), lambda p: torch.optim.Adam(p, lr=0.05, weight_decay=0.1,
                                                        betas=(0.5, 0.9))),
    (dict(optimizer="adamw", betas=[0.8, 0.99]),  # (a list, as a JSON record gives them)
     lambda p: torch.optim.AdamW(p, lr=0.05, weight_decay=0.1, betas=(0.8, 0.99))),
    # Adam's and AdamW's eps and amsgrad, SGD's dampening (tests/test_optimizer_eps_dampening.py)
    (dict(eps=1e-3, amsgrad=True), lambda p: torch.optim.Adam(
        p, lr=0.05, weight_decay=0.1, eps=1e-3, amsgrad=True)),
    (dict(optimizer="adamw", eps=1e-4, amsgrad=True), lambda p: torch.optim.AdamW(
        p, lr=0.05, weight_decay=0.1, eps=1e-4, amsgrad=True)),
    (dict(optimizer="sgd", momentum=0.9, dampening=0.3), lambda p: torch.optim.SGD(
        p, lr=0.05, weight_decay=0.1, momentum=0.9, dampening=0.3)),
])
def test_they_train_as_torch_optim_step_for_step(kw, make):
    g = torch.Generator().manual_seed(0)
    x = torch.randn(12, 3, dtype=torch.float64, generator=g)
    y = torch.randn(12, 1, dtype=torch.float64, generator=g)
    seed_everything(0)
    model, ref = nn.Linear(3, 1).double(), nn.Linear(3, 1).double()
    ref.load_state_dict(model.state_dict())
    fit(model, TensorTask(x, y, batch_size=4, shuffle=False),
        TrainConfig(epochs=2, lr=0.05, weight_decay=0.1, clip_norm=None, progress=False, **kw))
    opt = make(ref.parameters())
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
    (dict(optimizer="sgd", betas=(0.5, 0.9)), r"betas=\(0.5, 0.9\) apply to optimizer='adam' "
                                              r"or 'adamw' only, and optimizer is 'sgd'"),
    (dict(betas=(0.9, 1.0)), r"betas must be two numbers in \[0, 1\)"),
    (dict(betas=(0.9,)), r"betas must be two numbers"),
    (dict(betas="0.9,0.99"), r"betas must be two numbers"),
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
    made.clear()
    Forecaster("gru", **TINY_F, betas=(0.5, 0.9)).fit(_monthly())
    GlobalForecaster("gru", lookback=6, horizon=3, **TINY_P, betas=[0.5, 0.9]).fit(_panel())
    CharLM(hidden_size=8, num_layers=1, embedding=4).fit(
        TEXT, seq_len=16, batch_size=4, epochs=1, progress=False, betas=(0.5, 0.9))
    assert len(made) >= 3 and all(isinstance(o, torch.optim.Adam) for o in made)
    assert all(o.param_groups[0]["betas"] == (0.5, 0.9) for o in made)


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
    with pytest.raises(ValueError, match=r"betas=\(0.5, 0.9\) apply to optimizer='adam'"):
        build(optimizer="sgd", betas=(0.5, 0.9))
    assert build(betas=[0.5, 0.9]) is not None  # (a saved config's list)


@pytest.mark.parametrize("command", [["forecast"], ["backtest", "--data", "visnights",
                                                    "--model", "gru"], ["lm", "train"]])
def test_the_commands_take_them_and_print_them(command, capsys, tmp_path):
    assert main([*command, "--optimizer", "sgd", "--momentum", "0.9", "--nesterov", "yes",
                 "--weight-decay", "0.001", "--print-config"]) == 0
    got = json.loads(capsys.readouterr().out)["options"]
    assert (got["momentum"], got["nesterov"], got["weight_decay"]) == (0.9, True, 0.001)
    assert main([*command, "--betas", "0.5", "0.9", "--print-config"]) == 0
    assert json.loads(capsys.readouterr().out)["options"]["betas"] == [0.5, 0.9]
    assert main([*command, "--set", "betas=0.5,0.8", "--print-config"]) == 0
    assert json.loads(capsys.readouterr().out)["options"]["betas"] == [0.5, 0.8]
    assert main([*command, "--set", "betas=0.5", "--print-config"]) == 2
    assert "--set betas=0.5: expected 2 values, each a number, found [\"0.5\"]" in \
        capsys.readouterr().err
    out = tmp_path / "o"
    assert main([*command, "--momentum", "0.9", "--out", str(out)]) == 2
    assert "--momentum 0.9 applies to --optimizer sgd only" in capsys.readouterr().err
    assert not out.exists()


def test_a_resume_keeps_the_checkpoints_nesterov_and_betas_and_says_so(tmp_path):
    from rnnlab.train.checks import KEPT_ON_RESUME, changed_on_resume

    assert {"nesterov", "betas"} <= set(KEPT_ON_RESUME)  # (load_state_dict restores them)
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


def test_a_resume_with_the_same_betas_says_nothing_and_with_others_names_them(tmp_path):
    import warnings

    x = torch.randn(8, 3, generator=torch.Generator().manual_seed(0))
    task = TensorTask(x, x.sum(1, keepdim=True), batch_size=4)
    seed_everything(0)
    model = nn.Linear(3, 1)
    fit(model, task, TrainConfig(epochs=1, betas=(0.5, 0.9), progress=False),
        checkpoint_dir=tmp_path)
    with warnings.catch_warnings():  # (the record's list read back equals the tuple)
        warnings.simplefilter("error")
        fit(model, task, TrainConfig(epochs=2, betas=(0.5, 0.9), progress=False),
            checkpoint_dir=tmp_path, resume=True)
    with pytest.warns(UserWarning, match=r"betas=\(0.8, 0.9\) \(the checkpoint's: \[0.5, 0.9\]\)"):
        fit(model, task, TrainConfig(epochs=3, betas=(0.8, 0.9), progress=False),
            checkpoint_dir=tmp_path, resume=True)


def test_keras_beta_names_point_to_betas():
    from rnnlab import Forecaster

    with pytest.raises(TypeError, match=r"unknown setting 'beta_1' \(here: betas=\)"):
        Forecaster(beta_1=0.8)


@pytest.mark.parametrize("command", [["forecast"], ["backtest"], ["lm", "train"]])
def test_the_help_says_nesterov_takes_yes(command, capsys):
    # (it said "Nesterov momentum ... (default no)": a bare --nesterov, as a switch, is
    # "expected one argument"; the other yes/no options' help starts with "yes:")
    main([*command, "--help"])  # (main returns; argparse's exit is caught)
    text = " ".join(capsys.readouterr().out.split())
    assert "--nesterov NESTEROV yes: Nesterov momentum (--optimizer sgd with a --momentum " \
           "only) (default no)" in text
