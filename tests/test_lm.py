"""Language models: perplexity, baselines, training, generation, save/load, CLI."""

import argparse
import json
import math

import pytest
import torch

from printed_words import words
from rnnlab.data.text import Vocab
from rnnlab.io.errors import CheckpointError, DataError
from rnnlab.lm import CharLM, LMConfig, LMNet, LMTrainConfig, token_nll
from rnnlab.lm.baselines import KneserNey, baseline_bits, unigram_bits

TEXT = ("the quick brown fox jumps over the lazy dog. " * 40
        + "a stitch in time saves nine. " * 20)
TINY = dict(model="lstm", hidden_size=24, num_layers=1, embedding=8, dropout=0.0)
FAST = dict(seq_len=16, batch_size=4, epochs=3, progress=False, lr=1e-2)


@pytest.fixture(scope="module")
def trained():
    torch.set_num_threads(1)
    return CharLM(**TINY).fit(TEXT, **FAST)


def _uniform_net(vocab_size, **kw):
    net = LMNet(LMConfig(**dict(TINY, **kw)), vocab_size)
    with torch.no_grad():
        net.head.weight.zero_()
        net.head.bias.zero_()
    return net


@pytest.mark.parametrize("streams", [1, 3, 16])
def test_uniform_model_perplexity_is_vocab_size(streams):
    V = 13
    ids = torch.randint(0, V, (501,))
    total, n = token_nll(_uniform_net(V), ids, streams=streams)
    assert n == 500  # every token but the first is scored once
    assert math.exp(total / n) == pytest.approx(V, rel=1e-6)


def test_each_stream_starts_from_a_fresh_state_as_the_readme_says():
    """The README said validation is scored "with the state carried": each of the
    ``streams`` parts starts from a fresh state. Scored with S streams = the sum of each
    part scored alone (one state carried through it); the README now says exactly that."""
    from pathlib import Path

    torch.manual_seed(0)
    net = LMNet(LMConfig(**TINY), 13)
    ids = torch.randint(0, 13, (300,))
    n, S = len(ids) - 1, 3
    L = -(-n // S)
    parts = [token_nll(net, ids[k * L:(k + 1) * L + 1], streams=1)[0] for k in range(S)]
    total, count = token_nll(net, ids, streams=S)
    assert count == n and total == pytest.approx(sum(parts), rel=1e-9)
    assert abs(total - token_nll(net, ids, streams=1)[0]) > 1e-6  # (one carried state differs)
    readme = " ".join((Path(__file__).resolve().parents[1] / "README.md").read_text(
        encoding="utf-8").split())
    assert "with the state carried" not in readme
    assert ("each part starts from a fresh state and carries it through to its end" in readme
            and "`lm.bits_per_char(text, streams=1)`" in readme)


def test_uniform_one_hot_model_through_charlm():
    lm = CharLM(**dict(TINY, embedding=0))
    lm.vocab = Vocab.build(TEXT)
    lm.net = _uniform_net(len(lm.vocab), embedding=0)
    ppl, bpc = lm.perplexity(TEXT), lm.bits_per_char(TEXT)
    assert ppl == pytest.approx(len(lm.vocab), rel=1e-6)
    assert bpc == pytest.approx(math.log2(ppl), rel=1e-9)


def test_state_is_carried_when_measuring():
    # a model that can only predict well with context: carried state must beat resets
    torch.manual_seed(0)
    lm = CharLM(**TINY).fit("abcdefgh" * 300, seq_len=16, batch_size=4, epochs=4,
                            progress=False, lr=2e-2)
    assert lm.bits_per_char("abcdefgh" * 50) < 0.5


def test_overfit_tiny_text_loss_falls(trained):
    h = trained.history
    assert len(h) == 3
    assert h[-1]["train_loss"] < 0.6 * h[0]["train_loss"]
    assert h[-1]["val_bpc"] < trained.baselines["unigram"]
    assert trained.info["stopped_by"] == "epochs done"


def test_bpc_is_log2_perplexity(trained):
    text = TEXT[:300]
    assert trained.bits_per_char(text) == pytest.approx(math.log2(trained.perplexity(text)))


def test_generation_deterministic_greedy_and_seeded(trained):
    g1 = trained.generate("the quick", 40, temperature=0)
    assert g1 == trained.generate("the quick", 40, temperature=0, seed=99)  # greedy ignores seed
    assert g1.startswith("the quick") and len(g1) == len("the quick") + 40
    s1 = trained.generate("the ", 60, temperature=1.0, top_k=5, seed=7)
    assert s1 == trained.generate("the ", 60, temperature=1.0, top_k=5, seed=7)
    others = {trained.generate("the ", 60, temperature=1.5, seed=s) for s in range(5)}
    assert len(others) > 1
    rng_before = torch.get_rng_state()
    trained.generate("the ", 10, seed=3)
    assert torch.equal(rng_before, torch.get_rng_state())  # global RNG untouched


def test_generation_unknown_prefix_and_errors(trained):
    out = trained.generate("Zzz€ ", 10, temperature=0)  # unknown characters: the unknown token
    assert out.startswith("Zzz€ ") and "\ufffd" not in out[5:]
    with pytest.raises(ValueError, match="empty"):
        trained.generate("", 5)
    with pytest.raises(ValueError, match="top_k"):
        trained.generate("a", 5, top_k=0)
    for bad in (float("nan"), float("inf"), -0.5):
        with pytest.raises(ValueError, match="temperature must be a finite number >= 0"):
            trained.generate("a", 5, temperature=bad)
    with pytest.raises(ValueError, match="n must be a whole number"):
        trained.generate("a", 5.5)
    with pytest.raises(ValueError, match="top_k must be a whole number"):
        trained.generate("a", 5, top_k=2.5)


def test_scoring_builds_no_graph(trained):
    """Perplexity carries the state over the whole text: with a graph, memory would grow
    with the text (and torch warns of converting a tensor that requires grad)."""
    import warnings

    seen = []
    hook = trained.net.head.register_forward_hook(lambda m, a, out: seen.append(out.requires_grad))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            trained.bits_per_char(TEXT[:600])
    finally:
        hook.remove()
    assert seen and not any(seen)


def test_perplexity_past_the_float_range_is_inf_not_an_error():
    from rnnlab.lm.model import format_perplexity, perplexity_of_bits

    assert perplexity_of_bits(3.0) == 8.0 and perplexity_of_bits(2050.8) == math.inf
    assert format_perplexity(8.0) == "8.00" and format_perplexity(2.0 ** 90) == "1.24e+27"


def test_save_load_round_trip(trained, tmp_path):
    trained.save(tmp_path / "m")
    lm = CharLM.load(tmp_path / "m")
    assert lm.vocab == trained.vocab and lm.config == trained.config
    assert lm.perplexity(TEXT[:500]) == trained.perplexity(TEXT[:500])
    assert lm.generate("the ", 30, seed=1) == trained.generate("the ", 30, seed=1)
    assert lm.baselines == pytest.approx(trained.baselines)


def test_save_never_replaces_a_model_unasked(trained, tmp_path):
    first = trained.save(tmp_path / "model")
    before = (first / "model.safetensors").read_bytes()
    with pytest.raises(CheckpointError, match="already holds a saved model .*overwrite=True"):
        trained.save(tmp_path / "model")
    assert (first / "model.safetensors").read_bytes() == before
    (tmp_path / "model" / "notes.txt").write_text("mine")
    trained.save(tmp_path / "model", overwrite=True)
    assert (tmp_path / "model" / "notes.txt").read_text() == "mine"  # only the model is replaced
    (tmp_path / "file").write_text("x")
    with pytest.raises(CheckpointError, match="is a file; save\\(\\) writes a folder"):
        trained.save(tmp_path / "file")
    assert CharLM.load(tmp_path).vocab == trained.vocab  # a run directory: its model/ folder


def test_load_rejects_unknown_config_keys(trained, tmp_path):
    trained.save(tmp_path / "m")
    meta = json.loads((tmp_path / "m" / "model.json").read_text())
    meta["config"]["colour"] = "red"
    del meta["_sha256"]  # (no checksum, as an older rnnlab wrote it: read, then checked)
    (tmp_path / "m" / "model.json").write_text(json.dumps(meta))
    with pytest.raises(CheckpointError, match="unknown config keys.*colour"):
        CharLM.load(tmp_path / "m")


@pytest.mark.parametrize("name", ["bilstm", "bigru", "brnn"])
def test_bidirectional_refused(name):
    with pytest.raises(ValueError, match="bidirectional.*copy"):
        CharLM(model=name)


@pytest.mark.parametrize("name", ["gru", "rnn", "dt-rnn"])
def test_other_unidirectional_architectures_train(name):
    lm = CharLM(model=name, hidden_size=16, num_layers=1, embedding=0).fit(
        TEXT[:1500], seq_len=10, batch_size=4, epochs=1, progress=False)
    assert math.isfinite(lm.history[0]["val_loss"])
    assert lm.info["path"] == ("fused" if name in ("gru", "rnn") else "fast-torch")


def test_impl_reference_trains_on_the_step_loop():
    lm = CharLM(model="dt-rnn", hidden_size=8, num_layers=1, embedding=0).fit(
        TEXT[:600], seq_len=10, batch_size=4, epochs=1, progress=False, impl="reference")
    assert lm.info["path"] == "reference" and math.isfinite(lm.history[0]["val_loss"])
    with pytest.raises(ValueError, match="impl must be one of"):
        CharLM(model="lstm").fit(TEXT[:600], impl="cudnn")


def test_corpus_too_short_for_one_batch():
    with pytest.raises(DataError, match="one batch needs at least"):
        CharLM(**TINY).fit("too short a text" * 3, seq_len=32, batch_size=8, progress=False)


def test_random_sampling_and_time_budget():
    lm = CharLM(**TINY).fit(TEXT, seq_len=16, batch_size=4, epochs=50, sampling="random",
                            minutes=1e-4, progress=False)
    assert lm.info["stopped_by"].startswith("time budget") and len(lm.history) == 1


def test_early_stopping_keeps_best_weights():
    lm = CharLM(**TINY).fit(TEXT, seq_len=16, batch_size=4, epochs=30, lr=0.3, patience=1,
                            lr_schedule="none", progress=False)
    assert lm.info["stopped_by"] == "early stopping" and lm.info["best_epoch"] < len(lm.history)
    best = min(r["val_loss"] for r in lm.history)
    _, val = TEXT[: len(TEXT) - round(0.1 * len(TEXT))], TEXT[len(TEXT) - round(0.1 * len(TEXT)):]
    assert lm.bits_per_char(val) == pytest.approx(best / math.log(2), rel=1e-5)


def test_baselines():
    train, val = [0, 1, 2, 1, 2, 1, 2, 3] * 20, [1, 2, 1, 2, 3, 1]
    V = 5
    counts = {w: train.count(w) for w in range(V)}
    want = -sum(math.log2((counts[w] + 1) / (len(train) + V)) for w in val[1:]) / 5
    assert unigram_bits(train, val, V) == pytest.approx(want)
    for order in (2, 3):
        kn = KneserNey(train, order, V)
        for hist in [(), (1,), (2, 1), (4, 4)]:  # a distribution for any history
            assert sum(kn.prob(w, hist) for w in range(V)) == pytest.approx(1.0)
    b = baseline_bits(train, val, V)
    assert b["bigram"] < b["unigram"]


# ------------------------------------------------------------------ CLI
def _parser():
    from rnnlab.lm.cli import register

    p = argparse.ArgumentParser(prog="rnnlab")
    register(p.add_subparsers(dest="command"))
    return p


def _run(argv):
    args = _parser().parse_args(argv)
    return args.func(args)


def test_cli_train_generate_eval(tmp_path, capsys):
    corpus = tmp_path / "c.txt"
    corpus.write_text(TEXT, encoding="utf-8")
    run = tmp_path / "run"
    common = ["lm", "train", "--corpus", str(corpus), "--hidden-size", "16", "--num-layers", "1",
              "--embedding", "8", "--seq-len", "16", "--batch-size", "4", "--epochs", "2",
              "--lr", "0.01", "--sample-every", "1", "--prefix", "the ", "--no-progress",
              "--threads", "1", "--out", str(run)]
    assert _run(common) == 0
    out = capsys.readouterr().out
    assert "unigram" in out and "bigram" in out and "model" in out
    assert "recurrent path fused" in out
    for f in ["config.json", "metrics.csv", "metrics.json", "samples.json", "loss.png",
              "model/model.json", "model/model.safetensors", "checkpoints/latest.json"]:
        assert (run / f).is_file(), f
    metrics = json.loads((run / "metrics.json").read_text())
    assert len(metrics["epochs_detail"]) == 2 and "bigram" in metrics["baselines_bpc"]
    assert metrics["path"] == "fused"  # the default lstm: torch's kernel
    assert metrics["samples_during_training"]["1"]["the "].startswith("the ")
    assert len((run / "metrics.csv").read_text().strip().splitlines()) == 3

    from rnnlab.io.errors import RunDirError

    with pytest.raises(RunDirError, match="--overwrite"):
        _run(common)
    i = common.index("--epochs")
    assert _run(common[:i] + ["--epochs", "3"] + common[i + 2:] + ["--resume"]) == 0
    resumed = json.loads((run / "metrics.json").read_text())
    assert [r["epoch"] for r in resumed["epochs_detail"]] == [1, 2, 3]  # continued after 2
    assert json.loads((run / "cli.json").read_text())["options"]["epochs"] == 3  # as it went on
    assert "resuming from the checkpoint after step" in capsys.readouterr().err
    capsys.readouterr()

    assert _run(["lm", "generate", "--run", str(run), "--prefix", "the ", "-n", "20",
                 "--temperature", "0"]) == 0
    gen = capsys.readouterr().out.rstrip("\n")
    assert gen.startswith("the ") and len(gen) == 24

    assert _run(["lm", "eval", "--run", str(run), "--text", str(corpus), "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["bpc"] == pytest.approx(math.log2(res["perplexity"]))
    assert res["tokens"] == len(TEXT) - 1 and res["unit"] == "bits per char"

    with pytest.raises(CheckpointError):
        _run(["lm", "generate", "--run", str(tmp_path), "--prefix", "a"])
    with pytest.raises(CheckpointError, match="holds training checkpoints, not a saved model"):
        _run(["lm", "generate", "--run", str(run / "checkpoints"), "--prefix", "a"])
    ckpt = next(p for p in (run / "checkpoints").iterdir() if p.name.startswith("ckpt-"))
    weights = ckpt / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:-8])  # a damaged newest checkpoint
    with pytest.raises(CheckpointError, match="cannot go on from it: start it again"):
        _run(["lm", "train", "--resume", str(run), "--epochs", "4"])
    (run / "checkpoints" / "latest.json").unlink()
    from rnnlab.io.errors import RunDirError as _RunDirError

    with pytest.raises(_RunDirError, match="latest.json .* is missing; start the run again"):
        _run(["lm", "train", "--resume", str(run), "--epochs", "4"])


def test_cli_checks_before_it_replaces_a_run_and_names_unknown_characters(tmp_path, capsys):
    """--overwrite with a bad option keeps the old run; a validation part of characters
    the training part never has is named; a checkpoint of another model is refused clearly."""
    corpus = tmp_path / "c.txt"
    corpus.write_text(TEXT[:1800] + "XYZQ!" * 40, encoding="utf-8")
    run = tmp_path / "run"
    common = ["lm", "train", "--corpus", str(corpus), "--hidden-size", "8", "--num-layers", "1",
              "--embedding", "0", "--seq-len", "8", "--batch-size", "4", "--epochs", "1",
              "--no-progress", "--threads", "1", "--out", str(run)]
    assert _run(common) == 0
    err = capsys.readouterr().err
    assert "warning: 100.0% of the validation part are chars the training part never " \
           "has" in words(err)  # (its words: a warning wraps at 80 columns)
    assert json.loads((run / "metrics.json").read_text())["val_unknown_share"] == 1.0
    before = sorted(p.name for p in run.iterdir())
    with pytest.raises(ValueError, match="lr must be > 0"):
        _run(common + ["--overwrite", "--lr", "-1"])
    with pytest.raises(DataError, match="one batch needs at least"):
        _run(common + ["--overwrite", "--seq-len", "100000"])
    assert sorted(p.name for p in run.iterdir()) == before  # the finished run is intact
    with pytest.raises(ValueError, match="clip_norm|sample_every"):
        _run(common + ["--overwrite", "--sample-every", "-1"])

    other = tmp_path / "other"
    assert _run([*common[:-1], str(other), "--hidden-size", "12"]) == 0
    import shutil

    shutil.rmtree(run / "checkpoints")
    shutil.copytree(other / "checkpoints", run / "checkpoints")
    with pytest.raises(CheckpointError, match="weights do not match the model built from its "
                                              "config.*written by another model"):
        _run(["lm", "train", "--resume", str(run), "--epochs", "2"])


def test_cli_refuses_bidirectional(tmp_path):
    with pytest.raises(ValueError, match="bidirectional"):
        _run(["lm", "train", "--model", "bigru", "--out", str(tmp_path / "r")])


def test_word_level_model():
    lm = CharLM(**dict(TINY, level="word")).fit(TEXT, seq_len=8, batch_size=4, epochs=2,
                                                progress=False, lr=1e-2)
    assert len(lm.vocab) < 40 and lm.vocab.level == "word"
    out = lm.generate("the quick", 6, temperature=0)
    assert out.startswith("the quick") and len(out) > len("the quick")
    assert math.isfinite(lm.perplexity("the lazy dog saves nine."))


def test_time_budget_with_checkpoints_keeps_full_history(tmp_path):
    lm = CharLM(**TINY).fit(TEXT, seq_len=16, batch_size=4, epochs=50, minutes=1e-4,
                            checkpoint_dir=tmp_path / "ck", progress=False)
    assert lm.info["stopped_by"].startswith("time budget")
    assert [r["epoch"] for r in lm.history] == [1] and lm.history[0]["lr"] == LMTrainConfig().lr


def test_cli_resume_run_dir_alone_restores_the_options(tmp_path, capsys):
    """`rnnlab lm train --resume RUN_DIR` needs nothing else: the options come from cli.json;
    a model option given again is ignored with a warning, the budget may grow."""
    from rnnlab.cli import main

    text = tmp_path / "t.txt"
    text.write_text("abcab cabca bcabc " * 40)
    run = tmp_path / "run"
    assert main(["lm", "train", "--corpus", str(text), "--out", str(run), "--model", "gru",
                 "--hidden-size", "8", "--embedding", "4", "--seq-len", "8", "--batch-size",
                 "4", "--epochs", "1", "--sample-every", "0", "--no-progress"]) == 0
    saved = json.loads((run / "cli.json").read_text())["options"]
    assert saved["model"] == "gru" and saved["hidden_size"] == 8 and "out" not in saved
    assert main(["lm", "train", "--resume", str(run), "--epochs", "2", "--hidden-size", "16",
                 "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert "ignored --hidden-size 16" in err
    metrics = json.loads((run / "metrics.json").read_text())
    assert [r["epoch"] for r in metrics["epochs_detail"]] == [1, 2]
    model = json.loads((run / "model" / "model.json").read_text())
    assert "8" in json.dumps(model) and '"hidden_size": 16' not in json.dumps(model)


def test_cli_train_needs_out_or_resume(tmp_path):
    from rnnlab.cli import main

    assert main(["lm", "train", "--corpus", "time-machine", "--epochs", "1"]) != 0
    assert main(["lm", "train", "--resume", str(tmp_path / "nowhere")]) != 0


def test_deep_architecture_options_reach_the_language_model():
    net = LMNet(LMConfig(model="dot-rnn", hidden_size=6, num_layers=1, embedding=4, depth=3,
                         width=5, out_depth=2, nonlinearity="relu", dropout=0.0), 11)
    cell = next(m for m in net.modules() if type(m).__name__ == "DTRNNCell")
    assert (cell.depth, cell.width, cell.nonlinearity) == (3, 5, "relu")
    assert net.body.deep_output.depth == 2
    with pytest.raises(ValueError, match="depth"):
        LMConfig(model="dt-rnn", depth=0)
