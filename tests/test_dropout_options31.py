"""input_dropout / recurrent_dropout (variational dropout, rnnlab.nn.variational) through
ModelSpec / build_model, the configs (LMConfig, ForecastConfig, PanelConfig,
CompareConfig), their saved records and the command line."""

from __future__ import annotations

import json
import math

import pytest
import torch

from cli_run import run
from test_own_cells20 import registry  # noqa: F401  (the fixture: the names added removed)
from rnnlab.io.errors import ConfigError, ConfigTypeError, UnsupportedError
from rnnlab.io.json_file import checksummed_text
from rnnlab.nn.paths import describe_path
from rnnlab.nn.registry import build_model
from rnnlab.nn.variational import DropsInside

RATES = {"input_dropout": 0.1, "recurrent_dropout": 0.25}
TEXT = "a cat sat. a dog ran. " * 12
TINY = dict(model="gru", hidden_size=8, num_layers=1, embedding=8)
TINY_FIT = dict(epochs=1, seq_len=5, batch_size=2, progress=False, sample_every=0)


def carried(model) -> set:
    """The (input_dropout, recurrent_dropout) of each layer of ``model`` that draws masks."""
    return {(m.input_dropout, m.recurrent_dropout) for m in model.modules()
            if isinstance(m, DropsInside)}


@pytest.mark.parametrize("name", ["lstm", "gru-cho", "stacked-dt-rnn"])
def test_build_model_gives_every_layer_the_rates_and_training_takes_the_step_loop(name):
    model = build_model(name, input_size=3, hidden_size=4, num_layers=2, **RATES)
    assert carried(model) == {(0.1, 0.25)}
    assert describe_path(model) == "reference"  # (training: h is masked)
    plain = build_model(name, input_size=3, hidden_size=4, num_layers=2)
    assert carried(plain) <= {(0.0, 0.0)}
    model.eval(), plain.eval()
    assert describe_path(model) == describe_path(plain)  # eval: the path of no dropout


@pytest.mark.parametrize("make", [
    lambda **k: build_model("gru", input_size=1, hidden_size=2, **k),
    lambda **k: __import__("rnnlab.lm", fromlist=["LMConfig"]).LMConfig(**k),
    lambda **k: __import__("rnnlab.forecast", fromlist=["Forecaster"]).Forecaster(**k),
    lambda **k: __import__("rnnlab.panel", fromlist=["GlobalForecaster"]).GlobalForecaster(
        "gru", **k),
    lambda **k: __import__("rnnlab.compare.config", fromlist=["CompareConfig"]).CompareConfig(
        **k),
], ids=["build_model", "LMConfig", "Forecaster", "GlobalForecaster", "CompareConfig"])
@pytest.mark.parametrize("name", ["input_dropout", "recurrent_dropout"])
def test_a_rate_out_of_range_or_not_a_number_is_a_typed_error_naming_it(make, name):
    for bad in (1.0, -0.1, math.nan):
        with pytest.raises(ConfigError, match=rf"{name}.*\[0, 1\)"):
            make(**{name: bad})
    with pytest.raises(ConfigTypeError, match=rf"{name}.*\[0, 1\)"):
        make(**{name: "0.2"})


def test_a_kernel_impl_with_recurrent_dropout_is_refused_before_training_saying_what_runs():
    from rnnlab.compare.config import CompareConfig
    from rnnlab.forecast.config import ForecastConfig
    from rnnlab.lm import CharLM

    said = r"(impl='auto'|--impl auto)"
    with pytest.raises(UnsupportedError, match=said):
        build_model("dt-rnn", input_size=1, hidden_size=2, impl="fast", recurrent_dropout=0.2)
    with pytest.raises(UnsupportedError, match=said):
        build_model("lstm", input_size=1, hidden_size=2, impl="fused", recurrent_dropout=0.2)
    # (the configs: two settings that do not go together, a ConfigError, exit 2 on the
    # command line; the layers' own refusal above is an UnsupportedError)
    with pytest.raises(ConfigError, match=said):
        ForecastConfig(impl="fast", recurrent_dropout=0.2)
    with pytest.raises(ConfigError, match=said):
        CompareConfig(models=("dt-rnn",), impl="triton", recurrent_dropout=0.2)
    lm = CharLM(model="dt-rnn", hidden_size=4, num_layers=1, embedding=4,
                recurrent_dropout=0.2)
    with pytest.raises(ConfigError, match=said):
        lm.fit(TEXT, impl="fast", **TINY_FIT)
    assert lm.net is None  # (nothing trained)
    ForecastConfig(impl="fast", input_dropout=0.2)  # (x's mask: every path takes it)


def test_an_architecture_of_ones_own_that_leaves_the_rates_unread_is_refused(registry):
    from rnnlab.nn import GRUCell, Recurrent
    from rnnlab.nn.architectures import Architecture, register_architecture

    def build(spec, layers):  # (reads no rate)
        return Recurrent(GRUCell(spec.input_size, spec.hidden_size), batch_first=True)

    register_architecture(Architecture("gru-no-rates31", "a GRU", build), replace=True)
    build_model("gru-no-rates31", input_size=1, hidden_size=2)  # (no rates: as before)
    with pytest.raises(UnsupportedError, match="pass spec.input_dropout and "
                                               "spec.recurrent_dropout"):
        build_model("gru-no-rates31", input_size=1, hidden_size=2, recurrent_dropout=0.2)


def test_the_training_path_is_the_one_training_takes_even_from_eval_mode():
    from rnnlab.train.checks import training_path
    from rnnlab.train.config import TrainConfig

    model = build_model("lstm", input_size=1, hidden_size=4, recurrent_dropout=0.3)
    model.eval()  # (a loaded model, fitted again)
    assert training_path(model, TrainConfig(), torch.device("cpu")) == "reference"
    assert not any(m.training for m in model.modules())  # (its mode given back)
    plain = build_model("lstm", input_size=1, hidden_size=4)
    assert training_path(plain, TrainConfig(), torch.device("cpu")) == "fused"


def _strip_rates(folder):
    """``folder/model.json`` as an rnnlab before the rates wrote it (checksum renewed)."""
    path = folder / "model.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta.pop("_sha256")
    for name in RATES:
        del meta["config"][name]
    path.write_text(checksummed_text(meta), encoding="utf-8")


def test_a_language_model_saves_the_rates_and_loads_them_back(tmp_path):
    from rnnlab.lm import CharLM

    lm = CharLM(**TINY, **RATES).fit(TEXT, **TINY_FIT)
    assert lm.info["path"] == "reference"  # (trained with h masked: the step loop)
    lm.save(tmp_path / "m")
    saved = json.loads((tmp_path / "m" / "model.json").read_text(encoding="utf-8"))["config"]
    assert {k: saved[k] for k in RATES} == RATES
    back = CharLM.load(tmp_path / "m")
    assert (back.config.input_dropout, back.config.recurrent_dropout) == (0.1, 0.25)
    assert carried(back.net) == {(0.1, 0.25)}
    assert back.nll("a cat ran.") == pytest.approx(lm.nll("a cat ran."))


def test_a_language_model_saved_without_the_rates_loads_and_scores_as_before(tmp_path):
    from rnnlab.lm import CharLM

    lm = CharLM(**TINY).fit(TEXT, **TINY_FIT)
    assert lm.info["path"] == "fused"
    lm.save(tmp_path / "m")
    _strip_rates(tmp_path / "m")
    back = CharLM.load(tmp_path / "m")
    assert (back.config.input_dropout, back.config.recurrent_dropout) == (0.0, 0.0)
    assert back.nll("a dog sat.") == lm.nll("a dog sat.")


def test_compare_gives_each_model_the_rates():
    from rnnlab.compare.config import CompareConfig
    from rnnlab.compare.matching import forecast_config, lm_model_config

    cfg = CompareConfig(models=("gru", "dt-rnn"), **RATES)
    fc = forecast_config(cfg, "dt-rnn", 4, seed=0)
    assert (fc.input_dropout, fc.recurrent_dropout) == (0.1, 0.25)
    assert carried(build_model(fc.model_spec())) == {(0.1, 0.25)}
    lm = lm_model_config(CompareConfig(task="lm", data="time-machine", **RATES), "gru", 4)
    assert (lm.input_dropout, lm.recurrent_dropout) == (0.1, 0.25)


def test_the_panel_network_and_its_record_carry_the_rates():
    from rnnlab.panel.config import PanelConfig
    from rnnlab.panel.heads import PointHead
    from rnnlab.panel.net import PanelNet

    cfg = PanelConfig(model="gru", **RATES)
    back = PanelConfig.from_dict(json.loads(json.dumps(cfg.to_dict())))
    assert (back.input_dropout, back.recurrent_dropout) == (0.1, 0.25)
    old = cfg.to_dict()
    for name in RATES:
        del old[name]
    assert PanelConfig.from_dict(old).recurrent_dropout == 0.0  # (a record before them)
    net = PanelNet("gru", 4, None, 2, 0, [], 0, 2, 3, 8, PointHead(), **RATES)
    assert carried(net.body) == {(0.1, 0.25)}


@pytest.mark.parametrize("command", [["lm", "train"], ["forecast"], ["backtest"], ["compare"]])
def test_help_names_both_options_and_the_reference_path(command, capsys):
    from rnnlab.cli import main

    try:
        code = main([*command, "--help"])
    except SystemExit as e:
        code = e.code
    assert code in (0, None)
    text = " ".join(capsys.readouterr().out.split())
    assert "--input-dropout" in text and "--recurrent-dropout" in text
    assert "reference" in text.split("--recurrent-dropout RECURRENT_DROPOUT")[-1][:400]


@pytest.mark.parametrize("command", [["lm", "train", "--corpus", "time-machine"],
                                     ["forecast", "--data", "airline"],
                                     ["compare", "--data", "airline"]])
def test_a_bad_rate_on_the_command_line_is_a_usage_error_naming_the_flag(command, tmp_path,
                                                                          capsys):
    code, err = run([*command, "--out", str(tmp_path / "o"), "--recurrent-dropout", "1"],
                    capsys)
    assert code == 2
    assert "--recurrent-dropout" in err and "[0, 1)" in err
    assert not (tmp_path / "o").exists()


@pytest.mark.slow
def test_lm_train_records_the_rates_and_reports_the_reference_path(tmp_path, capsys):
    from test_cli_pipes20 import TINY_LM

    corpus = tmp_path / "c.txt"
    corpus.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "run"
    code, _ = run(["lm", "train", "--corpus", str(corpus), *TINY_LM, "--out", str(out),
                   "--recurrent-dropout", "0.25", "--input-dropout", "0.1"], capsys)
    assert code == 0
    record = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert '"recurrent_dropout": 0.25' in json.dumps(record)
    assert '"input_dropout": 0.1' in json.dumps(record)
    assert json.loads((out / "metrics.json").read_text(encoding="utf-8"))["path"] == "reference"


def test_a_forecaster_saves_the_rates_and_one_saved_without_them_predicts_as_before(tmp_path):
    from rnnlab.forecast import Forecaster

    kw = dict(hidden_size=4, epochs=1, ensemble=1, progress=False, select="network")
    f = Forecaster(**kw, **RATES).fit("airline")
    assert [h["path"] for h in f.histories] == ["reference"]
    f.save(tmp_path / "a")
    back = Forecaster.load(tmp_path / "a")
    assert (back.config.input_dropout, back.config.recurrent_dropout) == (0.1, 0.25)
    assert back.predict().equals(f.predict())
    plain = Forecaster(**kw).fit("airline")
    plain.save(tmp_path / "b")
    _strip_rates(tmp_path / "b")
    assert Forecaster.load(tmp_path / "b").predict().equals(plain.predict())


def test_the_readme_architecture_of_ones_own_takes_the_rates(registry):
    from test_own_cells20 import readme_build
    from rnnlab.nn.architectures import Architecture, register_architecture

    register_architecture(Architecture("mgu-rates31", "README's MGU", readme_build()),
                          replace=True)
    model = build_model("mgu-rates31", input_size=3, hidden_size=4, num_layers=2, **RATES)
    assert carried(model) == {(0.1, 0.25)}
