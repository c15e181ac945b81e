"""Session 29, review: the checks that refuse a series too short before the run directory
is made (``test_short_data_before_folder29``) left out the panel model's seasonal lag, so a
panel short only because of it (``--difference seasonal``) still made the folder, marked a
run started, and failed at the first fit; and a backtest of one series (``--one-series``,
``--calendar holiday``) checked its length only at its first fit, after the folder."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.cli import main
from rnnlab.io.errors import DataError
from rnnlab.panel.config import PanelConfig
from rnnlab.panel.frame import check_lengths, read_panel
from rnnlab.panel.global_fit import seasonal_lag
from rnnlab.panel.short_series import refuse_unfittable


def _frame(lengths):
    return pd.concat([pd.DataFrame({"unique_id": f"s{i}", "y": np.sin(np.arange(k)) + 2.0 + i,
                                    "ds": pd.date_range("2000-01-01", periods=k, freq="MS")})
                      for i, k in enumerate(lengths)], ignore_index=True)


@pytest.fixture
def short_by_the_lag(tmp_path):
    """Three monthly series of 30: lookback 12 + horizon 6 + the 6 held out fit (24), the
    seasonal lag of 12 more does not (36)."""
    path = tmp_path / "p.csv"
    _frame([30, 30, 30]).to_csv(path, index=False)
    return str(path)


@pytest.mark.parametrize("command", [["forecast"], ["backtest", "--model", "lstm"]])
def test_a_panel_short_only_by_its_seasonal_lag_makes_no_run_folder(command, short_by_the_lag,
                                                                    tmp_path, capsys):
    out = tmp_path / "out"
    code = main([*command, "--data", short_by_the_lag, "--id-column", "unique_id",
                 "--difference", "seasonal", "--lookback", "12", "--horizon", "6",
                 "--epochs", "1", "--no-progress", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "seasonal lag" in err and "no series is long enough" in err
    assert not out.exists()  # (it held .rnnlab-run and .rnnlab-pending: a run started)


@pytest.mark.parametrize("flag", [["--one-series"], ["--calendar", "holiday", "--country", "US"]])
def test_a_one_series_backtest_too_short_makes_no_run_folder(flag, tmp_path, capsys):
    out = tmp_path / "out"
    data = tmp_path / "s.csv"
    pd.DataFrame({"ds": pd.date_range("2000-01-01", periods=144, freq="D"),
                  "y": np.sin(np.arange(144)) + 3.0}).to_csv(data, index=False)
    code = main(["backtest", "--data", str(data), *flag, "--model", "lstm", "--lookback",
                 "200", "--epochs", "1", "--no-progress", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "too short for look-back 200" in err and "first_origin" in err
    assert not out.exists()


def _fit_refuses(panel, cfg, held_out):
    """What the fit's own check says of the panel cut by ``held_out``, with its lag."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cut = panel.cut(held_out)
        lag = seasonal_lag(cfg, cut, cfg.period or cut.period)
        try:
            check_lengths(cut, lag + cfg.lookback + cfg.horizon, cfg.on_short)
        except DataError:
            return True
    return False


@pytest.mark.parametrize("lengths", [(30, 30), (30, 40), (40, 40), (22, 41), (25, 60),
                                     (36, 36), (35, 70), (12, 13)])
@pytest.mark.parametrize("difference", ["seasonal", "auto", "none"])
@pytest.mark.parametrize("on_short", ["skip", "error"])
def test_refused_before_the_folder_where_the_fit_refuses_with_its_lag(lengths, difference,
                                                                      on_short):
    """Refused before the folder wherever the fit (seasonal lag included) refuses the panel
    cut by what it holds out; never where it trains."""
    cfg = PanelConfig(lookback=12, horizon=6, on_short=on_short, difference=difference,
                      period=12)
    panel = read_panel(_frame(lengths))
    try:
        refuse_unfittable(panel, cfg, held_out=6)
        refused = False
    except DataError:
        refused = True
    assert refused == _fit_refuses(panel, cfg, 6)


def test_a_backtest_is_checked_at_its_first_origin_not_its_last(tmp_path, capsys):
    """The first origin (``--first-origin 12``) is always fitted, and holds out most: series
    of 36 leave 24 there, short of lookback 12 + horizon 6 + the seasonal lag 12. The
    check held out one horizon (6), let them through, and the first fit failed after the
    folder was made."""
    data, out = tmp_path / "p.csv", tmp_path / "out"
    _frame([36, 36]).to_csv(data, index=False)
    code = main(["backtest", "--data", str(data), "--id-column", "unique_id", "--model",
                 "lstm", "--difference", "seasonal", "--lookback", "12", "--horizon", "6",
                 "--first-origin", "12", "--epochs", "1", "--no-progress", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "no series is long enough" in err and "the 12 steps held out" in err
    assert not out.exists()
