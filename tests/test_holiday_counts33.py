"""Calendar features quarter_holidays and month_holidays (session 33): the count of the
country's public holidays in the quarter (month) holding each date, the regressor fable
users build by hand for quarterly data. The feature 'holiday' flags a step only when its
own date is a holiday: on visnights' quarter starts, New Year's Day alone."""

import warnings

import numpy as np
import pandas as pd
import pytest

holidays = pytest.importorskip("holidays")

from rnnlab.panel import GlobalForecaster, PanelConfig, load_panel  # noqa: E402
from rnnlab.panel.calendar import calendar_features, calendar_width  # noqa: E402
from rnnlab.panel.coarse_holidays import CoarseHolidayWarning  # noqa: E402

TINY = dict(lookback=8, horizon=4, epochs=1, batches_per_epoch=1, hidden_size=4,
            ensemble=1, progress=False)


def _by_hand(dates: pd.DatetimeIndex, country: str, period: str) -> np.ndarray:
    """Each date's count, read from the holidays package directly."""
    cal = holidays.country_holidays(country, years=sorted(set(dates.year)))
    out = []
    for d in dates:
        if period == "Q":
            same = [h for h in cal if h.year == d.year and (h.month - 1) // 3 == (d.month - 1) // 3]
        else:
            same = [h for h in cal if h.year == d.year and h.month == d.month]
        out.append(len(same))
    return np.array(out, dtype=float)


def test_visnights_quarters_count_australias_holidays_by_hand():
    panel = load_panel("visnights")
    ds = pd.DatetimeIndex(panel.series(panel.ids[0])["ds"])  # (quarter starts)
    feats = calendar_features(ds, ("quarter_holidays", "holiday"), "AU")
    assert feats.shape == (len(ds), 2) and calendar_width(("quarter_holidays", "holiday")) == 2
    np.testing.assert_array_equal(feats[:, 0], _by_hand(ds, "AU", "Q"))
    assert feats[:, 0].sum() > 3 * feats[:, 1].sum()  # (the flag: New Year's Day alone)


@pytest.mark.parametrize("freq", ["QE", "QS-FEB"])
def test_a_quarters_count_does_not_hang_on_the_day_its_date_names(freq):
    ds = pd.date_range("2015-01-01", periods=12, freq=freq)
    np.testing.assert_array_equal(calendar_features(ds, ("quarter_holidays",), "AU")[:, 0],
                                  _by_hand(ds, "AU", "Q"))


def test_months_count_the_us_holidays_of_each_month_by_hand():
    ds = pd.date_range("2020-01-01", periods=36, freq="MS")
    got = calendar_features(ds, ("month_holidays",), "US")[:, 0]
    np.testing.assert_array_equal(got, _by_hand(ds, "US", "M"))
    assert got[10] >= 2  # (November: Veterans Day and Thanksgiving)


def test_a_count_needs_a_country_and_is_chosen_as_the_other_calendar_features():
    with pytest.raises(Exception, match="'quarter_holidays' needs country="):
        PanelConfig(calendar="quarter_holidays")
    cfg = PanelConfig(calendar="quarter,quarter_holidays", country="AU")
    assert cfg.calendar == ("quarter", "quarter_holidays")


@pytest.mark.slow
def test_a_global_model_reads_the_count_and_forecasts():
    panel = load_panel("visnights")
    f = GlobalForecaster("gru", calendar=("quarter_holidays",), country="AU", **TINY)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CoarseHolidayWarning)  # (the count: no such warning)
        f.fit(panel.cut(4))
    fc = f.predict(4)
    assert len(fc) == 4 * len(panel.ids) and fc["mean"].notna().all()


def test_the_coarse_flag_warning_names_the_quarterly_count():
    # was: "give the holidays of each step as a column of your own" on quarterly data too
    panel = load_panel("visnights")
    with pytest.warns(CoarseHolidayWarning, match=r"calendar feature 'quarter_holidays'"):
        GlobalForecaster("gru", calendar=("holiday",), country="AU", **TINY).fit(panel.cut(4))


def test_the_one_series_forecaster_points_a_count_to_the_panel_model():
    from rnnlab.forecast import Forecaster

    with pytest.raises(Exception, match=r"holiday counts \(quarter_holidays, month_holidays\) "
                                        r"are rnnlab.panel.GlobalForecaster's"):
        Forecaster(calendar=("quarter_holidays",), country="AU")
