"""New data for a fitted Forecaster: ``predict(h, history=...)`` forecasts past its end
with the fitted weights, nothing trained (Darts' ``predict(n, series=...)``,
NeuralForecast's ``predict(df=...)``; ``rnnlab forecast --run DIR --data new.csv``)."""

from __future__ import annotations

from ..data.datasets import resolve_data
from ..data.series import Series
from ..io.errors import DataError
from .methods import history_needed


def read_history(f, data, column=None, date_column=None) -> Series:
    """``data`` read as ``Forecaster.fit`` reads it (``column``, ``date_column`` as there),
    refused when its calendar is not that of the series ``f`` was fitted on (a model of
    monthly values forecasts monthly values) or when it is shorter than a forecast reads."""
    s = resolve_data(data, column=column, date_column=date_column, fill=f.config.fill)
    fitted = f.series.freq
    if fitted and s.freq and s.freq != fitted:
        raise DataError(f"the new data (history=, --run --data): the model was fitted on "
                        f"{fitted!r} data and this is {s.freq!r} data; pass the same series at "
                        f"the same frequency, or fit a model on this one")
    need = history_needed(f)
    if len(s) < need:
        raise DataError(f"the new data (history=, --run --data) has {len(s)} values and a "
                        f"forecast reads the last {need} (look-back {f.config.lookback} + "
                        f"differencing lag {f.pipeline.lag}); pass a longer history")
    return s
