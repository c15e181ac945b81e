"""Leftovers mended in session 16: sample_paths' integer ids as Python ints, the LM's
--max-vocab option, describe_path on an empty batch."""

from __future__ import annotations

import json

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
