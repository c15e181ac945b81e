"""Session 17's review: what the merged refactors and fixes changed by accident."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rnnlab.panel.backtest import backtest


class _IndexSeen:
    """A stub model recording the index of every panel it is given (fit and history)."""

    indexes = []

    def fit(self, panel, static=None):
        type(self).indexes.append(panel.df.index)
        self.panel = panel
        return self

    def predict(self, horizon, future=None, history=None):
        panel = history if history is not None else self.panel
        if history is not None:
            type(self).indexes.append(history.df.index)
        rows = []
        for uid, g in panel.df.groupby("unique_id", sort=False):
            ds = pd.date_range(g["ds"].iloc[-1], periods=horizon + 1, freq="MS")[1:]
            rows.append(pd.DataFrame({"unique_id": uid, "ds": ds, "step": np.arange(1, horizon + 1),
                                      "mean": float(g["y"].iloc[-1])}))
        return pd.concat(rows, ignore_index=True)


def test_backtest_cuts_of_a_panel_without_a_fill_record_are_numbered_from_0():
    """The backtest's cut at each origin reaches the model numbered 0..n-1, as it did
    before with_df took over the numbering (only a panel with a ``filled`` field was
    renumbered after that: a PanelFrame-shaped object kept the full frame's index, gaps
    where other series' later rows were)."""
    from test_panel_backtest import make_panel  # (the PanelFrame-shaped dataclass)

    _IndexSeen.indexes = []
    backtest(_IndexSeen, make_panel(n_series=3, length=30), horizon=3, first_origin=9,
             stride=3, refit="never")
    assert len(_IndexSeen.indexes) == 3  # one fit, two histories
    for index in _IndexSeen.indexes:
        assert index.equals(pd.RangeIndex(len(index))), index


def test_read_panel_takes_freq_as_a_pandas_offset():
    """freq=pd.offsets.MonthBegin() is a pandas frequency; checked_freq read str() of it,
    '<MonthBegin>', and refused it as 'not a pandas frequency'."""
    from rnnlab.panel import read_panel

    df = pd.DataFrame({"unique_id": "a", "y": np.arange(30.0),
                       "ds": pd.date_range("2020-01-01", periods=30, freq="MS")})
    assert read_panel(df, freq=pd.offsets.MonthBegin()).freq == "MS"
    assert read_panel(df, freq=pd.offsets.MonthBegin()).period == 12
