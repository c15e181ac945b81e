"""A panel read with ``off_grid='drop'`` (``--off-grid drop``) and no ``fill=``: the date
dropped is a missing value on the series' calendar, which a panel keeps whole, so the
refusal stands; it now says why and exactly what to add (``fill='interpolate'`` /
``--fill interpolate``, or ``off_grid='snap'``), where it named a NaN and ``fill='ffill'``
as if the file had one."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.cli import main
from rnnlab.io.errors import DataError
from rnnlab.panel import read_panel

N = 40


def _panel(moved=30, extra=False):
    """Two weekly series; series 'a' has a Thursday in place of (or, ``extra``, beside)
    the Friday at row ``moved``."""
    fridays = pd.date_range("2015-01-02", periods=N, freq="W-FRI")
    a = pd.DataFrame({"unique_id": "a", "ds": fridays, "y": np.arange(N, dtype=float)})
    thursday = fridays[moved] - pd.Timedelta(days=1)
    if extra:
        a = pd.concat([a, pd.DataFrame({"unique_id": ["a"], "ds": [thursday], "y": [-1.0]})])
    else:
        a.loc[moved, "ds"] = thursday
    b = pd.DataFrame({"unique_id": "b", "ds": fridays, "y": np.ones(N)})
    return pd.concat([a, b], ignore_index=True)


def _quiet(**read):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_panel(_panel(**{k: read.pop(k) for k in ("extra",) if k in read}), **read)


def test_a_dropped_date_is_refused_saying_what_to_add():
    with pytest.raises(DataError) as e:
        _quiet(off_grid="drop")
    said = str(e.value)
    assert ("off_grid='drop' dropped 1 row off the grid, leaving its date there without a "
            "value (series 'a' 2015-07-30, its grid's 2015-07-31)") in said
    assert "add fill='interpolate' (--fill interpolate; or ffill, bfill, zero)" in said
    assert "off_grid='snap' (--off-grid snap)" in said and "fill='ffill'" not in said


def test_the_fill_it_names_reads_the_panel():
    panel = _quiet(off_grid="drop", fill="interpolate")
    a = panel.df[panel.df["unique_id"] == "a"].reset_index(drop=True)
    assert len(a) == N and a.loc[30, "ds"] == pd.Timestamp("2015-07-31")
    assert a.loc[30, "y"] == pytest.approx(30.0)  # (between 29 and 31)
    snapped = _quiet(off_grid="snap")
    assert len(snapped.df) == 2 * N


def test_a_drop_that_leaves_no_gap_and_other_refusals_are_as_before():
    assert len(_quiet(off_grid="drop", extra=True).df) == 2 * N  # (the Friday is there)
    df = _panel(extra=True)  # (a Thursday dropped beside its Friday, and a NaN of the
    df.loc[5, "y"] = np.nan  # file's own: no date left empty by the drop)
    with pytest.raises(DataError, match=r"pass fill='ffill' \(--fill ffill\)") as e:
        read_panel(df, off_grid="drop")
    assert "dropped" not in str(e.value)


def test_rnnlab_backtest_says_what_to_add(tmp_path, capsys):
    _panel().to_csv(tmp_path / "p.csv", index=False)
    run = ["backtest", "--data", str(tmp_path / "p.csv"), "--off-grid", "drop", "--model",
           "naive", "--baselines", "none", "--horizon", "4", "--out", str(tmp_path / "bt")]
    assert main(run) != 0
    assert "add fill='interpolate' (--fill interpolate" in capsys.readouterr().err
    assert main(run + ["--fill", "interpolate"]) == 0
