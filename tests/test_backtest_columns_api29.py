"""The panel backtests take ``read_panel``'s column keywords, named as it names them
(``id_column``, ``date_column``, ``target``, ``fill``), as ``rnnlab backtest`` takes
``--id-column``, ``--date-column``, ``--column``, ``--fill``: ``backtest(factory, df,
id_column="store", ...)``, ``backtest_models(models, df, ...)``,
``GlobalForecaster.backtest(df, ...)``; the low-level ``backtest`` takes ``encoding=``
and ``off_grid=`` as the other two do. Before, each was refused, pointing to read_panel."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab import ConfigError, DataError, GlobalForecaster
from rnnlab.panel import backtest_models, read_panel
from rnnlab.panel.backtest import backtest

COLUMNS = dict(id_column="store", date_column="week", target="units")
N = 40


def _table(nan_at=None, moved_at=None):
    """Two stores' weekly units under their own column names (and a price column)."""
    weeks = pd.date_range("2020-01-03", periods=N, freq="W-FRI")
    df = pd.concat([pd.DataFrame({"store": s, "week": weeks, "price": 1.0,
                                  "units": 50 + 10 * np.sin(np.arange(N) * k) + k})
                    for s, k in (("north", 0.5), ("south", 0.9))], ignore_index=True)
    if nan_at is not None:
        df.loc[nan_at, "units"] = np.nan
    if moved_at is not None:  # (a Thursday among Fridays)
        df.loc[moved_at, "week"] -= pd.Timedelta(days=1)
    return df


def _same(a, b):
    pd.testing.assert_frame_equal(a.forecasts.reset_index(drop=True),
                                  b.forecasts.reset_index(drop=True))


@pytest.mark.parametrize("as_file", [False, True])
def test_backtest_reads_a_tables_own_columns(tmp_path, as_file):
    df = _table()
    data = df
    if as_file:
        data = str(tmp_path / "sales.csv")
        df.to_csv(data, index=False)
    got = backtest(None, data, horizon=4, first_origin=8, stride=4, baselines=("naive",),
                   **COLUMNS)
    want = backtest(None, read_panel(df, **COLUMNS), horizon=4, first_origin=8, stride=4,
                    baselines=("naive",))
    _same(got, want)
    assert set(got.forecasts["unique_id"]) == {"north", "south"}


def test_backtest_fill_off_grid_and_encoding_as_read_panel(tmp_path):
    df = _table(nan_at=5)
    with pytest.raises(DataError, match=r"fill='ffill'"):
        backtest(None, df, horizon=4, baselines=("naive",), **COLUMNS)
    with pytest.raises(DataError, match="fill must be one of"):
        backtest(None, df, horizon=4, baselines=("naive",), fill="mean", **COLUMNS)
    got = backtest(None, df, horizon=4, baselines=("naive",), fill="ffill", **COLUMNS)
    _same(got, backtest(None, read_panel(df, fill="ffill", **COLUMNS), horizon=4,
                        baselines=("naive",)))
    path = tmp_path / "moved.csv"
    _table(moved_at=30).to_csv(path, index=False, encoding="cp1252")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        snapped = backtest(None, str(path), horizon=4, baselines=("naive",), off_grid="snap",
                           encoding="cp1252", **COLUMNS)
    assert len(snapped.forecasts) == 2 * 4
    with pytest.raises(ConfigError, match=r"backtest\(off_grid='move'\)"):
        backtest(None, str(path), horizon=4, baselines=("naive",), off_grid="move")


@pytest.mark.parametrize("call", ["backtest", "backtest_models", "GlobalForecaster.backtest"])
def test_column_keywords_with_a_panel_read_already_are_refused(call):
    panel = read_panel(_table(), **COLUMNS)
    net = GlobalForecaster("gru", hidden_size=4, epochs=1, horizon=4, lookback=8)
    run = {"backtest": lambda **k: backtest(None, panel, horizon=4, baselines=("naive",), **k),
           "backtest_models": lambda **k: backtest_models([net], panel, **k),
           "GlobalForecaster.backtest": lambda **k: net.backtest(panel, **k)}[call]
    with pytest.raises(ConfigError, match=rf"{call}: id_column='store' names the columns of "
                                          r"a table to read, and the data given is a "
                                          r"PanelFrame read already"):
        run(id_column="store")


@pytest.mark.slow
def test_backtest_models_and_the_models_backtest_read_the_columns():
    df = _table()
    panel = read_panel(df, **COLUMNS)

    def net():
        return GlobalForecaster("gru", hidden_size=4, epochs=1, horizon=4, lookback=8,
                                batches_per_epoch=2, progress=False)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = backtest_models([net()], df, baselines=("naive",), **COLUMNS)
        want = backtest_models([net()], panel, baselines=("naive",))
        one = net().backtest(df, baselines=("naive",), **COLUMNS)
    _same(got, want)
    _same(one, want)
