"""Session 30: ``rnnlab backtest``'s check of a network's lengths before its run folder
held every series out by ``--first-origin`` steps only where they end on one date; cut at
common dates (``--align date``, the default) on ragged ends it counted nothing held out,
so a panel whose first fit refuses it made the folder, marked a run started, then failed.
And only the first origin was checked, while a later refit fits series left out there."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.cli import main
from rnnlab.io.errors import DataError
from rnnlab.panel.config import PanelConfig
from rnnlab.panel.frame import read_panel
from rnnlab.panel.origin_cuts import cut_at_origins
from rnnlab.panel.origin_lengths import fitted_cut_lengths, fitted_origins
from rnnlab.panel.short_series import refuse_short_lengths
from test_short_lag_before_folder29 import _fit_refuses


def _frame(specs):
    """Monthly series ``s0, s1, ...`` of (first date, length)."""
    return pd.concat([pd.DataFrame({"unique_id": f"s{i}", "y": np.sin(np.arange(k)) + 2.0 + i,
                                    "ds": pd.date_range(start, periods=k, freq="MS")})
                      for i, (start, k) in enumerate(specs)], ignore_index=True)


def _run(tmp_path, frame, *options):
    data, out = tmp_path / "p.csv", tmp_path / "out"
    frame.to_csv(data, index=False)
    code = main(["backtest", "--data", str(data), "--id-column", "unique_id", "--model",
                 "lstm", "--difference", "none", "--epochs", "1", "--no-progress",
                 "--out", str(out), *options])
    return code, out


def test_a_ragged_panel_cut_at_common_dates_is_refused_before_the_folder(tmp_path, capsys):
    # s1 ends 20 months before s0: at the first origin (24 months before s0's end) s0 keeps
    # 16 values, s1 36, both short of lookback 26 + horizon 12 = 38; the check counted
    # their 40 (nothing held out on ragged ends), made the folder, and the fit failed
    code, out = _run(tmp_path, _frame([("2000-01-01", 40), ("1998-05-01", 40)]),
                     "--lookback", "26", "--horizon", "12", "--first-origin", "24")
    err = capsys.readouterr().err
    assert code == 1, err
    assert "'s0' (16), 's1' (36)" in err and "no series is long enough" in err, err
    assert "the origin 2001-04-01" in err, err
    assert not out.exists()


def test_a_series_fitted_first_at_a_later_refit_is_checked_before_the_folder(tmp_path,
                                                                            capsys):
    # s1 starts late: no value before the first origin (its 12 all held out), 6 before
    # the second, where --refit 1 fits it, short of 12 with --on-short error
    code, out = _run(tmp_path, _frame([("2000-01-01", 40), ("2002-05-01", 12)]),
                     "--lookback", "6", "--horizon", "6", "--first-origin", "12",
                     "--stride", "6", "--refit", "1", "--on-short", "error")
    err = capsys.readouterr().err
    assert code == 1, err
    assert "'s1' (6)" in err and "the origin 2002-10-01" in err, err
    assert not out.exists()


def test_fitted_origins_are_the_first_and_every_kth():
    assert fitted_origins([30, 24, 18, 12], "never") == [0]
    assert fitted_origins([30, 24, 18, 12], 1) == [0, 1, 2, 3]
    assert fitted_origins([30, 24, 18, 12, 6], 2) == [0, 2, 4]


@pytest.mark.parametrize("specs", [
    [("2000-01-01", 40), ("1998-05-01", 40)], [("2000-01-01", 40), ("2001-06-01", 22)],
    [("2000-01-01", 30), ("2000-01-01", 30)], [("2000-01-01", 24), ("1999-01-01", 48)],
    [("2000-01-01", 40), ("2002-05-01", 12)], [("2000-01-01", 40), ("2002-04-01", 13)],
    [("2000-01-01", 60), ("1996-01-01", 30)]])
@pytest.mark.parametrize("align", ["date", "end"])
@pytest.mark.parametrize("refit", ["never", 1])
@pytest.mark.parametrize("on_short", ["skip", "error"])
def test_the_check_refuses_where_a_fitted_origins_cut_is_refused(specs, align, refit,
                                                                 on_short):
    """Refused before the folder exactly where a fit at some origin refuses the cut the
    backtest makes there (the same cuts: cut_at_origins); never where every fit trains."""
    cfg = PanelConfig(lookback=8, horizon=6, on_short=on_short, difference="none")
    panel = read_panel(_frame(specs))
    offsets = [18, 12, 6]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            origins = cut_at_origins(panel, offsets, 6, refit, 2, align)
        except DataError:
            pytest.skip("no series at an origin: refused by check_first_origin")
    fits = fitted_origins(offsets, refit)
    expected = any(_fit_refuses(origins.cuts[j], cfg, 0) for j in fits)  # (the fit's check)
    refused = False
    for where, n in fitted_cut_lengths(panel, offsets, refit, align):
        try:
            refuse_short_lengths(n, cfg, panel.period, 0, where)
        except DataError:
            refused = True
    assert refused == expected


def test_the_refusal_names_the_largest_first_origin_that_passes(tmp_path, capsys):
    # (sweep30) s1 ends 20 months before s0: at a first origin f, s1 keeps 40 - (f - 20)
    # values, s0 40 - f; lookback 26 + horizon 12 = 38 is met by s1 for f <= 22 (s0 for
    # f <= 2, below the least first origin, the horizon): 22 is the largest that passes
    frame = _frame([("2000-01-01", 40), ("1998-05-01", 40)])
    said = []
    for first in ("24", "23"):
        code, out = _run(tmp_path, frame, "--lookback", "26", "--horizon", "12",
                         "--first-origin", first)
        said.append(capsys.readouterr().err)
        assert code == 1 and not out.exists(), said[-1]
    assert all("or pass --first-origin 22 (the largest" in e for e in said), said
    # the first origin given being the horizon, none smaller can be offered: as before
    code, _ = _run(tmp_path, frame, "--lookback", "38", "--horizon", "12")
    err = capsys.readouterr().err
    assert code == 1 and "no series is long enough" in err and "--first-origin" not in err, err


def test_the_first_origin_offered_passes_the_check(tmp_path, capsys, monkeypatch):
    def stop(*args, **kwargs):  # (past the check: no network trained to see it pass)
        raise KeyboardInterrupt

    monkeypatch.setattr("rnnlab.panel.backtest.forecast_models", stop)
    code, out = _run(tmp_path, _frame([("2000-01-01", 40), ("1998-05-01", 40)]),
                     "--lookback", "26", "--horizon", "12", "--first-origin", "22")
    err = capsys.readouterr().err
    assert code != 0 and "long enough" not in err and out.exists(), err  # (the folder made)
