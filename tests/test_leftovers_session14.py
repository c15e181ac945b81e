"""Leftovers of earlier reviews (session 14): bench's rate with variable lengths, LMNet in a
weights-only load, a multi-part run's data hashes, interval metrics over seeds, and the
message of predict(quantiles=) on a series left undifferenced."""

from __future__ import annotations

import argparse
import json

import pytest

from rnnlab.bench import BenchConfig, run_suite
from rnnlab.bench import cli as bench_cli
from rnnlab.bench.measure import make_lengths

TINY_BENCH = BenchConfig("tiny", T=8, B=4, I=3, H=4, layers=1)


def _bench_parse(argv):
    parser = argparse.ArgumentParser()
    bench_cli.register(parser.add_subparsers(dest="command"))
    return parser.parse_args(["bench", *argv])


# ------------------------------------------------------- 1. bench --lengths variable: steps/s
def test_variable_lengths_rate_counts_the_real_steps_not_the_padded_batch():
    """steps/s was T*B / fwd+bwd seconds with variable lengths too, though the sequences
    hold only sum(lengths) < T*B steps: the rate was inflated by the padding."""
    real = int(make_lengths(TINY_BENCH).sum())
    assert real < TINY_BENCH.T * TINY_BENCH.B  # (so the test can tell the two apart)
    for lengths, want in (("variable", real), ("full", TINY_BENCH.T * TINY_BENCH.B)):
        rows = run_suite([TINY_BENCH], ["gru"], warmup=0, repeats=1, lengths=lengths)
        assert rows
        for r in rows:
            assert r.steps == want and r.lengths == lengths
            assert r.steps_per_s == pytest.approx(want / (r.fwd_bwd_ms / 1e3))


def test_bench_json_and_table_name_the_real_steps(tmp_path, capsys):
    out = tmp_path / "bench.json"
    args = _bench_parse(["--configs", "C3", "--models", "rnn", "--repeats", "1", "--warmup",
                         "0", "--lengths", "variable", "--json", str(out)])
    assert args.func(args) == 0
    text = capsys.readouterr().out
    assert "| real steps/s (sum of lengths) |" in text and "padding not counted" in text
    from rnnlab.bench.configs import CONFIGS

    real = int(make_lengths(CONFIGS["C3"]).sum())
    rows = json.loads(out.read_text())["rows"]
    assert rows and all(r["steps"] == real for r in rows)
    assert all(r["steps_per_s"] == pytest.approx(real / (r["fwd_bwd_ms"] / 1e3)) for r in rows)
    from rnnlab.bench.record import load_results

    assert load_results(out)[1][0].steps == real  # (read back: a field it knows)


def test_an_old_variable_lengths_file_says_its_rate_counts_the_padding():
    from rnnlab.bench.suite import Result

    old = Result("C3", "torch.nn.LSTM", "torch", 2, "float32", "cpu", 1.0, 2.0, 3000.0, "-",
                 None, fwd_bwd_min_ms=2.0, lengths="variable")  # (no `steps`: an old file)
    assert "3,000 (padded T*B)" in bench_cli.format_row(old)
    new = Result("C3", "torch.nn.LSTM", "torch", 2, "float32", "cpu", 1.0, 2.0, 3000.0, "-",
                 None, fwd_bwd_min_ms=2.0, lengths="variable", steps=6)
    assert "padded" not in bench_cli.format_row(new)
    assert "| steps/s |" in bench_cli.header("full")
    assert "real steps/s" in bench_cli.header("variable")


# ------------------------------------------------------- 2. LMNet loads with weights_only=True
LMNET_ROUND_TRIP = """
import io, torch
from rnnlab.lm import LMConfig, LMNet
torch.manual_seed(0)
for emb in (3, 0):  # an embedding, and one-hot inputs
    net = LMNet(LMConfig(hidden_size=4, num_layers=1, embedding=emb), 7).eval()
    buf = io.BytesIO()
    torch.save(net, buf)
    buf.seek(0)
    back = torch.load(buf, weights_only=True)
    assert type(back) is LMNet
    ids = torch.tensor([[1, 2, 3, 4]])
    torch.testing.assert_close(back(ids)[0], net(ids)[0], rtol=0, atol=0)
print("ok")
"""


def test_lmnet_round_trips_through_a_weights_only_load():
    """torch.save(lm.net) could not be read back with torch.load(weights_only=True) (torch's
    default): LMNet and the nn.Embedding it holds were not safe globals. Run in a fresh
    process, as a user's script is: in this one, a test's ``safe_globals([..., Embedding])``
    block removes torch's registration of the classes it lists when it ends (torch's
    context manager does not count who else added them)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    src = str(Path(__file__).resolve().parents[1] / "src")
    env = dict(os.environ, PYTHONPATH=src + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run([sys.executable, "-c", LMNET_ROUND_TRIP], capture_output=True,
                         text=True, env=env, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]


# ------------------------------------------------- 3. a multi-part run records its data
def test_a_multi_part_run_records_each_parts_data_hash(tmp_path, monkeypatch):
    """The top-level config.json of a multi-part recipe run (deep-rnn-compare) had
    data_sha256 null, though each part's folder recorded its own: now it names each."""
    from rnnlab.compare import plots
    from rnnlab.compare.config import CompareConfig
    from rnnlab.compare.parts import run_parts

    monkeypatch.setattr(plots, "write_plots", lambda cfg, res, out: {})  # (time: not tested)

    tiny = dict(models=("rnn",), seeds=(0,), hidden_size=4, epochs=1, batch_size=8)
    parts = {"airline": CompareConfig(task="forecast", data="airline", **tiny),
             "time-machine": CompareConfig(task="lm", data="time-machine", max_chars=3000,
                                           seq_len=16, embedding=4, **tiny)}
    out = tmp_path / "run"
    run_parts(parts, out, "deep-rnn-compare", "t", "d", "cmd", False, {})
    top = json.loads((out / "config.json").read_text())
    assert set(top["data_sha256"]) == set(parts)
    for name in parts:
        part = json.loads((out / name / "config.json").read_text())
        assert len(part["data_sha256"]) == 64 and top["data_sha256"][name] == part["data_sha256"]
    assert top["data_sha256"]["airline"] != top["data_sha256"]["time-machine"]


# ------------------------------------------- 4. interval metrics over seeds; the test band
TINY = dict(hidden_size=4, epochs=2, ensemble=1, progress=False, lookback=6, horizon=6)
CLI_TINY = ["--hidden-size", "4", "--epochs", "2", "--ensemble", "1", "--lookback", "6",
            "--horizon", "6", "--no-progress"]


def _ev(rmse, coverage, width, crps):
    point = {k: rmse for k in ("rmse", "mae", "mape", "smape", "mase")}
    return {"forecast": {"model": point}, "intervals": {
        "levels": [0.1, 0.9], "test_points": 6,
        "test": {"crps": crps, "coverage80": coverage, "width80": width}}}


def test_summary_over_seeds_has_the_interval_metrics():
    """summary.json over --seeds held the point metrics only, though each seed's
    metrics.json had coverage, width and CRPS of its intervals."""
    from rnnlab.forecast.report import format_summary, summarize

    no_model = {"forecast": {"model": {k: 1.0 for k in ("rmse", "mae", "mape", "smape",
                                                        "mase")}},
                "intervals": {"levels": [0.1, 0.9], "error": "does not difference"}}
    s = summarize({0: _ev(1.0, 0.5, 4.0, 2.0), 1: _ev(2.0, 1.0, 6.0, 3.0), 2: no_model})
    iv = s["intervals"]
    assert iv["levels"] == [0.1, 0.9] and iv["seeds"] == [0, 1]
    # (the sample std over the seeds, ddof=1, as rnnlab compare's: tests/test_metrics_audit19.py)
    cov = iv["test"]["coverage80"]
    assert cov["mean"] == 0.75 and cov["values"] == [0.5, 1.0]
    assert cov["std"] == pytest.approx(0.5 / 2 ** 0.5)
    assert iv["test"]["width80"]["mean"] == 5.0
    assert iv["test"]["crps"]["std"] == pytest.approx(2 ** -0.5)
    assert iv["without"] == {"2": "does not difference"}
    text = format_summary(s, [0, 1, 2])
    assert "80% interval: coverage 0.750 ± 0.354, mean width 5 ± 1.4" in text
    assert "CRPS 2.5 ± 0.71" in text and "seed 2: no intervals" in text
    assert "intervals" not in summarize({0: {"forecast": {}}})  # none asked for: none said


@pytest.mark.slow
def test_cli_seeds_with_quantiles_summarise_the_intervals(tmp_path):
    from forecast_series import seasonal

    from rnnlab.cli import main

    csv = tmp_path / "s.csv"
    seasonal(96, noise=2.0).rename_axis("month").reset_index().to_csv(csv, index=False)
    out = tmp_path / "run"
    assert main(["forecast", "--data", str(csv), *CLI_TINY, "--seeds", "0", "1",
                 "--quantiles", "0.1", "0.9", "--out", str(out)]) == 0
    summary = json.loads((out / "summary.json").read_text())
    for key in ("coverage80", "width80", "crps"):
        per_seed = [json.loads((out / f"seed_{s}" / "metrics.json").read_text())[
            "intervals"]["test"][key] for s in (0, 1)]
        assert summary["intervals"]["test"][key]["values"] == per_seed


def test_the_forecast_plot_draws_the_models_band_on_the_test_part(tmp_path, monkeypatch):
    """forecast.png drew the 80% band past the data only, though forecast.csv has the test
    part's q columns: the model's band is now drawn there too, with the same values."""
    import numpy as np
    from forecast_series import seasonal

    from rnnlab.forecast import Forecaster, plots
    from rnnlab.forecast.run_intervals import test_part_intervals

    f = Forecaster(**TINY).fit(seasonal(96, noise=2.0))
    figs = []
    monkeypatch.setattr(plots, "_save", lambda fig, path: figs.append(fig) or path)
    f.plot(tmp_path / "forecast.png")
    ax = figs[0].axes[0]
    bands = {c.get_label(): c for c in ax.collections}
    assert "80% interval" in bands  # past the data, as before
    band = bands["model's 80% interval (test part)"]
    want, _ = test_part_intervals(f, f.evaluate().details, (0.1, 0.9))
    ys = band.get_paths()[0].vertices[:, 1]
    for col in ("q0.1", "q0.9"):  # (fill_between's outline holds both edges)
        assert all(np.isclose(ys, v).any() for v in want[col])


# ------------------------------- 5. short weekly and annual series: no intervals, said why
@pytest.mark.parametrize("kind", ["weekly", "annual"])
def test_an_undifferenced_short_weekly_or_annual_series_is_told_why_and_what_to_fit(kind):
    """'auto' leaves about three years of weekly data, and annual data, undifferenced, so
    predict(quantiles=) refuses: the message said to fit 'auto' with a period (dated data),
    which these have or cannot have; it now says why 'auto' did not difference."""
    import numpy as np
    import pandas as pd

    from rnnlab.forecast import Forecaster
    from rnnlab.io.errors import DataError

    n, freq = (156, "W") if kind == "weekly" else (60, "YS")
    rng = np.random.default_rng(0)
    s = pd.Series(100 + np.cumsum(rng.normal(0, 1, n)),
                  index=pd.date_range("1960-01-01", periods=n, freq=freq))
    f = Forecaster(**TINY).fit(s)
    says = (r"period 52: 'auto' differences by the period only when .* holds three seasons "
            r"\(156 points\).*fit with difference='first', or difference='seasonal' \(by 52\)"
            if kind == "weekly" else
            r"period None: 'auto' differences only by a seasonal period, and dates of "
            r"frequency '[^']+' have none\): fit with difference='first', or use")
    with pytest.raises(DataError, match=says):
        f.predict(quantiles=(0.1, 0.9))
    g = Forecaster(difference="first", **TINY).fit(s)
    assert g.predict(quantiles=(0.1, 0.9)).notna().all().all()  # as it says
