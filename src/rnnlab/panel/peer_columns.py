"""NeuralForecast's forecast columns (one per model: ``LSTM``, ``LSTM-median``,
``LSTM-lo-80``, ``LSTM-hi-80``) said as ours (``mean``, ``q0.5``, ``q0.1``, ``q0.9``), for
the refusal of a frame without ``mean`` (:func:`rnnlab.panel.accuracy`): the rename that
scores it, not only the columns expected."""

from __future__ import annotations

import re
from typing import Dict, Iterable

import pandas as pd

_BAND = re.compile(r"^(?P<model>.+)-(?P<side>lo|hi)-(?P<level>\d+(?:\.\d+)?)$")
# NeuralForecast 2's predict(quantiles=[0.1, 0.5, 0.9]): M_ql0.1, M_ql0.5, M_ql0.9 (its 0.5
# is the median); read as a model called M_ql0.1, a quantile was scored as the point
_QUANTILE = re.compile(r"^(?P<model>.+)_ql(?P<q>0?\.\d+)$")


def peer_renames(columns: Iterable) -> Dict[str, Dict[str, str]]:
    """``{model: {its column: ours}}`` for each model whose interval columns
    (``M-lo-80``, ``M-hi-80``), quantile columns (``M_ql0.1``) or median beside its point
    (``M``, ``M-median``) are among ``columns``;
    its point column ``M`` (and ``M-median``) where present."""
    columns = [str(c) for c in columns]
    out: Dict[str, Dict[str, str]] = {}
    for c in columns:
        model, q = _level_of(c)
        if model is not None:
            out.setdefault(model, {})[c] = f"q{q:g}"
        elif c.endswith("-median") and c[:-len("-median")] in columns:  # (M and M-median
            out.setdefault(c[:-len("-median")], {})  # alone: a median read as its level)
    for model, renames in out.items():
        if f"{model}-median" in columns:
            renames[f"{model}-median"] = "q0.5"
        if model in columns:
            renames[model] = "mean"
    return out


def _level_of(column: str):
    """``(model, quantile level)`` of a peer's interval or quantile column, else
    ``(None, None)``."""
    m = _BAND.match(column)
    if m and 0 < float(m["level"]) < 100:
        tail = round((100 - float(m["level"])) / 200, 10)  # (80: 0.1)
        return m["model"], tail if m["side"] == "lo" else round(1 - tail, 10)
    m = _QUANTILE.match(column)
    if m and 0 < float(m["q"]) < 1:
        return m["model"], round(float(m["q"]), 10)
    return None, None


def peer_hint(columns: Iterable) -> str:
    """``""``, or a sentence giving the rename of NeuralForecast's columns to ours (one
    frame per model, labelled by a ``model`` column, then concatenated)."""
    found = peer_renames(columns)
    if not found:
        return ""
    model, renames = next(iter(found.items()))
    mapping = dict(sorted(renames.items(), key=lambda kv: (
        kv[1] != "mean", 0.0 if kv[1] == "mean" else float(kv[1][1:]))))
    more = f" (likewise {', '.join(map(repr, list(found)[1:]))}, then pd.concat)" \
        if len(found) > 1 else ""
    cutoff = ("; its 'cutoff' column is read as the origin"
              if "cutoff" in [str(c) for c in columns] else "")
    # a quantile loss's frame (MQLoss: M-median and the bands, no M column): its median is
    # the point, as our mean column is a quantile model's median (the rename alone left the
    # frame without 'mean', refused again)
    median = next((c for c, ours in mapping.items() if ours == "q0.5"), None)
    point = (f".assign(mean=fc[{median!r}])"
             if "mean" not in mapping.values() and median is not None else "")
    return (f"; NeuralForecast's columns of model {model!r} are ours renamed: "
            f"fc{point}.rename(columns={mapping!r}).assign(model={model!r}){more}{cutoff}")


def with_id_column(frame):
    """``frame`` with its ``unique_id`` index level (and ``ds``, where it is one too) as
    columns (NeuralForecast before 1.7 returned its forecasts indexed by ``unique_id``:
    refused as lacking the column); any other frame as it is."""
    if not isinstance(frame, pd.DataFrame) or "unique_id" in frame.columns \
            or "unique_id" not in list(frame.index.names):
        return frame
    levels = [n for n in ("unique_id", "ds") if n in list(frame.index.names)
              and n not in frame.columns]
    return frame.reset_index(level=levels)
