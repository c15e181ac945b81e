"""A model saved from Python records the CPU threads it was fitted on: before, ``CharLM``
and ``GlobalForecaster`` (which fit on the caller's threads) named torch's count at
``save()``, so a fit on 1 thread saved after ``torch.set_num_threads(2)`` recorded 2, and
repeating it with what the record said gave other numbers (``Forecaster`` kept its own)."""

from __future__ import annotations

import json

import pytest
import torch


@pytest.fixture
def threads_back():
    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)


def _saved_threads(folder):
    return json.loads((folder / "model.json").read_text())["versions"]["threads"]


def test_a_char_lm_records_the_threads_it_was_fitted_on(tmp_path, threads_back):
    from rnnlab import CharLM
    from rnnlab.lm.config import LMTrainConfig

    torch.set_num_threads(1)  # (fitted on one, saved under two)
    lm = CharLM(hidden_size=4, num_layers=1, embedding=4)
    lm.fit("abcd efgh " * 40, LMTrainConfig(epochs=1, seq_len=8, batch_size=4, progress=False,
                                             sample_every=0))
    torch.set_num_threads(2)
    assert _saved_threads(lm.save(tmp_path / "lm")) == 1
    assert torch.get_num_threads() == 2  # (the caller's count given back)


def test_a_global_forecaster_records_the_threads_it_was_fitted_on(tmp_path, threads_back):
    import numpy as np
    import pandas as pd

    from rnnlab.panel import GlobalForecaster

    ds = pd.date_range("2020-01-01", periods=30, freq="D")
    df = pd.DataFrame({"unique_id": np.repeat(["a", "b"], 30), "ds": list(ds) * 2,
                       "y": np.sin(np.arange(60) / 3.0) + 2.0})
    torch.set_num_threads(1)
    f = GlobalForecaster("gru", lookback=4, horizon=2, hidden_size=2, epochs=1, ensemble=1,
                         batches_per_epoch=1).fit(df)
    torch.set_num_threads(2)
    assert _saved_threads(f.save(tmp_path / "g")) == 1
    assert torch.get_num_threads() == 2


@pytest.mark.parametrize("kind", ["charlm", "panel"])
def test_a_model_loaded_and_saved_again_keeps_the_threads_it_trained_on(tmp_path, kind,
                                                                          threads_back):
    # CharLM / GlobalForecaster.load then save recorded the threads of the session that
    # saved it again (2 here), not the 1 the model was trained on
    torch.set_num_threads(1)
    if kind == "charlm":
        from rnnlab.lm import CharLM as cls

        model = cls(hidden_size=4, num_layers=1, embedding=4).fit(
            "abcab cabca " * 40, seq_len=8, batch_size=4, epochs=1, progress=False)
    else:
        from rnnlab.panel import GlobalForecaster as cls, load_panel

        model = cls("gru", hidden_size=2, lookback=4, horizon=2, epochs=1,
                    batches_per_epoch=1).fit(load_panel("visnights").cut(2))
    model.save(tmp_path / "m")
    torch.set_num_threads(2)
    cls.load(tmp_path / "m").save(tmp_path / "again")
    assert torch.get_num_threads() == 2
    assert _saved_threads(tmp_path / "m") == _saved_threads(tmp_path / "again") == 1
