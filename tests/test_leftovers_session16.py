"""Leftovers mended in session 16: sample_paths' integer ids as Python ints, the LM's
--max-vocab option, describe_path on an empty batch."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.panel.ids import INT_KINDS, restore_id


@pytest.mark.parametrize("kind", INT_KINDS)
def test_an_integer_id_comes_back_as_a_python_int(kind):
    # before: np.int64(7) (json.dumps refused a dict keyed by it)
    back = restore_id("7", kind)
    assert type(back) is int and back == 7
    assert restore_id("a", "str") == "a"


def test_sample_paths_are_keyed_by_python_ints():
    import torch

    from rnnlab.panel.frame import read_panel
    from rnnlab.panel.model import GlobalForecaster

    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": pd.date_range("2000-01-01", periods=30),
                                  "y": 10.0 + k + rng.standard_normal(30)})
                    for k, u in enumerate((1, 2))], ignore_index=True)
    g = GlobalForecaster("gru", likelihood="gaussian", samples=5, lookback=8, horizon=3,
                         hidden_size=4, head_size=4, batch_size=8, batches_per_epoch=1,
                         epochs=1, seed=0).fit(read_panel(df))
    paths = g.sample_paths()
    assert sorted(paths) == [1, 2] and all(type(k) is int for k in paths)
    assert json.loads(json.dumps({k: v.tolist() for k, v in paths.items()}))["1"]


TEXT = ("the quick brown fox jumps over the lazy dog . " * 30
        + "a stitch in time saves nine . " * 15)
LM_TINY = ["--hidden-size", "8", "--num-layers", "1", "--embedding", "4", "--seq-len", "8",
           "--batch-size", "4", "--epochs", "1", "--no-progress", "--threads", "1"]


def test_lm_train_takes_max_vocab_and_records_it(tmp_path, capsys):
    # before: max_vocab was an LMConfig field with no option (`--max-vocab`: unknown)
    from rnnlab.cli import main

    corpus = tmp_path / "c.txt"
    corpus.write_text(TEXT, encoding="utf-8")
    run = tmp_path / "run"
    with warnings.catch_warnings():  # (not "not in the model's vocabulary (kept from its
        warnings.simplefilter("error")  # first fit ...)": the words --max-vocab leaves out)
        warnings.filterwarnings("ignore", "the prefix has")  # (a sample's prefix)
        assert main(["lm", "train", "--corpus", str(corpus), "--level", "word",
                     "--max-vocab", "6", *LM_TINY, "--out", str(run)]) == 0
    config = json.loads((run / "config.json").read_text())
    assert '"max_vocab": 6' in json.dumps(config)
    model = json.loads((run / "model" / "model.json").read_text())
    assert model["config"]["max_vocab"] == 6
    assert len(model["extra"]["vocab"]["tokens"]) == 6
    capsys.readouterr()
    assert main(["lm", "train", "--corpus", str(corpus), "--max-vocab", "1", *LM_TINY,
                 "--out", str(tmp_path / "r2")]) == 2
    assert "expected a vocabulary size >= 2" in capsys.readouterr().err


def test_max_vocab_with_a_prepared_corpus_is_refused_not_ignored(tmp_path):
    from rnnlab.data.corpus_mmap import load_prepared, prepare_corpus
    from rnnlab.io.errors import DataError
    from rnnlab.lm import CharLM

    corpus = tmp_path / "c.txt"
    corpus.write_text(TEXT, encoding="utf-8")
    prepared = prepare_corpus(corpus, tmp_path / "prep")
    with pytest.raises(DataError, match=r"max_vocab=5 \(--max-vocab\) would be ignored"):
        CharLM(hidden_size=8, num_layers=1, embedding=4, max_vocab=5).fit(
            load_prepared(tmp_path / "prep", 0.1), seq_len=8, batch_size=4, epochs=1,
            progress=False)
    assert len(prepared.vocab) > 5


@pytest.mark.parametrize("name", ["gru-cho", "dt-rnn"])
def test_the_path_of_an_empty_batch_is_the_loop_that_runs_it(name):
    # before: path_of/path_for said "fast-torch" for a batch of no sequences, which
    # Recurrent runs on the step loop ("reference")
    import torch

    from rnnlab.nn.paths import path_of
    from rnnlab.nn.registry import ModelSpec, build_model

    m = build_model(ModelSpec(name=name, input_size=3, hidden_size=4, num_layers=2))
    empty, some = torch.zeros(0, 5, 3), torch.zeros(2, 5, 3)
    assert path_of(m, some) == "fast-torch"
    assert path_of(m, empty) == "reference"
    out, _ = m(empty)
    assert out.shape == (0, 5, 4)


def test_a_compat_layer_on_rnnlabs_loop_says_reference_for_an_empty_batch():
    import torch

    from rnnlab.nn import GRU, Recurrent, GRUCell

    g = GRU(3, 4, batch_first=True, reset_after=False)  # (no torch kernel: rnnlab's loop)
    assert g.path_for(torch.zeros(2, 5, 3)) == "fast-torch"
    assert g.path_for(torch.zeros(0, 5, 3)) == "reference"
    r = Recurrent(GRUCell(3, 4, reset_after=False))  # time-major
    assert r.path_for(torch.zeros(5, 2, 3)) == "fast-torch"
    assert r.path_for(torch.zeros(5, 0, 3)) == "reference"
    assert r.path_for(torch.zeros(0, 5, 3)) == "fast-torch"  # no steps: refused by the call
