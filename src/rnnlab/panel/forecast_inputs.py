"""What a fitted :class:`~rnnlab.panel.model.GlobalForecaster` forecasts from: the
``history=`` and ``future=`` it is given (under their other names too), read as the fit
read its panel, and the kinds of ids and dates (:mod:`.date_kind`) its tables give back."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any, Optional, Tuple

from ..io.errors import ConfigTypeError
from .covariates import read_columns
from .frame import readable_panel
from .int_steps import check_kinds

if TYPE_CHECKING:
    from .model import GlobalForecaster


def predict_inputs(future: Any, future_covariates: Any, history: Any,
                   panel: Any) -> Tuple[Any, Any]:
    """``(future, history)`` of a call of ``predict``: ``future_covariates=`` is
    ``future=`` (NeuralForecast's name), ``panel=`` the deprecated name of ``history=``;
    both names of one: refused."""
    if future_covariates is not None:
        if future is not None:
            raise ConfigTypeError("predict: pass future= or future_covariates=, not both")
        future = future_covariates
    if panel is not None:
        if history is not None:
            raise ConfigTypeError("predict: pass history= only (panel= is its deprecated name)")
        warnings.warn("GlobalForecaster.predict(panel=...) is deprecated; pass history=...",
                      DeprecationWarning, stacklevel=3)
        history = panel
    return future, history


def read_history(model: "GlobalForecaster", history, where: str = "", **read):
    """``history=`` read once as a PanelFrame, keeping only the covariates the model
    reads (None: the training data's tail). ``read``: a CSV file's ``encoding`` and
    ``off_grid`` (without ``where``: the policy fit was given, ``model.off_grid``),
    checked first (:func:`~rnnlab.data.reading_options.check_reading`) for the call
    ``where`` (``'GlobalForecaster.predict'``), which its refusals name."""
    from ..data.reading_options import check_reading, fitted_off_grid
    from ..io.encoded_path import named_call
    from .week_freq import fitted_freq

    if not where:  # (a call that takes no encoding=: read_panel's hint stays; its dates
        # off the grid read with fit's off_grid, as predict(history=) reads them)
        return None if history is None else readable_panel(read_columns(
            history, model.config, fitted_freq(model),  # (on the fitted week)
            off_grid=fitted_off_grid(model, None)))
    check_reading(where, read.get("encoding"), read.get("off_grid", "refuse"))
    with named_call(where):  # (encoding= hinted as the call's, which takes it)
        return None if history is None else readable_panel(read_columns(
            history, model.config, fitted_freq(model), **read))


def check_history_kinds(model: "GlobalForecaster", history, future) -> None:
    """A history or future table of another kind of ds (steps or dates) than the fit's,
    or of steps another distance apart: refused (:func:`.int_steps.check_kinds`)."""
    f = model.features or next((m.features for m in model.local.values()), None)
    check_kinds(model.ds_period, history, future, getattr(f, "freq", None))


def id_kind(model: "GlobalForecaster", history) -> str:
    """The type of the ids to give back: ``history``'s when given, else the fitted panel's."""
    return getattr(history, "id_kind", model.id_kind) if history is not None else model.id_kind


def ds_kind(model: "GlobalForecaster", history) -> Optional[Any]:
    """The date kind (:mod:`.date_kind`) of the ds to name: ``history``'s when given,
    else the fitted panel's."""
    return model.ds_period if history is None else getattr(history, "ds_period", None)
