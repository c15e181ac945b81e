"""Session 29: a forecast scored against actuals whose step is a multiple of its own is
refused, as actuals of another calendar are (:mod:`rnnlab.forecast.score_calendar`). A
quarterly forecast against half-yearly actuals ('2QS-JAN') met every other quarter and
scored a half-year's value as that quarter's, nothing said (6 of 12 points), where a
monthly forecast against quarterly actuals was refused: the actuals' multiple was dropped.
A forecast whose step is a multiple of the actuals' (every other quarter against quarters)
stays on their calendar and is scored."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.cli import main
from rnnlab.forecast.scoring import score_forecast
from rnnlab.io.errors import DataError


def _actuals(freq, start="2015-01-01", end="2021-12-31"):
    d = pd.date_range(start, end, freq=freq)
    return pd.DataFrame({"date": d, "sales": 100 + np.arange(len(d), dtype=np.float64)})


@pytest.mark.parametrize("mine, theirs", [("QS-JAN", "2QS-JAN"), ("MS", "2MS"),
                                          ("D", "2D"), ("W-SUN", "2W-SUN")])
def test_a_forecast_finer_than_its_actuals_multiple_is_refused(mine, theirs):
    fc = pd.DataFrame({"time": pd.date_range("2019-01-01", periods=12, freq=mine),
                       "forecast": 1.0})
    ys = _actuals(theirs)
    with pytest.raises(DataError, match=rf"step by '{mine}'.*actuals' by '{theirs}'.*sum "
                                        rf"the forecast to theirs"):
        score_forecast(fc, ys)


def test_a_panel_forecast_finer_than_its_actuals_multiple_is_refused():
    ys = _actuals("2QS-JAN").rename(columns={"date": "ds", "sales": "y"})
    ys = pd.concat([ys.assign(unique_id=k) for k in "AB"])
    quarters = pd.date_range("2019-01-01", periods=8, freq="QS-JAN")
    fc = pd.concat([pd.DataFrame({"unique_id": k, "ds": quarters, "mean": 5.0})
                    for k in "AB"])
    with pytest.raises(DataError, match="step by 'QS-JAN'.*actuals' by '2QS-JAN'"):
        score_forecast(fc, ys)


def test_a_forecast_coarser_by_a_multiple_is_scored_whole():
    """Every other quarter against quarterly actuals: each date is one of theirs."""
    fc = pd.DataFrame({"time": pd.date_range("2019-01-01", periods=4, freq="2QS-JAN"),
                       "forecast": 1.0})
    assert score_forecast(fc, _actuals("QS-JAN")).summary.n_forecasts.iloc[0] == 4


def test_rnnlab_score_refuses_it_as_an_error_of_the_data(tmp_path, capsys):
    fc, ys = tmp_path / "fc.csv", tmp_path / "actuals.csv"
    pd.DataFrame({"time": pd.date_range("2019-01-01", periods=12, freq="QS-JAN"),
                  "forecast": 1.0}).to_csv(fc, index=False)
    _actuals("2QS-JAN").to_csv(ys, index=False)
    assert main(["score", str(fc), "--actuals", str(ys)]) == 1
    err = capsys.readouterr().err
    assert "rnnlab score: error:" in err and "'2QS-JAN'" in err and "Traceback" not in err
