"""Forecast rows whose ``model`` is blank, refused where a model's rows are told apart by
that column (``nixtla_frame``'s columns per model, ``accuracy``'s rows per model,
``rnnlab score``'s models): such a row is no model's, and its forecasts were left out
(pandas' groupby drops a blank key), or scored with the named model's, without a word."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..io.errors import DataError


def refuse_blank_models(frame: pd.DataFrame, who: str, whose: str, why: str) -> None:
    """A DataError counting the rows of ``frame`` whose ``model`` is blank and naming the
    first (by its series and date, those of them ``frame`` has): ``who`` begins it
    ("nixtla_frame"; "": none), ``whose`` names the rows ("the frame's"),
    ``why`` says what such a row did; the fix names their model, or drops the rows (the
    column where every row is blank: a frame of one model that names none)."""
    blank = frame["model"].isna().to_numpy()
    if not blank.any():
        return
    row = frame.loc[blank].iloc[0]
    where = " on ".join([f"series {row['unique_id']}"] * ("unique_id" in frame.columns)
                        + [said(row["ds"])] * ("ds" in frame.columns))
    drop = ("drop the column (fc.drop(columns='model'))" if blank.all()
            else "drop them (fc.dropna(subset=['model']))")
    raise DataError(f"{who + ': ' if who else ''}{int(blank.sum())} of {whose} {len(frame)} "
                    f"rows have no model (a blank 'model'"
                    f"{': ' + where if where else ''}), "
                    f"{why}: name their model (fc['model'] = fc['model'].fillna('LSTM')) "
                    f"or {drop}")


def said(value) -> str:
    """A date as a message names it (2015-02-01); another value as it is."""
    from .int_steps import shown_date

    if not isinstance(value, (pd.Timestamp, np.datetime64)):
        return str(value)
    return shown_date(value)


__all__ = ["refuse_blank_models", "said"]
