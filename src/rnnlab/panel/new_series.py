"""Series a fitted global model did not train on, forecast from their own history.

A global network reads every series in model space (:mod:`.scaling`): its weights are
shared, only each series' transform (log or not, loc, scale) is its own. A series first
seen in ``predict(history=...)`` (a new product, or one too short to train on at the
backtest's first origin) gets its transform fitted on the history given, which holds
only values up to its origin, and is forecast by the same network, as NeuralForecast and
Darts forecast new series with a global model. The fitted model is not changed: the
transforms live in a copy of its :class:`~rnnlab.panel.features.Features`.

The same for a series modelled in logs (``transform='auto'``, positive in training)
whose window now holds a 0 or a negative value: its transform is fitted again, without
the log, on the history given.

Refused, with the series named: a model that reads static covariates, for a series
whose values it does not know (those of series ``fit`` skipped as too short are kept,
:func:`remember_static`), and a local model (``local=True``: no model for them).
"""

from __future__ import annotations

import dataclasses
import warnings
from typing import Optional, Sequence, Tuple

import numpy as np
import pandas as pd

from ..io.errors import DataError
from .config import PanelConfig
from .covariates import numeric_covariates
from .far_covariates import warn_far_static
from .features import Features
from .frame import ID, Y
from .scaling import SeriesTransform
from .series_blocks import blocks
from .static_covariates import refuse_changed_static, refuse_varying
from .week_freq import week_of
from ..callers_line import callers_level


def with_new_series(features: Features, df: pd.DataFrame, cfg: PanelConfig,
                    stacklevel: int = 4) -> Tuple[pd.DataFrame, Features]:
    """``(df, features)``: ``features`` extended (in a copy) with a transform fitted on the
    rows of ``df`` of each series the model was not fitted on (``features`` itself when
    there is none); ``df`` without new series too short to forecast from (a warning names
    them; ``on_short='error'``: a DataError)."""
    groups = _series_values(df)  # {id: y}
    features = _without_log_where_not_positive(features, groups, cfg, stacklevel + 1)
    new = [u for u in groups if u not in features.transforms]
    if not new:
        return df, features
    need = features.lookback + features.lag
    short = [u for u in new if len(groups[u]) < need]
    if short:  # as fit does with short series: skipped with a warning, or on_short='error'
        msg = (f"series {short[:5]} {_not_trained(features, short)} and have fewer than "
               f"lookback + lag = {need} points to forecast from "
               f"({', '.join(str(len(groups[u])) for u in short[:5])})")
        if cfg.on_short == "error" or len(short) == len(groups):
            raise DataError(f"{msg}; give a longer history or leave them out")
        warnings.warn(f"{msg}; skipped (not forecast)", stacklevel=callers_level(stacklevel))
        df = df[~df[ID].isin(short)]
        new = [u for u in new if u not in short]
        if not new:
            return df, features
    # (after the short ones are skipped: a series too short to forecast needs no static value)
    static = list(features.static.categorical) + list(features.static.numeric)
    unknown = [u for u in new if u not in features.codes]  # (codes kept by remember_static)
    if static and unknown:  # (their values given as columns of the history: encoded)
        features = _static_of_history(features, df, static, unknown)
        unknown = [u for u in unknown if u not in features.codes]
    if static and unknown:
        why = [f"{u}: {features.unencoded[u]}" for u in unknown if u in features.unencoded]
        # (where the values go: it named the history's columns only, not predict's static=
        # or the command line's --static-data, a row of which was missing)
        where = ("as predict(static=...) rows (--static-data FILE.csv on the command line) "
                 "or as columns of the history")
        fix = (f"their values are not ones the training series had ({'; '.join(why[:3])}): "
               f"give each a category the training series have and a value for each column, "
               f"{where}, or leave the series out"
               if why else f"give their values ({', '.join(map(repr, static))}: one value "
               f"per series) {where}")
        raise DataError(f"series {unknown[:5]} were not in the training panel, and the model "
                        f"reads static covariates {static} known only for the series given "
                        f"to fit; {fix}; or fit again with these series (or without static "
                        "covariates) to forecast them")
    shown = f"{new[:5]}{' and %d more' % (len(new) - 5) if len(new) > 5 else ''}"
    transforms = dict(features.transforms)
    for u in new:
        transforms[u] = SeriesTransform.fit(groups[u], u, cfg.transform, features.lag,
                                            counts=cfg.likelihood == "negbin",
                                            robust=cfg.scale == "robust")
    warnings.warn(f"series {shown} {_not_trained(features, new)}: forecast by the global "
                  f"network from their history alone (each one's scaling fitted on the "
                  f"history given)", stacklevel=callers_level(stacklevel))
    return df, dataclasses.replace(features, transforms=transforms,
                                   codes={**{u: [] for u in new}, **features.codes},
                                   values={**{u: [] for u in new}, **features.values})


def _not_trained(features: Features, ids: Sequence[str]) -> str:
    """Why the series ``ids`` have no transform of the fit: new, or skipped by fit as too
    short (the points it was given; "were not in the training panel" said of a series
    the user gave to fit read as if fit had lost it)."""
    skipped = [u for u in ids if u in features.skipped]
    if not skipped:
        return "were not in the training panel"
    said = ", ".join(f"{u!r} had {features.skipped[u]}" for u in skipped[:5])
    return (f"were not trained on ({'' if len(skipped) == len(ids) else 'new, or '}skipped "
            f"by fit as too short for its windows: {said} points there)")


def history_rows(features: Features, panel, cfg: PanelConfig):
    """``(rows, features)`` to forecast after each series of a history ``panel``: its
    covariates checked numeric, known series shorter than look-back + lag skipped with a
    warning (refused with ``on_short='error'`` or when every series is), and
    features with the series the model was not fitted on added (:func:`with_new_series`)."""
    f = features
    check_history(f, panel, cfg)
    df = without_short(panel, list(f.transforms), f.lookback + f.lag, cfg.on_short, 6)
    return with_new_series(f, df, cfg, stacklevel=6)


def check_history(f: Features, panel, cfg: PanelConfig) -> None:
    """A history ``panel`` refused where the model cannot read it: dates another distance
    apart than the fit's, covariates not numeric, static values other than the fit's."""
    if not _same_freq(getattr(panel, "freq", None), f.freq):  # weekly read as daily steps
        from ..data.custom_days import other_week
        from .week_freq import freq_name

        other_week(week_of(panel.freq), week_of(f.freq), "the history")  # (Tue-Sun, Mon-Sat)
        raise DataError(f"the history's dates are {freq_name(panel.freq)} apart, but the "
                        f"model was fitted on {freq_name(f.freq)} data; give the history at "
                        f"the model's frequency (resample it), or fit a model on "
                        f"{freq_name(panel.freq)} data")
    # (the same week: the holidays of the years its forecasts reach are closed by
    # forecast_table, :func:`~rnnlab.panel.week_freq.far_features`)
    numeric_covariates(panel.df, f.past + f.future, "past/future")
    refuse_changed_static(f, panel.df, cfg.static_covariates)


def without_short(panel, known: Sequence[str], need: int, on_short: str,
                  stacklevel: int) -> pd.DataFrame:
    """``panel.df`` without the series of ``known`` that have fewer than ``need`` (look-back
    + lag) points, skipped with a warning as fit and new series skip them; refused with
    ``on_short='error'`` or when no series would be left (one short series stopped the
    forecast of all)."""
    n = panel.lengths()
    short = n[(n < need) & n.index.isin(list(known))]
    if not len(short):
        return panel.df
    msg = (f"series {list(short.index[:5])} have fewer than lookback + lag = {need} points "
           f"to forecast from ({', '.join(map(str, short.to_numpy()[:5]))})")
    if on_short == "error" or len(short) == len(n):
        raise DataError(f"{msg}; give at least {need} points of each series' history, or "
                        f"leave them out")
    warnings.warn(f"{msg}; skipped (not forecast)", stacklevel=stacklevel)
    return panel.df[~panel.df[ID].isin(list(short.index))]


def _same_freq(a, b) -> bool:
    """Whether two pandas frequencies are the same step ('W' and 'W-SUN' are); True when
    one is unknown."""
    if a is None or b is None or (isinstance(a, str) and not a) or \
            (isinstance(b, str) and not b):
        return True
    from .week_freq import week_of

    week_a, week_b = week_of(a), week_of(b)
    if week_a is not None and week_b is not None:  # (its holidays kept up to date)
        return week_a["weekmask"] == week_b["weekmask"]
    try:
        return pd.tseries.frequencies.to_offset(a) == pd.tseries.frequencies.to_offset(b)
    except ValueError:
        return str(a) == str(b)


def remember_static(features: Features, full, kept, columns: Sequence[str],
                    static: Optional[pd.DataFrame]) -> None:
    """Keep the static covariates of the series ``fit`` skipped (too short to train on),
    encoded as the training series' are, so they can be forecast later from a longer
    history (a backtest's later origins). A series whose category the training series
    never had, or that has no static value, is left out (it is refused if given)."""
    fitted = set(kept.ids)
    skipped = [u for u in full.ids if u not in fitted]
    if not columns:
        return
    from .static_covariates import static_table

    try:
        table = static_table(full.with_df(full.df[full.df[ID].isin(skipped)]), columns, static)
    except (DataError, ValueError, TypeError):  # no or unusable static values: not kept
        table = None
    if static is not None and ID in static.columns and set(columns) <= set(static.columns):
        # series of the static table with no rows in ``full`` (a backtest's first origin
        # may come before a series starts): kept too, for the later origins
        rows = static.assign(**{ID: static[ID].astype(str)}).drop_duplicates(ID)
        rows = rows[~rows[ID].isin(set(full.ids))].set_index(ID)[list(columns)]
        table = rows if table is None else pd.concat([table, rows])
    if table is not None and not table.empty:
        keep_encoded(features, table)


def keep_encoded(features: Features, table: pd.DataFrame) -> None:
    """Encode ``table`` (index: series ids; the static columns) as the training series'
    values were, into ``features.codes``/``values``; a series whose category no training
    series had, or with no value, is kept out, its reason in ``features.unencoded``."""
    try:
        codes, values = features.static.encode(table)
    except (ValueError, TypeError):  # unusable static values: not kept
        return
    cats = list(features.static.categorical)
    for i, u in enumerate(table.index):
        if (codes[i] > 0).all() and np.isfinite(values[i]).all():
            features.codes[str(u)], features.values[str(u)] = codes[i].tolist(), values[i].tolist()
        else:  # said if the series is forecast (:func:`with_new_series`)
            row = table.iloc[i]  # (by place: its own row, whatever the other ids)
            features.unencoded[str(u)] = ", ".join(
                [f"{c!r} has no value" if pd.isna(row[c]) else
                 f"{c!r} = {row[c]!r}, a category no training series had (they have "
                 f"{features.static.categorical[c][:6]})" for j, c in enumerate(cats)
                 if codes[i, j] == 0] +
                [f"{c!r} has no value" for j, c in enumerate(features.static.numeric)
                 if not np.isfinite(values[i, j])])


def _static_of_history(features: Features, df: pd.DataFrame, columns: Sequence[str],
                       ids: Sequence[str]) -> Features:
    """``features`` (a copy where anything is added) with the static covariates of the new
    series ``ids`` as the history ``df`` gives them, columns constant per series (as
    NeuralForecast's predict(df=..., static_df=...) takes a new series' values): encoded
    as the training series' were, a category the training series had or a number. A
    history without every static column gives none (the refusal then says to add them)."""
    if not set(columns) <= set(df.columns):
        return features
    rows = df[df[ID].astype(str).isin(set(ids))]
    refuse_varying(rows, columns)
    table = rows.groupby(ID, sort=False)[list(columns)].first()
    table.index = table.index.astype(str)
    out = dataclasses.replace(features, codes=dict(features.codes),
                              values=dict(features.values), unencoded=dict(features.unencoded))
    keep_encoded(out, table)
    warn_far_static(features.static.numeric, features.values,
                    {u: out.values[u] for u in table.index if u in out.codes}, stacklevel=5)
    return out


def constant_static(df: pd.DataFrame, columns) -> Optional[pd.DataFrame]:
    """``unique_id`` and the static ``columns`` of a long table, one row per series (for a
    backtest: constant in time, so nothing after an origin, and a model fitted at the first
    origin then knows a series that starts after it); None without such columns. A column
    that varies in time within a series is refused here, over the whole table: the fit at
    the first origin sees only the rows before it, so a value that changes after it was
    taken without a word (``refit='never'``) or refused only at a later origin's fit."""
    cols = list(columns or ())
    if not cols or not set(cols) <= set(df.columns):
        return None
    refuse_varying(df, cols)
    return df.groupby(ID, sort=False)[cols].first().reset_index()


def _without_log_where_not_positive(features: Features, groups: dict, cfg: PanelConfig,
                                    stacklevel: int) -> Features:
    """With ``transform='auto'`` a series positive in training was modelled in logs; once
    its window holds a 0 or a negative value (a sale-less week) there is no log to take:
    its transform is fitted again without the log on the history given (as a new series'
    is), instead of the forecast stopping. ``transform='log'``: kept, so the error says so."""
    need = features.lookback + features.lag
    redo = [u for u, y in groups.items() if u in features.transforms and cfg.transform == "auto"
            and features.transforms[u].log and (y[-need:] <= 0).any()]
    if not redo:
        return features
    transforms = dict(features.transforms)
    for u in redo:
        transforms[u] = SeriesTransform.fit(groups[u], u, "none", features.lag,
                                            robust=cfg.scale == "robust")
    warnings.warn(f"series {redo[:5]}{' and more' if len(redo) > 5 else ''} were positive in "
                  f"training (modelled in logs, transform='auto') but hold values <= 0 in the "
                  f"last {need} points given: forecast without the log, scaled on the history "
                  f"given", stacklevel=callers_level(stacklevel))
    return dataclasses.replace(features, transforms=transforms)


def _series_values(df: pd.DataFrame) -> dict:
    """``{id as text: its y values}`` in the order a ``groupby(sort=False)`` visits them,
    each series' values in its rows' order: the groups without a frame per series (3 ms
    a series, at every backtest origin)."""
    b = blocks(df)
    y = df[Y].to_numpy()[b.order]
    return {str(u): y[s:s + n] for u, s, n in zip(b.ids, b.starts.tolist(), b.lengths.tolist())}
