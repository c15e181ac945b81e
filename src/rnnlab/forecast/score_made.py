"""The archived forecast's own table, read for :func:`.scoring.score_forecast`: its errors
name the forecast (they named "series" or "panel" and the options of a series read for
training: "pass fill='ffill' (--fill ffill)", which `rnnlab score` does not have and which
would make up forecasts, "--date-column none", the actuals' option); a forecast row without
a value is refused, naming it; dates it skips (steps 1 and 3 kept, a panel's too) are
scored as they are, none made up."""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Iterator, List

import pandas as pd

from ..io.errors import DataError
from ..listing import first_few

# the hints of a series read for training, which name no option of the forecast's
_HINTS = (r",? or pass date_column=False \(--date-column none\)( to ignore the column)?",
          r"; pass fill='ffill' \(--fill ffill\) or clean the data")


@contextmanager
def about_the_forecast() -> Iterator[None]:
    """Within it, a DataError raised reading the forecast's table names the forecast."""
    try:
        yield
    except DataError as e:
        said = re.sub(r"^(series|panel)(:| 'forecast'| 'mean')", "the forecast" + r"\2",
                      str(e))
        said = said.replace("the forecast 'forecast'", "the forecast").replace(
            "the forecast 'mean'", "the forecast")
        for hint in _HINTS:
            said = re.sub(hint, "", said)
        raise DataError(said) from None


@contextmanager
def about_the_actuals() -> Iterator[None]:
    """Within it, the refusals of actuals read as one series say what scoring needs: of
    several numeric columns, the one the forecast is of (they asked for the one to
    forecast, naming --future-covariates and --past-covariates, options of training that
    `rnnlab score` does not have); of several series, the one the forecast is of (they
    said to forecast them together with GlobalForecaster)."""
    try:
        yield
    except DataError as e:
        said = str(e)
        if said.startswith("several numeric columns"):
            cut = said.split("; choose the one to forecast")[0]
            raise DataError(f"the actuals: {cut}; name the one the forecast is of: --column "
                            f"NAME (score_forecast(..., column=NAME))") from None
        many = re.match(r"(.*not one series): forecast them together .*?, or one of them "
                        r"(\(.*\))$", said)
        if many is None:
            raise
        raise DataError(f"{many.group(1)}, and the forecast is one series': score it against "
                        f"the rows of its series {many.group(2)}, or score a panel's "
                        f"forecast (unique_id, ds, mean)") from None


def check_blanks(table: pd.DataFrame, value: str, date: str, columns: List[str]) -> None:
    """DataError naming the forecast rows with no ``value`` (or a blank in a quantile
    ``columns``): a forecast without a value cannot be scored, and made up it would be."""
    gaps = table[[value] + columns].isna()
    blank = gaps.any(axis=1).to_numpy()
    if not blank.any():
        return
    named = [c for c in [value] + columns if gaps[c].any()]
    n = int(blank.sum())
    rows = table.loc[blank]
    where = [str(d) if "unique_id" not in rows else f"{u} {d}"
             for u, d in zip(rows.get("unique_id", rows[date]), rows[date])]
    raise DataError(f"the forecast has {n} row{'s' if n > 1 else ''} without a value ("
                    f"{first_few(where, 5)}; blank: {', '.join(named)}): a blank forecast "
                    f"cannot be scored; drop {'those rows' if n > 1 else 'it'} "
                    f"(df.dropna(subset={named!r})) to score the rest")


def panel_forecast(table: pd.DataFrame, quantiles: list, freq, steps: bool) -> pd.DataFrame:
    """A panel's forecast as a long frame, its dates read on the actuals' calendar ``freq``
    (the dates a series' forecast skips left out, not made up); one of another calendar
    refused as such (read on the actuals', a monthly forecast was "the target has 178 NaN
    values or missing dates ...; pass fill='ffill'")."""
    from ..panel import read_panel
    from .score_calendar import check_calendars

    check_blanks(table, "mean", "ds", quantiles)

    def read(on):
        made = read_panel(table, id_column="unique_id", date_column="ds", target="mean",
                          covariates=quantiles, freq=on, fill="zero")
        df = made.df.rename(columns={"y": "mean"})
        if made.filled is not None and "y" in made.filled.mask:  # (a date it skips)
            df = df[~made.filled.mask["y"].to_numpy()]
        return df

    with about_the_forecast():
        try:
            fc = read(freq)
        except DataError:
            if steps or freq is None:
                raise
            check_calendars(read(None), freq)  # (its own calendar: the refusal says so)
            raise
    if not steps:
        check_calendars(fc, freq)
    return fc
