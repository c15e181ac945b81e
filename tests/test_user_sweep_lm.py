"""A user's sweep of the character language models (rnnlab lm, CharLM): each test pins
a traceback, a silently wrong result or a friction found by using them, and fails on
the code before its fix."""

import json
import math
import shutil

import pytest
import torch

from rnnlab.cli import main
from rnnlab.data.text import Vocab, load_corpus
from rnnlab.io.errors import CheckpointError, DataError
from rnnlab.lm import CharLM, LMTrainConfig

TEXT = ("the quick brown fox jumps over the lazy dog. " * 30
        + "a stitch in time saves nine. " * 15)
TINY = dict(model="gru", hidden_size=12, num_layers=1, embedding=4, dropout=0.0)
FAST = dict(seq_len=16, batch_size=4, epochs=1, progress=False)
CLI_TINY = ["--model", "gru", "--hidden-size", "12", "--num-layers", "1", "--embedding", "4",
            "--seq-len", "16", "--batch-size", "4", "--epochs", "1", "--threads", "1",
            "--no-progress", "--sample-every", "0", "--patience", "0"]


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A tiny trained model saved to a folder (model.json + model.safetensors)."""
    torch.set_num_threads(1)
    path = tmp_path_factory.mktemp("lm") / "model"
    CharLM(**TINY).fit(TEXT, **FAST).save(path)
    return path


def _edited_copy(saved, tmp_path, edit):
    """A copy of the saved model whose model.json is edited by hand (its checksum
    removed, as a hand edit or an older rnnlab leaves it)."""
    d = tmp_path / "edited"
    shutil.copytree(saved, d)
    meta = json.loads((d / "model.json").read_text())
    meta.pop("_sha256", None)
    edit(meta)
    (d / "model.json").write_text(json.dumps(meta))
    return d


# ---------------------------------------------------------------- sample prefixes

@pytest.mark.parametrize("prefix", ["", "\N{GRINNING FACE}"])
def test_lm_train_refuses_a_bad_prefix_before_training(tmp_path, prefix, capsys):
    # was: the run trained to the end, then generate() refused the prefix: no samples,
    # no loss plot, an unfinished run directory
    text = tmp_path / "t.txt"
    text.write_text(TEXT)
    run = tmp_path / "run"
    assert main(["lm", "train", "--corpus", str(text), "--out", str(run), "--prefix", prefix]
                + CLI_TINY) != 0
    err = capsys.readouterr().err
    assert "--prefix" in err and "nothing has been trained" in err
    assert not run.exists()


def test_fit_refuses_an_unknown_sample_prefix_before_the_first_epoch():
    epochs = []
    with pytest.raises(ValueError, match="sample_prefixes"):
        CharLM(**TINY).fit(TEXT, **dict(FAST, epochs=2), sample_every=1,
                           sample_prefixes=("Q",), on_epoch=lambda e, r: epochs.append(e))
    assert epochs == []  # (was: raised at the end of epoch 1, inside the training loop)


# ---------------------------------------------------------------- resume

def test_resume_keeps_the_runs_vocabulary_when_the_corpus_changed(tmp_path, capsys):
    # was: the vocabulary was rebuilt from the changed text (ids ordered by frequency),
    # so the checkpoint's embedding rows were read as other characters, silently
    text = tmp_path / "t.txt"
    text.write_text(TEXT)
    run = tmp_path / "run"
    assert main(["lm", "train", "--corpus", str(text), "--out", str(run)] + CLI_TINY) == 0
    assert " after 1 epoch, " in capsys.readouterr().out  # (it said "1 epochs")
    before = json.loads((run / "model" / "model.json").read_text())["extra"]["vocab"]
    text.write_text("z" * 2000 + TEXT)  # 'z' becomes the most frequent character
    assert main(["lm", "train", "--resume", str(run), "--epochs", "2"]) == 0
    assert " after 2 epochs, " in capsys.readouterr().out
    after = json.loads((run / "model" / "model.json").read_text())["extra"]["vocab"]
    assert after == before
    assert Vocab.build(("z" * 2000 + TEXT)[:100]).tokens[1] == "z"  # (the rebuilt one differs)


# ---------------------------------------------------------------- loading an edited model

@pytest.mark.parametrize("edit, match", [
    (lambda m: m["extra"]["vocab"]["tokens"].__setitem__(1, "ab"), "one character"),
    (lambda m: m["extra"]["vocab"]["tokens"].__setitem__(1, ""), "one character"),
    (lambda m: m["config"].__setitem__("level", "word"), "level 'word'"),
    (lambda m: m["extra"].__setitem__("baselines", "x"), "baselines"),
    (lambda m: m["extra"].pop("vocab"), "no vocabulary"),
    (lambda m: m["config"].__setitem__("dropout", 5), "dropout"),
    (lambda m: m["extra"]["train_config"].__setitem__("seq_len", -3), "seq_len"),
])
def test_load_refuses_an_edited_model_json_naming_it(saved, tmp_path, edit, match):
    # was: a two-character "char", an empty token, a char vocabulary under a word-level
    # config loaded and generated silently wrong text; baselines "x" failed later in
    # `lm eval` (AttributeError); bad config values raised ValueError not naming the file
    d = _edited_copy(saved, tmp_path, edit)
    with pytest.raises((CheckpointError, DataError), match=match) as e:
        CharLM.load(d)
    assert "model.json" in str(e.value)


# ---------------------------------------------------------------- token lists

def test_word_level_fits_a_list_of_words_and_char_level_refuses_one():
    words = TEXT.split()
    lm = CharLM(**dict(TINY, level="word")).fit(words, **dict(FAST, seq_len=4))  # was TypeError
    assert "quick" in lm.vocab.tokens and math.isfinite(lm.perplexity(words[-40:]))
    with pytest.raises(DataError, match="level='word'"):
        CharLM(**TINY).fit(words, **FAST)  # (was: multi-character "characters")


# ---------------------------------------------------------------- corpora

def test_tiny_shakespeare_is_the_built_in_shakespeare(capsys):
    # the issue names it tiny-shakespeare; it was "neither a built-in corpus nor a file"
    assert load_corpus("tiny-shakespeare") == load_corpus("shakespeare")
    with pytest.raises(DataError, match="built-in corpus"):
        CharLM(**TINY).fit("tiny-shakespeare", **FAST)  # the name, not the text
    assert main(["datasets"]) == 0
    out = capsys.readouterr().out
    assert "time-machine" in out and "tiny-shakespeare" in out  # (was: no corpora listed)


def test_eval_scores_a_prepared_corpus_as_its_text(saved, tmp_path, capsys):
    # was: "is a directory without corpus.json" (it had one): lm eval could not read it
    text = tmp_path / "t.txt"
    text.write_text(TEXT)
    prepared = tmp_path / "prepared"
    assert main(["lm", "prepare", str(text), "--out", str(prepared)]) == 0
    run = tmp_path / "run"
    assert main(["lm", "train", "--corpus", str(prepared), "--out", str(run)] + CLI_TINY) == 0
    capsys.readouterr()
    scores = []
    for source in (prepared, text):
        assert main(["lm", "eval", "--run", str(run), "--text", str(source), "--json"]) == 0
        scores.append(json.loads(capsys.readouterr().out))
    assert scores[0]["bpc"] == pytest.approx(scores[1]["bpc"], rel=1e-9)
    assert scores[0]["tokens"] == scores[1]["tokens"] == len(TEXT) - 1
    other = tmp_path / "other"
    text.write_text(TEXT.upper())
    assert main(["lm", "prepare", str(text), "--out", str(other)]) == 0
    assert main(["lm", "eval", "--run", str(run), "--text", str(other)]) != 0  # other ids
    assert "vocabulary differs" in capsys.readouterr().err
    with pytest.raises(DataError, match="prepared corpus folder"):
        load_corpus(str(prepared))


def test_eval_reports_the_bits_on_known_characters_beside_all(saved, tmp_path, capsys):
    lm = CharLM.load(saved)
    text = TEXT[:400] + "\N{GRINNING FACE}" * 20 + TEXT[400:800]
    path = tmp_path / "u.txt"
    path.write_text(text)
    assert main(["lm", "eval", "--run", str(saved), "--text", str(path), "--json"]) == 0
    r = json.loads(capsys.readouterr().out)
    assert r["tokens"] == len(text) - 1 and r["tokens_known"] == len(text) - 1 - 20
    ids = torch.tensor(lm.vocab.encode(text))
    total, n = lm.nll_ids(ids, skip_unknown=True)
    assert r["bpc_known"] == pytest.approx(total / n / math.log(2), rel=1e-9)
    with torch.no_grad():  # one stream: the known targets' bits by hand
        logits, _ = lm.net.eval()(ids[None, :-1])
    nll = torch.nn.functional.cross_entropy(logits[0].double(), ids[1:], reduction="none")
    known = ids[1:] != 0
    total, n = lm.nll_ids(ids, streams=1, skip_unknown=True)
    assert n == int(known.sum()) and total == pytest.approx(float(nll[known].sum()), rel=1e-5)
    assert r["bpc"] != r["bpc_known"]  # (was: only the score with the unknown token)
    assert main(["lm", "eval", "--run", str(saved), "--text", str(path)]) == 0
    assert "known chars alone" in capsys.readouterr().out


def test_eval_of_a_text_of_unknown_characters_only_reports_no_known_bits(saved, tmp_path,
                                                                        capsys):
    path = tmp_path / "u.txt"
    path.write_text("\N{GRINNING FACE}" * 30)  # (was: the error "nothing is left to score")
    assert main(["lm", "eval", "--run", str(saved), "--text", str(path), "--json"]) == 0
    r = json.loads(capsys.readouterr().out)
    assert r["unknown_share"] == 1.0 and r["tokens_known"] == 0 and r["bpc_known"] is None
    assert main(["lm", "eval", "--run", str(saved), "--text", str(path)]) == 0
    assert "none of the chars scored is known" in capsys.readouterr().out  # (was "on the 0
    # known chars alone: nan bits per char")


# ---------------------------------------------------------------- options

def test_minutes_nan_is_refused_as_minutes():
    with pytest.raises(ValueError, match="minutes must be a number > 0"):  # (said max_seconds)
        LMTrainConfig(minutes=float("nan"))


def test_fit_resumed_from_a_checkpoint_keeps_its_vocabulary(tmp_path):
    # the Python side of the resume above: CharLM(...).fit(text, checkpoint_dir=...,
    # resume=True) built the vocabulary from the text it was given
    ckpt = tmp_path / "ckpt"
    first = CharLM(**TINY).fit(TEXT, **FAST, checkpoint_dir=ckpt)
    changed = "z" * 2000 + TEXT
    again = CharLM(**TINY).fit(changed, **dict(FAST, epochs=2), checkpoint_dir=ckpt,
                               resume=True)
    assert again.vocab == first.vocab != Vocab.build(changed[:2000 + len(TEXT) * 9 // 10])
    # the training time of all its epochs, as its epoch count is (`lm train` printed "after
    # 2 epochs" beside the minutes of the resumed part alone)
    assert again.info["epochs"] == 2
    assert again.info["train_seconds"] >= again.history[0]["seconds"] > 0


def test_scoring_a_text_with_unknown_characters_warns_and_can_leave_them_out(saved):
    lm = CharLM.load(saved)
    text = TEXT[:300] + "\N{GRINNING FACE}" * 5 + TEXT[300:600]
    with pytest.warns(UserWarning, match="5 of the 604 chars scored are not in the model"):
        bits = lm.bits_per_char(text)  # (was: scored silently)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        known = lm.bits_per_char(text, skip_unknown=True)
        total, n = lm.nll(text, skip_unknown=True)
    assert n == len(text) - 1 - 5 and known == pytest.approx(total / n / math.log(2))
    assert known != bits
    with pytest.raises(DataError, match="nothing is left"):
        lm.nll("\N{GRINNING FACE}" * 5, skip_unknown=True)


def test_generate_and_eval_write_to_an_ascii_console(saved, tmp_path, monkeypatch):
    # was: "rnnlab lm: error: 'ascii' codec can't encode character" half-way through the
    # output (a cp1252 or ASCII console, PYTHONIOENCODING=ascii)
    import io
    import sys

    text = tmp_path / "u.txt"
    text.write_text(TEXT[:300] + "\N{GRINNING FACE}" + TEXT[300:600])
    class Console(io.TextIOWrapper):
        def isatty(self):
            return True

    outs = []
    for argv in (["generate", "--prefix", "the \N{GRINNING FACE}", "-n", "5"],
                 ["eval", "--text", str(text)], ["eval", "--text", str(text), "--json"]):
        out = Console(io.BytesIO(), encoding="ascii", write_through=True)
        monkeypatch.setattr(sys, "stdout", out)
        assert main(["lm", *argv[:1], "--run", str(saved), *argv[1:]]) == 0
        outs.append(out.buffer.getvalue().decode("ascii"))
    assert outs[0].startswith("the \\U0001f600") and len(outs[0]) == len("the \\U0001f600") + 6
    assert "\\U0001f600" in outs[1]
    assert json.loads(outs[2])["unknown_tokens"] == ["\N{GRINNING FACE}"]
    # redirected (`> sample.txt`), the generated text is data: UTF-8 whatever the console's
    out = io.TextIOWrapper(io.BytesIO(), encoding="ascii", write_through=True)
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["lm", "generate", "--run", str(saved), "--prefix", "the \N{GRINNING FACE}",
                 "-n", "5"]) == 0
    assert out.buffer.getvalue().decode("utf-8").startswith("the \N{GRINNING FACE}")


@pytest.mark.parametrize("text, prefix", [
    ("\N{CJK UNIFIED IDEOGRAPH-65E5}\N{CJK UNIFIED IDEOGRAPH-672C}" * 40, None),
    ("abc" * 100, None),
    ("First Citizen:\nBefore we proceed any further", "First Citizen:\nBefore "),
    ("Call me Ishmael. Some years ago", "Call me Ishmael. "),
])
def test_the_default_sample_prefix_is_the_texts_own_start(text, prefix):
    # was: the first words joined by spaces and a space added: in a text without spaces
    # the samples' prefix had a character the model never saw (a warning, a worse sample)
    from rnnlab.lm.train_command import first_words

    start = first_words(text)
    assert text.startswith(start) and start
    assert prefix is None or start == prefix


def test_generate_takes_numpy_numbers(saved):
    # was: TypeError "an integer is required" from torch for a numpy seed, and a
    # np.float32 temperature refused as "not a finite number"
    import numpy as np

    lm = CharLM.load(saved)
    got = lm.generate("the ", np.int64(8), temperature=np.float32(0.5), top_k=np.int32(3),
                      seed=np.int64(4))
    assert got == lm.generate("the ", 8, temperature=float(np.float32(0.5)), top_k=3, seed=4)


def test_charlm_is_rnnlab_charlm():
    # the issue names the Python API rnnlab.CharLM; it was an AttributeError
    import rnnlab
    from rnnlab.lm import CharLM as lm_charlm

    assert rnnlab.CharLM is lm_charlm and rnnlab.load_corpus is load_corpus


def test_the_top_level_names_the_docs_use_and_import_stays_torch_free():
    # rnnlab.Forecaster (the issues' Forecaster()), rnnlab.GlobalForecaster and
    # rnnlab.build_model were AttributeErrors; ``import rnnlab`` still loads no torch
    import subprocess
    import sys

    code = ("import sys, rnnlab; t = 'torch' in sys.modules; "
            "from rnnlab.forecast import Forecaster; from rnnlab.panel import GlobalForecaster; "
            "from rnnlab.nn.registry import build_model; "
            "print(t, rnnlab.Forecaster is Forecaster, rnnlab.GlobalForecaster is "
            "GlobalForecaster, rnnlab.build_model is build_model)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["False", "True", "True", "True"]


def test_load_refuses_integer_weights(saved, tmp_path):
    # was: an edited model.safetensors of int32 tensors loaded, cast silently to floats
    from safetensors.torch import load_file, save_file

    d = _edited_copy(saved, tmp_path, lambda m: m.pop("weights_sha256"))
    weights = {k: v.to(torch.int32) for k, v in load_file(d / "model.safetensors").items()}
    save_file(weights, d / "model.safetensors")
    with pytest.raises(CheckpointError, match="dtype mismatch .*int32"):
        CharLM.load(d)


def test_lm_prepare_refuses_a_split_lm_train_cannot_use(tmp_path, capsys):
    # was: --val-fraction 0 prepared the folder, and `lm train --corpus` on it then said
    # "val_fraction must be in (0, 1), got 0.0" (an option the user had not typed there)
    text = tmp_path / "t.txt"
    text.write_text(TEXT)
    out = tmp_path / "prepared"
    assert main(["lm", "prepare", str(text), "--out", str(out), "--val-fraction", "0"]) != 0
    assert "lm train` holds that last part out" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize("max_vocab", [0, 1, -5, 1.5, True])
def test_max_vocab_that_keeps_no_token_is_refused(max_vocab):
    # was: a vocabulary of the unknown token alone trained to 0 bits per token (every
    # token unknown, perfectly predicted), or a TypeError from a slice for 1.5
    with pytest.raises((ValueError, TypeError), match="max_vocab must be a whole number"):
        CharLM(**dict(TINY, level="word", max_vocab=max_vocab))


def test_an_empty_corpus_name_is_named_as_empty():
    # was: "'.': is a directory without corpus.json" (Path("") is the current folder)
    with pytest.raises(DataError, match="corpus '': empty"):
        load_corpus("")


def test_one_sample_prefix_given_as_a_str_is_one_prefix():
    # was: tuple("The ") -> four one-letter prefixes, four samples
    assert LMTrainConfig(sample_prefixes="The ").sample_prefixes == ("The ",)
    assert LMTrainConfig(sample_prefixes=["a ", "b "]).sample_prefixes == ("a ", "b ")


@pytest.mark.parametrize("cls, field, value", [
    (LMTrainConfig, "seq_len", 10.5), (LMTrainConfig, "batch_size", "4"),
    (LMTrainConfig, "minutes", "5"), (LMTrainConfig, "val_fraction", "0.1"),
    ("model", "hidden_size", "64"), ("model", "embedding", True), ("model", "dropout", "0.1"),
])
def test_config_fields_of_the_wrong_type_are_named(cls, field, value):
    # was: "'<' not supported between instances of 'str' and 'int'" (or seq_len=10.5 and
    # embedding=True taken)
    from rnnlab.lm import LMConfig

    cls = LMConfig if cls == "model" else cls
    with pytest.raises(TypeError, match=f"{cls.__name__}: {field} must be"):
        cls(**{field: value})


def test_numpy_numbers_in_a_config_are_saved_as_json(tmp_path):
    # was: TypeError "hidden_size should be of type int, got: int64" from the registry
    import numpy as np

    lm = CharLM(**dict(TINY, hidden_size=np.int64(12)))
    lm.fit(TEXT, **dict(FAST, seq_len=np.int64(16)))
    assert type(lm.config.hidden_size) is int and type(lm.train_config.seq_len) is int
    lm.save(tmp_path / "m")
    assert CharLM.load(tmp_path / "m").config == lm.config
