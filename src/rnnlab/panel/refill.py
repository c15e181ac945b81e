"""Fills that read ahead, redone on the part before a cut.

``read_panel(fill='bfill' | 'interpolate')`` fills each series' gaps from the values after
them, over the whole series. A model fitted on the part before a cut (``PanelFrame.cut``,
each origin of a backtest) must not see those later values, yet a gap just before the cut
was filled from them (the held-out part then shaped the history the model reads). So the
frame remembers which cells it filled (:class:`Filled`), and :func:`refilled` fills them
again from the cut part alone. ``ffill`` reads ahead only over a series' leading gap (from
its first value: a long table's rows before a series starts), so a cut inside that gap
left a history of the series' later first value; ``zero`` reads nothing. A sub-panel of
the frame's rows keeps the record (:func:`filled_rows`), so the calibration's cut before
the validation tail refills too, and a fit reads the rows before that tail refilled
(:func:`training_frame`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import pandas as pd

from .long_table import DS, ID, Y
from .panel_cut import steps_from_end
from ..callers_line import callers_level

AHEAD = ("bfill", "interpolate", "ffill")  # the fills that read later values (ffill: a
# leading gap, from the first value)


@dataclass(frozen=True)
class Filled:
    """The cells of a panel's frame that ``fill`` filled: ``mask`` (bool, the frame's index,
    one column per numeric column that had a NaN), and the frame's ids and dates (``keys``)
    to tell the rows of that frame from those of another with the same index."""

    fill: str
    mask: pd.DataFrame
    keys: pd.DataFrame


def filled_cells(df: pd.DataFrame, fill) -> Optional[Filled]:
    """What :func:`~rnnlab.panel.missing_values.fill_or_refuse` is about to fill in ``df``
    (before it does); None when nothing is (a backtest also says how many held-out values
    were made up: :func:`filled_truth`)."""
    if fill is None:
        return None
    cols = [c for c in df.columns if c not in (ID, DS) and pd.api.types.is_numeric_dtype(df[c])]
    nan = df[cols].isna()
    nan = nan.loc[:, nan.any()]
    return Filled(fill, nan, df[[ID, DS]].copy()) if nan.shape[1] else None


def filled_rows(filled: Optional[Filled], rows: pd.DataFrame) -> Optional[Filled]:
    """The record of ``filled`` for ``rows`` (rows of the filled frame, with its index),
    numbered from 0 as ``rows.reset_index(drop=True)`` is, so that a sub-panel (some series,
    the part before a cut) keeps which of its cells were filled and a later cut of it
    refills them (:func:`refilled`); None when ``filled`` is None or of another frame."""
    if filled is None or not rows.index.isin(filled.mask.index).all():
        return None
    keys = filled.keys.loc[rows.index]
    if not keys.equals(rows[[ID, DS]]):
        return None
    return Filled(filled.fill, filled.mask.loc[rows.index].reset_index(drop=True),
                  keys.reset_index(drop=True))


def refilled(cut: pd.DataFrame, filled: Optional[Filled], warn: bool = False) -> pd.DataFrame:
    """``cut`` (rows of the filled frame, with its index) whose filled cells are filled
    again from ``cut`` alone; a series with no target value left in ``cut`` is dropped
    (it has no history before the cut; ``warn``: saying so). ``filled`` None, or of
    another frame: ``cut``."""
    if filled is None or filled.fill not in AHEAD or not cut.index.isin(filled.mask.index).all() \
            or not filled.keys.loc[cut.index].equals(cut[[ID, DS]]):
        return cut
    from .missing_values import filled_columns

    mask = filled.mask.loc[cut.index, [c for c in filled.mask.columns if c in cut.columns]]
    if not mask.to_numpy().any():
        return cut
    out = cut.copy()
    cols = list(mask.columns)
    out[cols] = out[cols].mask(mask)
    if Y in cols:
        known = out[Y].notna().groupby(out[ID], sort=False).transform("any").to_numpy()
        gone = list(pd.unique(out[ID][~known]))
        if gone and warn:
            import warnings

            warnings.warn(f"cut: {len(gone)} series have no value before the cut (their rows "
                          f"there were filled, fill={filled.fill!r}, from later values) and "
                          f"are left out: {', '.join(map(repr, gone[:5]))}"
                          f"{' ...' if len(gone) > 5 else ''}", stacklevel=callers_level(4))
        out = out[known]
    again = filled_columns(out, cols, filled.fill)
    # a covariate with no value before the cut keeps the whole series' fill (nothing else)
    out[cols] = again.where(again.notna(), cut.loc[out.index, cols])
    return out


def training_frame(df: pd.DataFrame, filled: Optional[Filled], val: int,
                   ahead: int) -> pd.DataFrame:
    """``df`` (the filled frame, with its index) as a model with a validation tail of
    ``val`` values per series and ``ahead`` target steps per window fits on it: the rows
    before the tail (its training windows, transforms and scalers) refilled from
    themselves, the rows before the last ``ahead`` (the validation window's look-back)
    from themselves; the last ``ahead`` (the validation targets) as filled. A series with
    no value before a cut keeps its fill there. ``filled`` None, or of another frame:
    ``df``."""
    if filled is None or filled.fill not in AHEAD or val <= 0 or df.empty:
        return df
    pos = steps_from_end(df)
    out = df
    for steps in sorted({int(val), int(ahead)}):  # the later cut first, then the earlier
        cut = out[pos >= steps]
        part = refilled(cut, filled)
        if part is cut or part.empty:
            continue
        out = out.copy() if out is df else out
        cols = [c for c in part.columns if c not in (ID, DS)]
        out.loc[part.index, cols] = part[cols]
    return out


def filled_truth(df: pd.DataFrame, held_out, filled: Optional[Filled]) -> str:
    """A note on the target values of ``df[held_out]`` (a boolean mask: the rows a backtest
    scores) that were missing and filled in: they are scored as if observed ('' if none,
    or ``filled`` is of another frame)."""
    if filled is None or Y not in filled.mask.columns or not filled.mask.index.equals(
            df.index) or not filled.keys.equals(df[[ID, DS]]):
        return ""
    made = int((filled.mask[Y].to_numpy() & held_out).sum())
    if not made:
        return ""
    return (f"{made} of the {int(held_out.sum())} held-out target values the backtest scores "
            f"were missing and filled in (fill={filled.fill!r}); the metrics score them as if "
            f"observed")
