"""Layer counts far too large, from a file or typed: a saved CharLM's model.json edited
(its checksum recorded again) to more layers than its weights hold is refused before its
config is made, and a model (``--num-layers 1000000000``) stacking more than 1000 is
refused before it is built: configs check their spec by building the model on the meta
device, a panel model is built at fit, and ``num_layers=10**9`` looped there for ever
(found by the loader fuzz, seeded JSON edits five levels deep)."""

from __future__ import annotations

import json

import pytest
import torch

from fuzz_files import time_limit, write_json
from rnnlab.io.errors import CheckpointError


@pytest.fixture(scope="module")
def saved_lm(tmp_path_factory):
    """A CharLM saved untrained (its weights as initialised: what is loaded is the point)."""
    from rnnlab.data.text import Vocab
    from rnnlab.lm import CharLM
    from rnnlab.lm.model import LMNet

    torch.manual_seed(0)
    lm = CharLM(model="lstm", hidden_size=4, num_layers=1, embedding=4, dropout=0.0)
    lm.vocab = Vocab(("<unk>",) + tuple("abc "), "char")
    lm.net = LMNet(lm.config, len(lm.vocab))
    path = tmp_path_factory.mktemp("lm") / "model"
    lm.save(path)
    return path


@pytest.mark.parametrize("key", ["num_layers", "depth", "out_depth"])
def test_charlm_layer_count_huge_is_refused_before_building(saved_lm, key):
    from rnnlab.lm import CharLM

    original = (saved_lm / "model.json").read_text()
    doc = json.loads(original)
    doc["config"][key] = 10 ** 9
    write_json(saved_lm / "model.json", doc, checked=True)
    said = rf"model\.json: its config says {key}=1000000000, more than the \d+ tensors"
    with time_limit(20), pytest.raises(CheckpointError, match=said):
        try:
            CharLM.load(saved_lm)
        finally:
            (saved_lm / "model.json").write_text(original)


def _forecaster(**kw):
    from rnnlab.forecast import Forecaster

    return Forecaster(**kw)


def _charlm(**kw):
    from rnnlab.lm import CharLM

    return CharLM(**kw)


def _panel(**kw):
    """A GlobalForecaster builds its model at fit (build_model, real memory)."""
    import numpy as np
    import pandas as pd

    from rnnlab.panel import GlobalForecaster

    df = pd.DataFrame({"unique_id": ["a"] * 20, "ds": pd.date_range("2020-01-01", periods=20),
                       "y": np.arange(20.0)})
    return GlobalForecaster(horizon=2, lookback=4, epochs=1, **kw).fit(df)


@pytest.mark.parametrize("make, kw", [
    (_forecaster, {"num_layers": 10 ** 9}), (_charlm, {"num_layers": 10 ** 9}),
    (_charlm, {"model": "dt-rnn", "depth": 10 ** 9}),
    (_charlm, {"model": "dot-rnn", "out_depth": 10 ** 9}), (_panel, {"num_layers": 10 ** 9})])
def test_a_layer_count_typo_is_refused_not_built(make, kw):
    from rnnlab.io.errors import RnnlabError

    with time_limit(20), pytest.raises(RnnlabError, match=r"=1000000000: more than the 1000 "
                                                          r"layers a model may stack"):
        make(**kw)


def test_a_thousand_layers_are_still_checked():
    from rnnlab.nn.registry import ModelSpec, check_spec

    check_spec(ModelSpec(name="dt-rnn", input_size=1, hidden_size=2, depth=1000))
