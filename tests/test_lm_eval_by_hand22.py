"""Perplexity and bits per character checked by hand against the model's own logits
(float64), and the unknown characters counted among those scored (every one but the
first, which only sets the context)."""

from __future__ import annotations

import copy
import json
import math
import warnings

import pytest
import torch
import torch.nn.functional as F

from rnnlab.lm import CharLM, token_nll

TINY = dict(model="lstm", hidden_size=8, num_layers=1, embedding=4, dropout=0.0)
TEXT = "the cat sat on the mat and the dog ran to the red barn. " * 12  # 672 chars


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A model of TEXT's characters with its initial weights (a fit would only slow the
    tests down: the numbers are checked against the model's own logits, whatever they are)."""
    from rnnlab.data.text import Vocab
    from rnnlab.lm import LMNet

    torch.manual_seed(0)
    lm = CharLM(**TINY)
    lm.vocab = Vocab.build(TEXT[:-67])  # (as a fit's, and `lm prepare`'s: the training part)
    lm.net = LMNet(lm.config, len(lm.vocab))
    run = tmp_path_factory.mktemp("lm") / "model"
    lm.save(run)
    return run


def _hand_nll(net, ids, parts: int):
    """Sum of -log p(ids[t+1] | ids[:t+1] of its part) over the ``parts`` contiguous
    parts of the n = len(ids) - 1 targets, each part read from a fresh state in one
    forward pass."""
    n = len(ids) - 1
    size = -(-n // parts)
    total = 0.0
    with torch.no_grad():
        for a in range(0, n, size):
            b = min(a + size, n)
            logits, _ = net(ids[a:b][None], None)  # (1, b - a, V)
            total += float(F.cross_entropy(logits[0], ids[a + 1:b + 1], reduction="sum"))
    return total


def _float64(saved):
    lm = CharLM.load(saved)
    lm.net = lm.net.double()
    return lm


def test_one_stream_is_one_forward_pass_over_the_whole_text(saved):
    lm = _float64(saved)
    text = TEXT[:500]
    ids = torch.tensor(lm.vocab.encode(text))
    total, n = lm.nll(text, streams=1)
    assert n == len(text) - 1  # every character but the first, none dropped at chunk ends
    assert total == pytest.approx(_hand_nll(lm.net, ids, 1), rel=1e-12)
    assert lm.bits_per_char(text, streams=1) == pytest.approx(total / n / math.log(2),
                                                               rel=1e-12)


def test_the_default_streams_are_contiguous_parts_each_from_a_fresh_state(saved):
    lm = _float64(saved)
    ids = torch.tensor(lm.vocab.encode(TEXT))
    parts = min(16, (len(TEXT) - 1) // 64)  # 10 parts of at least 64 characters
    total, n = lm.nll(TEXT)
    assert n == len(TEXT) - 1
    assert total == pytest.approx(_hand_nll(lm.net, ids, parts), rel=1e-12)
    assert total != pytest.approx(lm.nll(TEXT, streams=1)[0], rel=1e-9)  # (not one state)


def test_the_chunk_length_does_not_change_the_score(saved):
    """The state is carried across chunks: chunks of 1, 7 or all steps, the same sums."""
    net = copy.deepcopy(CharLM.load(saved).net).double()
    ids = torch.tensor(CharLM.load(saved).vocab.encode(TEXT))
    for streams in (1, 3):
        sums = [token_nll(net, ids, streams=streams, chunk=c)[0] for c in (1, 7, 10_000)]
        assert sums == pytest.approx([sums[0]] * 3, rel=1e-12)


def test_lm_eval_prints_the_hand_computed_bits(saved, tmp_path, capsys):
    from rnnlab.cli import main

    path = tmp_path / "t.txt"
    path.write_text(TEXT[:300], encoding="utf-8")
    assert main(["lm", "eval", "--run", str(saved), "--text", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    lm = _float64(saved)
    ids = torch.tensor(lm.vocab.encode(TEXT[:300]))
    bits = _hand_nll(lm.net, ids, 299 // 64) / 299 / math.log(2)
    assert result["tokens"] == 299
    assert result["bpc"] == pytest.approx(bits, rel=1e-6)  # (the command's float32 net)


def test_the_warning_counts_the_unknown_characters_scored(saved):
    """"1 of the 39 chars scored" where 38 were, and a first character, never scored,
    was said to be "scored as the unknown token" and to "weigh on the score"."""
    lm = CharLM.load(saved)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the first character only sets the context
        assert lm.nll("Qthe cat sat on the mat")[1] == 22
    with pytest.warns(UserWarning, match=r"1 of the 23 chars scored is not in the model's "
                                         r"vocabulary \('Z'\);"):
        lm.nll("Qthe cat sat on the matZ")


def test_lm_eval_names_the_unknown_characters_scored(saved, tmp_path, capsys):
    from rnnlab.cli import main

    path = tmp_path / "q.txt"
    path.write_text("Qthe cat sat on the mat", encoding="utf-8")
    assert main(["lm", "eval", "--run", str(saved), "--text", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["unknown_share"] == 0.0  # (was: 'Q' listed beside a share of 0.00%)
    assert result["unknown_tokens"] == [] and result["unknown_distinct"] == 0
    path.write_text("QQ", encoding="utf-8")
    assert main(["lm", "eval", "--run", str(saved), "--text", str(path)]) == 0
    out = capsys.readouterr().out
    assert "q.txt: 1 char scored" in out and "none of the chars scored is known" in out


def test_lm_eval_streams_1_carries_one_state_through_the_text(saved, tmp_path, capsys):
    """`lm eval` always cut the text into the training's 16 parts (fewer for a short
    text) and did not say so: the number a one-pass hand computation gives was not to be
    had from the command line."""
    from rnnlab.cli import main

    path = tmp_path / "t.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert main(["lm", "eval", "--run", str(saved), "--text", str(path), "--json",
                 "--streams", "1"]) == 0
    one = json.loads(capsys.readouterr().out)
    lm = _float64(saved)
    ids = torch.tensor(lm.vocab.encode(TEXT))
    n = len(TEXT) - 1
    assert one["streams"] == 1 and one["tokens"] == n
    assert one["bpc"] == pytest.approx(_hand_nll(lm.net, ids, 1) / n / math.log(2), rel=1e-6)
    assert main(["lm", "eval", "--run", str(saved), "--text", str(path), "--json"]) == 0
    parts = json.loads(capsys.readouterr().out)
    assert parts["streams"] == 10 and parts["bpc"] != pytest.approx(one["bpc"], rel=1e-9)
    assert main(["lm", "eval", "--run", str(saved), "--text", str(path)]) == 0
    assert (f"{n:,} chars scored (in 10 parts side by side, each from a fresh state; "
            f"--streams 1: one state throughout)") in capsys.readouterr().out


@pytest.mark.parametrize("text, names", [
    ("Qthe", []), ("QtheQ", ["Q"]), ("theQZ", ["Q", "Z"]), ("QZ", ["Z"]), ("Q", [])])
def test_scored_unknown_leaves_out_a_first_character_found_there_alone(text, names):
    from rnnlab.data.text import Vocab
    from rnnlab.lm.unknown_tokens import scored_unknown

    assert scored_unknown(Vocab.build("the cat"), text) == names
    assert scored_unknown(Vocab.build("the cat sat", "word"), "hello cat hello") == ["hello"]


@pytest.mark.slow  # (about 6 s on 2 busy cores: a training run)
def test_lm_train_does_not_count_the_validation_parts_first_character(tmp_path, capsys):
    """A character of the validation part's first place alone, never scored (it only
    sets the context), was counted: "warning: 2.4% of the validation part are chars the
    training part never has; each is scored as the unknown token (... many bits each)",
    and metrics.json's val_unknown_share 0.024 beside a val_bpc_known equal to val_bpc."""
    from rnnlab.cli import main

    corpus = tmp_path / "z.txt"
    corpus.write_text("abc " * 100 + "Z" + "abc " * 10, encoding="utf-8")  # 441 chars
    run = tmp_path / "run"
    assert main(["lm", "train", "--corpus", str(corpus), "--val-fraction", str(41 / 441),
                 "--model", "rnn", "--hidden-size", "4", "--num-layers", "1",
                 "--embedding", "4", "--seq-len", "8", "--batch-size", "4", "--epochs", "1",
                 "--sample-every", "0", "--no-progress", "--threads", "1", "--prefix", "abc",
                 "--out", str(run)]) == 0
    captured = capsys.readouterr()
    metrics = json.loads((run / "metrics.json").read_text())
    assert metrics["val_unknown_share"] == 0.0
    assert "never has" not in captured.err and "unknown:" not in captured.out


def test_scoring_a_prepared_corpus_says_how_to_score_its_ids(saved, tmp_path):
    """bits_per_char(load_prepared(dir)) said "pass load_corpus(name_or_path) or the
    text": the whole corpus in memory, which preparing it was to avoid."""
    from rnnlab.data.corpus_mmap import load_prepared, prepare_corpus
    from rnnlab.io.errors import DataError

    src = tmp_path / "t.txt"
    src.write_text(TEXT, encoding="utf-8")
    prepare_corpus(src, tmp_path / "prep")
    corpus = load_prepared(tmp_path / "prep")
    lm = CharLM.load(saved)
    with pytest.raises(DataError, match=r"lm\.nll_ids\(corpus\.val_ids\)"):
        lm.bits_per_char(corpus)
    assert corpus.vocab == lm.vocab
    total, n = lm.nll_ids(corpus.tokens)  # (what it says to do)
    assert n == len(TEXT) - 1
    assert total == pytest.approx(lm.nll(TEXT)[0], rel=1e-12)


def test_a_resume_with_another_val_fraction_is_refused(tmp_path):
    """fit(resume=True, val_fraction=0.3) of a run cut at 0.1 went on silently, validating
    on text it had trained on (the TrainConfig check of a resume does not see the split)."""
    from rnnlab.io.errors import DataError

    fast = dict(epochs=1, batch_size=4, seq_len=8, progress=False, sample_every=0)
    tiny = dict(model="rnn", hidden_size=4, num_layers=1, embedding=0, dropout=0.0)
    CharLM(**tiny).fit(TEXT, **fast, checkpoint_dir=tmp_path / "ck")
    with pytest.raises(DataError, match=r"cannot resume .* with val_fraction=0\.3 .* "
                                        r"Resume with val_fraction=0\.1"):
        CharLM(**tiny).fit(TEXT, **dict(fast, epochs=2, val_fraction=0.3),
                           checkpoint_dir=tmp_path / "ck", resume=True)
    again = CharLM(**tiny).fit(TEXT, **dict(fast, epochs=2), checkpoint_dir=tmp_path / "ck",
                               resume=True)
    assert len(again.history) == 2
