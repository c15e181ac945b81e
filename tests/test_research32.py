"""Session 32, a deep-RNN researcher reproducing Pascanu et al. (2014) with rnnlab: what
they found wanting, each pinned by a test that failed before its fix."""

import pytest
import torch

from rnnlab.io.errors import ConfigTypeError
from rnnlab.train import TensorTask, TrainConfig, fit


def test_fit_on_a_body_that_returns_outputs_and_state_says_what_to_do():
    # build_model's models (and Recurrent, Stacked) return (outputs, state): the default
    # loss read that tuple as a tensor and failed with "'tuple' object has no attribute
    # 'shape'" deep in the loop
    from rnnlab.nn.registry import build_model

    torch.manual_seed(0)
    x, y = torch.randn(32, 6, 2), torch.randn(32, 1)
    model = build_model("dots-rnn", input_size=2, hidden_size=4, depth=2)
    with pytest.raises(ConfigTypeError, match=r"tuple of 2.*\(outputs, state\).*loss_fn"):
        fit(model, TensorTask(x, y, batch_size=8), TrainConfig(epochs=1, progress=False))
    with pytest.raises(ConfigTypeError, match="mean squared error"):
        TensorTask(x, y, batch_size=8).evaluate(model, x, y)


def test_a_loss_fn_of_ones_own_still_reads_the_tuple():
    from rnnlab.nn.registry import build_model

    torch.manual_seed(0)
    x, y = torch.randn(32, 6, 2), torch.randn(32, 6, 4)
    model = build_model("dt-rnn", input_size=2, hidden_size=4, depth=2)

    def per_step(out, y):
        return torch.nn.functional.mse_loss(out[0], y)
    hist = fit(model, TensorTask(x, y, loss_fn=per_step, batch_size=8),
               TrainConfig(epochs=1, progress=False))
    assert hist.epochs[-1]["train_loss"] > 0


def test_rnnlab_nn_exports_build_model_and_its_spec():
    # `from rnnlab.nn import build_model` was an ImportError: the architectures'
    # register_architecture and Architecture were there, build_model only in .registry
    import rnnlab.nn as rnn_nn
    from rnnlab.nn import registry

    for name in ("build_model", "ModelSpec", "SequenceModel"):
        assert name in rnn_nn.__all__
        assert getattr(rnn_nn, name) is getattr(registry, name)


def test_a_record_names_the_gpu_a_run_used(monkeypatch):
    # the records named the CPU's model, never the GPU a run trained on: a paper's
    # "hardware" was missing from every record of a CUDA run
    from rnnlab.compare.report import provenance_notes
    from rnnlab.io.versions import versions

    assert "gpu" not in versions() or torch.cuda.is_initialized()  # (a CPU run: none)
    monkeypatch.setattr(torch.cuda, "is_initialized", lambda: True)
    monkeypatch.setattr(torch.cuda, "current_device", lambda: 0)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda i=None: "NVIDIA H100 80GB HBM3")
    monkeypatch.setattr(torch.version, "cuda", "12.8")
    v = versions()
    assert v["gpu"] == "NVIDIA H100 80GB HBM3" and v["cuda"] == "12.8"
    (line,) = [n for n in provenance_notes({"versions": v}) if n.startswith("Versions")]
    assert "GPU 'NVIDIA H100 80GB HBM3' (CUDA 12.8)" in line


@pytest.mark.parametrize("spec_kw,word", [
    (dict(name="lstm", depth=3), "has no depth"),
    (dict(name="lstm", nonlinearity="relu"), "has no nonlinearity"),
    (dict(name="rnn", out_depth=3), "has no out_depth"),
    (dict(name="dt-rnn", depth=1, width=4), "no intermediate layer"),
])
def test_build_model_of_a_spec_refuses_options_the_model_does_not_read(spec_kw, word):
    # build_model("lstm", depth=3) was refused, build_model(ModelSpec("lstm", ..., depth=3))
    # built an LSTM whose spec said depth=3 (and a dt-rnn at depth 1 recorded a width
    # that shaped nothing)
    from rnnlab.io.errors import ConfigError
    from rnnlab.nn import ModelSpec, build_model

    spec = ModelSpec(input_size=1, hidden_size=8, **spec_kw)
    with pytest.raises(ConfigError, match=word):
        build_model(spec)


def test_build_model_of_something_else_says_what_it_takes():
    from rnnlab.nn import build_model

    with pytest.raises(ConfigTypeError, match="a ModelSpec or an architecture's name.*dict"):
        build_model({"name": "lstm", "input_size": 1, "hidden_size": 8})


def test_compare_takes_a_learning_rate_schedule_for_every_model():
    # --lr-schedule was "unrecognized arguments" on compare, whose models all trained at
    # one rate (lr_schedule="none" fixed): a schedule, the same for every model, is a fair
    # setting of a comparison, as the optimizer's rate is
    from rnnlab.cli import build_parser
    from rnnlab.compare import CompareConfig
    from rnnlab.compare.matching import forecast_config, lm_train_config
    from rnnlab.io.errors import ConfigError

    assert CompareConfig().lr_schedule == "none"  # (the default: as before)
    cfg = CompareConfig(models=("rnn", "dt-rnn"), lr_schedule="cosine")
    assert forecast_config(cfg, "dt-rnn", 8, seed=1).lr_schedule == "cosine"
    assert lm_train_config(cfg, seed=1).lr_schedule == "cosine"
    assert forecast_config(CompareConfig(), "lstm", 8, seed=0).lr_schedule == "none"
    assert lm_train_config(CompareConfig(), seed=0).lr_schedule == "none"
    with pytest.raises(ConfigError, match="lr_schedule.*cosine"):
        CompareConfig(lr_schedule="step")
    args = build_parser().parse_args(["compare", "--lr-schedule", "plateau"])
    assert args.lr_schedule == "plateau"


def test_the_reports_matching_note_names_what_the_target_came_from():
    # "... 1,500 ± 5% parameters (reference: 1500)": --param-target's number again, where
    # a reference architecture was meant; with match_to, "(reference: lstm)" left out the
    # hidden size its count was taken at
    from rnnlab.compare import CompareConfig
    from rnnlab.compare.report import _notes

    def note(cfg, target):
        sec = {"results": {"main_metric": "forecast.rmse", "param_target": target, "rows": [],
                           "seconds": 1.0},
               "config": cfg, "description": ""}
        return next(n for n in _notes(sec) if n.startswith("Parameter matching"))

    given = note(CompareConfig(match_params=True, param_target=1500), 1500)
    assert "1,500 ± 5% parameters (the target given, --param-target)" in given
    ref = note(CompareConfig(match_params=True, match_to="rnn", hidden_size=16), 652)
    assert "652 ± 5% parameters (rnn's count at hidden size 16)" in ref


def _rows(values_by_model, seeds):
    return [{"kind": "model", "name": m, "seeds": list(seeds),
             "metrics": {"forecast.rmse": {"mean": sum(v for v in vals if v is not None)
                                           / max(1, sum(v is not None for v in vals)),
                                           "values": vals}}}
            for m, vals in values_by_model.items()]


def test_seed_tests_say_holm_over_the_tests_that_gave_a_p_value():
    # Holm adjusts over the comparisons with a p-value (a pair left with 2 seeds has
    # none), but the note said "Holm over the 3 comparisons here" all the same
    pytest.importorskip("scipy")
    from rnnlab.compare import CompareConfig
    from rnnlab.compare.seed_tests import seed_tests_said

    cfg = CompareConfig(models=("rnn", "lstm", "gru"), seeds=(0, 1, 2))
    rows = _rows({"rnn": [1.0, 1.1, 1.3], "lstm": [1.4, 1.2, 1.9],
                  "gru": [None, 2.0, 2.5]}, (0, 1, 2))  # gru: a seed diverged
    note, doc = seed_tests_said(cfg, rows)
    assert sum(t["p_value"] is not None for t in doc["tests"]) == 1
    assert "Holm" not in note  # one p-value: nothing to adjust
    rows = _rows({"rnn": [1.0, 1.1, 1.3], "lstm": [1.4, 1.2, 1.9],
                  "gru": [2.2, 2.0, 2.5], "drnn": [None, 3.0, 3.5]}, (0, 1, 2))
    cfg = CompareConfig(models=("rnn", "lstm", "gru", "drnn"), seeds=(0, 1, 2))
    note, _ = seed_tests_said(cfg, rows)
    assert "Holm over the 2 comparisons with a p-value" in note


def test_seed_tests_with_too_few_seeds_say_so_once():
    # with 1 or 2 seeds every pair said "paired t over 1 seeds: no test (1 seeds; the
    # test needs at least 3)", once per model (7 times in deep-rnn-compare --quick),
    # under "Holm over the 7 comparisons here"
    pytest.importorskip("scipy")
    from rnnlab.compare import CompareConfig
    from rnnlab.compare.seed_tests import seed_tests_said

    cfg = CompareConfig(models=("rnn", "lstm", "gru"), seeds=(0,))
    note, doc = seed_tests_said(cfg, _rows({"rnn": [1.0], "lstm": [2.0], "gru": [3.0]}, (0,)))
    assert note.count("needs at least 3") == 1 and "Holm" not in note
    assert "1 seed;" in note and "1 seeds" not in note
    assert len(doc["tests"]) == 2  # (results.json keeps each pair)


def test_a_repeated_model_says_how_to_compare_one_architecture_at_several_shapes():
    # "CompareConfig: models repeat: ['dt-rnn', 'dt-rnn']" said nothing of what to do; a
    # researcher repeating dt-rnn meant it at two depths
    from rnnlab.compare import CompareConfig
    from rnnlab.io.errors import ConfigError

    # (session 33: a name per shape, dt-rnn:depth=3, in one comparison: test_compare_depths33)
    with pytest.raises(ConfigError, match=r"'dt-rnn' twice.*once.*dt-rnn:depth=3 dt-rnn:depth=4"):
        CompareConfig(models=("dt-rnn", "rnn", "dt-rnn"))


@pytest.mark.parametrize("option,names", [("shortcut", "dts-rnn.*dots-rnn"),
                                          ("deep_output", "dot-rnn.*dots-rnn.*out_width")])
def test_build_model_says_which_architecture_a_papers_option_is(option, names):
    # build_model("dt-rnn", shortcut=True) listed the known options only: the shortcut
    # (DT(S)) and the deep output (DOT) are architectures of their own here (out_width, once
    # among these, is dot-rnn's option now: test_out_width33 checks dt-rnn refuses it)
    from rnnlab.nn import build_model

    with pytest.raises(ConfigTypeError, match=names):
        build_model("dt-rnn", input_size=1, hidden_size=8, **{option: True})


def test_lm_train_without_max_chars_says_how_to_train_on_a_part(capsys):
    # compare --task lm cuts the text with --max-chars; lm train has no such option, and
    # "--max-chars: did you mean --max-vocab?" pointed at another thing altogether
    from rnnlab.cli import main

    assert main(["lm", "train", "--max-chars", "20000", "--out", "unused"]) == 2
    err = capsys.readouterr().err
    assert "did you mean --max-vocab" not in err
    assert "--max-chars: rnnlab lm train reads the whole corpus" in err
    assert "--corpus -" in err and "--minutes" in err


def test_summary_shows_each_stacked_layer_at_the_default_depth():
    # summary(build_model(...)) stopped at "body.layers  ModuleList  -": the list's
    # index counted as a level of nesting, so no layer of a stack (nor of DOT's deep
    # output) was shown with its count
    from rnnlab.nn import build_model, summary

    m = build_model("dots-rnn", input_size=2, hidden_size=4, depth=3, width=6, num_layers=2)
    rows = {r.name: r for r in summary(m, torch.zeros(3, 5, 2)).rows}
    first, second = rows["body.layers.0"], rows["body.layers.1"]
    assert first.params == 142  # (counted by hand: 2 inputs, H 4, F 6, depth 3, shortcut)
    assert second.params == 6 * 4 + 6 * 4 + 12 + (36 + 6) + (24 + 4) + (16 + 16)  # (4 inputs)
    assert first.shape == "[(3, 5, 4), (3, 4)]"
    assert rows["deep_output.layers.0"].params == 30
    assert "body.layers.0.cell" not in rows  # (one level further: depth=3 shows it)
    assert "body.layers.0.cell" in {r.name for r in summary(m, depth=3).rows}
