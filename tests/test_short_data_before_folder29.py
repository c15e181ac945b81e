"""Session 29: a series too short for ``--lookback`` is refused before the run directory is
made. ``rnnlab forecast --data visnights --lookback 100000`` exited 1 after making the
folder and marking a run started in it (``.rnnlab-run``, ``.rnnlab-pending``: ``rnnlab
runs`` listed an unfinished run); so did the one-series forecast (its ``--seeds`` too),
``rnnlab backtest`` and ``rnnlab compare`` (a recipe's parts too)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.cli import main
from rnnlab.io.errors import DataError
from rnnlab.panel.config import PanelConfig
from rnnlab.panel.frame import check_lengths, read_panel

ROUTES = {
    "one series": (["forecast", "--data", "airline"], "too short for look-back 100000"),
    "seeds": (["forecast", "--data", "airline", "--seeds", "1", "2"],
              "too short for look-back 100000"),
    "panel": (["forecast", "--data", "visnights"], "no series is long enough"),
    "backtest": (["backtest", "--data", "visnights", "--model", "lstm"],
                 "no series is long enough"),
    "backtest networks": (["backtest", "--data", "visnights", "--model", "lstm", "gru"],
                          "no series is long enough"),
    "compare": (["compare", "--data", "airline", "--models", "lstm", "--seeds", "0"],
                "too short for look-back 100000"),
    "recipe parts": (["compare", "--recipe", "deep-rnn-compare", "--quick"],
                     "too short for look-back 100000"),
}


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_a_series_too_short_for_the_lookback_makes_no_run_folder(route, tmp_path, capsys):
    words, said = ROUTES[route]
    out = tmp_path / "out"
    code = main([*words, "--lookback", "100000", "--epochs", "1", "--no-progress",
                 "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1, err  # (an error of the data)
    assert said in err
    assert not out.exists()  # no folder, no run marked started in it


def _panel(lengths):
    parts = [pd.DataFrame({"unique_id": f"s{i}", "y": np.arange(k) + 1.0 + i,
                           "ds": pd.date_range("2000-01-01", periods=k, freq="MS")})
             for i, k in enumerate(lengths)]
    return read_panel(pd.concat(parts, ignore_index=True))


def _fit_refuses(panel, cfg, held_out):
    """What the fit's own check says of the panel cut by ``held_out``, its seasonal lag
    included (left out here, this test passed where the fit refused a panel short only
    by its lag: the check before the folder let it through)."""
    from rnnlab.panel.global_fit import seasonal_lag

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cut = panel.cut(held_out)
            lag = seasonal_lag(cfg, cut, cfg.period or cut.period)
            check_lengths(cut, lag + cfg.lookback + cfg.horizon, cfg.on_short)
    except DataError:
        return True
    return False


@pytest.mark.parametrize("lengths", [(30, 10), (10, 10), (20, 21), (21, 21), (19, 30),
                                     (30, 12), (13, 40)])
@pytest.mark.parametrize("on_short", ["skip", "error"])
def test_refused_before_the_folder_exactly_where_the_fit_refuses(lengths, on_short):
    """Refused here where the fit's own check (:func:`check_lengths`, lag 0) refuses
    the panel cut at the least held out; never where a fit could still train."""
    from rnnlab.panel.short_series import refuse_unfittable

    cfg = PanelConfig(lookback=6, horizon=3, on_short=on_short)
    panel = _panel(lengths)
    try:
        refuse_unfittable(panel, cfg, held_out=12)
        refused = False
    except DataError as e:
        refused = True
        assert "lookback + horizon" in str(e) and "the 12 steps held out = " in str(e)
    assert refused == _fit_refuses(panel, cfg, 12)
