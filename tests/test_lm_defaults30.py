"""``rnnlab lm generate --run RUN`` without ``--prefix`` (it starts after a newline) and
``rnnlab lm eval --run RUN`` without ``--text`` (it scores the run's held-out text), and
their Python side: ``CharLM.generate()`` with no prefix, ``rnnlab.lm.held_out.held_out_text``.
Both options were required: a char-rnn / Keras user samples without a primer and
evaluates on the text the model held out."""

import json
import warnings

import pytest

from rnnlab.cli import main
from rnnlab.data.text import Vocab, load_corpus, split_text
from rnnlab.io.errors import DataError
from rnnlab.io.rundir import data_hash
from rnnlab.lm import CharLM
from rnnlab.lm.generate import generate
from rnnlab.lm.held_out import held_out_text
from rnnlab.lm.start_token import start_token

TRAIN = "the cat sat on the mat.\nand the dog sat on the log.\n" * 6
VALID = "a dog and a cat sat on a log by the mat.\n" * 2
TINY_LM = ["--model", "rnn", "--hidden-size", "8", "--num-layers", "1", "--embedding", "8",
           "--seq-len", "5", "--batch-size", "2", "--epochs", "1", "--sample-every", "0",
           "--no-progress", "--threads", "1"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """A run holding the last 10% of its corpus out (a tiny one: a few seconds)."""
    root = tmp_path_factory.mktemp("lm30")
    corpus, valid = root / "train.txt", root / "valid.txt"
    corpus.write_text(TRAIN, encoding="utf-8")
    valid.write_text(VALID, encoding="utf-8")
    carved = root / "carved"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(["lm", "train", "--corpus", str(corpus), *TINY_LM, "--out", str(carved)]) == 0
    return {"corpus": corpus, "valid": valid, "carved": carved}


def _out(capsys, argv):
    capsys.readouterr()
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------- generate
def test_generate_without_prefix_starts_after_a_newline_and_says_so(runs, capsys):
    run = str(runs["carved"])
    code, out, err = _out(capsys, ["lm", "generate", "--run", run, "-n", "30", "--seed", "4"])
    assert code == 0, err
    assert len(out) == 31 and out.endswith("\n")  # the 30 drawn, the start not printed
    assert "no --prefix: the model starts after '\\n'" in err
    again = _out(capsys, ["lm", "generate", "--run", run, "-n", "30", "--seed", "4"])[1]
    assert again == out  # the same seed, the same text
    lm = CharLM.load(runs["carved"] / "model")
    after_newline = lm.generate("\n", 30, temperature=0.8, seed=4)  # (the CLI's temperature)
    assert out == after_newline[1:] + "\n"
    assert lm.generate(n=30, temperature=0.8, seed=4) == after_newline[1:]  # Python's default


def test_an_explicit_prefix_is_drawn_as_before(runs, capsys):
    code, out, err = _out(capsys, ["lm", "generate", "--run", str(runs["carved"]), "--prefix",
                                   "the d", "-n", "25", "--seed", "2", "--top-k", "3"])
    assert code == 0 and "no --prefix" not in err
    lm = CharLM.load(runs["carved"] / "model")
    assert out == lm.generate("the d", 25, temperature=0.8, top_k=3, seed=2) + "\n"


def test_python_generate_without_prefix_returns_the_tokens_drawn_alone(runs):
    lm = CharLM.load(runs["carved"] / "model")
    text = lm.generate(n=40, seed=7)
    assert len(text) == 40 and text == lm.generate(n=40, seed=7)
    net, vocab = lm._need_model()
    assert generate(net, vocab, n=40, seed=7) == text  # the module function: the same default
    assert generate(net, vocab, None, 40, 1.0, None, 7) == text
    assert lm.generate(n=0) == ""


@pytest.mark.parametrize("tokens, start", [
    (("<unk>", "a", " ", "\n", "b"), "\n"),  # a newline wherever it is
    (("<unk>", "a", "b", " "), " "),  # no newline: a space
    (("<unk>", "x", "a", "b"), "x"),  # neither: the most frequent token
])
def test_start_token_prefers_a_newline_then_a_space_then_the_most_frequent(tokens, start):
    assert start_token(Vocab(tokens)) == start


def test_start_token_of_a_built_vocabulary_without_whitespace_is_its_most_frequent():
    assert start_token(Vocab.build("abcaab")) == "a"


# ------------------------------------------------------------------- eval
def test_eval_without_text_scores_the_carved_validation_part(runs, capsys):
    run = runs["carved"]
    code, out, err = _out(capsys, ["lm", "eval", "--run", str(run), "--json"])
    assert code == 0, err
    got = json.loads(out)
    metrics = json.loads((run / "metrics.json").read_text())
    assert got["bpc"] == pytest.approx(metrics["val_bpc"], rel=1e-6)  # what training scored
    assert got["text"] == str(runs["corpus"].resolve())
    assert got["scored"].startswith(f"the last 10% of {runs['corpus'].resolve()}")
    assert got["tokens"] == len(split_text(TRAIN, 0.1)[1]) - 1
    table = _out(capsys, ["lm", "eval", "--run", str(run / "model")])[1]  # its model/ too
    assert table.startswith(f"the last 10% of {runs['corpus'].resolve()} (the run's "
                            f"validation part): {got['tokens']} chars scored")


def test_eval_without_text_scores_the_given_validation_text(runs, tmp_path, capsys):
    # (the record `lm train --val-text FILE` writes: test_lm_val_text22 pins it)
    run, _ = _copy_run(runs, tmp_path, val_text=runs["valid"])
    code, out, err = _out(capsys, ["lm", "eval", "--run", str(run), "--json"])
    assert code == 0, err
    got = json.loads(out)
    typed = json.loads(_out(capsys, ["lm", "eval", "--run", str(run), "--text",
                                     str(runs["valid"]), "--json"])[1])
    assert got["bpc"] == typed["bpc"] and got["tokens"] == typed["tokens"] == len(VALID) - 1
    assert "--val-text" in got["scored"] and got["text"] == str(runs["valid"])
    held = held_out_text(run)
    assert held.text == VALID and held.ids is None
    (tmp_path / "valid.txt").write_text(VALID)  # (not that file: the one recorded)
    runs["valid"].write_text(VALID + "x")
    try:
        with pytest.raises(DataError, match=rf"{runs['valid']}: changed since"):
            held_out_text(run)
    finally:
        runs["valid"].write_text(VALID)


def test_eval_with_text_is_as_before(runs, capsys):
    code, out, _ = _out(capsys, ["lm", "eval", "--run", str(runs["carved"]), "--text",
                                 str(runs["valid"]), "--json"])
    got = json.loads(out)
    assert code == 0 and got["text"] == str(runs["valid"]) and "scored" not in got


def _copy_run(runs, tmp_path, corpus_text=None, drop_corpus=False, val_text=None):
    """The carved run's record and model in a folder of its own, over a copy of its corpus
    (``val_text``: recorded as a run of ``--val-text FILE`` records it)."""
    import shutil

    corpus = tmp_path / "corpus.txt"
    if not drop_corpus:
        corpus.write_text(TRAIN if corpus_text is None else corpus_text, encoding="utf-8")
    run = tmp_path / "run"
    shutil.copytree(runs["carved"], run)
    for name in ("cli.json", "config.json"):  # (their checksums dropped with the edit)
        record = json.loads((run / name).read_text())
        record.pop("_sha256", None)
        if "options" in record:
            record["options"]["corpus"] = str(corpus)
            record["options"]["val_text"] = None if val_text is None else str(val_text)
        else:
            record["config"]["corpus"] = str(corpus)
            if val_text is not None:
                record["config"]["val_text"] = str(val_text)
                record["val_data_sha256"] = data_hash(val_text.read_text(encoding="utf-8"))
        (run / name).write_text(json.dumps(record))
    return run, corpus


def test_a_changed_corpus_is_refused_naming_text_and_the_file(runs, tmp_path, capsys):
    run, corpus = _copy_run(runs, tmp_path, corpus_text=TRAIN + "more\n")
    code, _, err = _out(capsys, ["lm", "eval", "--run", str(run)])
    assert code == 1 and f"{corpus}: changed since the run in {run} read it" in err
    assert "pass --text FILE_OR_NAME" in err
    with pytest.raises(DataError, match="changed since"):
        held_out_text(run)


def test_a_corpus_gone_is_refused_naming_text_and_the_file(runs, tmp_path, capsys):
    run, corpus = _copy_run(runs, tmp_path, drop_corpus=True)
    code, _, err = _out(capsys, ["lm", "eval", "--run", str(run)])
    assert code == 1 and f"cannot read the text the run held out, {corpus}" in err
    assert "pass --text FILE_OR_NAME" in err


def test_a_model_without_run_record_is_refused_naming_text(runs, tmp_path, capsys):
    lm = CharLM.load(runs["carved"] / "model")
    lm.save(tmp_path / "saved")
    code, _, err = _out(capsys, ["lm", "eval", "--run", str(tmp_path / "saved")])
    assert code == 1 and f"{tmp_path / 'saved' / 'config.json'}: not found" in err
    assert "pass --text FILE_OR_NAME" in err and "CharLM.save" in err


def _record(folder, config, **shas):
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"config": config, **shas}))
    return folder


def test_a_built_in_corpus_run_holds_out_its_last_part(tmp_path):
    text = load_corpus("time-machine")
    run = _record(tmp_path / "tm", {"corpus": "time-machine", "model": {"level": "word"},
                                    "train": {"val_fraction": 0.125}},
                  data_sha256=data_hash(text))
    held = held_out_text(run)
    assert held.text == split_text(text, 0.125, "word")[1] and held.source == "time-machine"
    assert held.what.startswith("the last 12.5% of time-machine")


def test_an_old_record_without_corpus_or_held_out_part_is_refused(tmp_path):
    run = _record(tmp_path / "old", {"model": {"level": "char"}})
    with pytest.raises(DataError, match=r"records no corpus.*--text"):
        held_out_text(run)
    run = _record(tmp_path / "none", {"corpus": "time-machine", "train": {"val_fraction": 0.0}})
    with pytest.raises(DataError, match=r"held no part of time-machine out.*--text"):
        held_out_text(run)


def test_a_run_read_from_standard_input_is_refused(tmp_path):
    run = _record(tmp_path / "piped", {"corpus": "-", "train": {"val_fraction": 0.1}})
    with pytest.raises(DataError, match=r"standard input, which cannot be read again.*--text"):
        held_out_text(run)


def test_python_scores_the_held_out_text_as_lm_eval_does(runs):
    import rnnlab.lm

    held = rnnlab.lm.held_out_text(runs["carved"] / "model")  # (its model/ folder too)
    lm = CharLM.load(runs["carved"] / "model")
    metrics = json.loads((runs["carved"] / "metrics.json").read_text())
    assert lm.bits_per_char(held.text) == pytest.approx(metrics["val_bpc"], rel=1e-6)
    assert isinstance(held, rnnlab.lm.HeldOut) and held.ids is None


def test_eval_without_text_on_a_prepared_corpus_run_scores_its_validation_ids(tmp_path, capsys):
    corpus, prepared, run = tmp_path / "c.txt", tmp_path / "prep", tmp_path / "run"
    corpus.write_text(TRAIN, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(["lm", "prepare", str(corpus), "--out", str(prepared),
                     "--val-fraction", "0.2"]) == 0
        assert main(["lm", "train", "--corpus", str(prepared), *TINY_LM, "--out", str(run)]) == 0
    code, out, err = _out(capsys, ["lm", "eval", "--run", str(run), "--json"])
    assert code == 0, err
    got = json.loads(out)
    metrics = json.loads((run / "metrics.json").read_text())
    assert got["bpc"] == pytest.approx(metrics["val_bpc"], rel=1e-6)
    assert got["scored"].startswith(f"the last 20% of {prepared}")
    held = held_out_text(run)
    assert held.text is None and len(held.ids) == got["tokens"] + 1


def test_a_prefix_warning_still_names_the_callers_line(runs):
    lm = CharLM.load(runs["carved"] / "model")
    net, vocab = lm._need_model()
    for call in (lambda: lm.generate("Zthe ", 3), lambda: generate(net, vocab, "Zthe ", 3)):
        with pytest.warns(UserWarning, match="never saw") as seen:
            call()
        assert seen[0].filename == __file__


def test_an_empty_prefix_points_at_leaving_it_out(runs, capsys):
    from rnnlab.io.errors import ConfigError

    with pytest.raises(ConfigError, match=r"prefix is empty.*leave --prefix out"):
        CharLM.load(runs["carved"] / "model").generate("", 5)
    code, _, err = _out(capsys, ["lm", "generate", "--run", str(runs["carved"]), "--prefix", ""])
    assert code == 1 and "leave --prefix out) to start after a newline" in err


def test_an_empty_sample_prefix_of_lm_train_is_refused_without_generates_hint():
    from rnnlab.io.errors import ConfigError
    from rnnlab.lm.generate import check_sample_prefixes

    with pytest.raises(ConfigError, match="the samples would fail") as e:
        check_sample_prefixes(Vocab.build("abc"), ("ab", ""), "--prefix")
    assert "--prefix '': the prefix is empty" in str(e.value) and "newline" not in str(e.value)
