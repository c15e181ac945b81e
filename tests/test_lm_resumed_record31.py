"""Session 31: ``rnnlab lm eval --run RUN`` reads which text the run held out from its
record. A run resumed on a changed corpus (warned, and trained on the new text) kept the
first start's SHA-256 in config.json, so eval refused the corpus the run last trained and
validated on as "changed since". And a record whose cli.json names a ``--val-text`` but
whose config.json lacks that text's hash scored the carved part of the corpus instead."""

import json
import shutil
import warnings

import pytest

from printed_words import words
from rnnlab.cli import main
from rnnlab.io.errors import DataError
from rnnlab.io.rundir import data_hash
from rnnlab.lm.held_out import held_out_text

TRAIN = "the cat sat on the mat.\nand the dog sat on the log.\n" * 6
MORE = "a dog and a cat sat on a log by the mat.\n" * 3
TINY_LM = ["--model", "rnn", "--hidden-size", "8", "--num-layers", "1", "--embedding", "8",
           "--seq-len", "5", "--batch-size", "2", "--sample-every", "0", "--no-progress",
           "--threads", "1"]


def _main(capsys, argv):
    capsys.readouterr()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        code = main(argv)
    return (code, *capsys.readouterr())


@pytest.fixture(scope="module")
def carved(tmp_path_factory):
    root = tmp_path_factory.mktemp("lm31")
    corpus, valid = root / "train.txt", root / "valid.txt"
    corpus.write_text(TRAIN, encoding="utf-8")
    valid.write_text(MORE, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(["lm", "train", "--corpus", str(corpus), *TINY_LM, "--epochs", "1",
                     "--out", str(root / "run")]) == 0
    return root


@pytest.mark.slow  # (its run trained first: 6 to 8 s alone)
def test_a_run_resumed_on_a_changed_corpus_is_scored_on_what_it_trained_on(carved, tmp_path,
                                                                          capsys):
    run, corpus = tmp_path / "run", carved / "train.txt"
    shutil.copytree(carved / "run", run)
    corpus.write_text(TRAIN + MORE, encoding="utf-8")
    try:
        code, _, err = _main(capsys, ["lm", "train", "--resume", str(run), "--epochs", "2"])
        assert code == 0, err
        said = words(err)  # (the warning wraps at 80 columns)
        assert "the corpus differs from the run's" in said  # (warned, as before)
        assert f"read from {corpus}" in said, err  # (the file its record names, said)
        record = json.loads((run / "config.json").read_text(encoding="utf-8"))
        assert record["data_sha256"] == data_hash(TRAIN + MORE)  # (what it trained on last)
        assert record["resumed"][-1]["data_sha256_before"] == data_hash(TRAIN)  # (kept)
        code, out, err = _main(capsys, ["lm", "eval", "--run", str(run), "--json"])
        assert code == 0, err  # (was: "train.txt: changed since the run ... read it")
        metrics = json.loads((run / "metrics.json").read_text(encoding="utf-8"))
        assert json.loads(out)["bpc"] == pytest.approx(metrics["val_bpc"], rel=1e-6)
    finally:
        corpus.write_text(TRAIN, encoding="utf-8")


def test_a_val_text_named_without_its_hash_is_refused(tmp_path):
    corpus, valid, run = tmp_path / "train.txt", tmp_path / "valid.txt", tmp_path / "run"
    corpus.write_text(TRAIN, encoding="utf-8")
    valid.write_text(MORE, encoding="utf-8")
    run.mkdir()
    (run / "config.json").write_text(json.dumps({
        "config": {"corpus": str(corpus), "model": {"level": "char"},
                   "train": {"val_fraction": 0.1}},
        "data_sha256": data_hash(TRAIN)}), encoding="utf-8")
    (run / "cli.json").write_text(json.dumps({"options": {
        "corpus": str(corpus), "val_text": str(valid)}}), encoding="utf-8")
    with pytest.raises(DataError, match=r"names a validation text.*valid\.txt.*no SHA-256"
                                        r".*--text"):
        held_out_text(run)  # (was: the last 10% of train.txt, scored as held out)
    (run / "cli.json").write_text(json.dumps({"options": {"corpus": str(corpus),
                                                          "val_text": None}}))
    assert held_out_text(run).text is not None  # (no --val-text: the carved part, as before)
