"""Covariates: future values over the horizon, scaling on the training rows, and static
covariates per series (calendar features from the dates: :mod:`rnnlab.panel.calendar`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

import numpy as np
import pandas as pd

from ..data.numbers import real_values
from ..io.errors import DataError
from .frame import DS, ID
from .int_steps import date_word, shown_date
from .long_table import column_dates, shown_pairs

@dataclass
class ColumnScaler:
    """Per column z = (x - mean) / std, fitted on the training rows of all series together."""

    columns: List[str] = field(default_factory=list)
    mean: List[float] = field(default_factory=list)
    std: List[float] = field(default_factory=list)

    def fit(self, df: pd.DataFrame, columns: Sequence[str]) -> "ColumnScaler":
        self.columns = list(columns)
        x = df[self.columns].to_numpy(dtype=np.float64) if self.columns else np.zeros((1, 0))
        self.mean = x.mean(axis=0).tolist()
        sd = x.std(axis=0)
        self.std = np.where(sd > 0, sd, 1.0).tolist()
        return self

    def transform(self, x: np.ndarray, columns: Optional[Sequence[str]] = None) -> np.ndarray:
        """(N, C) -> scaled float32; ``columns``: the (fitted) columns x holds, default all."""
        pos = [self.columns.index(c) for c in (self.columns if columns is None else columns)]
        m, s = np.asarray(self.mean)[pos], np.asarray(self.std)[pos]
        return ((np.asarray(x, dtype=np.float64) - m) / s).astype(np.float32)

    def to_dict(self) -> dict:
        return {"columns": self.columns, "mean": self.mean, "std": self.std}

    @classmethod
    def from_dict(cls, d: dict) -> "ColumnScaler":
        return cls(list(d["columns"]), [float(v) for v in d["mean"]], [float(v) for v in d["std"]])


def numeric_covariates(df: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Refuse covariates that are missing, not numeric (or complex), or hold NaN (naming
    series and dates)."""
    for c in columns:
        if c not in df.columns:
            raise DataError(f"{what} covariate {c!r} is not a column of the data; columns are "
                            f"{[str(k) for k in df.columns]}")
        if not pd.api.types.is_numeric_dtype(df[c]):
            raise DataError(f"{what} covariate {c!r} is not numeric (e.g. {df[c].iloc[0]!r}); "
                            f"encode it as numbers, or pass it as a static covariate")
        real_values(df[c], what, c, row=lambda i: f"row {i}")  # refuses imaginary parts
        nan = df[c].isna().to_numpy()
        if nan.any():
            rows = df.loc[nan, [ID, DS]].head(5)
            shown = shown_pairs(rows)
            raise DataError(f"{what} covariate {c!r} has {int(nan.sum())} NaN values (series, "
                            f"{date_word()}: {shown}); fill them (fill='ffill') or clean the data")


def checked_future(future: Optional[pd.DataFrame], ids: Sequence[str],
                   last: Dict[str, pd.Timestamp], horizon: int, freq: str,
                   columns: Sequence[str]) -> Optional[pd.DataFrame]:
    """The future table with text ids, numeric ``columns`` and dates in the data's zone,
    checked: the columns there, numbers, one row per series and date (None without
    ``columns``)."""
    if columns and future is None:
        raise DataError(f"the model reads future covariates {list(columns)}: pass future= a "
                        f"table (unique_id, ds, {', '.join(columns)}) over the {horizon} steps "
                        f"after each series' last date")
    if not columns:
        return None
    future = _shared_future(future, ids)
    missing_cols = [c for c in (ID, DS, *columns) if c not in future.columns]
    if missing_cols:
        raise DataError(f"future covariates: the table lacks columns {missing_cols}; "
                        f"found {[str(c) for c in future.columns]}; expected "
                        f"{[ID, DS, *columns]}")
    for c in columns:  # text such as 'x' (numbers held as objects are taken), complex
        num = real_values(pd.to_numeric(future[c], errors="coerce"), "future covariates",
                          c, row=lambda i: f"row {i}")
        bad = (num.isna() & future[c].notna()).to_numpy()
        if bad.any():
            raise DataError(f"future covariates: column {c!r} is not numeric (e.g. "
                            f"{future[c][bad].iloc[0]!r}); expected numbers over the "
                            f"horizon, as in the data the model was fitted on")
        future = future.assign(**{c: num})
    fut = future.assign(**{ID: future[ID].astype(str),
                           DS: _same_zone(column_dates(future[DS], "future covariates",
                                                       DS, freq), last)})
    dup = fut.duplicated([ID, DS], keep=False).to_numpy()
    if dup.any():  # the first of differing rows would be taken without a word
        pairs = fut.loc[dup, [ID, DS]].drop_duplicates().head(5)
        shown = shown_pairs(pairs)
        w = date_word()
        raise DataError(f"future covariates: {int(dup.sum())} rows repeat a (series, {w}) "
                        f"pair: {shown}; expected one row per series and {w}: drop or "
                        f"aggregate them")
    return fut


def future_block(future: Optional[pd.DataFrame], ids: Sequence[str], last: Dict[str, pd.Timestamp],
                 horizon: int, freq: str, columns: Sequence[str]) -> Dict[str, pd.DataFrame]:
    """Per series, its ``horizon`` dates after ``last[id]`` with the future ``columns``
    (a DataFrame indexed by date); a DataError names the series and the missing dates."""
    out: Dict[str, pd.DataFrame] = {}
    fut = checked_future(future, ids, last, horizon, freq, columns)
    if columns:
        groups = {u: g.set_index(DS) for u, g in fut.groupby(ID, sort=False)}
        known = set(ids)
        strangers = [u for u in groups if u not in known]
    for uid in ids:
        dates = pd.date_range(last[uid], periods=horizon + 1, freq=freq)[1:]
        if not columns:
            out[uid] = pd.DataFrame(index=dates)
            continue
        g = groups.get(uid)
        block = (g.reindex(dates)[list(columns)] if g is not None
                 else pd.DataFrame(np.nan, index=dates, columns=list(columns)))
        bad = block.isna().any(axis=1).to_numpy()
        if bad.any():
            shown = ", ".join(shown_date(d) for d in dates[bad][:6])
            raise DataError(f"future covariates {list(columns)} are missing for series {uid!r} "
                            f"on {int(bad.sum())} of the {horizon} forecast {date_word()}s ({shown}"
                            f"{' ...' if bad.sum() > 6 else ''}); give their values over the "
                            f"horizon (planned or forecast values)" + (
                                f"; the table's ids {strangers[:3]} are not the series' ids: "
                                f"give them as in the data (e.g. {uid!r})"
                                if g is None and strangers else
                                _off_calendar(g, last[uid], dates, freq)))
        out[uid] = block.astype(np.float64)
    return out


def _same_zone(ds: pd.Series, last: Dict[str, pd.Timestamp]) -> pd.Series:
    """The future table's dates in the data's time zone (UTC dates of a Paris panel are
    the same instants); dates without a zone beside the data's with one, or the other way
    round, are refused (each future date was reported missing)."""
    zone = pd.Timestamp(next(iter(last.values()))).tz if last else None
    mine = getattr(ds.dt, "tz", None)
    if (zone is None) != (mine is None):
        found = f"in {mine}" if mine is not None else "without a time zone"
        data = f"in {zone}" if zone is not None else "without a time zone"
        fix = (f".dt.tz_localize({str(zone)!r})" if zone is not None
               else ".dt.tz_convert(ZONE).dt.tz_localize(None)")
        raise DataError(f"future covariates: the dates are {found}, the data's are {data}; "
                        f"give them as the data's (ds{fix})")
    return ds if zone is None else ds.dt.tz_convert(zone)


def _off_calendar(g: Optional[pd.DataFrame], last, dates: pd.DatetimeIndex, freq) -> str:
    """Where the table's dates for a series after its ``last`` date are not the forecast
    ``dates`` (month ends for month-start data, Sundays for weeks of Mondays): those dates,
    and the calendar they must be on ('' otherwise)."""
    if g is None:
        return ""
    off = g.index[(g.index > last) & ~g.index.isin(dates)]
    if not len(off):
        return ""
    shown = ", ".join(shown_date(d) for d in off[:3])
    return (f"; the table has other dates for it ({shown}{' ...' if len(off) > 3 else ''}), "
            f"off the data's calendar (frequency {freq!r}): give the forecast dates above")


def _shared_future(future: pd.DataFrame, ids: Sequence[str]) -> pd.DataFrame:
    """A future table without ``unique_id`` and with one row per date (a holiday flag, the
    weather of one region: the same for every series), repeated for each series in ``ids``;
    any other table as it is. Dates may be its index (a DatetimeIndex, as Darts keeps them)."""
    named = {n for n in future.index.names if n in (ID, DS) and n not in future.columns}
    if named:  # unique_id / ds as the index (statsforecast's frames): their columns
        future = future.reset_index(level=sorted(named))
    if ID not in future.columns and DS not in future.columns \
            and isinstance(future.index, pd.DatetimeIndex):
        future = future.rename_axis(DS).reset_index()
    if ID in future.columns or DS not in future.columns:
        return future
    if future[DS].duplicated().any():
        raise DataError(f"future covariates: the table has no {ID!r} column and repeats "
                        f"dates; expected {ID!r}, {DS!r} and the covariates (one row per "
                        f"series and date), or one row per date for covariates shared by "
                        f"every series")
    return pd.concat([future.assign(**{ID: u}) for u in ids], ignore_index=True)


@dataclass
class StaticEncoder:
    """Static covariates: text columns -> category indices (0: unseen), numbers -> scaled."""

    categorical: Dict[str, List[str]] = field(default_factory=dict)  # column -> categories
    numeric: Dict[str, List[float]] = field(default_factory=dict)  # column -> [mean, std]

    def fit(self, table: pd.DataFrame) -> "StaticEncoder":
        for c in table.columns:
            col = table[c]
            if pd.api.types.is_numeric_dtype(col):
                v = col.to_numpy(dtype=np.float64)
                if np.isnan(v).any():
                    raise DataError(f"static covariate {c!r} has NaN for series "
                                    f"{list(table.index[np.isnan(v)][:5])}; expected one "
                                    f"number per series: fill them or drop the column")
                sd = float(v.std())
                self.numeric[c] = [float(v.mean()), sd if sd > 0 else 1.0]
            else:
                nan = col.isna().to_numpy()
                if nan.any():
                    raise DataError(f"static covariate {c!r} has no value (NaN) for series "
                                    f"{list(table.index[nan][:5])}; expected one category per "
                                    f"series: fill them (e.g. with 'unknown') or drop the column")
                self.categorical[c] = sorted(set(col.astype(str)))
        return self

    def encode(self, table: pd.DataFrame):
        """(codes (S, n_categorical) int64, values (S, n_numeric) float32) for rows of ``table``."""
        codes = np.zeros((len(table), len(self.categorical)), dtype=np.int64)
        for j, (c, cats) in enumerate(self.categorical.items()):
            pos = {v: i + 1 for i, v in enumerate(cats)}
            codes[:, j] = [pos.get(str(v), 0) for v in table[c]]
        vals = np.zeros((len(table), len(self.numeric)), dtype=np.float32)
        for j, (c, (m, s)) in enumerate(self.numeric.items()):
            vals[:, j] = (table[c].to_numpy(dtype=np.float64) - m) / s
        return codes, vals

    def cardinalities(self) -> List[int]:
        return [len(c) + 1 for c in self.categorical.values()]

    def to_dict(self) -> dict:
        return {"categorical": self.categorical, "numeric": self.numeric}

    @classmethod
    def from_dict(cls, d: dict) -> "StaticEncoder":
        return cls({k: list(v) for k, v in d["categorical"].items()},
                   {k: [float(a) for a in v] for k, v in d["numeric"].items()})


def warn_unread(cfg, future: Optional[pd.DataFrame] = None,
                static: Optional[pd.DataFrame] = None, stacklevel: int = 3) -> None:
    """Warn when covariates are given that the model was not told to read (NeuralForecast
    users pass ``futr_df`` / ``static_df`` and declare the columns in the model): given but
    undeclared, they would be dropped without a word."""
    import warnings

    for what, table, declared, option in (
            ("future", future, cfg.future_covariates, "future_covariates"),
            ("static", static, cfg.static_covariates, "static_covariates")):
        if table is None or declared or not isinstance(table, pd.DataFrame):
            continue
        cols = [str(c) for c in table.columns if c not in (ID, DS, "y")]
        if cols:
            warnings.warn(f"{what}= has columns {cols[:8]}, but the model reads no {what} "
                          f"covariates ({option}=()): they are ignored. To use them, create "
                          f"the model with {option}={tuple(cols[:3])!r}"
                          f"{' (and others)' if len(cols) > 3 else ''}", stacklevel=stacklevel)


def read_columns(data, cfg):
    """``data`` read as a panel (:func:`~rnnlab.panel.frame.read_panel`: a DataFrame, a CSV
    path, a dict of series) keeping only the covariates ``cfg`` reads, so a column the model
    never reads (NaN in an unused exogenous column of a NeuralForecast table) cannot stop
    it; a PanelFrame (or an object of its shape) as it is."""
    from pathlib import Path

    if not isinstance(data, (str, Path, pd.DataFrame, dict)):
        return data
    from .frame import read_panel

    named = cfg.future_covariates + cfg.past_covariates + cfg.static_covariates
    return read_panel(data, covariates=named)


def static_file(path, id_column):
    """``--static-data``: a CSV of static covariates, one row per series, its id column
    named as the data's (``--id-column``) or ``unique_id`` (``us_employment_titles``: the
    built-in table of us_employment's industries); as a frame with ``unique_id``. Read by
    the same checked reader as the data (encoding, size, separator)."""
    if not path:
        return None
    from pathlib import Path

    from ..data.csv_file import read_csv_checked
    from .datasets import builtin_path

    p = Path(path)
    if not p.is_file() and path == "us_employment_titles":
        p = builtin_path("us_employment_titles.csv")
        id_column = "Series_ID"
    if not p.is_file():
        raise DataError(f"--static-data {path}: no such file; expected a CSV with the id "
                        f"column and one row per series")
    table = read_csv_checked(p)
    idc = id_column if id_column in table.columns else "unique_id"
    if idc not in table.columns:
        raise DataError(f"--static-data {path}: no id column {idc!r} (found "
                        f"{list(table.columns)}); name it as the data's id column or unique_id")
    from .ids import ids_as_written

    return ids_as_written(p, table, idc).rename(columns={idc: "unique_id"}).assign(
        unique_id=lambda t: t["unique_id"].astype(str))
