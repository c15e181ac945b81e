"""Fuzzing the loaders of a saved language model and of saved panel models (global and
local=True), as tests/test_loader_fuzz.py does a saved Forecaster's (seeded;
:mod:`fuzz_files`): refused with an RnnlabError, or loaded to a model that behaves as the
original (generates the same text, forecasts the same numbers)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch

from fuzz_files import file_mutations, json_mutations, run_cases
from test_loader_fuzz import same_array, weight_mutations


def _all_cases(base, tmp_path, load, behave, expected, same, seed, limit):
    fails = []
    for rel in ("model.json", "model.safetensors"):
        fails += run_cases(base, rel, file_mutations(base / rel, seed), load, behave,
                           expected, same, tmp_path)
    muts = json_mutations(base / "model.json", seed + 1, limit, depth=4)
    fails += run_cases(base, "model.json", muts, load, behave, expected, same, tmp_path)
    muts = weight_mutations("model.json", ("weights_sha256",))
    fails += run_cases(base, "model.safetensors", muts, load, behave, expected, same, tmp_path)
    return fails


# ---------------------------------------------------------------------------- CharLM
@pytest.mark.slow
def test_charlm_folder(tmp_path):
    from rnnlab.lm import CharLM

    torch.manual_seed(0)
    lm = CharLM(model="lstm", hidden_size=8, num_layers=1, embedding=4, dropout=0.0).fit(
        "the quick brown fox. " * 40, seq_len=8, batch_size=4, epochs=1, progress=False)
    lm.save(tmp_path / "base")

    def behave(m):
        return m.generate("the ", n=12, temperature=0)

    def same(got, exp):  # (an edit: any text of the vocabulary)
        return got == exp if exp is not None else isinstance(got, str)
    fails = _all_cases(tmp_path / "base", tmp_path, CharLM.load, behave, behave(lm), same, 11, 200)
    assert not fails, "\n".join(fails)


# ---------------------------------------------------------------------------- panels
def _panel():
    from rnnlab.panel.frame import read_panel

    rng = np.random.default_rng(0)
    parts = [pd.DataFrame({"unique_id": f"s{i}", "ds": pd.date_range("2000-01-01", periods=40),
                           "y": 10 + i + rng.standard_normal(40)}) for i in range(3)]
    return read_panel(pd.concat(parts, ignore_index=True))


def _panel_case(tmp_path, local: bool, seed: int):
    from rnnlab.panel.model import GlobalForecaster

    torch.manual_seed(0)
    f = GlobalForecaster("gru", lookback=6, horizon=3, epochs=1, hidden_size=4, ensemble=1,
                         local=local).fit(_panel())
    f.save(tmp_path / "base")

    def behave(m):
        return m.predict().select_dtypes("number").to_numpy()
    fails = _all_cases(tmp_path / "base", tmp_path, GlobalForecaster.load, behave, behave(f),
                       same_array, seed, 200)
    assert not fails, "\n".join(fails)


@pytest.mark.slow
def test_panel_global_folder(tmp_path):
    _panel_case(tmp_path, False, 21)


@pytest.mark.slow
def test_panel_local_folder(tmp_path):
    _panel_case(tmp_path, True, 31)
