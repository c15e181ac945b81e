"""A saved CharLM's model.json edited (its checksum recorded again) to a layer count far
past what its weights hold is refused before its config is made: LMConfig checks its spec
by building the model on the meta device, and ``"num_layers": 10**9`` looped there for
ever (found by the loader fuzz, seeded JSON edits five levels deep)."""

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
    assert CharLM.load(saved_lm).config.num_layers == 1  # (restored: loads)
