"""A trading week closed on a country's public holidays: ``weekmask="Mon Tue Wed Thu Fri
holidays=US"`` (``--weekmask``, one-series and panel alike). The days name the week, as
pandas' ``CustomBusinessDay(weekmask=...)``; ``holidays=CODE`` (a country of the
`holidays` package: ``US``, ``GB``, ``AU-VIC`` for a subdivision) closes its public
holidays too, as ``CustomBusinessDay(holidays=...)`` (a market's code, ``NYSE``, ``XLON``:
its trading holidays, the package's ``financial_holidays``: the US public holidays close
NYSE on Columbus Day, which it trades, and open it on Good Friday); the series' rows on them are
refused as rows on closed days, and the forecasts skip them. The holidays are those of
the data's years and the two after it (the forecasts'), kept with a saved model; a
forecast reaching further reads its years' too (:func:`far_calendar`, one series;
:func:`far_week`, a panel model's week).

One text for both, not a second option: every reader of the week (the one-series fit,
its newer data, its backtest, a panel, ``rnnlab compare``) takes ``weekmask`` already, so
the closed holidays follow it everywhere the week goes. The holiday *feature* (a 0/1
input on holidays, for a series open on them) is ``calendar=("holiday",), country=``."""

from __future__ import annotations

from typing import List, Optional, Tuple

_KEY = "holidays="


def split_week(text) -> Tuple[object, Optional[str]]:
    """``(days, country)`` of a weekmask text: 'Mon Tue Wed Thu Fri holidays=US' ->
    ('Mon Tue Wed Thu Fri', 'US'); a text without the clause (or not text) -> (text,
    None). A clause without a code ('holidays=') gives the country ''."""
    if not isinstance(text, str) or _KEY not in text.lower():
        return text, None
    at = text.lower().index(_KEY)
    rest = text[at + len(_KEY):].split()
    return text[:at].strip().rstrip(","), (rest[0].upper() if rest else "") + (
        " " + " ".join(rest[1:]) if len(rest) > 1 else "")


def country_problem(country: str) -> Optional[str]:
    """Why ``country`` is no country or market code ('US', 'AU-VIC', 'NYSE'), without the
    package asked."""
    code = country.replace("-", "")
    if not code.isalnum() or not 2 <= len(country.partition("-")[0]) <= 4:
        return (f"holidays={country!r} names no country; expected a code of the `holidays` "
                f"package after it ('Mon Tue Wed Thu Fri holidays=US', 'holidays=AU-VIC', "
                f"a market's: 'holidays=NYSE')")
    return None


# a business-day series missing its holidays (read as consecutive steps, forecasts dated
# on them): the clause that closes them (its note named none)
CLAUSE_HINT = ("; weekmask='Mon Tue Wed Thu Fri holidays=US' (--weekmask; a market's: "
               "holidays=NYSE) reads them as closed days, the forecasts skipping them")


def holiday_rows(dates, holidays, closer: str) -> str:
    """What to say of ``dates`` (a series' rows off its week) that are among the closed
    ``holidays`` (of what ``closer`` names: 'holidays=US'): '' when none is (blank rows
    on them too: a file listing every weekday). NYSE data read with
    ``holidays=US`` was refused for Columbus Day as "not open days of Mon Tue Wed Thu Fri"
    (a Monday), the holiday unnamed."""
    closed = set(holidays)
    hit = [d for d in dates if f"{d:%Y-%m-%d}" in closed]
    if not hit:
        return ""
    shown = ", ".join(f"{d:%Y-%m-%d}" for d in hit[:3]) + (" ..." if len(hit) > 3 else "")
    return (f"{len(hit)} of them ({shown}) are holidays that {closer} closes: drop those "
            f"rows (blank ones: a series' fill='drop' leaves them out), or, where the data "
            f"has values on them, it keeps another calendar: name it (a market's: "
            f"holidays=NYSE, XLON; the `holidays` package's codes) or drop the clause")


def closed_holidays(country: str, first_year: int, last_year: int) -> List[str]:
    """The public holidays of ``country`` from ``first_year`` to ``last_year`` + 2 (the
    forecasts' years), as 'YYYY-MM-DD'; DataError naming the extra when `holidays` is
    not installed, or the code when the package does not know it."""
    import importlib.util

    import pandas as pd

    from ..io.errors import DataError

    if importlib.util.find_spec("holidays") is None:
        raise DataError(f"weekmask '... holidays={country}' closes the public holidays of "
                        f"{country}, read from the `holidays` package, which is not installed: "
                        f"pip install 'rnnlab[panel]' (or drop the holidays= clause)")
    from ..panel.calendar import holiday_dates

    years = list(range(first_year, last_year + 3))
    market = _market(country)
    if market is not None:
        return sorted(str(d) for d in market(years=years).keys())
    years = pd.DatetimeIndex([f"{y}-06-30" for y in years])
    return [str(d.date()) for d in holiday_dates(years, country)]


def _market(code: str):
    """The `holidays` package's calendar class of the market ``code`` ('NYSE', 'XNYS'),
    when it is one and no country's; else None."""
    import holidays

    if code in holidays.list_supported_countries() or \
            code not in holidays.list_supported_financial():
        return None
    return lambda years: holidays.financial_holidays(code, years=years)


def far_calendar(series, weekmask, steps: int):
    """``series`` (a :class:`~rnnlab.data.series.Series` read on ``weekmask``) whose
    calendar also closes the clause's holidays of the years its next ``steps`` dates reach,
    past the two after its data's that were read with it: a forecast of 600 trading days
    from 2023's data fell on 2026-01-01. ``series`` as it is without the clause or when
    its forecasts end within those years."""
    import dataclasses

    country = split_week(weekmask)[1]
    if not country or series.calendar is None or series.index is None or \
            not len(series.index):
        return series
    ahead = series.future_index(steps)
    if ahead is None or ahead[-1].year <= series.index[-1].year + 2:
        return series
    more = closed_holidays(country, series.index[0].year, ahead[-1].year)  # (+2: the
    # few days those holidays push the dates on)
    holidays = sorted(set(series.calendar["holidays"]) | set(more))
    return dataclasses.replace(series, calendar=dict(series.calendar, holidays=holidays))


def far_week(freq, weekmask, last, steps: int):
    """A panel's week of open days ``freq`` (a CustomBusinessDay) that also closes the
    clause's holidays of the years its ``steps`` dates after ``last`` reach, past the two
    after the data's read with it (:func:`far_calendar`'s, for a panel: a forecast of 600
    trading days from 2023's data fell on 2026-01-01), or past those ``freq`` closes (a
    model's, read with its fit's data, after a newer history). ``freq`` as it is without
    the clause, on another frequency, or when those dates end within those years."""
    import pandas as pd

    from ..panel.week_freq import is_week, week_of
    from .custom_days import calendar_offset

    country = split_week(weekmask)[1]
    if not country or not is_week(freq) or last is None or pd.isna(last):
        return freq
    last, week = pd.Timestamp(last), week_of(freq)
    if week is None:  # (not reached: a week's freq, checked above, has one)
        return freq
    # the years ``freq`` closes: the fit's data's and the two after, which a newer
    # history's forecasts pass (a history to 2025-12 after data to 2023 fell on 2026-01-01)
    held = max((int(str(d)[:4]) for d in week["holidays"]), default=last.year + 2)
    end = pd.date_range(last, periods=int(steps) + 1, freq=freq)[-1]
    if end.year <= held:
        return freq
    more = closed_holidays(country, min(last.year, held + 1), end.year)  # (+2: the days
    # they push on)
    return calendar_offset(dict(week, holidays=sorted(set(week["holidays"]) | set(more))))
