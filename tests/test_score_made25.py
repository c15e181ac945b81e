"""The archived forecast's own faults named as the forecast's: a blank forecast value was
"series 'forecast' has 1 NaN values ...; pass fill='ffill' (--fill ffill)" (score has no
--fill; a fill would make up a forecast, then score it), a panel's "panel: the target has
1 NaN values ..."; dates in mixed formats pointed to --date-column, the actuals' option; a
panel's forecast that skips a step (steps 1 and 3 kept) was refused as "missing dates"."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.forecast.scoring import score_forecast
from rnnlab.io.errors import DataError


def _actuals(n=40):
    t = np.arange(n, dtype=np.float64)
    return pd.DataFrame({"month": pd.date_range("2001-01-01", periods=n, freq="MS"),
                         "units": 100 + t})


def _panel(n=40):
    ys = _actuals(n).rename(columns={"month": "ds", "units": "y"})
    return pd.concat([ys.assign(unique_id=k, y=ys.y + i) for i, k in enumerate("AB")])


def test_a_blank_forecast_value_is_refused_naming_the_forecast():
    fc = pd.DataFrame({"time": ["2004-01-01", "2004-02-01", "2004-03-01"],
                       "forecast": [137.0, np.nan, 140.0]})
    with pytest.raises(DataError, match=r"the forecast has 1 row without a value "
                                        r"\(2004-02-01; blank: forecast\)") as e:
        score_forecast(fc, _actuals())
    assert "fill" not in str(e.value)


def test_a_panels_blank_forecast_value_is_refused_naming_its_series():
    fc = pd.DataFrame({"unique_id": ["A", "A", "B"], "ds": ["2004-01-01", "2004-02-01",
                                                           "2004-01-01"],
                       "mean": [1.0, 2.0, 3.0], "q0.1": [0.0, np.nan, 2.0]})
    with pytest.raises(DataError, match=r"1 row without a value \(A 2004-02-01; blank: "
                                        r"q0.1\)"):
        score_forecast(fc, _panel())


def test_the_forecasts_date_faults_name_the_forecast_and_no_option_of_the_actuals():
    fc = pd.DataFrame({"time": ["2004-01-01", "2004-02-01", "March"], "forecast": 1.0})
    with pytest.raises(DataError, match=r"^the forecast: date column 'time'") as e:
        score_forecast(fc, _actuals())
    assert "--date-column" not in str(e.value)


def test_a_panels_forecast_that_skips_a_step_is_scored_on_the_dates_it_has():
    fc = pd.DataFrame({"unique_id": ["A", "A", "B", "B"],
                       "ds": ["2004-01-01", "2004-03-01"] * 2, "mean": [137.0, 140.0] * 2})
    got = score_forecast(fc, _panel())
    assert got.summary.n_forecasts.iloc[0] == 4 and not got.notes
    np.testing.assert_allclose(got.rows["error"], [1.0, 2.0, 0.0, 1.0])


def test_actuals_of_several_numeric_columns_ask_for_the_one_the_forecast_is_of():
    """It asked for "the one to forecast" and named --future-covariates / --past-covariates,
    options of training that `rnnlab score` does not have."""
    ys = _actuals().assign(price=np.linspace(3.0, 4.0, 40))
    ys["units"] += np.sin(np.arange(40))  # (100, 101, ...: a counter of rows, not a series)
    fc = pd.DataFrame({"time": ["2004-01-01"], "forecast": [ys.units[36] + 1]})
    with pytest.raises(DataError, match=r"^the actuals: several numeric columns \(units, "
                                        r"price\).*the one the forecast is of: --column") as e:
        score_forecast(fc, ys)
    assert "covariates" not in str(e.value)
    assert score_forecast(fc, ys, column="units").summary.mae.iloc[0] == pytest.approx(1)


def test_actuals_of_several_series_for_a_one_series_forecast_ask_for_its_rows():
    """They said to forecast the series together with GlobalForecaster (`rnnlab forecast
    --id-column unique_id`): training advice, where the forecast is already made."""
    ys = pd.concat([_actuals().assign(unique_id=k) for k in ("shop1", "shop2")])
    fc = pd.DataFrame({"time": ["2004-01-01"], "forecast": [137.0]})
    with pytest.raises(DataError, match=r"not one series, and the forecast is one series': "
                                        r"score it against the rows of its series") as e:
        score_forecast(fc, ys)
    assert "GlobalForecaster" not in str(e.value)
