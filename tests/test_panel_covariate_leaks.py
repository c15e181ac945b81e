"""Covariates as a forecasting reviewer checks them (session 17): static values that
change in time, unseen categories, the covariate scaler's rows, future tables that miss
values, and the holiday calendar's version in a run's record. Each test failed before
its fix; the poisoning checks that were already clean are in docs/panels.md."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel.backtest import backtest
from rnnlab.panel.frame import read_panel
from rnnlab.panel.model import GlobalForecaster

TINY = dict(hidden_size=8, head_size=8, epochs=1, batches_per_epoch=2, batch_size=16,
            lookback=8, horizon=4, patience=None)


def _table(series=4, n=40, seed=0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.concat([pd.DataFrame({
        "unique_id": f"s{i}", "ds": pd.date_range("2000-01-01", periods=n, freq="D"),
        "y": 10.0 + i + rng.standard_normal(n), "x": rng.standard_normal(n),
        "kind": "ab"[i % 2]}) for i in range(series)], ignore_index=True)


@pytest.mark.parametrize("refit", ["never", 1])
def test_backtest_refuses_a_static_covariate_that_changes_after_the_first_origin(refit):
    """A 'static' value that changes after the first origin: with refit='never' the one
    fit (on the rows before it) took the old value without a word; with refit=1 it was
    refused only at a later origin's fit. Now refused at once, naming column and series."""
    df = _table()
    late = (df["unique_id"] == "s1") & (df["ds"] > "2000-02-05")  # after the first origin
    df.loc[late, "kind"] = "c"
    fits = []

    def make():
        fits.append(1)
        return GlobalForecaster(static_covariates=("kind",), **TINY)

    with pytest.raises(DataError, match=r"'kind' varies in time within series \['s1'\]"):
        backtest(make, read_panel(df), horizon=4, first_origin=12, stride=4, refit=refit)
    assert len(fits) <= 1  # refused before any training
