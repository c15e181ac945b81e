"""The panel a baseline (:mod:`.baselines`, :mod:`.ets`, :mod:`.croston`) fits on or
forecasts from: a PanelFrame as it is, a path, frame or dict of series read by
:func:`~rnnlab.panel.frame.read_panel` with the caller's ``encoding`` and ``off_grid``,
checked first as :meth:`GlobalForecaster.fit <rnnlab.panel.model.GlobalForecaster.fit>`
checks them (:func:`rnnlab.data.reading_options.check_reading`)."""

from __future__ import annotations

from typing import Any, Optional

from ..data.reading_options import check_reading, fitted_off_grid
from ..io.encoded_path import named_call
from ..io.errors import NotFittedError
from .frame import readable_panel


def baseline_panel(where: str, data: Any, encoding: Optional[str] = None,
                   off_grid: str = "refuse"):
    """``data`` read for the call ``where`` (``'ETS.fit'``), named in its refusals."""
    check_reading(where, encoding, off_grid)
    with named_call(where):  # (encoding= hinted as this call's, not read_panel's)
        return readable_panel(data, encoding=encoding, off_grid=off_grid)


def forecast_panel(model: Any, history: Any, encoding: Optional[str] = None,
                   off_grid: Optional[str] = None):
    """What ``model.predict`` forecasts from: ``history`` read (as :func:`baseline_panel`;
    ``off_grid`` None: the policy ``model`` was fitted with, its ``off_grid``), else the
    panel fitted on (``model._panel``); before any fit, a NotFittedError."""
    where = f"{type(model).__name__}.predict"
    off_grid = fitted_off_grid(model, off_grid)
    if history is not None:
        return baseline_panel(where, history, encoding, off_grid)
    check_reading(where, encoding, off_grid)  # (given for no file: still refused if wrong)
    if model._panel is None:
        raise NotFittedError(f"{where}() before fit(); call fit(panel)")
    return model._panel
