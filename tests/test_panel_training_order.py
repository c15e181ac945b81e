"""The training data's per-series arrays (static codes, scales) follow the buffer's
series order, whatever order the panel's ``ids`` list them in."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel.config import PanelConfig
from rnnlab.panel.frame import read_panel
from rnnlab.panel.training_data import training_data


def _panel():
    n = 30
    return read_panel(pd.concat([pd.DataFrame({
        "unique_id": u, "ds": pd.date_range("2000-01-01", periods=n, freq="D"),
        "y": np.arange(n) * (i + 1.0), "kind": k})
        for i, (u, k) in enumerate([("a", "x"), ("b", "y"), ("c", "z")])]))


def test_static_codes_follow_the_buffers_series_order_not_the_ids_order():
    """A panel whose ids listed its series in another order than its table's rows gave
    series 'a' the static code of 'c' (codes came in ids order, the buffer and scales in
    the table's): a silently wrong model input."""
    cfg = PanelConfig(lookback=6, horizon=2, static_covariates=("kind",), epochs=1)
    p = _panel()
    q = dataclasses.replace(p, ids=tuple(reversed(p.ids)))
    want = training_data(cfg, p, None, 1, 2)[1]
    got = training_data(cfg, q, None, 1, 2)[1]
    assert want[3].ravel().tolist() == [1, 2, 3]  # a: 'x', b: 'y', c: 'z'
    for w, g in zip(want, got):
        if isinstance(w, np.ndarray):
            np.testing.assert_array_equal(g, w)
        elif hasattr(w, "numpy"):
            np.testing.assert_array_equal(g.numpy(), w.numpy())
    with pytest.raises(DataError, match=r"the panel's ids .* are not the series of its table"):
        training_data(cfg, dataclasses.replace(p, ids=("a", "b")), None, 1, 2)
    plain = PanelConfig(lookback=6, horizon=2, epochs=1)  # (no static covariate to place)
    assert training_data(plain, dataclasses.replace(p, ids=("a", "b")), None, 1, 2)[1][3].shape \
        == (3, 0)
