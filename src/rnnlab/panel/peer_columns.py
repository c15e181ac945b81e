"""NeuralForecast's forecast columns (one per model: ``LSTM``, ``LSTM-median``,
``LSTM-lo-80``, ``LSTM-hi-80``) said as ours (``mean``, ``q0.5``, ``q0.1``, ``q0.9``), for
the refusal of a frame without ``mean`` (:func:`rnnlab.panel.accuracy`): the rename that
scores it, not only the columns expected."""

from __future__ import annotations

import re
from typing import Dict, Iterable

import pandas as pd

_BAND = re.compile(r"^(?P<model>.+)-(?P<side>lo|hi)-(?P<level>\d+(?:\.\d+)?)$")


def peer_renames(columns: Iterable) -> Dict[str, Dict[str, str]]:
    """``{model: {its column: ours}}`` for each model whose interval columns
    (``M-lo-80``, ``M-hi-80``) are among ``columns``; its point column ``M`` (and
    ``M-median``) where present."""
    columns = [str(c) for c in columns]
    out: Dict[str, Dict[str, str]] = {}
    for c in columns:
        m = _BAND.match(c)
        if not m or not 0 < float(m["level"]) < 100:
            continue
        tail = round((100 - float(m["level"])) / 200, 10)  # (80: 0.1)
        q = tail if m["side"] == "lo" else round(1 - tail, 10)
        out.setdefault(m["model"], {})[c] = f"q{q:g}"
    for model, renames in out.items():
        if f"{model}-median" in columns:
            renames[f"{model}-median"] = "q0.5"
        if model in columns:
            renames[model] = "mean"
    return out


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
    median = f"{model}-median"
    point = (f".assign(mean=fc[{median!r}])"
             if "mean" not in mapping.values() and median in mapping else "")
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
