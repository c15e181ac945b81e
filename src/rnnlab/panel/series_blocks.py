"""A long table's series as contiguous blocks, found once for the whole table: what a
``groupby(unique_id, sort=False)`` loop visits (the series in the order they first appear,
each one's rows in their order in the table), as one reordering and each series' start
and length, so that per-series work can run on whole columns (a groupby's frame per
series is 1-2 ms: seconds for a panel of thousands)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .long_table import ID


@dataclass(frozen=True)
class Blocks:
    ids: list  # the series, in the order they first appear (a groupby(sort=False)'s keys)
    order: np.ndarray  # positions of the table's rows, series after series
    starts: np.ndarray  # (S,) each series' first position in ``order``
    lengths: np.ndarray  # (S,) its rows

    @property
    def ends(self) -> np.ndarray:
        return self.starts + self.lengths

    def position(self) -> np.ndarray:
        """(rows,) each reordered row's position within its series (0 first)."""
        return np.arange(len(self.order)) - np.repeat(self.starts, self.lengths)


def blocks(df: pd.DataFrame) -> Blocks:
    codes, uniques = pd.factorize(df[ID], sort=False)
    order = np.argsort(codes, kind="stable")
    lengths = np.bincount(codes, minlength=len(uniques)).astype(np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    return Blocks(list(uniques), order, starts, lengths)


def tails(df: pd.DataFrame, width: int):
    """``(rows, Blocks of rows)``: each series' last ``width`` rows (all of a shorter
    one), series after series, as ``groupby(sort=False)``'s ``g.iloc[-width:]`` are."""
    b = blocks(df)
    keep = b.position() >= np.repeat(b.lengths - width, b.lengths)
    rows = df.iloc[b.order[keep]]
    n = np.minimum(b.lengths, width)
    return rows, Blocks(b.ids, np.arange(len(rows)),
                        np.concatenate([[0], np.cumsum(n)[:-1]]).astype(np.int64), n)
