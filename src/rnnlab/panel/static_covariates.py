"""The static covariates of a panel as one row per series: read from a static table
(``unique_id`` and the columns) or from the panel's own columns, each holding one value
per series; ids the table misses, repeats or does not know are named."""

from __future__ import annotations

from typing import Optional, Sequence

import pandas as pd

from ..io.errors import DataError
from .far_covariates import static_value
from .long_table import ID


def static_table(panel, columns: Sequence[str],
                 static: Optional[pd.DataFrame] = None) -> pd.DataFrame:
    """One row per series of ``panel`` (a PanelFrame; index ``unique_id``) of the static
    covariates ``columns``, read from ``static`` (a table with ``unique_id``) or, if absent
    there, from the panel, where each must hold one value per series."""
    out = pd.DataFrame(index=pd.Index(panel.ids, name=ID))
    if static is not None and ID not in static.columns and ID in static.index.names:
        static = static.reset_index(level=ID)  # ids as the index (static_df.set_index)
    for c in columns:
        if static is not None and c in static.columns:
            if ID not in static.columns:
                raise DataError(f"static covariates: the table needs a {ID!r} column; found "
                                f"{list(static.columns)}")
            s = _one_value_each(static, c)
            missing = [u for u in panel.ids if u not in s.index]
            if missing:  # (ids 1.0, 2.0 of a float column were "no value for series '1'")
                known = set(panel.ids)
                strangers = [u for u in s.index if u not in known]
                raise DataError(f"static covariate {c!r} has no value for series {missing[:5]} "
                                f"({len(missing)} of {len(panel.ids)}); expected one row per "
                                f"series in the static table: add rows for them" + (
                                    f"; the table's ids {strangers[:3]} are not the series' "
                                    f"ids: give them as in the data (e.g. {missing[0]!r})"
                                    if strangers else ""))
            out[c] = s.reindex(list(panel.ids)).to_numpy()
            if c in panel.df.columns:
                _refuse_two_sources(panel.df, out[c], c)
        elif c in panel.df.columns:
            refuse_varying(panel.df, [c])
            out[c] = panel.df.groupby(ID, sort=False)[c].first().reindex(list(panel.ids)).to_numpy()
        else:
            where = ("no static table was given: pass static= a table (unique_id, "
                     f"{', '.join(columns)}), one row per series, to fit or backtest" if static
                     is None else f"the static table has {[str(k) for k in static.columns]}")
            raise DataError(f"static covariate {c!r} is neither in the static table nor a column "
                            f"of the panel ({list(panel.covariates)}); {where}")
    return out


def _one_value_each(static: pd.DataFrame, c: str) -> pd.Series:
    """The static table's column ``c`` indexed by its ids as text (the panel's), refused
    where a series has two values: two rows of one id, or ids that read alike as text
    (``1`` and ``'1'`` of an object column, both series '1'), named as the table wrote them."""
    rows = static[[ID, c]].assign(**{ID: static[ID].astype(str)}).drop_duplicates()
    twice = rows[ID][rows[ID].duplicated()].unique()
    if len(twice):  # the first row would be taken without a word
        raw = static[ID][static[ID].astype(str).isin(twice[:5])].drop_duplicates()
        alike = {u: [v for v in raw if str(v) == u] for u in twice[:5]}
        written = {u: vs for u, vs in alike.items() if len(vs) > 1}
        said = "; ".join(f"{' and '.join(map(repr, vs))} are both series {u!r}"
                         for u, vs in written.items())
        raise DataError(f"static covariate {c!r} has more than one value for series "
                        f"{list(map(str, twice[:5]))}; expected one row per series in the "
                        f"static table: keep one" + (
                            f" ({said}: write each id once, as in the data)" if said else ""))
    return rows.set_index(ID)[c]


def _refuse_two_sources(df: pd.DataFrame, table: pd.Series, c: str) -> None:
    """Refuse a static covariate given both by the static table (``table``: its value per
    series) and by the panel's column ``c`` with another value for a series (the table's
    was used without a word); a series whose column is empty (NaN) is no disagreement."""
    refuse_varying(df, [c])
    own = df.groupby(ID, sort=False)[c].first()
    own.index = own.index.astype(str)
    own = own.reindex(table.index)
    other = own.notna() & (own.astype(str) != table.astype(str))
    num_t, num_o = pd.to_numeric(table, errors="coerce"), pd.to_numeric(own, errors="coerce")
    other &= ~(num_t.notna() & num_o.notna() & (num_t == num_o))  # (1 and 1.0 agree)
    if other.any():
        shown = "; ".join(f"{u!r}: table {table[u]!r}, panel {own[u]!r}"
                          for u in other[other].index[:5])
        raise DataError(f"static covariate {c!r} is both a column of the panel and of the "
                        f"static table, with other values for {int(other.sum())} series "
                        f"({shown}); give it once: drop the panel's column or the table's")


def refuse_varying(df: pd.DataFrame, columns: Sequence[str]) -> None:
    """Refuse a static covariate column of the long table ``df`` that holds more than one
    value within a series, naming the column and the series. A NaN is no value (as in the
    rows read_panel adds for dates missing from a series, which fill= leaves in text)."""
    for c in columns:
        per = df.groupby(ID, sort=False)[c].nunique()
        vary = per[per > 1]
        if len(vary):
            raise DataError(f"static covariate {c!r} varies in time within series "
                            f"{list(map(str, vary.index[:5]))}; a static covariate has one "
                            f"value per series: pass it as a past or future covariate instead")


def refuse_changed_static(features, df: pd.DataFrame, columns: Sequence[str]) -> None:
    """Refuse a history (the long table ``df`` given to predict) whose static covariate
    columns hold, for a series the model knows, another value than the one it was fitted
    with (``features``: the fitted :class:`~rnnlab.panel.features.Features`): the fitted
    value would be used without a word. A series whose column is empty in the history
    (NaN: no value, as in :func:`refuse_varying`) keeps its fitted value, as when the
    history has no such column. Series it does not know are left to
    :func:`~rnnlab.panel.new_series.with_new_series`."""
    import numpy as np

    cols = [c for c in columns if c in df.columns]
    if not cols:
        return
    refuse_varying(df, cols)
    enc, changed = features.static, []
    first = df.groupby(ID, sort=False)[cols].first()
    for c in cols:
        for uid, v in first[c].items():
            uid = str(uid)
            if uid not in features.codes or not features.codes[uid] + features.values[uid] \
                    or pd.isna(v):  # (no value in the history: as if the column were absent)
                continue
            if c in enc.categorical:
                code = features.codes[uid][list(enc.categorical).index(c)]
                fitted = enc.categorical[c][code - 1] if code > 0 else None
                same = str(v) == fitted
            else:
                m, s = enc.numeric[c]
                z = features.values[uid][list(enc.numeric).index(c)]
                fitted = z * s + m  # (z held as float32)
                try:  # (text such as 'big': said as a changed value, naming the series)
                    x = float(v)
                except (TypeError, ValueError):
                    x = float("nan")
                same = bool(np.isfinite(x)) and abs(x - fitted) <= 1e-5 * s * (1 + abs(z))
            if not same:
                shown = fitted if c in enc.categorical else float(f"{static_value(z, m, s):.6g}")
                changed.append(f"{uid!r}: {v!r}, fitted with {shown!r}")
        if changed:
            shown = "; ".join(changed[:5])
            raise DataError(f"static covariate {c!r} of the history differs from the value the "
                            f"model was fitted with for {len(changed)} series ({shown}); a "
                            f"static covariate has one value per series, read at fit: fit "
                            f"again with the new values, or give the history the fitted ones")
