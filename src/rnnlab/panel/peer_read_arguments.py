"""read_panel's arguments given under the peers' names (NeuralForecast's and
statsforecast's ``id_col``, ``time_col``, ``target_col``; Darts' ``from_group_dataframe``
and ``TimeSeries.from_dataframe`` names): refused with ours (:func:`refuse_read_arguments`);
a panel backtest names them too (:mod:`.peer_backtest_arguments`)."""

from __future__ import annotations

from typing import Mapping

from ..io.errors import ConfigTypeError

# read_panel's arguments under the peers' names (NeuralForecast's and statsforecast's
# id_col / time_col / target_col, Darts' from_group_dataframe, the CLI's --column)
READ = {**dict.fromkeys(("id_col", "group_cols", "id", "series_column"), "id_column="),
        **dict.fromkeys(("time_col", "date_col", "ds", "time_column"), "date_column="),
        **dict.fromkeys(("target_col", "value_cols", "column", "target_column", "y"),
                        "target="),
        "fill_missing": "fill=", "fillna": "fill=", "static_cols": "static= of fit",
        # Darts' TimeSeries.from_dataframe(fill_missing_dates=True, fillna_value=0)
        "fill_missing_dates": "fill= ('ffill', 'bfill', 'interpolate', 'zero': a date missing from "
                              "a series' calendar is filled too)",
        "fillna_value": "fill='zero' for 0 (or 'ffill', 'bfill', 'interpolate')"}


def refuse_read_arguments(given: Mapping) -> None:
    """TypeError naming each of ``given`` (keywords read_panel does not take) and ours."""
    if not given:
        return
    said = "; ".join(f"{k!r} (here: {READ[k]})" if k in READ else repr(k) for k in given)
    raise ConfigTypeError(f"read_panel() got unexpected keyword argument"
                          f"{'s' if len(given) > 1 else ''} {said}; read_panel(data, id_column=..., "
                          f"date_column=..., target=..., fill=..., freq=..., covariates=...)")
