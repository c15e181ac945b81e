"""Issue 19 (CLI side): checks made up front, a step's cost independent of the series'
length, periods that leave too few seasons, and the CLI's frictions."""

import numpy as np
import pandas as pd
import pytest
import torch

from rnnlab.cli import main
from rnnlab.data.windows import make_windows
from rnnlab.forecast import Forecaster
from rnnlab.forecast.config import ForecastConfig
from rnnlab.forecast.net import WindowTask
from rnnlab.io.errors import DataError

TINY = dict(hidden_size=4, epochs=2, ensemble=1, progress=False, batch_size=32, lookback=6,
            horizon=3, device="cpu")


def _positive(n=60, seed=0):
    t = np.arange(n)
    return 50 + t + 5 * np.sin(2 * np.pi * t / 12) + np.random.default_rng(seed).normal(0, 1, n)


# ---------------------------------------------------------------- A: period vs training part
def test_a_period_with_fewer_than_two_seasons_is_refused_with_the_numbers():
    with pytest.raises(DataError, match=r"period 1000 .*117 points.*2000"):
        Forecaster(period=1000, **TINY).fit(_positive(120))
    Forecaster(period=12, **TINY).fit(_positive(120))  # 9 seasons: fine


def test_a_cli_refuses_the_period_before_training(tmp_path, capsys):
    code = main(["forecast", "--data", "airline", "--period", "1000", "--epochs", "1",
                 "--ensemble", "1", "--hidden-size", "4", "--no-progress", "--out",
                 str(tmp_path / "run")])
    err = capsys.readouterr().err
    assert code == 1 and "period 1000" in err and "two seasons" in err
    assert not (tmp_path / "run" / "checkpoints").exists()


# ---------------------------------------------------------------- C: cost of a step
def test_c_windows_are_views_and_the_task_keeps_one_copy_of_the_series():
    from rnnlab.data.windows import window_tensor

    v = np.arange(100.0)
    x, y = make_windows(v, 5, "direct", 3)
    assert x.shape == (93, 5) and y.shape == (93, 3)
    assert np.shares_memory(x, y) and x[4].tolist() == [4, 5, 6, 7, 8] and y[4].tolist() == [9, 10, 11]
    t = window_tensor(x, torch.float32)
    assert t.shape == (93, 5) and t.untyped_storage().nbytes() == 97 * 4  # not 93 x 5 values
    assert torch.equal(t[torch.tensor([4, 90])], torch.tensor(x[[4, 90]], dtype=torch.float32))


def test_c_get_batch_draws_one_permutation_per_epoch(monkeypatch):
    x, y = make_windows(np.arange(1000.0), 6, "direct", 3)
    task = WindowTask(x, y, 16, 0, "direct", 6)
    calls = []
    real = torch.randperm
    monkeypatch.setattr(torch, "randperm", lambda *a, **k: calls.append(a) or real(*a, **k))
    rows = [task.get_batch(0, i)[0][:, 0] for i in range(task.num_batches(0))]
    task.get_batch(1, 0)
    assert len(calls) == 2  # epoch 0 and epoch 1: not one per batch
    seen = torch.cat(rows).long()
    assert sorted(seen.tolist()) == list(range(len(x)))  # each window once per epoch
    g = torch.Generator().manual_seed(0 * 100_003 + 0)  # the order of the old code
    assert torch.equal(seen[:16], real(len(x), generator=g)[:16])


def test_c_forecast_minutes_is_the_configs_time_budget():
    from rnnlab.forecast import cli as fcli

    args = fcli._parser_defaults()
    args.minutes = 0.5
    assert fcli.config_from_args(args, 0).max_seconds == 30
    for bad in ("0", "-1", "nan", "inf"):
        assert main(["forecast", "--minutes", bad]) == 2


def test_c_large_csv_reads_iso_dates_in_chunks(tmp_path, monkeypatch):
    from rnnlab.data import csv_file
    from rnnlab.data.datasets import resolve_data

    p = tmp_path / "d.csv"
    idx = pd.date_range("2001-01-01", periods=3000, freq="h")
    pd.DataFrame({"time": idx.strftime("%Y-%m-%dT%H:%M"), "value": np.arange(3000.0)}).to_csv(p, index=False)
    monkeypatch.setattr(csv_file, "LARGE_CSV_BYTES", 100)
    df = csv_file._read_large(p, ",", rows=700)
    assert str(df["time"].dtype).startswith("datetime64") and len(df) == 3000
    s = resolve_data(str(p))
    hourly = pd.offsets.Hour().freqstr  # pandas < 2.2 names it "H"
    assert s.freq == hourly and len(s) == 3000 and s.index[-1] == idx[-1]


# ---------------------------------------------------------------- D: checks up front
@pytest.mark.parametrize("argv", [["forecast", "--lr", "inf"], ["forecast", "--lr", "nan"],
                                  ["forecast", "--lr", "inf", "--seeds", "0", "1"],
                                  ["lm", "train", "--lr", "inf"], ["lm", "train", "--lr", "nan"]])
def test_d_lr_inf_is_refused_like_nan_before_the_run_directory(argv, tmp_path, capsys):
    assert main(argv + ["--out", str(tmp_path / "r")]) == 2  # a usage error (OptionError)
    assert "lr must be > 0 and finite" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


def test_d_lr_inf_is_refused_by_every_config():
    from rnnlab.compare.config import CompareConfig
    from rnnlab.lm.config import LMTrainConfig
    from rnnlab.train import TrainConfig

    for make in (lambda: TrainConfig(lr=float("inf")), lambda: LMTrainConfig(lr=float("inf")),
                 lambda: CompareConfig(lr=float("inf")), lambda: ForecastConfig(lr=float("inf"))):
        with pytest.raises(ValueError, match="lr must be > 0 and finite"):
            make()


def test_d_compare_lr_inf_is_refused_before_training(tmp_path, capsys):
    code = main(["compare", "--lr", "inf", "--out", str(tmp_path / "c")])
    assert code == 2 and "lr must be > 0 and finite" in capsys.readouterr().err
    assert not (tmp_path / "c").exists()


def test_d_repeated_seeds_are_refused_before_the_run_directory(tmp_path, capsys):
    code = main(["forecast", "--seeds", "0", "0", "--out", str(tmp_path / "r")])
    assert code == 2 and "--seeds repeats 0" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()
    code = main(["compare", "--seeds", "0", "0", "--out", str(tmp_path / "c")])
    assert code == 2 and "seeds must be distinct" in capsys.readouterr().err


def test_d_transform_auto_is_decided_on_the_training_part_and_refused_before_training():
    v = _positive(60)
    v[-2] = -5.0  # the test part (last horizon=3 points) has a negative value
    # the held-out part may not choose the transform (it turned the log off: a leak), and
    # evaluate()/predict() read it as history under the log: refused, naming the way out
    with pytest.raises(DataError, match="held-out values may not choose the transform"):
        Forecaster(**TINY).fit(v)
    f = Forecaster(transform="none", **TINY).fit(v)
    assert f.pipeline.log is False
    assert np.isfinite(f.evaluate()["model"]["rmse"])  # the test part can be read
    with pytest.raises(DataError, match="validation and test"):
        Forecaster(transform="log", **TINY).fit(v)  # refused before training
    assert Forecaster(**TINY).fit(_positive(60)).pipeline.log is True


# ---------------------------------------------------------------- B and E: lm generate / eval
LM_TEXT = "the quick brown fox jumps over the lazy dog. " * 30


@pytest.fixture(scope="module")
def lm_run(tmp_path_factory):
    from rnnlab.lm import CharLM

    run = tmp_path_factory.mktemp("lm")
    CharLM(model="lstm", hidden_size=8, embedding=4).fit(
        LM_TEXT, seq_len=16, batch_size=4, epochs=1, progress=False).save(run / "model")
    (run / "text.txt").write_text(LM_TEXT + "zé")
    return run


def test_b_prefix_with_unknown_characters_warns_naming_them(lm_run, capsys):
    assert main(["lm", "generate", "--run", str(lm_run), "--prefix", "the Zé", "-n", "5"]) == 0
    cap = capsys.readouterr()
    assert "warning" in cap.err and "'Z'" in cap.err and "'é'" in cap.err
    assert cap.out.startswith("the Zé") and len(cap.out.rstrip("\n")) == 6 + 5


def test_b_all_unknown_prefix_is_refused_like_an_empty_one(lm_run, capsys):
    assert main(["lm", "generate", "--run", str(lm_run), "--prefix", "ZZÉ", "-n", "5"]) == 1
    err = capsys.readouterr().err
    assert "none of the prefix's chars is in the model's vocabulary" in err and "'Z'" in err
    from rnnlab.lm import CharLM

    lm = CharLM.load(lm_run / "model")
    with pytest.raises(ValueError, match="none of the prefix"):
        lm.generate("ZZÉ", 3)
    with pytest.warns(UserWarning, match="'Z'"):
        assert lm.generate("Zthe", 3, temperature=0).startswith("Zthe")


def test_b_n_is_capped_up_front_with_a_way_to_get_more(lm_run, capsys):
    assert main(["lm", "generate", "--run", str(lm_run / "nowhere"), "--prefix", "the",
                 "-n", "100000000000"]) == 2  # refused before the model is even looked for
    err = capsys.readouterr().err
    assert "1,000,000" in err and "--seed" in err and "CharLM" in err


def test_b_generate_streams_its_output(lm_run, monkeypatch):
    """Each token is written and flushed as it is drawn (the text came all at once, at the
    end, before: `-n 100000000000` printed nothing for minutes)."""
    import io
    import sys

    class Recorder(io.StringIO):
        flushed_at = []

        def flush(self):
            self.flushed_at.append(len(self.getvalue()))

    out = Recorder()
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["lm", "generate", "--run", str(lm_run), "--prefix", "the ", "-n", "50"]) == 0
    text = out.getvalue()
    assert len(text) == 4 + 50 + 1
    assert len(Recorder.flushed_at) >= 50 and Recorder.flushed_at[0] <= 5


def test_e_lm_eval_prints_a_table_and_json_on_request(lm_run, capsys):
    import json

    assert main(["lm", "eval", "--run", str(lm_run), "--text", str(lm_run / "text.txt")]) == 0
    out = capsys.readouterr().out
    assert "bits per char" in out and "perplexity" in out and "model" in out
    assert "unknown" in out and "'é'" in out
    with pytest.raises(json.JSONDecodeError):
        json.loads(out)
    assert main(["lm", "eval", "--run", str(lm_run), "--text", str(lm_run / "text.txt"),
                 "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["unit"] == "bits per char" and res["unknown_distinct"] == 1


# ---------------------------------------------------------------- E: compare in the terminal
def _fake_compare_result(cfg):
    from rnnlab.compare.summary import summarize

    def rec(model, seed, rmse):
        m = {k: rmse * f for k, f in (("rmse", 1), ("mae", .8), ("mape", 5), ("smape", 5),
                                      ("mase", .5))}
        return {"model": model, "seed": seed, "params": 100, "hidden_size": 4, "num_layers": 1,
                "path": "fused", "metrics": {"forecast": m, "one_step": m},
                "train_seconds": 1.5, "steps_per_second": 10.0, "best_epoch": 2, "epochs_run": 3,
                "first_train_loss": 1.0, "last_train_loss": 0.5, "loss_fell": True}

    records = [rec("rnn", 0, 10.0), rec("rnn", 1, 12.0), rec("gru", 0, 7.0), rec("gru", 1, 9.0)]
    base = {"naive": {"metrics": rec("x", 0, 20.0)["metrics"]}}
    return {"rows": summarize(cfg, records, base)}


def test_e_compare_ends_with_a_summary_table(tmp_path, monkeypatch, capsys):
    import rnnlab.compare.runner as runner
    from rnnlab.compare.config import CompareConfig

    monkeypatch.setattr(runner, "run_compare", lambda cfg, out, **kw: _fake_compare_result(cfg))
    assert main(["compare", "--models", "rnn", "gru", "--seeds", "0", "1", "--out",
                 str(tmp_path / "c")]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    at = [i for i, line in enumerate(lines) if line.startswith("summary over 2 seeds")][-1]
    assert lines[at + 1].split()[:3] == ["model", "params", "forecast.rmse"]
    assert lines[at + 2].split()[:5] == ["rnn", "100", "11.000", "±", "1.414"]
    assert lines[at + 3].split()[:5] == ["gru", "100", "8.000", "±", "1.414"]
    assert lines[at + 4].startswith("naive (baseline)") and "20.000" in lines[at + 4]
    # then what the table does not say: the order, and whether the seeds back it; each note
    # is one paragraph, wrapped at 80 columns (its continuation lines indented)
    notes: list[str] = []
    for line in lines[at + 5:]:
        if line.startswith("  ") and notes:
            notes[-1] += " " + line.strip()
        else:
            notes.append(line)
    assert notes[-2].startswith("Order by mean forecast.rmse (lower is better): gru 8.000")
    # and the paired test across seeds (two seeds: too few, said instead of a number)
    assert notes[-1].startswith("Paired t-tests across seeds of forecast.rmse")
    assert "gru vs rnn: paired t over 2 seeds: no test" in notes[-1]
    assert all(len(line) <= 80 for line in lines[at + 5:])
    assert CompareConfig().seeds  # (the table's numbers: mean ± sample std over the seeds)


def test_e_compare_help_describes_every_option_with_its_choices(capsys):
    import dataclasses

    from rnnlab.compare.cli import field_help
    from rnnlab.compare.config import CompareConfig

    described = field_help()
    assert set(described) >= {f.name for f in dataclasses.fields(CompareConfig)}
    assert main(["compare", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "--metric {rmse,mae,mape,smape,mase} main metric" in text
    assert "--task {forecast,lm} forecast (a series)" in text
    assert "--transform {auto,log,none}" in text and "--impl {auto,fast," in text
    assert "--seeds SEEDS [SEEDS ...] every model is trained once per seed" in text
    capsys.readouterr()
    assert main(["compare", "--metric", "rsme"]) == 2  # a typo: refused before any training
    assert "metric must be rmse, mae" in capsys.readouterr().err


# ---------------------------------------------------------------- E: plots, evaluate, --output
def test_e_forecast_plot_zooms_on_the_recent_past_with_distinct_colours():
    from matplotlib.colors import to_hex

    from rnnlab.data.series import Series
    from rnnlab.forecast.plots import forecast_figure

    n, nt = 5000, 4988
    s = Series(values=np.sin(np.arange(n) / 9.0) + 2, index=None, name="long")
    names = ("model", "seasonal_naive", "naive", "drift", "linear_ar")
    ev = {"predictions": {m: list(np.ones(12)) for m in names},
          "forecast": {m: {"rmse": 1.0} for m in names}}
    future = pd.Series(np.ones(12), index=pd.RangeIndex(n, n + 12))
    fig, ax = forecast_figure(s, nt, ev, future)
    history = ax.get_lines()[0]
    assert history.get_xdata()[0] == nt - 3 * 24 and "last 84 of 5000 points" in ax.get_title()
    colours = [to_hex(line.get_color()) for line in ax.get_lines() if line.get_label()[0] != "_"]
    assert len(colours) == len(set(colours)) == 2 + 1 + 5 + 1  # history, test, boundary, 5, future
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_e_evaluate_returns_a_dataframe_that_keeps_the_old_keys():
    f = Forecaster(period=12, **TINY).fit(_positive(60))
    ev = f.evaluate()
    assert isinstance(ev, pd.DataFrame)
    assert list(ev.index) == ["model", "network", "seasonal_naive", "naive", "drift", "linear_ar",
                              "linear_ar0", "arma"]
    assert list(ev.columns[:5]) == ["rmse", "mae", "mape", "smape", "mase"]
    assert ev.loc["model", "rmse"] == ev["forecast"]["model"]["rmse"] == ev["model"]["rmse"]
    assert ev["test_size"] == 3 and set(ev["one_step"]) == set(ev.index)
    assert "choice" in ev and ev["choice"]["method"] == ev.get("choice")["method"]
    assert type(ev[["rmse"]]) is pd.DataFrame and ev["rmse"]["naive"] > 0


def test_e_forecast_run_writes_a_csv_and_never_overwrites_unasked(tmp_path, capsys):
    run = tmp_path / "run"
    assert main(["forecast", "--data", "airline", "--epochs", "1", "--ensemble", "1",
                 "--hidden-size", "4", "--no-progress", "--out", str(run)]) == 0
    out = tmp_path / "f.csv"
    assert main(["forecast", "--run", str(run), "--horizon", "5", "--output", str(out)]) == 0
    df = pd.read_csv(out)
    assert list(df.columns) == ["time", "forecast"] and len(df) == 5
    out.write_text("mine")
    capsys.readouterr()
    assert main(["forecast", "--run", str(run), "--horizon", "5", "--output", str(out)]) == 1
    assert "--overwrite" in capsys.readouterr().err and out.read_text() == "mine"
    assert main(["forecast", "--run", str(run), "--horizon", "7", "--output", str(out),
                 "--overwrite"]) == 0
    assert len(pd.read_csv(out)) == 7


def test_a_an_inferred_period_with_few_seasons_is_said_beside_the_table():
    from rnnlab.forecast.report import format_metrics

    m = {k: 1.0 for k in ("rmse", "mae", "mape", "smape", "mase")}
    ev = {"test_size": 3, "n_train": 10, "period": 12, "forecast": {"model": m, "naive": m}}
    text = " ".join(line.strip() for line in format_metrics(ev, "run").splitlines())
    assert "0.83 seasons of period 12" in text and "seasonal_naive is left out" in text
    assert "seasons" not in format_metrics(dict(ev, n_train=24), "run")


# ---------------------------------------------------------------- F: defaults from the period
def test_f_period_defaults_round_lookback_and_test_size_to_whole_periods():
    from rnnlab.forecast.period_defaults import period_defaults

    d = ForecastConfig()
    cfg, why = period_defaults(d, 7, 400)
    assert (cfg.lookback, cfg.test_size) == (14, 14) and "--lookback 14 (2 periods)" in why
    assert period_defaults(d, 12, 400) == (d, "")  # monthly: already whole years
    assert period_defaults(d, 52, 400) == (d, "")  # weekly: a year-long window is a choice
    assert period_defaults(d, 7, 60) == (d, "")  # too short for the rounded sizes
    assert period_defaults(d, None, 400) == (d, "")
    cfg, why = period_defaults(d, 24, 2000, typed={"lookback"})
    assert (cfg.lookback, cfg.test_size) == (12, 24) and "lookback" not in why
    cfg, _ = period_defaults(d.replace(horizon=30), 7, 2000, typed={"horizon"})
    assert (cfg.lookback, cfg.test_size) == (14, 35)


def test_f_a_daily_series_run_says_which_defaults_it_took(tmp_path, capsys):
    import json

    idx = pd.date_range("2020-01-01", periods=300, freq="D")
    p = tmp_path / "daily.csv"
    pd.DataFrame({"date": idx, "value": _positive(300)}).to_csv(p, index=False)
    common = ["forecast", "--data", str(p), "--epochs", "1", "--ensemble", "1",
              "--hidden-size", "4", "--no-progress"]
    assert main(common + ["--out", str(tmp_path / "a")]) == 0
    cap = capsys.readouterr()
    assert "seasonal period 7: --lookback 14 (2 periods), --test-size 14 (2 periods)" in cap.err
    assert "test part: last 14 points" in cap.out
    info = json.loads((tmp_path / "a" / "config.json").read_text())["config"]
    assert (info["lookback"], info["test_size"]) == (14, 14)
    assert main(common + ["--lookback", "12", "--out", str(tmp_path / "b")]) == 0
    info = json.loads((tmp_path / "b" / "config.json").read_text())["config"]
    assert (info["lookback"], info["test_size"]) == (12, 14)  # typed: kept


# ---------------------------------------------------------------- H: fast stand-ins
def test_h_lm_train_interrupted_names_the_exact_resume_command(tmp_path, monkeypatch, capsys):
    """The message test_lm_cli's Ctrl-C test (slow: a real process) reads, in this process."""
    import shlex

    from rnnlab.lm.api import CharLM
    from rnnlab.train.loop import TrainingInterrupted

    def interrupted(self, *a, **k):
        raise TrainingInterrupted("stopped by a signal at epoch 1, step 3; checkpoint saved", 130)

    monkeypatch.setattr(CharLM, "fit", interrupted)
    (tmp_path / "c.txt").write_text(LM_TEXT)
    out = tmp_path / "a run"
    assert main(["lm", "train", "--corpus", str(tmp_path / "c.txt"), "--epochs", "1",
                 "--batch-size", "4", "--seq-len", "16", "--no-progress", "--out",
                 str(out)]) == 130
    err = capsys.readouterr().err
    assert f"Resume with: rnnlab lm train --resume {shlex.quote(str(out))}" in err, err
