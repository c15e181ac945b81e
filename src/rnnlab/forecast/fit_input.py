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
                named_labels(series, cfg.val_size if val_data is not None else 0),
                stacklevel=CALLER)
    digest = data_hash(series.values)
    if resume and checkpoint_dir is not None:
        refuse_panel_checkpoints(checkpoint_dir, cfg.ensemble)
        warn_resumed_data(checkpoint_dir, cfg.ensemble, digest, stacklevel=CALLER)
    return series, cfg, digest


def check_reading(where: str, encoding, off_grid) -> None:
    """``encoding`` (a name Python knows, or None) and ``off_grid`` (one of
    :data:`~rnnlab.data.option_names.OFF_GRID`) of the call ``where`` (``Forecaster.fit``,
    ``Forecaster.backtest``), checked before any reading: else a ConfigError."""
    from ..data.option_names import OFF_GRID
    from ..io.encoded_path import checked_encoding
    from ..io.errors import ConfigError

    checked_encoding(encoding, where)
    if off_grid not in OFF_GRID:
        raise ConfigError(f"{where}(off_grid={off_grid!r}): expected one of "
                          f"{', '.join(map(repr, OFF_GRID))} (refuse, the default, names a "
                          f"date that breaks the grid; drop drops its row; snap moves it to "
                          f"the date the grid expects)")
