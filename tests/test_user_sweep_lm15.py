"""A student's and a researcher's sweep (session 15) of the language models: word level
(the split, the tokens, what the units count, the default sample prefix), resuming (a
spent time budget, other batches, another level), lm eval and lm sample. Tiny and fast."""

from __future__ import annotations

import re

import pytest

from rnnlab.data.text import split_text, tokenize
from rnnlab.lm import CharLM

TINY_WORD_LM = dict(model="rnn", hidden_size=8, num_layers=1, embedding=8, dropout=0.0,
                    level="word")
FAST_FIT = dict(epochs=1, batch_size=2, seq_len=5, progress=False, sample_every=0)
WORDS = "alpha beta gamma "  # 17 characters


def test_a_word_level_split_never_cuts_a_word_in_two():
    """The validation cut fell inside a word: the training part ended in "al", the
    validation part opened with "pha", a word the vocabulary got that the text does not
    have and an unknown token scored in validation."""
    text = WORDS * 20  # 340 characters; val_fraction 32/340: the cut at 308, in "alpha"
    train, val = split_text(text, 32 / 340, "word")
    assert train + val == text
    assert train.endswith(" ") and val.startswith("alpha")
    assert split_text(text, 32 / 340) == (text[:308], text[308:])  # (char level: as it was)
    lm = CharLM(**TINY_WORD_LM).fit(text, val_fraction=32 / 340, **FAST_FIT)
    assert set(lm.vocab.tokens[1:]) == set(tokenize(text, "word"))
    assert lm.vocab.unknown(val) == []


def test_a_word_level_split_cuts_inside_a_run_of_whitespace_at_its_start():
    text = "one   two\n\n\nthree " * 8
    for f in (0.05, 0.1, 0.13, 0.2, 0.31):
        train, val = split_text(text, f, "word")
        assert tokenize(train, "word") + tokenize(val, "word") == tokenize(text, "word")


def _cli(args) -> int:
    from rnnlab.cli import main

    return main(args)


TINY_CLI = ["--model", "rnn", "--hidden-size", "8", "--num-layers", "1", "--embedding", "8",
            "--seq-len", "5", "--batch-size", "2", "--epochs", "1", "--sample-every", "0",
            "--no-progress", "--threads", "1"]


def test_word_level_bits_are_named_per_token_and_count_every_token(tmp_path, capsys):
    """At word level `lm train` printed "bits per word" and `lm eval` "N words scored",
    but the bits are per token and the tokens are the words and also each punctuation
    mark and each run of whitespace: "a cat." is 4 of them, 2 words. The eval's count is
    checked by hand, and its bits against CharLM's nll over that count."""
    import json
    import math

    corpus = tmp_path / "c.txt"
    corpus.write_text("a cat sat. a dog ran. " * 30, encoding="utf-8")
    run = tmp_path / "run"
    assert _cli(["lm", "train", "--corpus", str(corpus), "--level", "word", *TINY_CLI,
                 "--out", str(run)]) == 0
    out = capsys.readouterr().out
    assert "bits per token" in out and "bits per word" not in out
    assert "a run of whitespace" in out
    assert json.loads((run / "metrics.json").read_text())["unit"] == "bits per token"
    text = tmp_path / "t.txt"
    text.write_text("a dog sat.", encoding="utf-8")  # a, ' ', dog, ' ', sat, '.': 6 tokens
    assert _cli(["lm", "eval", "--run", str(run), "--text", str(text)]) == 0
    table = capsys.readouterr().out
    assert "5 tokens scored" in table and "a run of whitespace" in table  # (the first: context)
    assert _cli(["lm", "eval", "--run", str(run), "--text", str(text), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["unit"] == "bits per token" and result["tokens"] == 5
    total, n = CharLM.load(run / "model").nll("a dog sat.")
    assert n == 5 and result["bpc"] == pytest.approx(total / 5 / math.log(2), rel=1e-9)


@pytest.mark.parametrize("text, char_prefix, word_prefix", [
    ("Internationalization considerations matter. " * 20, "Internationalization con",
     "Internationalization "),
    ("Supercalifragilisticexpialidocious is long. " * 20, "Supercalifragilisticexpi",
     "Supercalifragilisticexpialidocious"),
    ("Call me Ishmael. Some years ago", "Call me Ishmael. ", "Call me Ishmael. "),
])
def test_the_default_word_level_prefix_ends_at_the_end_of_a_word(text, char_prefix,
                                                                 word_prefix):
    """The default sample prefix was cut at 24 characters, inside a word: at word level
    it ended in a word the model never saw ("con"), so every sample started from the
    unknown token (a warning), and a first word longer than 24 characters was refused
    as a --prefix the user had not typed."""
    from rnnlab.lm.train_command import first_words

    assert first_words(text) == char_prefix
    assert first_words(text, "word") == word_prefix
    vocab_words = set(tokenize(text, "word"))
    assert set(tokenize(word_prefix, "word")) <= vocab_words


def test_a_text_too_short_is_named_before_a_default_prefix_it_cannot_sample(tmp_path, capsys):
    """A word-level text of one long word, too short for a batch: the error named the
    default sample prefix as "--prefix '...'" (not typed), before the size that is the
    matter; now the size is named, and a refused default prefix is called the default."""
    from rnnlab.lm.train_command import _prefix_option

    corpus = tmp_path / "one.txt"
    corpus.write_text("abcdefghij" * 300, encoding="utf-8")
    assert _cli(["lm", "train", "--corpus", str(corpus), "--level", "word", *TINY_CLI,
                 "--out", str(tmp_path / "run")]) != 0
    err = capsys.readouterr().err
    assert "training part of the corpus has 0 tokens" in err and "prefix" not in err
    assert not (tmp_path / "run").exists()

    class Args:
        prefix = None

    assert _prefix_option(Args).startswith("the default sample prefix")


@pytest.mark.parametrize("field, value", [("patience", -1), ("clip_norm", -0.5)])
def test_a_negative_patience_or_clip_norm_says_that_0_is_off(field, value):
    """--patience -1 was refused as "TrainConfig: patience must be >= 1 or None": the
    help's "0 / None: off" was not named, nor the config the value was given to."""
    from rnnlab.lm.config import LMTrainConfig

    with pytest.raises(ValueError, match=rf"^{field} must be > 0, or 0 / None for off"):
        LMTrainConfig(**{field: value})
    assert getattr(LMTrainConfig(**{field: 0}), field) is None


def test_a_prepared_corpus_at_word_level_is_refused_in_the_command_lines_words(tmp_path,
                                                                               capsys):
    """`lm train --corpus PREPARED --level word` said "use level='char'", Python's
    spelling, and not what else to do."""
    from rnnlab.data.corpus_mmap import prepare_corpus

    src = tmp_path / "c.txt"
    src.write_text("a cat sat. a dog ran. " * 30, encoding="utf-8")
    prepare_corpus(src, tmp_path / "prep")
    assert _cli(["lm", "train", "--corpus", str(tmp_path / "prep"), "--level", "word",
                 *TINY_CLI, "--out", str(tmp_path / "run")]) != 0
    err = capsys.readouterr().err
    assert "--level char" in err and "the text file it was prepared from" in err
    assert not (tmp_path / "run").exists()


def test_word_level_counts_are_counts_of_tokens():
    """The warnings and errors at word level counted tokens and called them words ("1 of
    the 11 words scored"): "the cat sat on the mat." is 6 words and 12 tokens."""
    lm = CharLM(**TINY_WORD_LM).fit("the cat sat on the mat. " * 30, **FAST_FIT)
    with pytest.warns(UserWarning, match="1 of the 11 tokens scored is not in the model"):
        lm.nll("the dog sat on the mat.")
    with pytest.raises(Exception, match="need at least 2 tokens"):
        lm.nll("the")


def test_a_run_resumed_with_the_time_budget_it_spent_trains_nothing_and_says_so(tmp_path):
    """`lm train --resume RUN` of a run stopped by its --minutes trained one more epoch
    past the budget at each resume, unasked and unsaid (a run that finished its --epochs
    trains nothing, with a warning). A larger budget still goes on."""
    text = "the cat sat on the mat. " * 30
    kw = dict(FAST_FIT, epochs=50)
    lm = CharLM(**TINY_WORD_LM).fit(text, minutes=1e-6, checkpoint_dir=tmp_path / "ck", **kw)
    assert lm.info["stopped_by"].startswith("time budget") and lm.info["epochs"] == 1
    again = CharLM(**TINY_WORD_LM)
    with pytest.warns(UserWarning, match="its whole time budget .* so nothing is trained"):
        again.fit(text, minutes=1e-6, checkpoint_dir=tmp_path / "ck", resume=True, **kw)
    assert again.info["epochs"] == 1 and again.info["stopped_by"].startswith("time budget")
    more = CharLM(**TINY_WORD_LM).fit(text, minutes=None, checkpoint_dir=tmp_path / "ck",
                                      resume=True, **dict(kw, epochs=3))
    assert more.info["epochs"] == 3 and more.info["stopped_by"] == "epochs done"


def test_a_run_resumed_after_it_stopped_early_says_that_nothing_is_trained(tmp_path):
    from rnnlab.train.budget_stop import stopped_on_resume  # (moved from .checks)
    from rnnlab.train.config import TrainConfig
    from rnnlab.train.run_state import History

    hist = History(stop_reason="early stopping", stopped_early=True, best_epoch=2)
    with pytest.warns(UserWarning, match="stopped early .* nothing is trained"):
        stopped_on_resume(hist, TrainConfig())
    assert hist.stopped_early


def test_lm_train_on_a_prepared_corpus_says_why_no_baselines_are_printed(tmp_path, capsys):
    """On a prepared corpus the table had the model's row alone, the baselines' rows
    silently gone."""
    from rnnlab.data.corpus_mmap import prepare_corpus

    src = tmp_path / "c.txt"
    src.write_text("a cat sat. a dog ran. " * 30, encoding="utf-8")
    prepare_corpus(src, tmp_path / "prep")
    assert _cli(["lm", "train", "--corpus", str(tmp_path / "prep"), *TINY_CLI,
                 "--out", str(tmp_path / "run")]) == 0
    out = capsys.readouterr().out
    assert "unigram" not in out and "no n-gram baselines for a prepared corpus" in out


def test_lm_eval_gives_the_unknown_share_of_the_tokens_it_scored(tmp_path, capsys):
    """"hello world" to a model of other words: 3 tokens scored, 2 of them known, but
    "unknown: 50.00%": the share counted the first token too, which is never scored."""
    import json

    corpus = tmp_path / "c.txt"
    corpus.write_text("a cat sat. a dog ran. " * 30, encoding="utf-8")
    run = tmp_path / "run"
    assert _cli(["lm", "train", "--corpus", str(corpus), "--level", "word", *TINY_CLI,
                 "--out", str(run)]) == 0
    text = tmp_path / "t.txt"
    text.write_text("hello cat zebra", encoding="utf-8")  # scored: ' ', cat, ' ', zebra
    capsys.readouterr()
    assert _cli(["lm", "eval", "--run", str(run), "--text", str(text), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["tokens"] == 4 and result["tokens_known"] == 3
    assert result["unknown_share"] == pytest.approx(1 / 4)
    # (the names too: "hello", the first token, is never scored; it was listed beside
    # "zebra" as "2 distinct" unknown tokens of a share of one in four)
    assert result["unknown_tokens"] == ["zebra"] and result["unknown_distinct"] == 1


@pytest.mark.parametrize("text, words", [
    ("नमस्ते दुनिया", ["नमस्ते", "दुनिया"]),  # Devanagari: virama and vowel signs (Mn, Mc)
    ("สวัสดี ครับ", ["สวัสดี", "ครับ"]),  # Thai vowel and tone marks (Mn)
    ("cafe\u0301 nai\u0308ve", ["cafe\u0301", "nai\u0308ve"]),  # decomposed (NFD) Latin
])
def test_word_level_keeps_a_words_combining_marks_in_the_word(text, words):
    """Word-level tokens split a word at each combining mark (regex \\w does not match
    them): "नमस्ते" was 'नमस', '्', 'त', 'े', four tokens, and an NFD "naïve" three, so
    the model of a Hindi or Thai text learnt pieces of words with marks as punctuation."""
    tokens = tokenize(text, "word")
    assert "".join(tokens) == text
    assert [t for t in tokens if not t.isspace()] == words
    train, val = split_text(text, 0.3, "word")  # (the cut: not inside a word either)
    assert tokenize(train, "word") + tokenize(val, "word") == tokens


def test_a_resume_inside_an_epoch_refuses_other_batches_naming_them(tmp_path, monkeypatch):
    """CharLM.fit(resume=True) of a checkpoint written inside an epoch, with another
    batch_size, failed in the LSTM ("expected initial state of shape (1, 8, 8) ... got
    (1, 4, 8)"), and with another seq_len or sampling went on silently from the batch
    index of other batches."""
    import os
    import signal

    from rnnlab.data.text_sampling import TextSampler
    from rnnlab.io.errors import DataError
    from rnnlab.train.stops import TrainingInterrupted

    original = TextSampler.get_batch

    def stopped_at_batch_3(self, epoch, index):
        if (epoch, index) == (0, 3):  # SIGINT: the step ends, a checkpoint is written
            os.kill(os.getpid(), signal.SIGINT)
        return original(self, epoch, index)

    text = "the cat sat on the mat. " * 30
    kw = dict(model="lstm", hidden_size=8, num_layers=1, embedding=8, dropout=0.0)
    fit = dict(FAST_FIT, epochs=2, batch_size=4, seq_len=5, checkpoint_dir=tmp_path / "ck")
    monkeypatch.setattr(TextSampler, "get_batch", stopped_at_batch_3)
    with pytest.raises(TrainingInterrupted):
        CharLM(**kw).fit(text, **fit)
    monkeypatch.setattr(TextSampler, "get_batch", original)
    for change, named in [(dict(batch_size=8), "batch_size=4 (this fit: 8)"),
                          (dict(seq_len=7), "seq_len=5 (this fit: 7)"),
                          (dict(sampling="random"), "sampling='sequential'"),
                          (dict(seed=1), "seed=0 (this fit: 1)")]:
        with pytest.raises(DataError, match=re.escape(named)):
            CharLM(**kw).fit(text, resume=True, **dict(fit, **change))
    lm = CharLM(**kw).fit(text, resume=True, **fit)  # its own settings: it goes on
    assert lm.info["epochs"] == 2


def test_a_resume_at_another_level_is_refused_not_saved_unloadable(tmp_path):
    """CharLM(level="word").fit(resume=True) of a char-level checkpoint trained on at char
    level (the checkpoint's vocabulary) and saved a model that CharLM.load refused as
    "edited or damaged" (its config word-level, its vocabulary char-level)."""
    from rnnlab.io.errors import DataError

    text = "the cat sat on the mat. " * 30
    fit = dict(FAST_FIT, checkpoint_dir=tmp_path / "ck")
    char = dict(TINY_WORD_LM, level="char")
    CharLM(**char).fit(text, **fit)
    with pytest.raises(DataError, match="trained at char level, and this model is word-level"):
        CharLM(**TINY_WORD_LM).fit(text, resume=True, **dict(fit, epochs=2))


def test_lm_sample_is_lm_generate(tmp_path, capsys):
    """`rnnlab lm sample` (char-rnn's name) was "invalid choice: 'sample'"; `rnnlab sample`
    was not pointed at `rnnlab lm generate`."""
    corpus = tmp_path / "c.txt"
    corpus.write_text("a cat sat. a dog ran. " * 30, encoding="utf-8")
    run = tmp_path / "run"
    assert _cli(["lm", "train", "--corpus", str(corpus), *TINY_CLI, "--out", str(run)]) == 0
    capsys.readouterr()
    outs = []
    for name in ("sample", "generate"):
        assert _cli(["lm", name, "--run", str(run), "--prefix", "a ", "-n", "20"]) == 0
        outs.append(capsys.readouterr().out)
    assert outs[0] == outs[1] and outs[0].startswith("a ")
    assert _cli(["sample"]) == 2
    assert "`rnnlab lm generate`" in capsys.readouterr().err
