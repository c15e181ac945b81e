"""Adam's and AdamW's ``eps`` and ``amsgrad``, SGD's ``dampening``: settings of every
trainer, as ``betas`` and ``momentum`` are (tests/test_optimizer_settings.py, whose
step-for-step comparison with torch.optim takes them too): refused out of torch's range or
beside an optimizer without them, flags of the commands, and round-tripped through a
printed config, a saved model and a run record."""

import json

import pytest
import torch
from torch import nn

from notebook_fits import TINY_F, _monthly
from rnnlab.cli import main
from rnnlab.train import TensorTask, TrainConfig, fit, seed_everything


@pytest.mark.parametrize("kw, match", [
    (dict(eps=0.0), r"eps must be > 0 and finite \(Adam's step divides by sqrt\(v\) \+ eps: "
                    r"at 0 a weight whose gradient is 0 becomes NaN"),
    (dict(eps=-1e-8), "eps must be > 0 and finite"),
    (dict(eps=float("nan")), "eps must be > 0 and finite"),
    (dict(eps="1e-8"), "eps must be a number"),
    (dict(amsgrad=1), "amsgrad must be True or False, got 1"),
    (dict(optimizer="sgd", amsgrad=True), r"amsgrad=True applies to optimizer='adam' or "
                                          r"'adamw' only, and optimizer is 'sgd'"),
    (dict(optimizer="sgd", eps=1e-6), r"eps=1e-06 applies to optimizer='adam' or 'adamw' only"),
    (dict(dampening=0.1), r"dampening=0.1 applies to optimizer='sgd' with a momentum > 0, "
                          r"and optimizer is 'adam'.*set optimizer='sgd' and a momentum"),
    (dict(optimizer="sgd", dampening=0.1), r"optimizer is 'sgd', momentum 0.0; set a momentum"),
    (dict(optimizer="sgd", momentum=0.9, dampening=1.5), r"dampening must be a number in \[0, 1\]"),
    (dict(optimizer="sgd", momentum=0.9, dampening=-0.1), r"dampening must be a number in \[0, 1\]"),
    (dict(optimizer="sgd", momentum=0.9, nesterov=True, dampening=0.1),
     "dampening=0.1 with nesterov=True: Nesterov momentum takes no dampening"),
])
def test_train_config_refuses_them_out_of_range_or_beside_another_optimizer(kw, match):
    with pytest.raises(ValueError, match=match):
        TrainConfig(**kw)


@pytest.mark.parametrize("make", ["Forecaster", "GlobalForecaster", "LMTrainConfig"])
def test_the_configs_refuse_them_when_made(make):
    from rnnlab import Forecaster, GlobalForecaster
    from rnnlab.lm.config import LMTrainConfig

    build = {"Forecaster": lambda **k: Forecaster("gru", **k),
             "GlobalForecaster": lambda **k: GlobalForecaster("gru", **k),
             "LMTrainConfig": LMTrainConfig}[make]
    with pytest.raises(ValueError, match="amsgrad=True applies to optimizer='adam' or 'adamw'"):
        build(optimizer="sgd", amsgrad=True)
    with pytest.raises(ValueError, match="dampening=0.5 applies to optimizer='sgd' with a"):
        build(dampening=0.5)
    with pytest.raises(ValueError, match="eps must be > 0"):
        build(eps=0)
    assert build(optimizer="sgd", momentum=0.9, dampening=0.5) is not None
    assert build(eps=1e-6, amsgrad=True) is not None


@pytest.mark.parametrize("command", [["forecast"], ["backtest", "--data", "visnights",
                                                    "--model", "gru"], ["lm", "train"]])
def test_the_commands_take_them_and_a_printed_config_runs_back(command, capsys, tmp_path):
    def printed(*argv):
        assert main([*command, *argv, "--print-config"]) == 0
        return json.loads(capsys.readouterr().out)

    got = printed("--eps", "1e-6", "--amsgrad", "yes")
    assert (got["options"]["eps"], got["options"]["amsgrad"]) == (1e-6, True)
    saved = tmp_path / "c.json"
    saved.write_text(json.dumps(got))
    assert printed("--config", str(saved))["options"] == got["options"]
    got = printed("--optimizer", "sgd", "--momentum", "0.9", "--dampening", "0.25")
    assert got["options"]["dampening"] == 0.25
    out = tmp_path / "o"
    assert main([*command, "--optimizer", "sgd", "--amsgrad", "yes", "--out", str(out)]) == 2
    assert ("--amsgrad yes applies to --optimizer adam or adamw only, and --optimizer is sgd; "
            "set --optimizer adam or leave --amsgrad at no") in capsys.readouterr().err
    assert not out.exists()


def test_a_saved_forecaster_keeps_them_and_an_older_one_loads_with_the_defaults(tmp_path):
    from rnnlab import Forecaster

    f = Forecaster("gru", **TINY_F, eps=1e-6, amsgrad=True).fit(_monthly())
    f.save(tmp_path / "m")
    back = Forecaster.load(tmp_path / "m")
    assert (back.config.eps, back.config.amsgrad, back.config.dampening) == (1e-6, True, 0.0)
    from rnnlab.forecast.config import ForecastConfig

    cfg = back.config.to_dict()
    assert (cfg["eps"], cfg["amsgrad"]) == (1e-6, True)
    for name in ("eps", "amsgrad", "dampening"):  # (a model saved before they existed)
        cfg.pop(name)
    assert ForecastConfig.from_dict(cfg).eps == 1e-8


def test_a_resume_keeps_the_checkpoints_and_names_a_change(tmp_path):
    from rnnlab.train.checks import KEPT_ON_RESUME

    assert {"eps", "amsgrad", "dampening"} <= set(KEPT_ON_RESUME)  # (load_state_dict)
    x = torch.randn(8, 3, generator=torch.Generator().manual_seed(0))
    task = TensorTask(x, x.sum(1, keepdim=True), batch_size=4)
    seed_everything(0)
    model = nn.Linear(3, 1)
    fit(model, task, TrainConfig(epochs=1, amsgrad=True, progress=False),
        checkpoint_dir=tmp_path)
    with pytest.warns(UserWarning, match=r"amsgrad=False \(the checkpoint's: True\).*"
                                         r"The checkpoint's amsgrad go"):
        fit(model, task, TrainConfig(epochs=2, progress=False), checkpoint_dir=tmp_path,
            resume=True)


def test_a_records_settings_are_dropped_for_another_optimizer_typed(tmp_path, capsys):
    run = tmp_path / "run"
    run.mkdir()
    (run / "cli.json").write_text(json.dumps({"options": {
        "optimizer": "sgd", "momentum": 0.9, "dampening": 0.3}, "command": "rnnlab forecast"}))
    assert main(["forecast", "--config", str(run), "--optimizer", "adam",
                 "--print-config"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["options"]["dampening"] == 0.0 and "--dampening" in err
    (run / "cli.json").write_text(json.dumps({"options": {
        "optimizer": "adam", "eps": 1e-6, "amsgrad": True}, "command": "rnnlab forecast"}))
    assert main(["forecast", "--config", str(run), "--optimizer", "sgd",
                 "--print-config"]) == 0
    out, err = capsys.readouterr()
    got = json.loads(out)["options"]
    assert (got["eps"], got["amsgrad"]) == (1e-8, False) and "--eps, --amsgrad: from" in err


def test_keras_epsilon_points_to_eps():
    from rnnlab import Forecaster

    with pytest.raises(TypeError, match=r"unknown setting 'epsilon' \(here: eps=\)"):
        Forecaster(epsilon=1e-7)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="a captured step needs CUDA")
@pytest.mark.parametrize("kw", [dict(eps=1e-6, amsgrad=True),
                                dict(optimizer="sgd", momentum=0.9, dampening=0.3)])
def test_a_captured_step_with_them_trains_as_eager(kw):
    # (Adam's capturable step keeps AMSGrad's max_exp_avg_sq on the device too; not run on
    # the CPU machines these were written on)
    from test_cuda_graphs import _trained

    dev = torch.device("cuda")
    eager, h_eager = _trained("lstm", "off", dev, **kw)
    graphed, h_graphed = _trained("lstm", "on", dev, **kw)
    assert h_graphed.steps == h_eager.steps == 16
    for a, b in zip(eager.state_dict().values(), graphed.state_dict().values()):
        torch.testing.assert_close(b, a, rtol=1e-4, atol=1e-5)


def test_the_momentum_and_nesterov_checks_say_what_to_do_on_their_own():
    # (TrainConfig.__post_init__ passed 80 lines with eps and dampening: their checks now
    # functions beside betas_problem, each None when the setting is fine)
    from rnnlab.train.config import momentum_problem, nesterov_problem

    assert momentum_problem(0.9, "sgd") is None and nesterov_problem(True, "sgd", 0.9) is None
    assert "at 1 or more the steps grow without end" in momentum_problem(1.0, "sgd")
    assert "applies to optimizer='sgd' only" in momentum_problem(0.5, "adam")
    assert nesterov_problem("yes", "sgd", 0.9) == "nesterov must be True or False, got 'yes'"
    assert "set optimizer='sgd' and a momentum (0.9)" in nesterov_problem(True, "adam", 0.0)
