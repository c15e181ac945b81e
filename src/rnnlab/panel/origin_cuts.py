"""The panel cut at each origin of a backtest, and the truth after each: what every model
in :func:`~rnnlab.panel.backtest.backtest` forecasts (the same cuts for the model and its
baselines)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Dict, List, Optional, Protocol, Set

import numpy as np
import pandas as pd

from .backtest_args import CheckedRefit
from .origin_align import aligned_steps, note_unscored, origin_dates, origin_named, warn_unscored
from .origin_rows import truth_after
from .refill import filled_rows, refilled
from ..io.errors import DataError


def with_df(panel, df: pd.DataFrame):
    """A copy of ``panel`` (a PanelFrame-like dataclass) holding ``df`` numbered from 0 and
    its ids; rows of ``panel.df`` (with its index) keep the record of their filled cells
    (.refill), so that the model's own cuts of them (its validation tail) refill them
    again."""
    kept = set(df["unique_id"].unique())  # (once: per id, it made a backtest quadratic)
    ids = tuple(i for i in panel.ids if i in kept)
    numbered = df.reset_index(drop=True)  # (the model's rows numbered from 0, as always)
    names = _field_names(panel)
    if names is not None:
        if "filled" not in names:
            return dataclasses.replace(panel, df=numbered, ids=ids)
        filled = filled_rows(panel.filled, df)  # (read by df's own index)
        return dataclasses.replace(panel, df=numbered, ids=ids, filled=filled)
    return type(panel)(df=numbered, freq=panel.freq, period=panel.period, ids=ids,
                       **_week_of(panel))


def _field_names(panel) -> Optional[Set[str]]:
    """The field names of ``panel`` where it is a dataclass instance (None otherwise)."""
    if dataclasses.is_dataclass(panel) and not isinstance(panel, type):
        return {f.name for f in dataclasses.fields(panel)}
    return None


def _week_of(panel) -> dict:
    """``{"week": ...}``: the week clause of ``panel`` (an object of a PanelFrame's shape,
    not a dataclass) for its class to rebuild a cut with, where the class takes one; a cut
    rebuilt bare lost it, and the models fitted at the origins forecast past the years its
    ``freq`` closes without the clause's holidays (:mod:`.panel_week`), as its forecast
    does not."""
    import inspect

    week = getattr(panel, "week", None)
    if week is None:
        return {}
    try:
        params = inspect.signature(type(panel)).parameters.values()
    except (TypeError, ValueError):  # (a class whose signature is not to be read)
        return {}
    takes = any(p.name == "week" or p.kind == p.VAR_KEYWORD for p in params)
    return {"week": week} if takes else {}


class PanelLike(Protocol):
    """What the origins read of the panel backtested: a PanelFrame, or an object of its
    shape (:func:`_week_of`)."""

    @property
    def df(self) -> pd.DataFrame:
        """The long table: unique_id, ds, y and the covariates."""


@dataclass
class Origins:
    """The panel cut at each origin, and what follows each: what every model forecasts."""

    panel: PanelLike  # the PanelFrame backtested
    pos: np.ndarray  # each row's steps before its series' end, or the panel's (.align)
    offsets: List[int]  # origins, in steps before that end
    cuts: list  # the panel up to each origin (without the series too short there)
    truths: List[pd.DataFrame]  # the horizon of values after each origin
    horizon: int
    refit: CheckedRefit
    align: str = "end"  # "date": every series cut at the same dates; "end": at its own
    dates: list = dataclasses.field(default_factory=list)  # each origin's date ("date")


def cut_at_origins(panel, offsets: List[int], horizon: int, refit: CheckedRefit,
             min_length: int, align: Optional[str] = None) -> Origins:
    """The panel cut at each origin; a series with fewer than ``min_length`` values
    before an origin is left out there, with a warning."""
    df = panel.df
    pos, align = aligned_steps(panel, align)
    dates = origin_dates(df, pos, offsets) if align == "date" else []
    kind = getattr(panel, "ds_period", None)  # (integer steps named as such)
    cuts: List[pd.DataFrame] = []
    truths: List[pd.DataFrame] = []
    unscored: Dict[str, list] = {}  # (note_unscored's notes)
    for j, off in enumerate(offsets):
        where = origin_named(align, off, dates[j] if dates else None, kind)
        cut = refilled(df[pos >= off], getattr(panel, "filled", None))  # (.refill)
        n = cut.groupby("unique_id", sort=False)["y"].transform("size").to_numpy()
        kept = set(pd.unique(cut["unique_id"][n >= min_length]))  # (a set of the column
        # itself iterated every row in Python: 1.6 us a row, seconds an origin)
        short = [u for u in pd.unique(df["unique_id"]) if u not in kept]
        if short:  # said, not silent: the summary's n_series counts the others
            import warnings

            warnings.warn(f"{len(short)} series with fewer than {min_length} values before "
                          f"{where} are left out there: "
                          f"{', '.join(map(str, short[:5]))}{' ...' if len(short) > 5 else ''}",
                          stacklevel=3)
        cut = cut[n >= min_length]
        if cut.empty:
            raise DataError(f"no series has {min_length} values before {where}; lower "
                            f"first_origin or min_length")
        cuts.append(with_df(panel, cut))  # (numbered from 0, its filled cells kept)
        truths.append(truth_after(df, pos, off, horizon, set(pd.unique(cut["unique_id"])),
                                  panel.period, history=cut))
        if align == "date":
            note_unscored(unscored, truths[-1], pd.unique(cut["unique_id"]), horizon, dates[j])
    warn_unscored(unscored, horizon, kind, len(offsets))
    return Origins(panel, pos, offsets, cuts, truths, horizon, refit, align, dates)


__all__ = ["Origins", "cut_at_origins", "with_df"]
