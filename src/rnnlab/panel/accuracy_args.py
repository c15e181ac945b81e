"""The keywords :func:`~rnnlab.panel.accuracy.accuracy` takes beyond the forecasts and the
data: a table's own column names, read as ``read_panel`` reads them (fable's tsibble keeps
its key and index, and ``accuracy(fc, tourism)`` was refused naming ``id_column=``, which
accuracy did not take), and other libraries' keywords answered with what does the same
here (fable's ``measures=``, utilsforecast's ``metrics=``), not with a bare TypeError."""

from __future__ import annotations

from typing import Any, Dict, Mapping

from ..io.errors import ConfigTypeError
from .table_columns import table_columns

_PEER = {
    "measures": "accuracy() gives every metric (fable's measures=): select the columns, "
                "accuracy(fc, data)[['unique_id', 'mase', 'rmse', 'crps', 'coverage80']]",
    "metrics": "accuracy() gives every metric (utilsforecast's metrics=): select the "
               "columns, accuracy(fc, data)[['unique_id', 'mase', 'rmse']]",
    "level": "coverage80 and width80 (and each central interval the q... columns hold) are "
             "columns of the result; the levels are the forecasts' q... columns",
    "train_df": "the data, accuracy's second argument, holds the history and the held-out "
                "values: the MASE scale is read from the values before each forecast",
    # GluonTS' Evaluator(quantiles=, alpha=, seasonality=)
    "alpha": "each central interval the q... columns hold has its MSIS: alpha=0.05 (GluonTS' "
             "default) is column msis95, from q0.025 and q0.975; alpha=0.2 is msis80",
    "quantiles": "the levels are the forecasts' q... columns (each gives its below_q{tau}, "
                 "GluonTS' Coverage[tau], and its share of pinball and wql); select them: "
                 "fc[['unique_id', 'ds', 'mean', 'q0.1', 'q0.9']]",
    "seasonality": "the MASE and MSIS scale's season is the data's period: "
                   "accuracy(fc, dataclasses.replace(panel, period=1))",
}


def one_series_hint(forecasts) -> str:
    """``""``, or where ``forecasts`` is a one-series ``Forecaster.predict()`` frame (its
    dates the index, no ``unique_id``): the call that scores it."""
    import pandas as pd

    if "unique_id" in forecasts.columns or not isinstance(
            forecasts.index, (pd.DatetimeIndex, pd.PeriodIndex)):
        return ""
    return ("; a one-series Forecaster.predict() frame (dates as its index) is scored by "
            "rnnlab.forecast.score_forecast(forecast, series), with the same metrics")


def accuracy_reading(data: Any, columns: Mapping[str, Any],
                     peer: Mapping[str, Any]) -> Dict[str, Any]:
    """``read_panel``'s keywords for ``data`` from ``columns`` (``id_column``,
    ``date_column``, ``target``, ``fill``: refused with a panel read already), after
    refusing any other keyword in ``peer`` with a ConfigTypeError naming what to do."""
    for key in peer:
        hint = _PEER.get(key, "its keywords are by, weekmask, encoding, id_column, "
                              "date_column, target and fill")
        raise ConfigTypeError(f"accuracy() got an unexpected keyword argument {key!r}: "
                              f"{hint}")
    return table_columns("accuracy", data, **columns)


__all__ = ["accuracy_reading", "one_series_hint"]
