"""rnnlab compare: configs, parameter matching, recipes, the quick recipe runs end to end
(every model's training loss falls), run directories, and the device flags."""

import json

import pytest
import torch

from rnnlab.compare import RECIPES, CompareConfig, get_recipe, match_hidden, plan_sizes
from rnnlab.cli import main as rnnlab_main
from rnnlab.compare import cli as ccli
from rnnlab.compare.lm_run import vocab_size
from rnnlab.compare.runner import run_compare
from rnnlab.io.errors import RunDirError

DEEP = ("rnn", "drnn", "dt-rnn", "dts-rnn", "dot-rnn", "stacked-dt-rnn", "lstm", "gru")


@pytest.fixture(scope="module")
def quick_runs(tmp_path_factory):
    """The two recipes of the issue's 'done when', in quick mode, through the CLI."""
    base = tmp_path_factory.mktemp("recipes")
    torch.set_num_threads(1)
    out = {}
    for name in ("e1-dji-compare", "deep-rnn-compare"):
        rc = rnnlab_main(["recipe", "run", name, "--quick", "--out", str(base / name)])
        assert rc == 0
        out[name] = base / name
    return out


def test_config_refuses_bad_settings():
    with pytest.raises(ValueError, match="unknown model 'nope'"):
        CompareConfig(models=("lstm", "nope"))
    with pytest.raises(ValueError, match="bidirectional"):
        CompareConfig(task="lm", models=("lstm", "bigru"))
    with pytest.raises(ValueError, match="repeat"):
        CompareConfig(models=("lstm", "lstm"))
    with pytest.raises(ValueError, match="unknown CompareConfig fields"):
        CompareConfig().replace(hiden_size=3)
    assert CompareConfig(evaluation="one_step", metric="mae").main_metric == "one_step.mae"
    assert CompareConfig(task="lm", models=("gru",)).main_metric == "test_bpc"


@pytest.mark.parametrize("task", ["forecast", "lm"])
def test_parameter_matching_within_tolerance(task):
    cfg = CompareConfig(task=task, models=DEEP, hidden_size=32, match_params=True,
                        data="time-machine" if task == "lm" else "airline", max_chars=20000,
                        embedding=16)
    vocab = vocab_size(cfg) if task == "lm" else None
    plan = plan_sizes(cfg, vocab)
    target = plan.pop("_target")
    assert plan["lstm"]["hidden_size"] == 32  # the reference keeps its size
    for m, p in plan.items():
        assert abs(p["params"] - target) <= 0.05 * target, (m, p, target)
    assert plan["rnn"]["hidden_size"] > plan["lstm"]["hidden_size"]  # fewer weights per unit
    assert plan["drnn"]["num_layers"] == 2 and plan["rnn"]["num_layers"] == 1


def test_matching_refuses_unreachable_target():
    cfg = CompareConfig(models=("lstm",), match_params=True, param_target=50, tolerance=0.01)
    with pytest.raises(ValueError, match="cannot match 'lstm' to 50"):
        match_hidden(cfg, "lstm", 50)


def test_recipes_are_versioned_data_that_state_their_fixes():
    assert {"e1-dji-compare", "e2-lookback2-lstm", "e3-char-lm", "e4-sine", "e5-airline-gru",
            "deep-rnn-compare"} <= set(RECIPES)
    for r in RECIPES.values():
        assert r.version >= 1 and r.summary and r.article
        assert "Fix" in r.description or "fairly" in r.description, r.name
        for quick in (False, True):
            for cfg in r.configs(quick).values():
                assert isinstance(cfg, CompareConfig)
                assert cfg.strategy != "seq2seq"  # the honest task for every model
    e1 = get_recipe("e1-dji-compare").configs()["dji"]
    assert e1.models == ("drnn", "brnn", "lstm", "gru") and e1.hidden_size == 64
    assert (e1.num_layers, e1.lookback, e1.epochs, e1.lr) == (2, 16, 20, 1e-3)
    deep = get_recipe("deep-rnn-compare").configs()
    assert set(deep) == {"airline", "time-machine"}
    assert all(c.match_params and c.models == DEEP for c in deep.values())
    with pytest.raises(ValueError, match="unknown recipe"):
        get_recipe("e9")


def test_recipes_command_lists_them(capsys):
    assert rnnlab_main(["recipes", "-v"]) == 0
    text = capsys.readouterr().out
    for name in RECIPES:
        assert name in text
    assert "Fixes:" in text


@pytest.mark.parametrize("name", ["e1-dji-compare", "deep-rnn-compare"])
def test_quick_recipe_every_model_learns(quick_runs, name):
    out = quick_runs[name]
    parts = [out] if (out / "results.json").exists() else sorted(
        p for p in out.iterdir() if (p / "results.json").exists())
    assert parts and (out / "report.html").is_file() and (out / "report.md").is_file()
    for part in parts:
        res = json.loads((part / "results.json").read_text())
        cfg = res["config"]
        assert len(res["records"]) == len(cfg["models"]) * len(cfg["seeds"])
        for r in res["records"]:
            assert r["loss_fell"], (r["model"], r["first_train_loss"], r["last_train_loss"])
            assert r["last_train_loss"] < r["first_train_loss"]
            assert r["params"] > 0 and r["train_seconds"] > 0 and r["steps_per_second"] > 0
            assert r["best_epoch"] is not None
            # torch's kernel for the standard cells, rnnlab's whole-sequence kernels for the rest
            want = "fused" if r["model"] in ("rnn", "drnn", "brnn", "lstm", "gru") else "fast-torch"
            assert r["path"] == want, (r["model"], r["path"])
        assert res["baselines"]  # naive etc. (forecast) or n-grams (lm) beside the models
        info = json.loads((part / "config.json").read_text())
        assert info["config"]["compare"]["models"] == cfg["models"]
        assert info["data_sha256"] and not (part / ".lock").exists()
        for png in ("loss_curves.png", "metric_bars.png"):
            assert (part / png).stat().st_size > 1000
        if cfg["task"] == "forecast":
            assert (part / "forecasts.png").is_file() and (part / "error_by_horizon.png").is_file()
            k = res["series"]["test_size"]
            assert all(len(r["predictions"]["one_step"]) == k for r in res["records"])
    if name == "deep-rnn-compare":
        top = json.loads((out / "config.json").read_text())["config"]
        assert set(top["parts"]) == {"airline", "time-machine"} and top["recipe"] == name
        hashes = json.loads((out / "config.json").read_text())["data_sha256"]  # (was null)
        info = json.loads((out / "config.json").read_text())  # every seed the parts ran
        ran = list(dict.fromkeys(s for p in top["parts"].values() for s in p["seeds"]))
        assert info["seeds"] == ran and info["seed"] == ran[0]
        assert {p.name: json.loads((p / "config.json").read_text())["data_sha256"]
                for p in parts} == hashes
        for part in parts:  # matched within 5% of the target
            res = json.loads((part / "results.json").read_text())
            t = res["param_target"]
            assert all(abs(r["params"] - t) <= 0.05 * t for r in res["records"])


def test_quick_e1_keeps_brnn_honest(quick_runs):
    res = json.loads((quick_runs["e1-dji-compare"] / "results.json").read_text())
    assert res["config"]["strategy"] == "direct" and res["config"]["horizon"] == 1
    assert res["main_metric"] == "one_step.rmse"
    names = [r["name"] for r in res["rows"]]
    assert names[:4] == ["drnn", "brnn", "lstm", "gru"] and "naive" in names


def test_compare_command_custom_and_refusals(tmp_path, capsys):
    out = tmp_path / "c"
    args = ["compare", "--data", "airline", "--models", "rnn", "gru", "--seeds", "0", "1",
            "--epochs", "2", "--hidden-size", "6", "--out", str(out)]
    assert rnnlab_main(args) == 0
    res = json.loads((out / "results.json").read_text())
    row = res["rows"][0]
    assert row["name"] == "rnn" and len(row["metrics"]["forecast.rmse"]["values"]) == 2
    assert row["metrics"]["forecast.rmse"]["std"] >= 0
    # the path each model trained on is recorded, summarised and shown in the report
    assert [r["path"] for r in res["records"]] == ["fused"] * 4 and row["path"] == "fused"
    assert "| path |" in (out / "report.md").read_text()
    assert "(recurrent path fused)" in capsys.readouterr().out
    ref = tmp_path / "ref"
    assert rnnlab_main(args[:-1] + [str(ref), "--impl", "reference", "--seeds", "0"]) == 0
    res = json.loads((ref / "results.json").read_text())
    assert res["config"]["impl"] == "reference"
    assert {r["path"] for r in res["records"]} == {"reference"}
    assert "impl='reference'" in (ref / "report.md").read_text()
    assert rnnlab_main(args[:-1] + [str(tmp_path / "bad"), "--impl", "quick"]) == 2  # usage
    assert "impl must be one of" in capsys.readouterr().err
    assert rnnlab_main(args) == 1  # exists: refused without --overwrite
    assert "already exists" in capsys.readouterr().err
    assert rnnlab_main(args + ["--quick", "--overwrite"]) == 2
    assert "apply to recipes" in capsys.readouterr().err
    assert rnnlab_main(args + ["--devices", "0", "--overwrite"]) == 2  # validated, not ignored
    assert "devices" in capsys.readouterr().err
    assert rnnlab_main(["compare", "--models", "bilstm", "--task", "lm", "--out",
                      str(tmp_path / "x")]) == 2
    assert "bidirectional" in capsys.readouterr().err


def test_device_flags_pass_through_to_every_fit():
    import argparse

    p = argparse.ArgumentParser()
    ccli.register(p.add_subparsers(dest="command"))
    a = p.parse_args(["compare", "--devices", "2", "--precision", "bf16-mixed",
                      "--forecast-strategy", "recursive"])
    assert ccli.device_settings(a) == {"devices": 2, "precision": "bf16-mixed"}
    assert a.strategy == "auto" and a.forecast_strategy == "recursive"  # DDP's vs the forecast's
    assert ccli.device_settings(p.parse_args(["compare"])) == {}


def test_only_rank_zero_writes(tmp_path, monkeypatch):
    monkeypatch.setenv("RANK", "1")
    cfg = CompareConfig(models=("gru",), seeds=(0,), epochs=1, hidden_size=4)
    res = run_compare(cfg, tmp_path / "r1", log=lambda s: None)
    assert res["records"] and not (tmp_path / "r1").exists()
    monkeypatch.setenv("RANK", "0")
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "x").write_text("1")
    with pytest.raises(RunDirError):
        run_compare(cfg, tmp_path / "busy", log=lambda s: None)


def test_forecast_hooks_one_step_validation_and_time_budget():
    """The two ForecastConfig fields compare relies on: validation='one_step' scores each
    validation value from the true history; max_seconds stops at the first step past it."""
    import numpy as np

    from rnnlab.forecast import ForecastConfig, Forecaster
    from rnnlab.forecast.net import WindowTask, build_net, rollout
    from rnnlab.io.errors import DataError

    with pytest.raises(DataError, match="validation must be one of"):
        ForecastConfig(validation="train")
    cfg = ForecastConfig(model="gru", hidden_size=4, lookback=5, horizon=1, strategy="direct")
    torch.manual_seed(0)
    net = build_net(cfg)
    z = np.sin(np.arange(60) / 3.0)
    ctx, val = z[:50], z[50:]
    x = np.zeros((2, 5))
    task = WindowTask(x, x[:, :1], 2, 0, "direct", 5, ctx, val, val_mode="one_step")
    want = np.mean([(rollout(net, z[None, 45 + i:50 + i], 1, 5, "direct")[0, 0] - val[i]) ** 2
                    for i in range(10)])
    assert task.validate(net) == pytest.approx(want, rel=1e-6)
    roll = WindowTask(x, x[:, :1], 2, 0, "direct", 5, ctx, val).validate(net)
    assert roll != pytest.approx(want)  # the default (a 10-step rollout) is another measure

    f = Forecaster(config=ForecastConfig(model="gru", hidden_size=4, lookback=6, horizon=3,
                                         epochs=500, ensemble=1, progress=False,
                                         max_seconds=1e-3, validation="one_step"))
    f.fit("airline")
    h = f.histories[0]
    assert len(h["epochs"]) == 1 and h["stop_reason"] == "time budget"
    assert h["epochs"][0]["val_loss"] is not None


def test_compare_flags_take_none_smape_and_refuse_a_stray_target(tmp_path, capsys):
    """'none' is a value of --transform/--difference/--scaler (None only for Optional
    fields); smape is summarised like the other metrics; --param-target needs matching."""
    out = tmp_path / "c"
    args = ["compare", "--data", "airline", "--models", "rnn", "--seeds", "0", "--epochs", "1",
            "--hidden-size", "4", "--transform", "none", "--difference", "none", "--scaler",
            "none", "--metric", "smape", "--out", str(out)]
    assert rnnlab_main(args) == 0
    res = json.loads((out / "results.json").read_text())
    assert (res["config"]["transform"], res["config"]["scaler"]) == ("none", "none")
    assert res["main_metric"] == "forecast.smape"
    assert res["rows"][0]["metrics"]["forecast.smape"]["finite"] == 1
    capsys.readouterr()
    assert rnnlab_main(args[:-1] + [str(tmp_path / "t"), "--param-target", "3000"]) == 2
    assert "add match_params=True (--match-params)" in capsys.readouterr().err


def test_report_says_which_seeds_diverged():
    from rnnlab.compare.report import _notes
    from rnnlab.compare.summary import _stats

    st = _stats([float("inf"), 2.0, float("nan")])
    assert (st["mean"], st["std"], st["finite"]) == (2.0, 0.0, 1)
    row = {"name": "lstm", "kind": "model", "loss_fell": True,
           "metrics": {"forecast.rmse": st}}
    res = {"main_metric": "forecast.rmse", "rows": [row], "seconds": 1.0}
    notes = _notes({"results": res, "config": CompareConfig(seeds=(0, 1, 2))})
    assert any("**lstm**: 2 of 3 seeds ended with a non-finite forecast.rmse (diverged); the "
               "mean is over the other 1." in n for n in notes)  # (a row without its seeds)


def test_an_interrupted_comparison_says_it_has_no_checkpoint(monkeypatch, tmp_path, capsys):
    from rnnlab.compare import runner
    from rnnlab.train.loop import TrainingInterrupted

    def stopped(*a, **k):
        raise TrainingInterrupted("stopped by a signal at epoch 2, step 3; this training keeps "
                                  "no checkpoints", 130)

    monkeypatch.setattr(runner, "run_models", stopped)
    assert rnnlab_main(["compare", "--models", "rnn", "--out", str(tmp_path / "c")]) == 130
    err = capsys.readouterr().err
    assert "A comparison keeps no checkpoints and has no --resume" in err
    assert "checkpoint is written" not in err


def test_one_epoch_cannot_show_a_falling_loss():
    from rnnlab.compare.curves import curve_record
    from rnnlab.compare.report import _notes

    assert curve_record([{"epoch": 1, "train_loss": 0.5}])["loss_fell"] is None
    two = [{"epoch": 1, "train_loss": 0.5}, {"epoch": 2, "train_loss": 0.7}]
    assert curve_record(two)["loss_fell"] is False
    rows = [{"name": "rnn", "kind": "model", "loss_fell": None, "metrics": {}},
            {"name": "gru", "kind": "model", "loss_fell": False, "metrics": {}}]
    res = {"main_metric": "forecast.rmse", "rows": rows, "seconds": 1.0}
    note = [n for n in _notes({"results": res, "config": CompareConfig()}) if "fall" in n][0]
    assert note == ("Training loss did NOT fall for at least one seed of: gru. Too few epochs "
                    "to tell whether it fell for: rnn.")
