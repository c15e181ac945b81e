"""Figures docs/articles.md gives with the code that measures them: the code, run as the
page writes it, gives the figure (within the last digit the CPU's kernels move, as the
page says at its top)."""

import dataclasses
import re
from pathlib import Path

import pytest

from test_docs_figures20 import E4_AS_WRITTEN

ROOT = Path(__file__).resolve().parents[1]


def _flat(doc: str) -> str:
    return " ".join((ROOT / doc).read_text(encoding="utf-8").split())


@pytest.mark.slow  # (one seed of the E2 recipe without its linear map: a few seconds)
def test_e2_linear_head_alone_figures_are_what_the_pages_code_gives():
    # the page said `.evaluate()` gives them: its table is of one 43-step forecast (119.7
    # for seed 0), the figures are its one-step RMSEs, which the recipe reports
    import torch

    from rnnlab import Forecaster
    from rnnlab.compare import get_recipe
    from rnnlab.compare.matching import forecast_config

    said = re.search(r"`linear_skip=False` in the `ForecastConfig` that "
                     r"`rnnlab\.compare\.matching\.forecast_config` builds, then "
                     r"`Forecaster\(config=\.\.\.\)\.fit\('airline'\)\.evaluate\(\)"
                     r"\[\"one_step\"\]\[\"model\"\]\[\"rmse\"\]`.*? the same seeds score "
                     r"([\d.]+), ([\d.]+) and ([\d.]+)\.", _flat("docs/articles.md"))
    assert said, "docs/articles.md: the E2 linear-head sentence moved"
    torch.set_num_threads(1)
    [cfg] = get_recipe("e2-lookback2-lstm").configs().values()
    fc = dataclasses.replace(forecast_config(cfg, "lstm", cfg.hidden_size, cfg.seeds[0]),
                             linear_skip=False)
    ev = Forecaster(config=fc).fit("airline").evaluate()
    assert ev["one_step"]["model"]["rmse"] == pytest.approx(float(said.group(1)), abs=0.15)


# --- the page's figures against the run records benchmarks/articles.sh writes
RECORDS = ROOT / "benchmarks" / "results" / "articles"


def _record(name: str) -> dict:
    """results.json of the record ``name``, after checking its config.json: the command
    benchmarks/articles.sh runs into that folder (its --out aside; --no-progress and
    --overwrite, which older runs lacked, aside too), a seed, the versions it ran with, and
    the kernels the script's environment limited torch to."""
    import json

    from article_script_calls import script_calls

    if not RECORDS.parent.is_dir():  # (an unpacked sdist has no benchmarks/results)
        pytest.skip("benchmarks/results is not here")
    info = json.loads((RECORDS / name / "config.json").read_text(encoding="utf-8"))
    assert isinstance(info["seed"], int) and {"torch", "torch_cpu_kernels", "threads"} <= set(
        info["versions"]), name
    args, limits = script_calls(ROOT / "benchmarks" / "articles.sh")[name]
    quiet = ("--no-progress", "--overwrite")
    ran = [a for a in info["command"][1:] if a not in quiet]
    ran = ran[:ran.index("--out")] + ran[ran.index("--out") + 2:]
    assert ran == [a for a in args if a not in quiet], (name, ran)
    if "ATEN_CPU_CAPABILITY" in limits:
        assert info["versions"]["torch_cpu_kernels"] == limits["ATEN_CPU_CAPABILITY"].upper()
    return json.loads((RECORDS / name / "results.json").read_text(encoding="utf-8"))


def test_e1_as_written_figures_are_the_records():
    a = _record("e1-as-written")
    doc = _flat("docs/articles.md")
    said = re.search(r"seed 0\): ([\d.]+) after epoch 1, ([\d.]+) after epoch 20, lowest "
                     r"([\d.]+) \(epoch (\d+)\)", doc)
    assert said, "docs/articles.md: the E1 as-written sentence moved"
    loss = a["as_written"]["val_loss"]
    best = min(loss)
    assert [f"{loss[0]:.4f}", f"{loss[-1]:.4f}", f"{best:.4f}", str(loss.index(best) + 1)] \
        == list(said.groups())
    readme = re.search(r"reproduced on the shipped snapshot \(([\d.]+) at epoch 20, lowest "
                       r"([\d.]+)\)", _flat("README.md"))
    assert readme and readme.groups() == said.group(2, 3)
    bias = re.search(r"Reproduced \(seed 0\): DRNN ([−\d.]+), BRNN ([−\d.]+), LSTM ([−\d.]+), "
                     r"GRU ([−\d.]+),", doc)
    assert bias, "docs/articles.md: the E1 bias sentence moved"
    got = [f"{a['as_written']['bias'][k]['bias']:.1f}".replace("-", "−")
           for k in ("DRNN", "BRNN", "LSTM", "GRU")]
    assert got == list(bias.groups())
    naive = re.search(r"the naive forecast \(each value = the one before\) scores "
                      r"([\d.]*\d)", doc)
    assert naive and naive.group(1) == f"{a['as_written']['naive_loss_same_windows']:.4f}"
    held = re.search(r"held-out losses of ([\d.]+), ([\d.]+) and ([\d.]+) against naive's "
                     r"([\d.]+), while the BRNN reaches ([\d.]+)", doc)
    assert held, "docs/articles.md: the E1 corrected-task sentence moved"
    c = a["corrected"]
    got = [f"{c['models'][k]['val_loss'][-1]:.4f}" for k in ("DRNN", "LSTM", "GRU")]
    got += [f"{c['naive_val_loss']:.4f}", f"{c['models']['BRNN']['val_loss'][-1]:.4f}"]
    assert got == list(held.groups())


def test_e5_as_written_figures_are_the_record():
    r = _record("e5-as-written")
    said = re.search(r"RMSE ([\d.]+) passengers as written, ([\d.]+) for the same trained model "
                     r"started from zeros at every step, as in its training \(seasonal naive "
                     r"([\d.]+)\)", _flat("docs/articles.md"))
    assert said, "docs/articles.md: the E5 as-written sentence moved"
    got = [r["as_written"]["rmse"], r["corrected"]["rmse"], r["seasonal_naive_rmse"]]
    assert [f"{v:.1f}" for v in got] == list(said.groups())


def test_e3_clip_check_figures_are_the_records():
    said = re.search(r"gives held-out ([\d.]+) bits/char at 0\.01 and ([\d.]+) at 1\.0 for the "
                     r"LSTM, ([\d.]+) and ([\d.]+) for the GRU", _flat("docs/articles.md"))
    assert said, "docs/articles.md: the E3 clipping sentence moved"
    got = []
    for model in ("lstm", "gru"):
        for clip in ("0.01", "1.0"):
            r = _record(f"e3-{model}-clip{clip}")
            got.append(f"{r['records'][0]['metrics']['test_bpc']:.3f}")
            bits = {k: f"{v['metrics']['test_bpc']:.3f}" for k, v in r["baselines"].items()}
            base = re.search(r"baselines on that test part: trigram ([\d.]+), bigram ([\d.]+), "
                             r"unigram ([\d.]+) \(uniform ([\d.]+)\)", _flat("docs/articles.md"))
            assert base and [bits[k] for k in ("trigram", "bigram", "unigram", "uniform")] \
                == list(base.groups())
    assert got == list(said.groups())


def test_e2_figures_are_the_records():
    import statistics

    doc = _flat("docs/articles.md")
    a = _record("e2-as-written")["as_written"]
    said = re.search(r"falls from ([\d.]+) at epoch 100 to ([\d.]+) at epoch 1,000; on the 43 "
                     r"held-out points the RMSE is ([\d.]+) passengers \(naive ([\d.]+)\), and "
                     r"([\d.]+) against the series as the article drew it", doc)
    assert said, "docs/articles.md: the E2 as-written sentence moved"
    losses = dict(a["printed_losses"])
    assert [f"{losses[100]:.5f}", f"{losses[1000]:.5f}", f"{a['test_rmse']:.1f}",
            f"{a['naive_rmse']:.1f}", f"{a['rmse_as_plotted']:.1f}"] == list(said.groups())
    kernels = re.search(r"gives a test RMSE of ([\d.]+) on the AVX-512 CPU .*? and ([\d.]+) "
                        r"with `ATEN_CPU_CAPABILITY=default`", doc)
    assert kernels and kernels.group(1) == said.group(3)
    default = _record("e2-as-written-default-kernels")["as_written"]
    assert f"{default['test_rmse']:.1f}" == kernels.group(2)
    import json

    info = json.loads((RECORDS / "e2-as-written-default-kernels" / "config.json").read_text())
    assert info["versions"]["torch_cpu_kernels"] == "DEFAULT"
    r = _record("e2")
    per_seed = [x["metrics"]["one_step"]["rmse"] for x in r["records"]]
    told = re.search(r"The corrected recipe scores ([\d.]+) ± ([\d.]+) over 3 seeds "
                     r"\(([\d.]+), ([\d.]+), ([\d.]+)[;)]", doc)
    assert told, "docs/articles.md: the E2 corrected sentence moved"
    got = [statistics.mean(per_seed), statistics.stdev(per_seed), *per_seed]
    assert [f"{v:.1f}" for v in got] == list(told.groups())


def test_e4_as_written_quick_figures_are_the_record():
    a = _record("e4-as-written-quick")["as_written"]
    said = re.search(E4_AS_WRITTEN, _flat("docs/articles.md"))
    assert said, "docs/articles.md: the E4 as-written sentence moved"
    b, last = a["baselines"], a["printed_losses"][-1]
    got = [f"{last['printed']:.6f}", f"{last['mse']:.4f}"] + [f"{v:.3f}" for v in (
        a["rmse_vs_fresh_series"], a["rmse_vs_noiseless"],
        b["training mean"]["rmse_vs_fresh_series"], b["training mean"]["rmse_vs_noiseless"],
        b["last value"]["rmse_vs_fresh_series"], b["last value"]["rmse_vs_noiseless"])]
    assert got == list(said.groups())


def _mean_std(values) -> str:
    import statistics

    return f"{statistics.mean(values):.0f} ± {statistics.stdev(values):.0f}"


def test_e1_as_written_seed1_figures_are_the_record():
    doc = _flat("docs/articles.md")
    s1 = _record("e1-as-written-seed1")["as_written"]["val_loss"]
    said = re.search(r"seed 1: ([\d.]+) → ([\d.]+), lowest ([\d.]+)\.", doc)
    assert said, "docs/articles.md: the E1 seed-1 sentence moved"
    assert [f"{s1[0]:.4f}", f"{s1[-1]:.4f}", f"{min(s1):.4f}"] == list(said.groups())


def test_e1_corrected_figures_are_the_record():
    doc = _flat("docs/articles.md")
    r = _record("e1")
    told = re.search(r"next-day RMSE on the last 20% \((\d+) days\) of (\d+ ± \d+) index points "
                     r"for the DRNN, (\d+ ± \d+) for the BRNN, (\d+ ± \d+) for the LSTM and "
                     r"(\d+ ± \d+) for the GRU, against (\d+) for naive \(yesterday's close\) "
                     r"and (\d+) for a linear AR", doc)
    assert told, "docs/articles.md: the E1 corrected sentence moved"
    rmse = {m: [x["metrics"]["one_step"]["rmse"] for x in r["records"] if x["model"] == m]
            for m in ("drnn", "brnn", "lstm", "gru")}
    base = {k: v["metrics"]["one_step"]["rmse"] for k, v in r["baselines"].items()}
    got = [str(r["series"]["test_size"])] + [_mean_std(v) for v in rmse.values()]
    got += [f"{base['naive']:.0f}", f"{base['linear_ar']:.0f}"]
    assert got == list(told.groups())


def test_e5_corrected_figures_are_the_record():
    import statistics

    r = _record("e5")
    told = re.search(r"RMSE ([\d.]+) ± ([\d.]+) passengers \(([\d.]+), ([\d.]+), ([\d.]+);.*? "
                     r"beside seasonal naive ([\d.]+), naive ([\d.]+) and a linear AR ([\d.]+)\.",
                     _flat("docs/articles.md"))
    assert told, "docs/articles.md: the E5 corrected sentence moved"
    v = [x["metrics"]["forecast"]["rmse"] for x in r["records"]]
    base = {k: b["metrics"]["forecast"]["rmse"] for k, b in r["baselines"].items()}
    got = [statistics.mean(v), statistics.stdev(v), *v, base["seasonal_naive"], base["naive"],
           base["linear_ar"]]
    assert [f"{x:.1f}" for x in got] == list(told.groups())


def test_the_run_times_the_page_gives_for_the_records_are_theirs():
    said = re.search(r"The records ran while other work shared the CPU, at a load their "
                     r"files do not keep \(each results.json has its `seconds`\): E1 as "
                     r"written (\d+) s, E5 as written (\d+) s, E1 corrected (\d+) s, E2 (\d+) s "
                     r"as written and (\d+) s corrected, E5 corrected (\d+) s",
                     _flat("docs/articles.md"))
    assert said, "docs/articles.md: the records' run-time sentence moved"
    names = ("e1-as-written", "e5-as-written", "e1", "e2-as-written", "e2", "e5")
    assert [f"{_record(n)['seconds']:.0f}" for n in names] == list(said.groups())
