"""A corpus's own validation text: ``CharLM.fit(text, val_text=...)`` and ``rnnlab lm
train --val-text FILE``. Before, the validation part could only be carved off the end of
the training text (``val_fraction``): early stopping and the reported bits were on the
wrong text for PTB / text8 / enwik8's given splits."""

import hashlib
import json
import math
import warnings

import pytest

from printed_words import words
from rnnlab.cli import main
from rnnlab.io.errors import DataError, OptionError
from rnnlab.lm import CharLM

TRAIN = "the cat sat on the mat and the dog sat on the log. " * 6
VALID = "a dog and a cat sat on a log by the mat; the end. " * 2 + "Q"  # b y ; Q: unknown
TINY = dict(model="rnn", hidden_size=8, num_layers=1, embedding=8)
FIT = dict(epochs=1, batch_size=2, seq_len=5, progress=False)
TINY_LM = ["--model", "rnn", "--hidden-size", "8", "--num-layers", "1", "--embedding", "8",
           "--seq-len", "5", "--batch-size", "2", "--epochs", "1", "--sample-every", "0",
           "--no-progress", "--threads", "1"]


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_validation_is_the_given_text_at_every_epoch_and_for_the_kept_model():
    lm = CharLM(**TINY)
    seen = []

    def on_epoch(epoch, rec):  # the weights of this epoch: scored on the given text
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            seen.append((rec["val_bpc"], lm.bits_per_char(VALID)))

    lm.fit(TRAIN, val_text=VALID, on_epoch=on_epoch, **{**FIT, "epochs": 2})
    assert len(seen) == 2
    for got, want in seen:  # early stopping and the best epoch read these losses
        assert got == pytest.approx(want, rel=1e-6)
    with pytest.warns(UserWarning, match="not in the model's vocabulary"):  # as carved
        kept = lm.bits_per_char(VALID)
    best = lm.history[lm.info["best_epoch"] - 1]["val_bpc"]
    assert best == pytest.approx(kept, rel=1e-6)
    assert "Q" not in lm.vocab.tokens and "." in lm.vocab.tokens  # all of TRAIN built it
    assert lm.info["val_data_sha256"] == sha(VALID)
    assert lm.info["data_sha256"] == sha(TRAIN)


def test_carved_fit_records_no_validation_text_and_saves_the_identity(tmp_path):
    lm = CharLM(**TINY).fit(TRAIN, **FIT)
    assert lm.info["val_data_sha256"] is None
    lm = CharLM(**TINY).fit(TRAIN, val_text=VALID, **FIT)
    lm.save(tmp_path / "m")
    assert CharLM.load(tmp_path / "m").info["val_data_sha256"] == sha(VALID)


def test_val_text_with_val_fraction_or_a_file_name_is_refused(tmp_path):
    from rnnlab.lm.config import LMTrainConfig

    with pytest.raises(OptionError, match="pass one of them"):
        CharLM(**TINY).fit(TRAIN, val_text=VALID, val_fraction=0.2, **FIT)
    with pytest.raises(OptionError, match="pass one of them"):
        CharLM(**TINY).fit(TRAIN, LMTrainConfig(val_fraction=0.3, **FIT), val_text=VALID)
    f = tmp_path / "valid.txt"
    f.write_text(VALID, encoding="utf-8")
    with pytest.raises(DataError, match=r"val_text: .* names a file"):
        CharLM(**TINY).fit(TRAIN, val_text=str(f), **FIT)
    with pytest.raises(DataError, match="validation text .* has 1 char"):
        CharLM(**TINY).fit(TRAIN, val_text="x", **FIT)


def test_resume_checks_the_validation_text(tmp_path):
    ck = tmp_path / "ck"
    CharLM(**TINY).fit(TRAIN, val_text=VALID, checkpoint_dir=ck, **FIT)
    more = {**FIT, "epochs": 2}
    with pytest.raises(DataError, match="on another validation text.*own validation text"):
        CharLM(**TINY).fit(TRAIN, val_text=VALID + "x", checkpoint_dir=ck, resume=True, **more)
    with pytest.raises(DataError, match="without its validation text.*resume with that text"):
        CharLM(**TINY).fit(TRAIN, checkpoint_dir=ck, resume=True, **more)
    lm = CharLM(**TINY).fit(TRAIN, val_text=VALID, checkpoint_dir=ck, resume=True, **more)
    assert len(lm.history) == 2
    carved = tmp_path / "carved"
    CharLM(**TINY).fit(TRAIN, checkpoint_dir=carved, **FIT)
    with pytest.raises(DataError, match="resume without val_text"):
        CharLM(**TINY).fit(TRAIN, val_text=VALID, checkpoint_dir=carved, resume=True, **more)


def _files(tmp_path):
    corpus, valid = tmp_path / "train.txt", tmp_path / "valid.txt"
    corpus.write_text(TRAIN, encoding="utf-8")
    valid.write_text(VALID, encoding="utf-8")
    return corpus, valid


def test_lm_train_val_text_records_and_scores_the_given_text(tmp_path, capsys):
    corpus, valid = _files(tmp_path)
    run = tmp_path / "run"
    assert main(["lm", "train", "--corpus", str(corpus), "--val-text", str(valid), *TINY_LM,
                 "--out", str(run)]) == 0
    assert "validation part are chars the training part never has" in \
        words(capsys.readouterr().err)  # (its words: a warning wraps at 80 columns)
    config = json.loads((run / "config.json").read_text())
    metrics = json.loads((run / "metrics.json").read_text())
    assert config["val_data_sha256"] == metrics["val_data_sha256"] == sha(VALID)
    assert config["data_sha256"] == metrics["data_sha256"] == sha(TRAIN)
    assert config["config"]["val_text"] == str(valid)
    unknown = sum(c not in TRAIN for c in VALID[1:])  # b, y, ;, Q: as for a carved part
    assert metrics["val_unknown_share"] == pytest.approx(unknown / (len(VALID) - 1))
    assert main(["lm", "eval", "--run", str(run), "--text", str(valid), "--json"]) == 0
    evaluated = json.loads(capsys.readouterr().out)
    assert metrics["val_bpc"] == pytest.approx(evaluated["bpc"], rel=1e-6)
    assert metrics["val_bpc_known"] == pytest.approx(evaluated["bpc_known"], rel=1e-6)


def test_lm_train_refuses_val_text_with_val_fraction_and_a_changed_file_on_resume(
        tmp_path, capsys):
    corpus, valid = _files(tmp_path)
    assert main(["lm", "train", "--corpus", str(corpus), "--val-text", str(valid),
                 "--val-fraction", "0.2", *TINY_LM, "--out", str(tmp_path / "r0")]) != 0
    assert "pass one of them" in capsys.readouterr().err
    run = tmp_path / "run"
    assert main(["lm", "train", "--corpus", str(corpus), "--val-text", str(valid), *TINY_LM,
                 "--out", str(run)]) == 0
    valid.write_text(VALID + " more", encoding="utf-8")
    assert main(["lm", "train", "--resume", str(run), "--epochs", "2"]) != 0
    assert "another validation text" in capsys.readouterr().err
    valid.write_text(VALID, encoding="utf-8")
    assert main(["lm", "train", "--resume", str(run), "--epochs", "2"]) == 0
    assert len(json.loads((run / "metrics.json").read_text())["epochs_detail"]) == 2
    assert not math.isnan(json.loads((run / "metrics.json").read_text())["val_bpc"])


@pytest.mark.slow
def test_spawned_workers_validate_on_the_given_text(tmp_path):
    """devices=2: each worker (a new process) gets the validation text, and the
    checkpoint it writes records it; its validation is the kept model's bits on it."""
    from rnnlab.io.json_file import read_json
    from rnnlab.train.checkpoint import CheckpointManager

    fit = {**FIT, "batch_size": 4, "lr_schedule": "none"}
    two = CharLM(**TINY).fit(TRAIN, val_text=VALID, devices=2, accelerator="cpu",
                             strategy="ddp", checkpoint_dir=tmp_path / "ck", **fit)
    with pytest.warns(UserWarning, match="not in the model's vocabulary"):
        assert two.bits_per_char(VALID) == pytest.approx(two.history[0]["val_bpc"], rel=1e-6)
    folder = CheckpointManager(tmp_path / "ck").resume_folder()
    assert read_json(folder / "meta.json")["split"] == {"val_text_sha256": sha(VALID)}


def test_lm_train_val_text_that_is_no_text_is_named(tmp_path, capsys):
    corpus, _ = _files(tmp_path)
    for bad in ("", str(tmp_path / "missing.txt")):
        assert main(["lm", "train", "--corpus", str(corpus), "--val-text", bad, *TINY_LM,
                     "--out", str(tmp_path / "r")]) != 0
        assert "--val-text: corpus" in capsys.readouterr().err
        assert not (tmp_path / "r").exists()



def test_a_prepared_corpus_with_a_validation_text_is_refused(tmp_path):
    from rnnlab.data.corpus_mmap import load_prepared, prepare_corpus

    corpus, _ = _files(tmp_path)
    prepare_corpus(corpus, tmp_path / "prep", val_fraction=0.1)
    with pytest.raises(DataError, match="train on the text file with --val-text"):
        CharLM(**TINY).fit(load_prepared(tmp_path / "prep"), val_text=VALID, **FIT)
