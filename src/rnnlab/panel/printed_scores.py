"""The interval scores the printed tables show, and their cells where a model has no
quantiles.

``rnnlab backtest``, ``rnnlab score`` and a panel's ``rnnlab forecast`` print the metrics a
person reads first; ``summary.csv`` and ``--json`` hold them all. Beside each central
interval's coverage and width the tables show ``wql`` (GluonTS' ``mean_wQuantileLoss``)
and one ``msis``: GluonTS' and the M4 competition's MSIS is ``msis95``, but a model of the
default levels (0.1, 0.5, 0.9) has only ``msis80``, so the table shows the widest interval
that the most models hold (one column: the score table was 118 columns wide already, and a
column per interval would add one more for each). A model without quantiles (a point
forecast beside quantile ones) has no such score: its cells read ``-``, where a NaN is a
score that exists and has no value (``wql`` of a series whose actuals are all 0), and a 0
would be a perfect one. The line under the table says what the columns are
(:func:`scores_note`)."""

from __future__ import annotations

import re
from typing import List

import pandas as pd

from .metrics import interval_columns

NO_QUANTILES = "-"  # the cell of a score a model has no quantiles for
# the scores every quantile gives (a model without any: "-")
OF_QUANTILES = ("pinball", "scaled_pinball", "crps", "scaled_crps", "wql")
_INTERVAL = re.compile(r"(coverage|width|scaled_width|msis)(\d+(?:\.\d+)?)")


def shown_msis(table: pd.DataFrame) -> List[str]:
    """The ``msis{p}`` column the tables show (none without one): of the central
    interval the most models hold (its coverage has a value), the widest of those (msis95
    over msis80). Models, not rows: a model scored at more cutoffs or series than the
    others outnumbered them in a by-cutoff or per-series table, whose column then was
    not the summary's, the one the note under them says."""
    held = [(_holders(table, m.group(2), c), float(m.group(2)), c) for c in table.columns
            for m in [_INTERVAL.fullmatch(str(c))] if m and m.group(1) == "msis"]
    return [max(held)[2]] if held else []


def _holders(table: pd.DataFrame, share: str, column: str) -> int:
    """How many models of ``table`` hold the ``share``% interval (one for a table of
    one model, without a model column): an msis with no value (no scale) counts."""
    have = table[f"coverage{share}" if f"coverage{share}" in table else column].notna()
    return int(table.loc[have.to_numpy(), "model"].nunique()) if "model" in table else int(
        have.any())


def score_columns(table: pd.DataFrame) -> List[str]:
    """The interval columns a printed table shows after the point metrics: each central
    interval's coverage and width, then ``wql`` and :func:`shown_msis`'s column."""
    return (interval_columns(table.columns) + [c for c in ("wql",) if c in table]
            + shown_msis(table))


def no_quantiles(table: pd.DataFrame, column: str) -> pd.Series:
    """Where ``table``'s rows have no ``column`` for want of quantiles: every score of the
    quantiles where ``pinball`` (which any quantile gives) is NaN; an interval's where
    its coverage is NaN (the model lacks one of its two levels)."""
    found = _INTERVAL.fullmatch(str(column))
    if found and f"coverage{found.group(2)}" in table:
        return table[f"coverage{found.group(2)}"].isna()
    if column in OF_QUANTILES and "pinball" in table:
        return table["pinball"].isna()
    return pd.Series(False, index=table.index)


def printed_table(table: pd.DataFrame, columns) -> str:
    """``table[columns]`` as :func:`rnnlab.table_text.table_text` writes it, a score its
    row has no quantiles for as ``-`` (``table``: the whole summary, whose ``pinball`` and
    coverages say which, shown or not)."""
    from ..table_text import table_cells

    columns = list(columns)
    cells = table_cells(table[columns])
    for c in columns:
        if c in OF_QUANTILES or _INTERVAL.fullmatch(str(c)):
            cells.loc[no_quantiles(table, c).to_numpy(), c] = NO_QUANTILES
    return cells.to_string(index=False)


def scores_note(columns, dashed: bool = False) -> str:
    """What ``wql`` and the ``msis`` column of a printed table are ('' where it shows
    neither); ``dashed``: and that "-" is a model without the quantiles."""
    said = []
    if "wql" in columns:
        said.append("wql: the weighted quantile loss (GluonTS' mean_wQuantileLoss), "
                    "2 x the pinball losses' sum over the sum of |y|")
    msis = [(c, float(m.group(2))) for c in columns for m in [_INTERVAL.fullmatch(str(c))]
            if m and m.group(1) == "msis"]
    if len(msis) == 1:
        (c, p), = msis
        said.append(f"{c}: the {p:g}% interval's width plus {200 / (100 - p):g} times each "
                    f"miss over the MASE scale")
    elif msis:
        times = " and ".join(f"{200 / (100 - p):g} for {p:g}%" for _, p in msis)
        said.append(f"{', '.join(c for c, _ in msis)}: each interval's width plus 2/alpha "
                    f"times each miss over the MASE scale ({times})")
    if msis:
        said.append("GluonTS' MSIS is msis95")
    if said and dashed:
        said.append(f"{NO_QUANTILES}: a model without those quantiles")
    return "; ".join(said)


def table_and_note(table: pd.DataFrame, columns, held_in: str = "summary.csv") -> tuple:
    """``(printed_table(table, columns), scores_note(...))``: the note says "-" only
    where a cell reads it, and names the msis of a model that reads "-" under the shown
    one (its levels another interval's: q0.025/q0.975 beside models of q0.1/q0.9), which
    ``held_in`` holds (``--json``; a file of the run)."""
    columns = list(columns)
    dashed = any(no_quantiles(table, c).any() for c in columns
                 if c in OF_QUANTILES or _INTERVAL.fullmatch(str(c)))
    note = scores_note(columns, dashed)
    shown = [c for c in columns if _is_msis(c)]
    if len(shown) == 1:  # (the msis a "-" under it leaves unread)
        dash = no_quantiles(table, shown[0])
        left = [c for c in table.columns if _is_msis(c) and c not in shown
                and (dash & ~no_quantiles(table, c)).any()]
        if left:
            note += (f"; {', '.join(left)} (of a model that reads {NO_QUANTILES} under "
                     f"{shown[0]}): in {held_in}")
    return printed_table(table, columns), note


def _is_msis(column) -> bool:
    found = _INTERVAL.fullmatch(str(column))
    return found is not None and found.group(1) == "msis"
