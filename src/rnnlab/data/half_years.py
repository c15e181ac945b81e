"""Half-years as reports write them: ``2015-H1``, ``2015H2``, ``2015 H1`` (either case).
pandas has no half-year period, so each is read as its first day (1 January, 1 July):
a calendar of two quarters (pandas names it '2QS-JAN'), whose seasonal period is 2.
Outputs write their dates back the way the file did (:data:`HALF`, in a form for
:func:`dates_text`); a half other than 1 or 2 is refused by :func:`refuse_bad_halves`
(pandas read none of them: "not dates")."""

from __future__ import annotations

import pandas as pd

from ..io.errors import DataError

HALF_TEXT = r"^\s*(\d{4})\s*-?\s*[Hh](\d)\s*$"  # 2015-H1, 2015H2, 2015 H1, 2015h1
HALF = "{half}"  # in a written form ('%Y-H{half}'): the half, 1 or 2 (no strftime code)
HALF_FORMS = tuple(f"%Y{sep}{h}{HALF}" for h in "Hh" for sep in ("-", "", " "))


def half_starts(parts: pd.DataFrame) -> pd.Series:
    """The first days of half-years (``parts``: year and half text). ValueError on a half
    other than 1 or 2."""
    half = parts[1].astype(int)
    if (~half.isin((1, 2))).any():
        raise ValueError(f"half {int(half[~half.isin((1, 2))].iloc[0])} does not exist")
    return pd.to_datetime(pd.DataFrame({"year": parts[0].astype(int).to_numpy(),
                                        "month": 6 * half.to_numpy() - 5, "day": 1}))


def dates_text(idx: pd.DatetimeIndex, form: str) -> pd.Index:
    """``idx`` written in ``form``: a strftime form, where :data:`HALF` stands for each
    date's half-year (1 for January to June, 2 for July to December)."""
    text = pd.Index(idx.strftime(form))
    if HALF not in form:
        return text
    halves = (idx.month > 6).astype(int) + 1
    return pd.Index([t.replace(HALF, str(h)) if isinstance(t, str) else t  # (NaT: as is)
                     for t, h in zip(text, halves)])


def refuse_bad_halves(col: pd.Series, source: str, name) -> None:
    """DataError when the text column ``col`` holds half-years, some other than H1 or
    H2, or half-years mixed with other dates."""
    from .iso_weeks import distinct_text, row_of

    text = distinct_text(col)  # (a panel repeats each date in every series)
    if text is None:
        return
    half = text.str.match(HALF_TEXT).to_numpy()
    if not half.any():
        return
    if not half.all():
        a, b = text[half].iloc[0], text[~half].iloc[0]
        raise DataError(f"{source}: date column {name!r} mixes half-years, such as {a!r} "
                        f"(data row {row_of(col, a)}), with other dates, such as {b!r} (data "
                        f"row {row_of(col, b)}); write every date in one form (half-years "
                        f"2015-H1, or the half's first day 2015-01-01)")
    n = text.str.extract(HALF_TEXT)[1].astype(int).to_numpy()
    bad = ~((n == 1) | (n == 2))
    if bad.any():
        v = text[bad].iloc[0]
        raise DataError(f"{source}: date column {name!r} has {v.strip()!r} (data row "
                        f"{row_of(col, v)}), a half-year that does not exist: a year has H1 "
                        f"and H2; a date typed wrong? correct or drop that row")
