"""The forecast :func:`rnnlab.forecast.scoring.score_forecast` scores, read as one table
(``time, forecast[, q...]`` for one series, ``unique_id, ds, mean[, q...]`` for a panel);
:mod:`.score_actuals` reads the actuals it is joined to and the forecast's dates, by the
reader that read the data the forecast was made from, so that ``02/10/2020`` in one meets
``2020-02-10`` in the other.

The forecast's forms: the CSV of ``rnnlab forecast --run DIR --output F`` (``time,
forecast[, q...]``), a run's ``forecast.csv`` (its ``future`` rows, column ``model``), a
panel's ``forecasts.csv`` or ``GlobalForecaster.predict``'s frame (``unique_id, ds,
mean[, q...]``), or ``Forecaster.predict``'s Series (or frame of ``mean`` and ``q...``
columns) indexed by date, also as ``.to_csv()`` wrote it."""

from __future__ import annotations

from pathlib import Path
from typing import Optional, Tuple

import numpy as np
import pandas as pd

from ..io.errors import DataError

FORMS = ("time,forecast[,q...] (rnnlab forecast --run DIR --output F.csv); a run's "
         "forecast.csv (time,part,...,model); unique_id,ds,mean[,q...] (a panel's "
         "forecasts.csv, GlobalForecaster.predict; a keyed one's State,Zone,ds,mean: its "
         "key columns for unique_id); or Forecaster.predict's Series "
         "(date,VALUES; its .to_csv())")


def forecast_table(forecast, model: Optional[str] = None) -> Tuple[pd.DataFrame, bool]:
    """``(table, panel)``: the forecast as a frame (``model``'s rows of one with a
    ``model`` column naming several: :mod:`.score_models`), and whether it is a panel's."""
    forecast = read_forecast(forecast)
    table, is_panel = _as_table(forecast, model)
    if not is_panel:  # (one model's forecast: no column of model names)
        from .score_models import no_model_column

        no_model_column(model, getattr(forecast, "columns", ["(a Series of values)"]))
    return table, is_panel


def read_forecast(forecast):
    """A forecast given as a path, read; else as it is."""
    if isinstance(forecast, (str, Path)):
        from ..data.csv_file import MAX_CSV_BYTES, read_csv_checked
        from ..data.packed_files import unpacked

        # (a compressed one, .gz .bz2 .xz .zip: its text, ids read again from it too)
        with unpacked(_run_file(Path(forecast).expanduser()), MAX_CSV_BYTES) as path:
            forecast = _without_row_numbers(read_csv_checked(path))
            from ..panel.ids import ids_as_written
            from .score_keys import key_columns

            for name in ("unique_id",) + key_columns(forecast):  # (ids such as 007)
                forecast = ids_as_written(path, forecast, name)
    return forecast


def _as_table(forecast, model: Optional[str]) -> Tuple[pd.DataFrame, bool]:
    if isinstance(forecast, pd.Series):  # Forecaster.predict(h)
        return pd.DataFrame({"time": forecast.index, "forecast": forecast.to_numpy()}), False
    if not isinstance(forecast, pd.DataFrame):
        raise DataError(f"the forecast should be a CSV path, a DataFrame or a Series, got "
                        f"{type(forecast).__name__}; expected one of: {FORMS}")
    from .score_keys import key_columns
    from .score_models import no_model_column, one_model, refuse_unnamed
    from .score_peer import as_ours, point_columns_hint

    forecast = as_ours(forecast, model)  # (NeuralForecast's columns, ids as its index)
    cols = set(map(str, forecast.columns))
    if {"ds", "mean"} <= cols and ("unique_id" in cols or key_columns(forecast)):
        # (a keyed panel's forecast without its unique_id: State, Zone, ds, mean)
        if "model" in cols:  # (a backtest's or test_forecasts.csv: rows per model)
            if model is None:  # (with one: the rows of no model are not that model's)
                refuse_unnamed(forecast)
            forecast = one_model(forecast, model)
        else:
            no_model_column(model, forecast.columns)
        return forecast, True
    if {"time", "part", "model"} <= cols:  # a run's forecast.csv: the forecast past the data
        future = forecast[forecast["part"] == "future"]
        if future.empty:  # (a file cut short: its test rows only; was "the forecast: no rows")
            parts = sorted(set(map(str, forecast["part"].dropna())))
            raise DataError(f"the forecast holds no rows of part 'future' (the forecast past "
                            f"the data) among its {len(forecast)} rows (parts: "
                            f"{', '.join(parts) or 'none'}); the file is cut short or not "
                            f"the run's forecast.csv: pass the whole file (rnnlab forecast "
                            f"--run DIR --output F.csv writes it again)")
        keep = ["time", "model"] + _quantile_columns(future)
        return future[keep].rename(columns={"model": "forecast"}), False
    if {"time", "forecast"} <= cols:
        return forecast, False
    if "mean" in cols and not isinstance(forecast.index, pd.RangeIndex):  # predict(quantiles=)
        table = forecast[["mean"] + _quantile_columns(forecast)]
        return table.rename(columns={"mean": "forecast"}).rename_axis("time").reset_index(), False
    written = _written_by_pandas(forecast)
    if written is not None:
        return written, False
    raise DataError(f"the forecast has columns {', '.join(map(str, forecast.columns))}; "
                    f"expected one of: {FORMS}" + point_columns_hint(forecast))


def _without_row_numbers(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` without the row numbers ``to_csv()`` wrote as its first, unnamed column
    (``predict(...).reset_index().to_csv(path)``: 'the forecast has columns Unnamed: 0,
    date, mean, ...')."""
    first = table.columns[0] if len(table.columns) > 1 else None
    if first != "Unnamed: 0" or not pd.api.types.is_integer_dtype(table[first]) \
            or not (table[first].to_numpy() == np.arange(len(table))).all():
        return table
    return table.drop(columns=first)


def _run_file(path: Path) -> Path:
    """A run directory as the forecast past its data that it wrote: ``forecast.csv`` (one
    series) or ``forecasts.csv`` (a panel); a file as it is."""
    if not path.is_dir():
        return path
    names = ("forecast.csv", "forecasts.csv")
    found = [path / n for n in names if (path / n).is_file()]
    if len(found) == 1:
        return found[0]
    runs = sorted(str(p.parent) for p in path.glob("*/*.csv") if p.name in names)
    if runs:  # (a --seeds run: one run per seed, seed_N/forecast.csv)
        from ..listing import first_few

        raise DataError(f"{path}: a folder of runs, each with its forecast "
                        f"({first_few(runs, 3)}); score one of them (rnnlab score {runs[0]})")
    raise DataError(f"{path}: a folder without a run's forecast.csv or forecasts.csv; "
                    f"pass the forecast's CSV file (rnnlab forecast --run DIR --output "
                    f"F.csv writes one)")


def _written_by_pandas(frame: pd.DataFrame) -> Optional[pd.DataFrame]:
    """``predict()``'s result saved with ``.to_csv(path)`` and read back: a date column
    and one of values (``date,demand forecast``), or ``mean`` beside ``q...`` columns;
    None for another table."""
    quantiles = _quantile_columns(frame)
    rest = [c for c in frame.columns if c not in quantiles]
    if len(rest) != 2:
        return None
    numeric = [c for c in rest if pd.api.types.is_numeric_dtype(frame[c])]
    value = "mean" if "mean" in rest else numeric[0] if len(numeric) == 1 else None
    if value is None:
        return None
    time = rest[1] if rest[0] == value else rest[0]
    return frame[[time, value] + quantiles].set_axis(["time", "forecast"] + quantiles,
                                                     axis=1)


def _quantile_columns(frame: pd.DataFrame) -> list:
    from ..panel.metrics import quantile_levels
    from ..panel.quantile_columns import quantile_column

    return [quantile_column(t) for t in quantile_levels(frame.columns)]
