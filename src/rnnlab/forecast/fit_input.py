"""What :meth:`Forecaster.fit <rnnlab.forecast.Forecaster.fit>` trains on: its data read
(a dataset name, stooq:SYM, CSV path, pandas or numpy), joined to its ``val_data``
(:mod:`.val_data`), and what is said of it before any training: an irregular calendar, an
extreme value (named at its own label; ``val_data``'s as ``val_data[j]``), and a resume
whose checkpoints were trained on other data (:mod:`.resume_data`). Each warning points at
the caller of ``fit``."""

from __future__ import annotations

from typing import Any, Tuple

from ..data.datasets import resolve_data
from ..data.outliers import warn_spikes
from ..data.reading_options import check_reading
from ..data.series import Series
from ..io.rundir import data_hash
from .config import ForecastConfig
from .history import warn_calendar
from .resume_data import refuse_panel_checkpoints, warn_resumed_data
from .val_data import join_validation, named_labels, read_validation

CALLER = 4  # warnings.warn -> warn_* -> read_fit_input -> Forecaster.fit -> its caller


def read_fit_input(data: Any, cfg: ForecastConfig, val_data: Any, checkpoint_dir,
                   resume: bool, **read: Any) -> Tuple[Series, ForecastConfig, str]:
    """(the series fit trains on, the config it trains with: ``val_data`` sizes its
    validation tail, the SHA-256 of the series' values, which each checkpoint records).
    ``read``: how ``data`` and ``val_data`` are read, fit's ``column``, ``date_column``,
    ``fetch``, ``encoding`` (a CSV file's text encoding) and ``off_grid`` (the dates that
    break a series' grid: :mod:`rnnlab.data.off_grid`), checked before any reading."""
    from ..io.encoded_path import named_call

    check_reading("Forecaster.fit", read.get("encoding"), read.get("off_grid", "refuse"))
    with named_call("Forecaster.fit"):  # (encoding= hinted as fit's, not load_series')
        series = resolve_data(data, fill=cfg.fill, weekmask=cfg.weekmask, **read)
        if val_data is not None:  # (:mod:`.val_data`)
            series, cfg = join_validation(series, read_validation(val_data, cfg, **read),
                                          val_data, cfg)
    warn_calendar(series, stacklevel=CALLER)
    warn_spikes(series.name, series.values,  # (val_data's values: val_data[j])
                named_labels(series, int(cfg.val_size or 0) if val_data is not None else 0),
                stacklevel=CALLER)
    digest = data_hash(series.values)
    if resume and checkpoint_dir is not None:
        refuse_panel_checkpoints(checkpoint_dir, cfg.ensemble)
        warn_resumed_data(checkpoint_dir, cfg.ensemble, digest, stacklevel=CALLER)
    return series, cfg, digest

