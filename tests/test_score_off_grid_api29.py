"""``rnnlab score --off-grid`` and ``score_forecast(off_grid=...)``: actuals with a date
off their series' grid (a Thursday among Fridays) are read as every other reading command
reads them (refuse, drop or snap). Before, score had no such option: the refusal told the
user to pass ``--off-grid snap``, which ``rnnlab score`` did not take."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.cli import main
from rnnlab.forecast.scoring import score_forecast
from rnnlab.io.errors import ConfigError, DataError

N = 60


def _fridays(moved=None):
    d = list(pd.date_range("2015-01-02", periods=N, freq="W-FRI"))
    if moved is not None:  # (a Thursday among the Fridays)
        d[moved] -= pd.Timedelta(days=1)
    return d


def _files(tmp_path, panel: bool):
    """(forecast.csv of the last 4 Fridays, actuals.csv with one Thursday at row 30)."""
    y = 10 + np.sin(np.arange(N))
    if panel:
        pd.concat([pd.DataFrame({"unique_id": u, "ds": [str(x.date()) for x in _fridays(m)],
                                 "y": y}) for u, m in (("a", 30), ("b", None))]).to_csv(
            tmp_path / "actuals.csv", index=False)
        pd.DataFrame({"unique_id": np.repeat(["a", "b"], 4),
                      "ds": [str(x.date()) for x in _fridays()[-4:]] * 2,
                      "mean": 10.0}).to_csv(tmp_path / "fc.csv", index=False)
    else:
        pd.DataFrame({"date": [str(x.date()) for x in _fridays(30)], "y": y}).to_csv(
            tmp_path / "actuals.csv", index=False)
        pd.DataFrame({"time": [str(x.date()) for x in _fridays()[-4:]],
                      "forecast": 10.0}).to_csv(tmp_path / "fc.csv", index=False)
    return str(tmp_path / "fc.csv"), str(tmp_path / "actuals.csv")


@pytest.mark.parametrize("panel", [False, True])
def test_score_forecast_reads_the_actuals_with_off_grid(tmp_path, panel):
    fc, actuals = _files(tmp_path, panel)
    with pytest.raises(DataError, match=r"off_grid='snap' \(score_forecast; --off-grid snap"):
        score_forecast(fc, actuals)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        snapped = score_forecast(fc, actuals, off_grid="snap")
        dropped = score_forecast(fc, actuals, off_grid="drop")
    n = 8 if panel else 4
    assert snapped.summary["n_forecasts"].iloc[0] == n == dropped.summary["n_forecasts"].iloc[0]
    np.testing.assert_allclose(snapped.summary["mae"], dropped.summary["mae"])


def test_score_forecast_refuses_an_unknown_off_grid_first(tmp_path):
    with pytest.raises(ConfigError, match=r"score_forecast\(off_grid='move'\): expected one "
                                          r"of 'refuse', 'drop', 'snap'"):
        score_forecast(str(tmp_path / "none.csv"), str(tmp_path / "none.csv"), off_grid="move")


@pytest.mark.parametrize("panel", [False, True])
def test_rnnlab_score_takes_off_grid(tmp_path, capsys, panel):
    fc, actuals = _files(tmp_path, panel)
    assert main(["score", fc, "--actuals", actuals]) != 0
    assert "--off-grid snap" in capsys.readouterr().err
    assert main(["score", fc, "--actuals", actuals, "--off-grid", "snap", "--json"]) == 0
    assert '"n_forecasts": ' + ("8" if panel else "4") in capsys.readouterr().out


def test_rnnlab_score_off_grid_choices_are_the_siblings(capsys):
    assert main(["score", "fc.csv", "--actuals", "a.csv", "--off-grid", "move"]) == 2
    assert "choose from 'refuse', 'drop', 'snap'" in capsys.readouterr().err
