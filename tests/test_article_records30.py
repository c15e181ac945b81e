"""Figures docs/articles.md gives that no other test tied to their source: each is read
from the page and compared with the run record, the shipped data or the computation it
comes from (benchmarks/results/articles, written by benchmarks/articles.sh)."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RECORDS = ROOT / "benchmarks" / "results" / "articles"


def _doc() -> str:
    return " ".join((ROOT / "docs" / "articles.md").read_text(encoding="utf-8").split())


def _results(folder: Path, name: str) -> dict:
    if not folder.parent.is_dir():  # (an unpacked sdist has no benchmarks/results)
        pytest.skip("benchmarks/results is not here")
    return json.loads((folder / name / "results.json").read_text(encoding="utf-8"))


def test_e1_untrained_models_and_the_articles_bias_arithmetic_are_the_record():
    a = _results(RECORDS, "e1-as-written")["as_written"]
    doc = _doc()
    said = re.search(r"after the loop every weight of the four is unchanged \(largest change "
                     r"([\d.]+)\)", doc)
    assert said, "docs/articles.md: the E1 untrained-models sentence moved"
    assert f"{max(a['four_models_max_weight_change'].values()):.1f}" == said.group(1)
    told = re.search(r"The article's DRNN value, ([\d.]+), is 1242 × ([\d.]+): a mean error of "
                     r"([\d.]+) standard deviations", doc)
    assert told, "docs/articles.md: the E1 bias arithmetic moved"
    drnn = a["article_bias"]["DRNN"]
    assert [f"{drnn:.1f}", f"{drnn / 1242:.1f}", f"{drnn / 1242 / 1242:.2f}"] == list(
        told.groups())


def test_e5_state_reset_figure_beside_the_corrected_result_is_the_record():
    r = _results(RECORDS, "e5-as-written")
    said = re.search(r"This is much better than the as-written run's ([\d.]+) with the state "
                     r"reset", _doc())
    assert said, "docs/articles.md: the E5 comparison sentence moved"
    assert f"{r['corrected']['rmse']:.1f}" == said.group(1)


def test_e1_snapshot_is_the_articles_rows_and_windows():
    from rnnlab.data.catalog import dji

    s = dji()
    said = re.search(r"`pandas_datareader` reads \^DJI from stooq: ([\d,]+) rows, "
                     r"(\d{4}-\d\d-\d\d) to (\d{4}-\d\d-\d\d), .*? Windows of 16 with labels "
                     r"shifted by one step \(([\d,]+) windows\)", _doc())
    assert said, "docs/articles.md: the E1 data sentence moved"
    first, last = str(s.index[0].date()), str(s.index[-1].date())
    assert [f"{len(s):,}", first, last, f"{len(s) - 16:,}"] == list(said.groups())


def test_e3_corpus_size_and_batches_per_epoch_are_the_recipes():
    # d2l's lyrics loader keeps 10,000 characters; its consecutive sampler cuts them into
    # batch_size rows and each row into (row length - 1) // num_steps batches
    import torch

    from rnnlab.compare import get_recipe
    from rnnlab.compare.lm_run import corpus_parts
    from rnnlab.data.text import Vocab, load_corpus
    from rnnlab.data.text_sampling import TextSampler

    [cfg] = get_recipe("e3-char-lm").configs().values()
    doc = _doc()
    said = re.search(r"keeps the first ([\d,]+) characters: (\d+) batches of (\d+) × (\d+) an "
                     r"epoch, where the recipe's Time Machine gives (\d+)\.", doc)
    assert said, "docs/articles.md: the E3 batches sentence moved"
    kept, d2l, batch, steps = (int(x.replace(",", "")) for x in said.groups()[:4])
    assert (batch, steps) == (cfg.batch_size, cfg.seq_len)
    assert d2l == (kept // batch - 1) // steps
    train, _, _ = corpus_parts(cfg)
    ids = torch.tensor(Vocab.build(train, "char").encode(train))
    sampler = TextSampler(ids, batch_size=batch, seq_len=steps, sampling="sequential", seed=0)
    ours = {sampler.num_batches(e) for e in range(3)}
    assert ours == {int(said.group(5))}
    row = re.search(r"The Time Machine \(shipped\), ([\d,]+) characters, (\d+)% of them trained "
                    r"on: (\d+) batches an epoch .*? The same 160 epochs train on about (\d+) "
                    r"times as many characters", doc)
    assert row, "docs/articles.md: the E3 corpus row moved"
    text = load_corpus(cfg.data)
    assert [f"{len(text):,}", f"{100 * len(train) / len(text):.0f}", said.group(5),
            f"{int(said.group(5)) / d2l:.0f}"] == list(row.groups())


# --- the figures the page gives for its second CPU, against benchmarks/articles_second_cpu.sh
SECOND = ROOT / "benchmarks" / "results" / "articles-amd-epyc"


def _second(name: str) -> dict:
    """results.json of the AMD EPYC record ``name``, after checking its config.json: the
    command benchmarks/articles_second_cpu.sh or benchmarks/articles_long.sh runs into that
    folder (its --out aside, and the progress display and --overwrite, which change no
    figure), on an AMD EPYC, with the kernels the script's environment limited torch or
    oneDNN to."""
    from article_script_calls import script_calls

    res = _results(SECOND, name)
    info = json.loads((SECOND / name / "config.json").read_text(encoding="utf-8"))
    assert info["versions"]["cpu"] == "AMD EPYC" and isinstance(info["seed"], int), name
    calls = {}
    for script in ("articles_second_cpu.sh", "articles_long.sh"):
        made = script_calls(ROOT / "benchmarks" / script)
        assert not set(made) & set(calls), script  # (one script makes each folder)
        calls.update(made)
    assert set(calls) == {p.parent.name for p in SECOND.glob("*/results.json")}
    args, limits = calls[name]
    quiet = ("--progress", "--no-progress", "--overwrite")
    ran = info["command"][1:]
    ran = [a for a in ran[:ran.index("--out")] + ran[ran.index("--out") + 2:] if a not in quiet]
    assert ran == [a for a in args if a not in quiet], (name, ran)
    versions = info["versions"]
    # unlimited, torch takes the Zen 4's AVX-512 kernels (the page's note on CPUs)
    aten = limits.get("ATEN_CPU_CAPABILITY", "avx512")
    assert versions["torch_cpu_kernels"] == aten.upper(), (name, versions)
    assert versions.get("onednn_max_cpu_isa") == limits.get("ONEDNN_MAX_CPU_ISA"), name
    res["_versions"] = versions  # (the kernels and limits the run had)
    return res


def test_e2_second_cpu_figures_are_its_records():
    doc = _doc()
    kernels = re.search(r"but ([\d.]+) on an AMD EPYC \(Zen 4\) with the AVX-512 or AVX2 kernels "
                        r"\(([\d.]+) with `ONEDNN_MAX_CPU_ISA=AVX2`\)", doc)
    assert kernels, "docs/articles.md: the note on CPUs moved"
    avx512 = _second("e2-as-written")
    avx2 = _second("e2-as-written-avx2-kernels")
    onednn = _second("e2-as-written-onednn-avx2")
    assert avx512["_versions"]["torch_cpu_kernels"] == "AVX512"
    assert avx2["_versions"]["torch_cpu_kernels"] == "AVX2"
    assert onednn["_versions"]["onednn_max_cpu_isa"] == "AVX2"
    rmse = {f"{r['as_written']['test_rmse']:.1f}" for r in (avx512, avx2)}
    assert rmse == {kernels.group(1)}
    assert f"{onednn['as_written']['test_rmse']:.1f}" == kernels.group(2)
    said = re.search(r"\(On the AMD EPYC of the note at the top: ([\d.]+), ([\d.]+) and "
                     r"([\d.]+)\.\)", doc)
    assert said, "docs/articles.md: the E2 second-CPU sentence moved"
    a = avx512["as_written"]
    assert [f"{dict(a['printed_losses'])[1000]:.5f}", f"{a['test_rmse']:.1f}",
            f"{a['rmse_as_plotted']:.1f}"] == list(said.groups())


def test_e2_corrected_second_cpu_figures_are_its_record():
    import statistics

    told = re.search(r"on the AMD EPYC ([\d.]+), ([\d.]+) and ([\d.]+), so ([\d.]+) ± "
                     r"([\d.]+)\)", _doc())
    assert told, "docs/articles.md: the E2 corrected second-CPU figures moved"
    v = [x["metrics"]["one_step"]["rmse"] for x in _second("e2")["records"]]
    got = [*v, statistics.mean(v), statistics.stdev(v)]
    assert [f"{x:.1f}" for x in got] == list(told.groups())


def test_e5_second_cpu_figures_are_its_record():
    said = re.search(r"On the AMD EPYC of the note at the top, with the same seed and AVX-512 "
                     r"kernels, the run gives ([\d.]+) and ([\d.]+),", _doc())
    assert said, "docs/articles.md: the E5 second-CPU sentence moved"
    r = _second("e5-as-written")
    assert r["_versions"]["torch_cpu_kernels"] == "AVX512"
    assert [f"{r['as_written']['rmse']:.1f}", f"{r['corrected']['rmse']:.1f}"] == list(
        said.groups())


def test_e3_second_cpu_figures_and_the_conclusion_on_both_cpus_are_the_records():
    doc = _doc()
    said = re.search(r"On the AMD EPYC of the note at the top the same six runs give ([\d.]+) "
                     r"and ([\d.]+) for the LSTM, ([\d.]+) and ([\d.]+) for the GRU, and "
                     r"unclipped ([\d.]+) and ([\d.]+), beside the same baselines: the GRU's "
                     r"figures move by up to ([\d.]+) bits with the CPU\. On either CPU, after "
                     r"one epoch no setting wins for both models, and no model beats the "
                     r"trigram\.", doc)
    assert said, "docs/articles.md: the E3 second-CPU sentence moved"
    # in the page's order: LSTM at 0.01 and 1.0, GRU at 0.01 and 1.0, then both unclipped
    names = ["e3-lstm-clip0.01", "e3-lstm-clip1.0", "e3-gru-clip0.01", "e3-gru-clip1.0",
             "e3-lstm-clipnone", "e3-gru-clipnone"]
    bits, base = {}, {}
    for cpu in ("xeon", "epyc"):
        for name in names:
            r = _second(name) if cpu == "epyc" else _results(RECORDS, name)
            bits[cpu, name] = r["records"][0]["metrics"]["test_bpc"]
            got = {k: v["metrics"]["test_bpc"] for k, v in r["baselines"].items()}
            assert got == pytest.approx(base.setdefault(cpu, got), abs=1e-9)  # one test part
    assert base["xeon"] == pytest.approx(base["epyc"], abs=1e-9)  # "the same baselines"
    assert [f"{bits['epyc', n]:.3f}" for n in names] == list(said.groups()[:6])
    moved = {m: max(abs(bits["epyc", n] - bits["xeon", n]) for n in names if f"-{m}-" in n)
             for m in ("lstm", "gru")}
    assert f"{moved['gru']:.2f}" == said.group(7) and moved["lstm"] < moved["gru"]
    for cpu in ("xeon", "epyc"):
        best = {m: min(("0.01", "1.0", "none"), key=lambda c: bits[cpu, f"e3-{m}-clip{c}"])
                for m in ("lstm", "gru")}
        assert best["lstm"] != best["gru"], cpu  # no setting wins for both models
        assert min(v for (c, _), v in bits.items() if c == cpu) > base[cpu]["trigram"]


def test_e4_corrected_figures_are_its_record():
    import statistics

    import numpy as np

    from rnnlab.data.catalog import sine

    doc = _doc()
    told = re.search(r"Result \(seeds 0, 1, 2; measured on the AMD EPYC only, (\d+) s in the "
                     r"record's run; the Xeon has no record of it\): a rollout RMSE of "
                     r"([\d.]+) ± ([\d.]+) \(([\d.]+), ([\d.]+), ([\d.]+)\) against the series, "
                     r"noise included, beside ([\d.]+) for a linear AR, ([\d.]+) for drift and "
                     r"([\d.]+) for naive \(the last value held flat\)\. The noiseless function "
                     r"itself scores ([\d.]+) against those 50 points \(their N\(0, 1\) draws\): "
                     r"the LSTM's rollout comes within ([\d.]+) of it\.", doc)
    assert told, "docs/articles.md: the E4 corrected sentence moved"
    assert not (RECORDS / "e4").exists()  # (the page says the Xeon has none)
    r = _second("e4")
    v = [x["metrics"]["forecast"]["rmse"] for x in r["records"]]
    assert [x["seed"] for x in r["records"]] == [0, 1, 2]
    base = {k: b["metrics"]["forecast"]["rmse"] for k, b in r["baselines"].items()}
    y = np.asarray(sine().values)
    n = r["series"]["test_size"]
    assert n == 50 and np.allclose(r["series"]["actual"][-n:], y[-n:])
    t = np.arange(len(y))
    oracle = float(np.sqrt(np.mean((y[-n:] - (3 * np.sin(t) + np.cos(5 * t) + 6)[-n:]) ** 2)))
    got = [f"{r['seconds']:.0f}"] + [f"{x:.2f}" for x in (
        statistics.mean(v), statistics.stdev(v), *v, base["linear_ar"], base["drift"],
        base["naive"], oracle, statistics.mean(v) - oracle)]
    assert got == list(told.groups())


def _expand(name: str) -> list:
    """`e3-{lstm,gru}-clip{0.01,1.0}` -> every name the braces spell, in order."""
    import itertools

    parts = re.split(r"\{([^}]*)\}", name)
    choices = [[p] if i % 2 == 0 else p.split(",") for i, p in enumerate(parts)]
    return ["".join(c) for c in itertools.product(*choices)]


def test_the_pages_table_of_records_names_every_record_and_only_those():
    text = (ROOT / "docs" / "articles.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (E\d) \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$", text, re.M)
    assert [r[0] for r in rows] == ["E1", "E2", "E3", "E4", "E5"], "the records table moved"
    named = {RECORDS: set(), SECOND: set()}
    for _, *cells, _why in rows:
        for cell in cells:
            xeon, _, epyc = cell.partition("AMD EPYC:")
            here = [n for found in re.findall(r"`([^`]+)`", xeon) for n in _expand(found)]
            there = [n for found in re.findall(r"`([^`]+)`", epyc) for n in _expand(found)]
            if "the same six" in epyc:
                there += here
            named[RECORDS].update(n for n in here if not n.startswith("--"))
            named[SECOND].update(there)
    for folder, names in named.items():
        if not folder.parent.is_dir():
            pytest.skip("benchmarks/results is not here")
        assert names == {p.parent.name for p in folder.glob("*/results.json")}, folder.name
    e1 = _results(RECORDS, "e1-as-written")["as_written"]
    within = re.search(r"its DRNN loss is matched within ([\d.]+) \|", text)
    gap = abs(round(e1["val_loss"][-1], 4) - e1["article_val_loss"][-1])
    assert within and f"{gap:.4f}" == within.group(1)


def test_readme_gives_e4_as_written_at_all_iterations_as_its_record():
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    said = re.search(r"and E4's ([\d,]+) iterations as written \(a rollout RMSE of ([\d.]+), "
                     r"where the training mean held flat scores ([\d.]+): the model learnt a "
                     r"constant\)", readme)
    assert said, "README.md: the E4 as-written sentence moved"
    r = _second("e4-as-written")
    a = r["as_written"]
    assert [f"{r['iterations']:,}", f"{a['rmse_vs_fresh_series']:.3f}",
            f"{a['baselines']['training mean']['rmse_vs_fresh_series']:.3f}"] == list(
        said.groups())
    quick = _results(RECORDS, "e4-as-written-quick")["as_written"]["printed_losses"]
    text = (ROOT / "docs" / "articles.md").read_text(encoding="utf-8")
    assert f"{quick[-1]['iteration']} of the {said.group(1)} iterations" in text


def test_e4_printed_loss_ratio_is_the_records_and_the_batch():
    # the article divides the batch's mean loss again by the number of windows (392)
    last = _results(RECORDS, "e4-as-written-quick")["as_written"]["printed_losses"][-1]
    said = re.search(r"while the MSE is [\d.]+ \((\d+) times larger\)", _doc())
    assert said, "docs/articles.md: the E4 printed-loss sentence moved"
    assert f"{last['mse'] / last['printed']:.0f}" == said.group(1)
    assert re.search(rf"the first 80% \({said.group(1)} windows, targets up to t = 401\)", _doc())
