"""A minimal long-CSV reader for ``rnnlab backtest`` until panels-core's ``panel/frame.py``
(``read_panel``, ``PanelFrame``) is merged; ``panel/cli.py`` prefers that one, and this
file can then be deleted. Long tables only; gaps and NaNs are refused."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Optional, Tuple

import pandas as pd

from ..io.errors import DataError

PERIODS = {"MS": 12, "M": 12, "ME": 12, "QS": 4, "Q": 4, "QE": 4, "D": 7, "B": 5, "h": 24,
           "H": 24, "W": 52}


@dataclass(frozen=True)
class PanelFrame:
    df: pd.DataFrame  # unique_id, ds, y, covariates...; sorted by (unique_id, ds)
    freq: str  # pandas offset alias
    period: Optional[int]  # seasonal period
    ids: Tuple[str, ...]


def read_panel(data, id_column=None, date_column=None, target=None, fill=None) -> PanelFrame:
    raw = pd.read_csv(data) if not isinstance(data, pd.DataFrame) else data.copy()
    names = {"id": id_column or "unique_id", "date": date_column or "ds", "target": target or "y"}
    for what, col in names.items():
        if col not in raw.columns:
            raise DataError(f"{data}: no {what} column {col!r} (columns: {list(raw.columns)}); "
                            f"pass --{ {'id': 'id-column', 'date': 'date-column', 'target': 'column'}[what]}")
    df = raw.rename(columns={names["id"]: "unique_id", names["date"]: "ds", names["target"]: "y"})
    df["unique_id"] = df["unique_id"].astype(str)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "could not infer format" (e.g. 1998Q1)
            df["ds"] = pd.to_datetime(df["ds"])
    except (ValueError, TypeError):
        raise DataError(f"{data}: column {names['date']!r} does not hold dates") from None
    dup = df.duplicated(["unique_id", "ds"])
    if dup.any():
        r = df[dup].iloc[0]
        raise DataError(f"{data}: {int(dup.sum())} duplicated (id, date) pairs, e.g. "
                        f"({r['unique_id']}, {r['ds'].date()}); keep one row per pair")
    df = df.sort_values(["unique_id", "ds"], kind="stable").reset_index(drop=True)
    if df["y"].isna().any():
        if fill is None:
            bad = df[df["y"].isna()]
            raise DataError(f"{data}: {len(bad)} missing target values (series "
                            f"{sorted(bad['unique_id'].unique())[:5]}); pass --fill or clean "
                            f"the file")
        df["y"] = (df.groupby("unique_id")["y"].transform(
            lambda s: s.interpolate() if fill == "interpolate" else getattr(s, fill)())
            if fill != "drop" else df["y"])
        df = df.dropna(subset=["y"]).reset_index(drop=True)
    freqs = {}
    for uid, ds in df.groupby("unique_id", sort=False)["ds"]:
        if len(ds) >= 3:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # pandas 3: an offset instead of a string
                f = pd.infer_freq(pd.DatetimeIndex(ds))
            freqs[uid] = getattr(f, "freqstr", f)
            if freqs[uid] is None:
                raise DataError(f"{data}: series {uid!r} is not on a regular grid (gaps or "
                                f"uneven dates); fill the gaps first")
    kinds = set(freqs.values())
    if len(kinds) != 1:
        raise DataError(f"{data}: series have different frequencies {sorted(map(str, kinds))}"
                        f"; give one frequency")
    freq = kinds.pop()
    base = freq.split("-")[0]
    period = PERIODS.get(base)
    for c in df.columns.drop(["unique_id", "ds"]):
        if not pd.api.types.is_numeric_dtype(df[c]):
            df = df.drop(columns=c)  # text columns (titles...) are not covariates here
        else:
            df[c] = df[c].astype("float64")
    return PanelFrame(df=df, freq=freq, period=period,
                      ids=tuple(df["unique_id"].drop_duplicates()))
