"""Covariates: future values over the horizon, scaling on the training rows, and static
covariates per series (calendar features from the dates: :mod:`rnnlab.panel.calendar`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence

import numpy as np
import pandas as pd

from ..data.numbers import real_values
from ..io.errors import DataError
from .frame import DS, ID
from .int_steps import date_word
from .future_table import future_block
from .long_table import shown_pairs

_OLD_HOME = (future_block,)  # (importable from here, where it was)

@dataclass
class ColumnScaler:
    """Per column z = (x - mean) / std, fitted on the training rows of all series together."""

    columns: List[str] = field(default_factory=list)
    mean: List[float] = field(default_factory=list)
    std: List[float] = field(default_factory=list)
    low: List[float] = field(default_factory=list)  # each column's least and greatest value
    high: List[float] = field(default_factory=list)  # fitted on ([]: a model saved before
    # they were kept), which far_covariates compares a forecast's future values to

    def fit(self, df: pd.DataFrame, columns: Sequence[str]) -> "ColumnScaler":
        self.columns = list(columns)
        x = df[self.columns].to_numpy(dtype=np.float64) if self.columns else np.zeros((1, 0))
        self.mean = x.mean(axis=0).tolist()
        sd = x.std(axis=0)
        self.std = np.where(sd > 0, sd, 1.0).tolist()
        if len(x):
            self.low, self.high = x.min(axis=0).tolist(), x.max(axis=0).tolist()
        return self

    def transform(self, x: np.ndarray, columns: Optional[Sequence[str]] = None) -> np.ndarray:
        """(N, C) -> scaled float32; ``columns``: the (fitted) columns x holds, default all."""
        pos = [self.columns.index(c) for c in (self.columns if columns is None else columns)]
        m, s = np.asarray(self.mean)[pos], np.asarray(self.std)[pos]
        return ((np.asarray(x, dtype=np.float64) - m) / s).astype(np.float32)

    def to_dict(self) -> dict:
        return {"columns": self.columns, "mean": self.mean, "std": self.std,
                "low": self.low, "high": self.high}

    @classmethod
    def from_dict(cls, d: dict) -> "ColumnScaler":
        return cls(list(d["columns"]), [float(v) for v in d["mean"]],
                   [float(v) for v in d["std"]], [float(v) for v in d.get("low", [])],
                   [float(v) for v in d.get("high", [])])


def close_column(name, columns) -> Optional[str]:
    """The column of ``columns`` that ``name`` misspells (another case: 'temperature' for
    'Temperature', or a close spelling), None where none is close."""
    from difflib import get_close_matches

    text = {str(c): c for c in columns if c not in (ID, DS)}
    same = [t for t in text if t.lower() == str(name).lower()]
    found = same or get_close_matches(str(name), list(text), 1)
    return found[0] if found else None


def missing_covariate(found: Iterable, name: str, what: str,
                      source: str = "the data") -> DataError:
    """The error for a covariate ``name`` that ``found`` (the data's columns, all of them:
    a renamed 'visitors' is then named for 'visits') lacks, with what to do."""
    close = close_column(name, found)
    return DataError(f"{what} covariate {name!r} is not a column of {source}; columns are "
                     f"{[str(k) for k in found]}" + (
                         f"; did you mean {close!r}? (a column renamed in the data: rename it "
                         f"back to {name!r}, the name the model reads)" if close
                         else "; a covariate kept in a table of its own (temperatures "
                         "by date) is joined onto the data first, on the date column "
                         "(and the id column, where it has one): read_panel("
                         "data.merge(table, on='Date'), target=...); future= gives "
                         "only its values after the data"))


def numeric_covariates(df: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Refuse covariates that are missing, not numeric (or complex), or hold NaN (naming
    series and dates)."""
    for c in columns:
        if c not in df.columns:
            from .wide_reading import covariates_read_as_series

            said = covariates_read_as_series(pd.unique(df[ID]), columns) if ID in df else ""
            if said:
                raise DataError(f"{what} covariate {c!r} is not a column of the data; columns "
                                f"are {[str(k) for k in df.columns]}; {said}")
            raise missing_covariate(df.columns, c, what)
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


def read_columns(data, cfg, fitted_freq=None, encoding=None, off_grid="refuse", **columns):
    """``data`` read as a panel (:func:`~rnnlab.panel.frame.read_panel`: a DataFrame, a CSV
    path, a Series, a dict of series) keeping only the covariates ``cfg`` reads, so a column
    the model never reads (NaN in an unused exogenous column of a NeuralForecast table)
    cannot stop it; a PanelFrame (or an object of its shape) as it is. The dates are put
    in ``cfg.time_zone`` when it is set (a PanelFrame's too: :mod:`.time_zone`), and on
    the week ``cfg.weekmask`` (a PanelFrame read on another calendar: refused) or, without
    one, the week of ``fitted_freq`` (the fitted model's: a panel given on a week).
    ``encoding``: a CSV file's text encoding (None: UTF-8); ``off_grid``: a series' dates
    that break its grid, as ``read_panel`` reads them; ``columns``: more of its keywords
    for a table (``id_column``, ``date_column``, ``target``, ``fill``: a backtest's)."""
    from .frame import READABLE, PanelFrame, read_panel
    from .time_zone import panel_in_zone
    from .week_freq import week_reading

    zone = getattr(cfg, "time_zone", None)
    if not isinstance(data, READABLE):
        if isinstance(data, PanelFrame):
            from .week_freq import refuse_other_week

            refuse_other_week(data, getattr(cfg, "weekmask", None))
            return panel_in_zone(data, zone)
        return data

    named = cfg.future_covariates + cfg.past_covariates + cfg.static_covariates
    panel = read_panel(data, covariates=named, tz=zone, encoding=encoding, off_grid=off_grid,
                       **columns, **week_reading(getattr(cfg, "weekmask", None), fitted_freq))
    refuse_missing(panel, cfg, lambda: read_panel(
        data, encoding=encoding, fill="ffill", **{k: v for k, v in columns.items()
                                                   if k != "fill"}).df.columns)
    return panel


def refuse_missing(panel, cfg, columns_read) -> None:
    """Refuse a past or future covariate of ``cfg`` (a PanelConfig) that ``panel`` (read
    keeping only the model's columns) lacks, naming the columns ``columns_read()`` gives
    (the data read whole, only on this failure): a renamed 'visitors' was not shown, nor
    named as the 'visits' it may be."""
    from ..io.errors import RnnlabError

    covariates = list(cfg.past_covariates) + list(cfg.future_covariates)
    missing = [k for k in covariates if k not in panel.df.columns]
    if not missing or set(missing) & set(map(str, pd.unique(panel.df[ID]))):
        return  # (a wide table's covariate read as a series: numeric_covariates says so)
    try:
        found = list(columns_read())
    except (RnnlabError, OSError):
        found = list(panel.df.columns)
    raise missing_covariate(found, missing[0],
                            "past" if missing[0] in cfg.past_covariates else "future")


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
        from ..io.unreadable import absent

        raise DataError(absent(p, "expected a CSV with the id column and one row per series",
                               f"--static-data {path}"))
    from .key_columns import keyed_table

    table, id_column = keyed_table(read_csv_checked(p), id_column, f"--static-data {path}")
    idc = id_column if id_column in table.columns else "unique_id"
    if idc not in table.columns:
        raise DataError(f"--static-data {path}: no id column {idc!r} (found "
                        f"{list(table.columns)}); name it as the data's id column or unique_id")
    from .ids import ids_as_written

    return ids_as_written(p, table, idc).rename(columns={idc: "unique_id"}).assign(
        unique_id=lambda t: t["unique_id"].astype(str))
