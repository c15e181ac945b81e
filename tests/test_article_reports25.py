"""What an articles' run shows beside its numbers: E3's table promised a sample per model
(only results.json had it) and named neither d2l's greedy decoding, its fixed stream
start, its 10,000-character corpus nor its clipping that never ran; an as-written --quick
run trained a fraction of the article's epochs and its report.md (E5's) did not say so."""

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from rnnlab.cli import main as rnnlab_main
from rnnlab.compare import get_recipe
from rnnlab.compare.article_deviations import DEVIATIONS
from rnnlab.compare.as_written import airline_gru, airline_lstm, sine_lstm
from rnnlab.compare.lm_run import (SAMPLE_LENGTH, SAMPLE_PREFIX, SAMPLE_TEMPERATURE,
                                   SAMPLE_TOP_K, corpus_parts, sample_notes)
from rnnlab.data.text_sampling import epoch_offset, sequential_streams

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def one_thread():
    torch.set_num_threads(1)


def _row(name, setting):
    row, = [d for d in DEVIATIONS[name] if d.setting == setting]
    return row


@pytest.mark.slow
def test_an_lm_comparison_report_shows_each_models_sample(tmp_path):
    out = tmp_path / "lm"
    assert rnnlab_main(["compare", "--task", "lm", "--data", "time-machine", "--models",
                        "lstm", "--seeds", "0", "--epochs", "1", "--hidden-size", "8",
                        "--embedding", "0", "--max-chars", "3000", "--seq-len", "16",
                        "--batch-size", "4", "--no-progress", "--out", str(out)]) == 0
    sample = json.loads((out / "results.json").read_text())["records"][0]["sample"]
    assert sample.startswith(SAMPLE_PREFIX) and len(sample) == len(SAMPLE_PREFIX) + SAMPLE_LENGTH
    shown = json.dumps(sample, ensure_ascii=False)
    assert shown in (out / "report.md").read_text()
    assert "Sample of <b>lstm</b>" in (out / "report.html").read_text()


def test_sample_notes_show_the_first_seed_and_how_it_was_drawn():
    records = [{"model": "gru", "seed": 2, "sample": "b\nx"},
               {"model": "gru", "seed": 1, "sample": "a"}, {"model": "lstm", "seed": 1}]
    notes = sample_notes(records)
    assert len(notes) == 1 and "**gru** (seed 1;" in notes[0] and notes[0].endswith(': "a"')
    assert f"temperature {SAMPLE_TEMPERATURE}" in notes[0]
    assert sample_notes([{"model": "gru", "seed": 0, "sample": "b\nx"}])[0].endswith(r'"b\nx"')


def test_e3_reported_row_is_how_the_sample_is_drawn():
    row = _row("e3-char-lm", "reported")
    assert "likeliest character at every step" in row.article  # d2l's argmax
    assert f"{SAMPLE_LENGTH}-char sample" in row.recipe and repr(SAMPLE_PREFIX) in row.recipe
    assert f"temperature {SAMPLE_TEMPERATURE}" in row.recipe
    assert f"the {SAMPLE_TOP_K} likeliest" in row.recipe


def test_e3_corpus_and_stream_rows_are_what_the_recipe_trains_on():
    cfg = get_recipe("e3-char-lm").configs()["time-machine"]
    train, val, test = corpus_parts(cfg)
    total = len(train) + len(val) + len(test)
    ours = sequential_streams(len(train), cfg.batch_size, cfg.seq_len, 0)[2]
    # d2l's consecutive sampler over the first 10,000 characters, no offset
    theirs = (10_000 // cfg.batch_size - 1) // cfg.seq_len
    row = _row("e3-char-lm", "corpus")
    assert f"{total:,} characters" in row.recipe and f"{ours} batches an epoch" in row.recipe
    assert "10,000 characters" in row.article and f"{theirs} batches an epoch" in row.article
    assert f"about {round(ours / theirs)} times" in row.why
    offsets = {epoch_offset(0, e, cfg.seq_len) for e in range(20)}
    assert len(offsets) > 1 and min(offsets) >= 0 and max(offsets) < cfg.seq_len
    assert f"[0, {cfg.seq_len})" in _row("e3-char-lm", "stream start").recipe


@pytest.mark.parametrize("module, key, article", [
    (airline_gru, "epochs", "300"), (airline_lstm, "epochs", "1,000"),
    (sine_lstm, "iterations", "5,000")])
def test_a_quick_as_written_report_says_it_trained_less_than_the_article(module, key,
                                                                        article, monkeypatch):
    res = {"epochs": 3, "iterations": 3, "train_windows": 392, "quick": True, "data": "d",
           "test": [1.0] * 12, "seasonal_naive_rmse": 1.0,
           "as_written": {"forecast": [1.0] * 12, "rmse": 1.0, "scale_divisor": 1.0,
                          "scaled_range": [0.0, 1.0], "train_layout": "-",
                          "printed_losses": [], "test_points": 0, "test_rmse": 0.0,
                          "naive_rmse": 0.0, "rmse_as_plotted": 0.0, "rmse_vs_fresh_series": 0.0,
                          "rmse_vs_noiseless": 0.0},
           "corrected": {"forecast": [1.0] * 12, "rmse": 1.0}}
    text = "\n".join(module.markdown(res))
    assert f"(the article: {article}; a --quick run)" in text
    res[key] = int(article.replace(",", ""))
    assert "the article:" not in "\n".join(module.markdown(res))


@pytest.mark.slow
def test_e1_quick_as_written_report_says_how_many_epochs_each_part_ran(tmp_path):
    out = tmp_path / "e1"
    assert rnnlab_main(["recipe", "run", "e1-dji-compare", "--as-written", "--quick",
                        "--no-progress", "--out", str(out)]) == 0
    res = json.loads((out / "results.json").read_text())
    assert res["as_written"]["four_models_epochs"] == 1 and res["epochs"] == 2
    md = (out / "report.md").read_text()
    assert "optimizer; 1 of the article's 20 epochs)" in md
    assert md.count("2 of the article's 20 epochs") == 2  # 5.2 and the corrected part
    assert np.isfinite(res["as_written"]["val_loss"]).all()


def _two_walk_clip(params, theta):
    """d2l's clipping helper as E3's training function calls it: one walk over ``params``
    sums the squared gradients, a second walk scales them when the norm exceeds ``theta``."""
    total = sum(float((p.grad ** 2).sum()) for p in params)
    norm = total ** 0.5
    if norm > theta:
        for p in params:
            p.grad.mul_(theta / norm)


def _grad_norm(module):
    return float(torch.sqrt(sum((p.grad ** 2).sum() for p in module.parameters())))


def test_e3_clipping_never_ran_as_the_article_called_it():
    # the page's check: nn.LSTM(5, 8, 2), seed 0, a (7, 3, 5) input, the outputs' sum
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(5, 8, 2)
    lstm(torch.randn(7, 3, 5))[0].sum().backward()
    before = _grad_norm(lstm)
    _two_walk_clip(lstm.parameters(), 1e-2)  # a generator, as the article passes it
    assert _grad_norm(lstm) == before
    _two_walk_clip(list(lstm.parameters()), 1e-2)
    assert _grad_norm(lstm) == pytest.approx(1e-2, rel=1e-4)
    doc = " ".join((ROOT / "docs" / "articles.md").read_text(encoding="utf-8").split())
    assert f"a gradient norm of {before:.1f} is still {before:.1f}" in doc
    row = _row("e3-char-lm", "gradient clipping")
    assert "never applied" in row.article and "generator" in row.article
    cfg = get_recipe("e3-char-lm").configs()["time-machine"]
    assert f"clipped at {cfg.clip_norm}" in row.recipe


def test_readme_says_the_sampler_starts_at_a_random_offset_unlike_d2l():
    # (it called both schemes the d2l-style articles'; d2l's start at character 0)
    from rnnlab.data.text_sampling import TextSampler

    ids = torch.arange(400)
    for sampling in ("sequential", "random"):
        sampler = TextSampler(ids, batch_size=2, seq_len=7, sampling=sampling, seed=0)
        firsts = {min(min(sampler.starts(e, i)) for i in range(sampler.num_batches(e))) % 7
                  for e in range(12)}
        assert len(firsts) > 1, sampling  # not every epoch from the first character
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    # (and names which d2l: today's d2l starts at a random offset too, d2l-zh's at 0)
    assert "random offset in [0, seq_len) drawn from the seed (d2l-zh's " \
           "`data_iter_consecutive`, which the article's code uses, and its `data_iter_random` " \
           "cut the text from its first character every epoch; today's d2l, like rnnlab, from " \
           "a random offset)" in readme


def test_e3_unclipped_check_figures_are_the_records():
    import re

    doc = " ".join((ROOT / "docs" / "articles.md").read_text(encoding="utf-8").split())
    said = re.search(r"Unclipped, as the article's code ran \(`--clip-norm none`\), the same "
                     r"epoch gives ([\d.]+) for the LSTM and ([\d.]+) for the GRU", doc)
    assert said, "docs/articles.md: the unclipped E3 sentence moved"
    got = []
    for model in ("lstm", "gru"):
        rec = ROOT / "benchmarks" / "results" / "articles" / f"e3-{model}-clipnone"
        res = json.loads((rec / "results.json").read_text())
        assert res["config"]["clip_norm"] is None and res["config"]["epochs"] == 1
        command = json.loads((rec / "config.json").read_text())["command"]
        assert command[command.index("--clip-norm") + 1] == "none"
        got.append(f"{res['records'][0]['metrics']['test_bpc']:.3f}")
    assert got == list(said.groups())
    from article_script_calls import script_calls

    calls = script_calls(ROOT / "benchmarks" / "articles.sh")
    for model in ("lstm", "gru"):  # (the script reruns them)
        args = calls[f"e3-{model}-clipnone"][0]
        assert args[args.index("--clip-norm") + 1] == "none"


def test_lm_train_help_no_longer_calls_the_articles_clipping_too_low(capsys):
    # docs/articles.md dropped that claim (never measured); --help kept it, and the
    # threshold never ran in the article's code
    assert rnnlab_main(["lm", "train", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "far too low" not in text
    assert "set 0.01, which its code never applied" in text


def test_readme_describes_the_sample_the_report_shows():
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert (f"a language model's {SAMPLE_LENGTH}-character sample after \"{SAMPLE_PREFIX}\", "
            f"its first seed's, drawn at temperature {SAMPLE_TEMPERATURE} from the "
            f"{SAMPLE_TOP_K} likeliest characters") in readme


def test_an_as_written_record_repeats_through_compare(tmp_path, monkeypatch, capsys):
    # `recipe run --config` sent its config.json to `rnnlab compare`, and compare sent it
    # back to `rnnlab recipe`: no command took it
    canned = {"data": "airline", "seconds": 0.0, "epochs": 50, "as_written": {
        "scale_divisor": 1.0, "scaled_range": [0.0, 1.0], "train_layout": "-",
        "printed_losses": [], "test_points": 0, "test_rmse": 0.0, "naive_rmse": 0.0,
        "rmse_as_plotted": 0.0}}
    monkeypatch.setattr(airline_lstm, "run", lambda quick, seed, log: dict(canned, seed=seed))
    out = tmp_path / "e2"
    assert rnnlab_main(["recipe", "run", "e2-lookback2-lstm", "--as-written", "--quick",
                        "--no-progress", "--out", str(out)]) == 0
    capsys.readouterr()
    assert rnnlab_main(["compare", "--config", str(out), "--print-config"]) == 0
    options = json.loads(capsys.readouterr().out)["options"]
    assert (options["recipe"], options["as_written"], options["quick"], options["seeds"]) == (
        "e2-lookback2-lstm", True, True, [0])
    again = tmp_path / "again"
    assert rnnlab_main(["compare", "--config", str(out), "--no-progress", "--out",
                        str(again)]) == 0
    info = json.loads((again / "config.json").read_text())
    assert info["config"]["as_written"] == "airline_lstm" and info["config"]["quick"] is True
    assert rnnlab_main(["recipe", "run", "e2-lookback2-lstm", "--config", str(out)]) == 2
    assert "give it to `rnnlab compare --config`" in capsys.readouterr().err
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "an `--as-written` one's, goes to `rnnlab compare --config`" in readme



def test_clipping_off_reads_back_from_print_config_and_a_record(tmp_path, capsys):
    # E1, E2, E4 and E5's recipes clip nothing: their config.json (and --print-config)
    # wrote clip_norm null, which --config refused
    from rnnlab.compare.config import CompareConfig

    assert rnnlab_main(["compare", "--data", "airline", "--models", "rnn", "--clip-norm",
                        "none", "--print-config"]) == 0
    printed = tmp_path / "printed.json"
    printed.write_text(capsys.readouterr().out)
    assert json.loads(printed.read_text())["options"]["clip_norm"] is None
    [cfg] = get_recipe("e1-dji-compare").configs().values()
    record = tmp_path / "config.json"  # a comparison's record, as write_run_info writes it
    record.write_text(json.dumps({"config": {"compare": cfg.to_dict()}, "seed": 0,
                                  "versions": {}, "command": ["rnnlab", "compare"]}))
    for given in (printed, record):
        assert rnnlab_main(["compare", "--config", str(given), "--print-config"]) == 0
        options = json.loads(capsys.readouterr().out)["options"]
        assert options["clip_norm"] is None, given
    assert CompareConfig().clip_norm is not None  # (null is "off", not the default)


@pytest.mark.slow

def test_a_comparison_with_clipping_off_repeats_from_its_record(tmp_path, capsys):
    # E1, E2, E4 and E5's recipes clip nothing: their config.json (and --print-config)
    # wrote clip_norm null, which --config refused
    first, again = tmp_path / "a", tmp_path / "b"
    common = ["--no-progress", "--threads", "1"]
    assert rnnlab_main(["compare", "--data", "airline", "--models", "rnn", "--seeds", "0",
                        "--epochs", "1", "--hidden-size", "4", "--clip-norm", "none",
                        "--out", str(first), *common]) == 0
    capsys.readouterr()
    assert rnnlab_main(["compare", "--config", str(first), "--print-config"]) == 0
    printed = tmp_path / "printed.json"
    printed.write_text(capsys.readouterr().out)
    assert json.loads(printed.read_text())["options"]["clip_norm"] is None
    assert rnnlab_main(["compare", "--config", str(printed), "--print-config"]) == 0
    capsys.readouterr()
    assert rnnlab_main(["compare", "--config", str(first), "--out", str(again), *common]) == 0
    a, b = (json.loads((d / "results.json").read_text()) for d in (first, again))
    assert b["config"]["clip_norm"] is None
    metric = [r["metrics"] for r in a["records"]], [r["metrics"] for r in b["records"]]
    assert metric[0] == metric[1]


def test_readme_says_only_e1_shows_numbers_to_set_beside():
    # (E2, E4 and E5 show plots; their as-written reports say "the article reports no number")
    from rnnlab.compare.as_written import dji

    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "beside the article's own numbers where it shows any (E1 alone" in readme
    assert dji.ARTICLE_VAL_LOSS and dji.ARTICLE_BIAS
    for module in (airline_lstm, airline_gru, sine_lstm):
        assert not [n for n in dir(module) if n.startswith("ARTICLE_")], module.__name__
