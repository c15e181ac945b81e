"""A training history as CSV, one row per epoch, for a spreadsheet or
``pandas.read_csv`` (Keras' CSVLogger, Lightning's metrics.csv): ``History.to_csv`` and
the ``history.csv`` of a ``rnnlab forecast`` run (one block of rows per ensemble member)."""

from __future__ import annotations

import csv
import io
import json
import math
from typing import List, Optional, Sequence

from ..io.atomic import atomic_write_text

# the loop's own fields first, in this order; an on_epoch's after them, as first seen
FIELDS = ("epoch", "train_loss", "val_loss", "lr", "seconds", "cpu_seconds", "grad_norm_mean",
          "grad_norm_max", "clipped_steps")


def history_csv(histories: Sequence, label: Optional[str] = None) -> str:
    """The CSV text of ``histories`` (each a :class:`~rnnlab.train.History` or its
    ``to_dict()``); ``label``: the name of a first column numbering them from 0 (a
    forecast's ``member``), None for one history without it. A missing value (None, a
    NaN loss: an epoch whose every step was skipped) is an empty cell; a list or dict
    an on_epoch stored is its JSON text."""
    records = [_epochs(h) for h in histories]
    keys = list(FIELDS)
    for rec in (r for epochs in records for r in epochs):
        keys += [k for k in rec if k not in keys]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(([label] if label else []) + keys)
    for n, epochs in enumerate(records):
        for rec in epochs:
            writer.writerow(([n] if label else []) + [_cell(rec.get(k)) for k in keys])
    return out.getvalue()


def write_history_csv(path, histories: Sequence, label: Optional[str] = None):
    """:func:`history_csv` written atomically to ``path``; returns the path."""
    return atomic_write_text(path, history_csv(histories, label))


def _epochs(h) -> List[dict]:
    epochs = h.get("epochs") if isinstance(h, dict) else h.epochs
    return list(epochs or [])


def _cell(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float):
        return repr(v)  # (every digit: the same number read back)
    if isinstance(v, (list, dict)):
        return json.dumps(v)
    return str(v)
