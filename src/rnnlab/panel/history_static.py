"""Static covariates given beside a history: ``predict(history=new, static=table)``
(NeuralForecast's ``predict(df=new_df, static_df=static_df)``) and ``rnnlab forecast --run
DIR --data new.csv --static-data FILE.csv``. The table's values are joined onto the history
as columns, one value per series, which is how a series the model was not fitted on gives
its values; a fitted series' must be those it was fitted with (checked where the history is
read, as for the columns themselves)."""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from ..io.errors import ConfigTypeError, DataError
from .frame import ID


def with_static(panel, table: pd.DataFrame, columns: Sequence[str], what: str):
    """``panel`` (a PanelFrame) with the static covariates ``columns`` that ``table`` holds
    (``unique_id`` and a column each, one row per series; ids as its index too) joined on as
    columns; ``what`` names the table in errors. A value the history already holds for a
    series must be the table's (one would be taken without a word)."""
    cols = [c for c in columns if c in table.columns]
    if not cols:
        return panel
    if ID not in table.columns and ID in table.index.names:  # (static_df.set_index(...))
        table = table.reset_index(level=ID)
    if ID not in table.columns:
        raise DataError(f"{what}: no {ID!r} column (found {[str(c) for c in table.columns]}); "
                        f"expected {ID!r} and the static covariates, one row per series")
    ids = table[ID].astype(str)  # (the panel's ids are text: int ids join as written)
    twice = ids[ids.duplicated()].unique()
    if len(twice):  # (the first row would be taken without a word)
        raise DataError(f"{what}: more than one row for series {list(twice[:5])}; expected "
                        f"one row per series: keep one")
    rows = table.assign(**{ID: ids}).set_index(ID)
    df = panel.df.copy()  # (its index kept: the record of filled cells reads it)
    for col in cols:
        values = rows[col]
        if isinstance(values.dtype, pd.CategoricalDtype):  # (static_df's astype("category"):
            values = values.astype(object)  # its categories could not take the history's)
        given = df[ID].map(values)
        if col in df.columns:
            own = df[col]
            clash = own.notna() & given.notna() & (own != given)
            if clash.any():
                bad = list(pd.unique(df.loc[clash, ID]))[:5]
                raise DataError(f"static covariate {col!r}: {what} and the history's column "
                                f"differ for series {bad}; give each series' value once")
            given = given.where(given.notna(), own)
        df[col] = given
    return panel.with_df(df)


def static_of_history(model, panel, static: pd.DataFrame, given_history: bool,
                      where: str = "GlobalForecaster.predict"):
    """``predict``'s ``static=`` (and its siblings', ``where`` naming the call): the history
    ``panel`` with the table's values of the model's static covariates. Without a history
    the series are the fitted ones, whose values are fit's: refused, naming where those go."""
    if not given_history:
        raise ConfigTypeError(
            f"{where}(static=...) gives the static covariates of the series in history= (a "
            f"series not fitted on among them); without history= the fitted series are "
            f"forecast with their values from static= of fit(panel, static=...)")
    from .covariates import warn_unread

    warn_unread(model.config, static=static, stacklevel=4)
    if not isinstance(static, pd.DataFrame):
        raise ConfigTypeError(f"{where}(static=...) takes a DataFrame (unique_id and the "
                              f"static covariates), got {type(static).__name__}")
    from .key_columns import keyed_table_of

    # (keyed by State, Zone as fit(static=...) takes it: "no 'unique_id' column" here)
    static = keyed_table_of(static, getattr(panel, "keys", ()) or model.keys)
    return with_static(panel, static, model.config.static_covariates, "static=")


__all__ = ["with_static", "static_of_history"]
