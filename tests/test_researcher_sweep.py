"""A researcher's sweep: rnnlab compare's summary and notes, parameter matching, the
training loop's skipped epochs and resumed schedules, bench and models options."""

import math

import pytest
import torch

from rnnlab.cli import main as rnnlab_main
from rnnlab.compare import CompareConfig, match_hidden
from rnnlab.compare.matching import count_for
from rnnlab.compare.summary import _pm, _stats, summarize, terminal_table
from rnnlab.io.errors import RnnlabError
from rnnlab.nn.registry import build_model
from rnnlab.train import TrainConfig, fit, seed_everything
from build_devices import record_build_devices
from tiny_task import TinyTask, tiny_model

KEYS = ("rmse", "mae", "mape", "smape", "mase")


def record(model, seed, rmse, epochs_run=3, stop="epochs done"):
    """One seed's record as rnnlab.compare.forecast_run makes it (the fields summarize reads)."""
    return {"model": model, "seed": seed, "params": 100, "hidden_size": 4, "num_layers": 1,
            "path": "fused", "metrics": {"forecast": {k: rmse for k in KEYS}},
            "train_seconds": 1.0, "steps_per_second": 10.0, "best_epoch": 1,
            "epochs_run": epochs_run, "first_train_loss": 1.0, "last_train_loss": 0.5,
            "loss_fell": True, "stop_reason": stop}


def test_one_finite_seed_of_two_prints_no_std_and_says_so():
    # it printed '2.0000 ± 0.0000', as if two seeds had agreed exactly
    assert _pm(_stats([float("inf"), 2.0]), 4) == "2.0000 (1 of 2)"
    assert _pm(_stats([1.0, 3.0, float("nan")]), 2) == "2.00 ± 1.41 (2 of 3)"
    assert _pm(_stats([1.0, 3.0]), 2) == "2.00 ± 1.41"


def test_terminal_summary_names_diverged_seeds_and_time_budget_cuts():
    cfg = CompareConfig(models=("rnn", "lstm"), seeds=(0, 1), epochs=50, max_seconds=2.0)
    recs = [record("rnn", 0, 10.0), record("rnn", 1, float("nan")),
            record("lstm", 0, 12.0, 7, "time budget"), record("lstm", 1, 11.0, 9, "time budget")]
    text = " ".join(terminal_table(cfg, summarize(cfg, recs, {})).split())  # (its notes wrapped at 80 columns)
    assert "rnn: 1 of 2 seeds ended with a non-finite forecast.rmse (diverged: seed 1)" in text
    assert "10.000 (1 of 2)" in text
    assert ("lstm: the time budget (2 s per model and seed) stopped 2 of 2 seeds before 50 "
            "epochs (epochs run: seed 0: 7, seed 1: 9)") in text


def test_report_notes_a_time_budget_cut():
    from rnnlab.compare.report import _notes

    cfg = CompareConfig(models=("gru",), seeds=(3,), epochs=20, max_seconds=1.5)
    rows = summarize(cfg, [record("gru", 3, 1.0, 4, "time budget (0.025 min)")], {})
    notes = _notes({"results": {"main_metric": "forecast.rmse", "rows": rows, "seconds": 1.0},
                    "config": cfg})
    assert any("gru: the time budget (1.5 s per model and seed) stopped 1 of 1 seeds before 20 "
               "epochs (epochs run: seed 3: 4)" in n for n in notes)


def test_lm_baselines_have_a_perplexity_beside_their_bits():
    from rnnlab.compare.lm_run import lm_baselines

    cfg = CompareConfig(task="lm", data="time-machine", models=("lstm",), max_chars=4000)
    base = lm_baselines(cfg)
    assert set(base) >= {"unigram", "bigram"}
    for b in base.values():  # the table's test_ppl column was empty for the baselines
        m = b["metrics"]
        assert m["test_ppl"] == pytest.approx(2.0 ** m["test_bpc"])


def test_parameter_matching_tries_hidden_sizes_below_four():
    cfg = CompareConfig(models=("rnn",), match_params=True, epochs=1)
    target = count_for(cfg, "rnn", 2)
    # the first bracket started at 4: sizes 1 and 2 were never tried, and hidden 3
    # (10% off) was refused as the closest
    assert match_hidden(cfg, "rnn", target) == (2, target)


def test_num_layers_below_a_models_minimum_names_the_flag():
    from rnnlab.compare import plan_sizes

    cfg = CompareConfig(models=("rnn", "drnn"), num_layers=1, epochs=1)
    with pytest.raises(ValueError, match=r"--num-layers.*'drnn' needs at least 2 layers.*none"):
        plan_sizes(cfg)


class NaNTask:
    """Every step's loss is NaN (a task whose data is broken)."""

    def __init__(self):
        self.x = torch.randn(8, 4, 1)

    def num_batches(self, epoch):
        return 2

    def get_batch(self, epoch, index):
        return self.x[index * 4:(index + 1) * 4]

    def initial_carry(self):
        return None

    def train_loss(self, model, batch, carry):
        out, _ = model(batch)
        return out.sum() * float("nan"), carry

    def validate(self, model):
        return None


def test_an_epoch_whose_every_step_was_skipped_has_no_loss():
    seed_everything(0)
    m = build_model("gru", input_size=1, hidden_size=2)
    h = fit(m, NaNTask(), TrainConfig(epochs=2, progress=False, on_nonfinite="skip"))
    assert h.skipped_steps == 4
    # it recorded 0.0: a perfect loss for an epoch that never trained
    assert all(math.isnan(e["train_loss"]) for e in h.epochs)


def test_resuming_a_cosine_schedule_for_more_epochs_is_refused(tmp_path):
    fit(tiny_model(), TinyTask(), TrainConfig(epochs=2, lr=1e-2, progress=False,
                                              lr_schedule="cosine"), checkpoint_dir=tmp_path)
    longer = TrainConfig(epochs=4, lr=1e-2, progress=False, lr_schedule="cosine")
    # it went on with the checkpoint's 2-epoch cosine: rate 0 in epoch 3, rising in epoch 4
    with pytest.raises(RnnlabError, match=r"anneals over 2 epochs.*asks for 4.*--epochs 2"):
        fit(tiny_model(), TinyTask(), longer, checkpoint_dir=tmp_path, resume=True)
    # the same number of epochs resumes (nothing left to run here)
    same = TrainConfig(epochs=2, lr=1e-2, progress=False, lr_schedule="cosine")
    h = fit(tiny_model(), TinyTask(), same, checkpoint_dir=tmp_path, resume=True)
    assert len(h.epochs) == 2


def test_models_says_its_counts_are_the_recurrent_layers_only(capsys):
    assert rnnlab_main(["models", "--hidden-size", "2"]) == 0
    out = capsys.readouterr().out
    assert "params: the recurrent layers only" in out and "rnnlab compare" in out


def test_bench_process_seconds_without_isolate_is_refused(monkeypatch, capsys):
    from rnnlab.bench import suite

    def timed(*a, **k):
        raise AssertionError("the suite ran")

    monkeypatch.setattr(suite, "run_suite", timed)
    # it was ignored: the whole suite ran in this process, unlimited
    assert rnnlab_main(["bench", "--quick", "--process-seconds", "5"]) != 0
    err = capsys.readouterr().err
    assert "--process-seconds 5" in err and "add --isolate" in err


def test_bptt_demo_prints_an_exactly_vanished_gradient_as_zero():
    import numpy as np

    from rnnlab.reference.demo import format_table
    from rnnlab.reference.vanishing import GradientNorms

    r = GradientNorms("rnn_relu", "rnn_relu", np.arange(3),
                      np.array([[0.0, -300.0, -2.0]]))  # log10 floored at 1e-300 where 0
    row = format_table([r], [0, 1, 2]).splitlines()[-1]
    # the floor was printed as a measured '1.0e-300'
    assert row == "| `rnn_relu` | 1.0e+00 | 0 | 1.0e-02 |"


def test_bptt_demo_refuses_bad_distances_before_measuring(monkeypatch, tmp_path, capsys):
    from rnnlab.reference import demo

    def measured(args):
        raise AssertionError("measured before the distances were checked")

    monkeypatch.setattr(demo, "measure", measured)
    out = str(tmp_path / "g.png")
    assert rnnlab_main(["bptt-demo", "--out", out, "--seq-len", "4", "--distances", "9"]) != 0
    assert "distances [9] outside 0..4 (--seq-len)" in capsys.readouterr().err
    assert rnnlab_main(["bptt-demo", "--out", out, "--seeds", "0"]) != 0
    assert "got --seeds 0" in capsys.readouterr().err


def test_an_impl_that_cannot_run_a_model_is_refused_before_any_training(monkeypatch, tmp_path,
                                                                         capsys):
    if torch.cuda.is_available():
        pytest.skip("Triton runs here")
    from rnnlab.compare import forecast_run

    from rnnlab.nn.fast import triton_common

    # a CPU as users have it (conftest runs Triton's interpreter on the CPU)
    monkeypatch.setattr(triton_common, "_INTERPRETED", False)
    trained = []
    monkeypatch.setattr(forecast_run, "run_forecast",
                        lambda cfg, m, *a, **k: trained.append(m) or 1 / 0)
    args = ["compare", "--models", "lstm", "gru-cho", "--seeds", "0", "--epochs", "1",
            "--impl", "triton", "--accelerator", "cpu", "--out", str(tmp_path / "c")]
    # lstm trained (fused), then gru-cho failed
    assert rnnlab_main(args) != 0 and trained == []
    err = capsys.readouterr().err
    assert "--impl" in err and "'gru-cho' on the CPU" in err and "Nothing was trained" in err


@pytest.mark.parametrize("kw, match", [
    (dict(momentum=0.9), r"momentum=0.9 applies to optimizer='sgd' only.*'adam'"),
    (dict(optimizer="sgd", momentum=float("nan")), "momentum must be >= 0 and finite"),
    (dict(weight_decay=float("nan")), "weight_decay must be >= 0 and finite"),
    (dict(weight_decay=-0.1), "weight_decay must be >= 0 and finite"),
])
def test_train_config_refuses_optimizer_settings_that_would_be_ignored(kw, match):
    # momentum with adam was silently ignored; NaN passed torch's checks
    with pytest.raises(ValueError, match=match):
        TrainConfig(**kw)
    TrainConfig(optimizer="sgd", momentum=0.9, weight_decay=1e-4)  # (what they are for)


def test_a_recipe_run_with_changed_fields_says_so_in_its_report(monkeypatch, tmp_path):
    from rnnlab.compare import runner

    seen = {}

    def fake_run(cfg, out, **kw):
        seen.update(kw, cfg=cfg)
        return {"rows": []}

    monkeypatch.setattr(runner, "run_compare", fake_run)
    args = ["compare", "--recipe", "e5-airline-gru", "--seeds", "4", "--epochs", "2",
            "--out", str(tmp_path / "r")]
    assert rnnlab_main(args) == 0
    assert (seen["cfg"].epochs, seen["cfg"].seeds) == (2, (4,))
    # the report said '300 epochs' and '3 seeds' beside the numbers of 2 epochs and 1 seed
    assert seen["description"].startswith(
        "**Changed from the recipe** on the command line: seeds 0 1 2 → 4; epochs 300 → 2.")
    assert rnnlab_main(["recipe", "run", "e5-airline-gru", "--out", str(tmp_path / "s")]) == 0
    assert "Changed from the recipe" not in seen["description"]


def test_a_learning_rate_past_float32_is_refused_not_a_traceback():
    # the optimizer step raised "value cannot be converted to type float without overflow"
    with pytest.raises(ValueError, match=r"lr must be > 0 and finite \(at most 3.403e\+38"):
        TrainConfig(lr=1e300)
    with pytest.raises(ValueError, match=r"lr must be > 0 and finite \(at most 3.403e\+38"):
        CompareConfig(lr=1e300)


def test_a_diverged_seed_is_left_out_and_the_comparison_goes_on(monkeypatch, tmp_path, capsys):
    from rnnlab.compare import forecast_run
    from rnnlab.train import TrainingDiverged

    real = forecast_run.run_forecast

    def sometimes(cfg, m, hidden, params, seed, dev, progress=False):
        if m == "lstm" or seed == 1:
            raise TrainingDiverged("the loss became non-finite at epoch 1, step 2 (loss inf); "
                                   "last finite loss: 1.0")
        return real(cfg, m, hidden, params, seed, dev, progress)

    monkeypatch.setattr(forecast_run, "run_forecast", sometimes)
    out = tmp_path / "c"
    args = ["compare", "--models", "rnn", "lstm", "--seeds", "0", "1", "--epochs", "1",
            "--hidden-size", "3", "--out", str(out)]
    # one diverged seed stopped the whole comparison, and nothing was written
    assert rnnlab_main(args) == 0
    text = " ".join(capsys.readouterr().out.split())  # (its notes wrapped at 80 columns)
    assert "rnn seed 1: training diverged and is left out of the table (the loss became " \
           "non-finite at epoch 1, step 2 (loss inf))" in text
    assert "lstm seed 0: training diverged" in text and "lstm seed 1: training diverged" in text
    report = (out / "report.md").read_text()
    assert "- **rnn** seed 1: training diverged" in report and "| lstm |" not in report
    assert "over seeds [0, 1] (less the diverged runs named below)" in report
    import json

    res = json.loads((out / "results.json").read_text())
    assert [(d["model"], d["seed"]) for d in res["diverged"]] == [("rnn", 1), ("lstm", 0),
                                                                  ("lstm", 1)]
    assert res["rows"][0]["seeds"] == [0]


def test_a_comparison_where_every_seed_diverged_says_so(monkeypatch, tmp_path, capsys):
    from rnnlab.compare import forecast_run
    from rnnlab.train import TrainingDiverged

    def diverged(cfg, m, hidden, params, seed, dev, progress=False):
        raise TrainingDiverged("the loss became non-finite at epoch 1, step 2 (loss inf)")

    monkeypatch.setattr(forecast_run, "run_forecast", diverged)
    args = ["compare", "--models", "gru", "--seeds", "5", "--epochs", "1",
            "--out", str(tmp_path / "c")]
    assert rnnlab_main(args) != 0
    err = capsys.readouterr().err
    assert "every model and seed diverged; the last, model 'gru', seed 5: the loss became " \
           "non-finite" in err


def test_sampling_a_diverged_language_model_says_why():
    from rnnlab.compare.lm_run import _sample
    from rnnlab.lm import CharLM
    from rnnlab.lm.config import LMConfig, LMTrainConfig

    lm = CharLM(LMConfig(model="gru", hidden_size=4, embedding=0))
    lm.fit("the time machine " * 40, LMTrainConfig(epochs=1, seq_len=8, batch_size=4,
                                                   progress=False, val_fraction=0.2))
    with torch.no_grad():
        lm.net.head.weight[0, 0] = float("inf")  # scores of inf - inf: NaN
    # torch.multinomial raised "probability tensor contains either inf, nan or element < 0"
    with pytest.raises(RnnlabError, match="next-character scores are not finite"):
        lm.generate("the ", 5, temperature=0.8, seed=0)
    assert _sample(lm, 0).startswith("(no sample: cannot sample")  # compare goes on


def test_bptt_demo_help_names_the_default_distances_it_uses(capsys):
    from rnnlab.reference.demo import DEFAULT_DISTANCES

    assert rnnlab_main(["bptt-demo", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    # it said '... 50 100, up to T' and showed a k=200 column for T >= 200
    assert 200 in DEFAULT_DISTANCES and "(default 0 1 2 5 10 20 50 100 200, up to T)" in help_text


def test_parameter_counts_take_no_memory_and_equal_the_real_networks(monkeypatch, capsys):
    from rnnlab.compare import matching
    from rnnlab.nn import cli as models_cli
    from rnnlab.nn.registry import count_parameters

    for cfg, vocab in ((CompareConfig(models=("dot-rnn",), epochs=1), None),
                       (CompareConfig(task="lm", data="time-machine", models=("gru",)), 30)):
        real = count_parameters(matching.build_network(cfg, cfg.models[0], 5, vocab))
        assert matching.count_for(cfg, cfg.models[0], 5, vocab) == real
    devices = record_build_devices(monkeypatch, models_cli, "build_model")
    # `rnnlab models --hidden-size 100000` allocated every model's weights (160 GB for bilstm)
    assert rnnlab_main(["models", "--hidden-size", "3"]) == 0
    assert devices and set(devices) == {"meta"}
    import re

    # lstm at 1 -> 3: weight_ih 12 x 1, weight_hh 12 x 3, two biases of 12
    assert re.search(r"^lstm +1 +72 ", capsys.readouterr().out, re.M)


def test_an_overwrite_that_fails_before_any_result_puts_the_last_run_back(monkeypatch, tmp_path,
                                                                         capsys):
    from rnnlab.compare import runner
    from rnnlab.io.rundir import prepare_run_dir, previous_of

    out = tmp_path / "c"
    prepare_run_dir(out)  # the last good run: made by rnnlab, with its results
    (out / "results.json").write_text('{"good": 1}')

    def stopped(*a, **k):
        raise KeyboardInterrupt  # Ctrl-C in training (or a typo found once data is read)

    monkeypatch.setattr(runner, "run_models", stopped)
    with pytest.raises(KeyboardInterrupt):
        runner.run_compare(CompareConfig(models=("rnn",), epochs=1), out, overwrite=True)
    # the good run stayed in a hidden .c.previous folder, and c was left empty
    assert (out / "results.json").read_text() == '{"good": 1}'
    assert not previous_of(out).exists() and not (out / ".rnnlab-replacing").exists()
    assert "the previous run is back in place" in capsys.readouterr().err


def test_train_config_counts_are_whole_numbers():
    import numpy as np

    # checkpoint_every=1.5 was taken, and no step count is a multiple of 1.5 twice in a row
    with pytest.raises(ValueError, match="checkpoint_every must be a whole number >= 0, got 1.5"):
        TrainConfig(checkpoint_every=1.5)
    with pytest.raises(ValueError, match="patience must be a whole number of epochs"):
        TrainConfig(patience=2.5)
    TrainConfig(checkpoint_every=np.int64(3), patience=np.int64(2))
