"""A forecast's future covariates far outside the values the model was fitted on: a
temperature scenario written in Fahrenheit for a model fitted on Celsius (100 where the
data held 9.8 .. 43.2) gave a demand of 800 where the history never passed 350, with an
80% interval of 362 .. 1927, and no word. The network extrapolates there; said in a
:class:`FarCovariateWarning`, the forecast left as it is.

Far: beyond the fitted range by more than half its width (:data:`MARGIN`), so a hot day a
little past the hottest one seen, or a trend's next values, are not said."""

from __future__ import annotations

import warnings
from typing import Sequence, Union

import numpy as np

from ..callers_line import callers_level

MARGIN = 0.5  # of the fitted range's width, on either side


class FarCovariateWarning(UserWarning):
    """Future covariate values far outside those the model was fitted on."""


def warn_far_future(covs, values: np.ndarray, columns: Sequence[str],
                    ids: Union[Sequence, np.ndarray], dates: Union[Sequence, np.ndarray],
                    stacklevel: int = 2) -> None:
    """Warn once, naming each column of ``values`` ((N, C): ``columns`` over the rows
    labelled ``ids`` and ``dates``) with a value far outside the range ``covs`` (a
    fitted :class:`~rnnlab.panel.covariates.ColumnScaler`) was fitted on."""
    said = _far_said(covs, values, columns, ids, dates)
    if said:
        warnings.warn(f"future covariates far outside the values the model was fitted on: "
                      f"{'; '.join(said)}; the network extrapolates there, and its forecasts "
                      f"and intervals mean little: check the values' units and the scenario",
                      FarCovariateWarning, stacklevel=callers_level(stacklevel + 1))


def warn_far_past(covs, values: np.ndarray, columns: Sequence[str],
                  ids: Union[Sequence, np.ndarray], dates: Union[Sequence, np.ndarray],
                  stacklevel: int = 2) -> None:
    """As :func:`warn_far_future`, for the covariates of the windows a forecast reads
    (the past ones, and the future ones' values up to the origin): tonight's file with a
    column in other units (visits as 26,250 where the model was fitted on 26.25) gave a
    forecast that moved a little, and no word."""
    said = _far_said(covs, values, columns, ids, dates)
    if said:
        warnings.warn(f"covariates of the history far outside the values the model was "
                      f"fitted on: {'; '.join(said)}; the network reads them in the window "
                      f"it forecasts from, and its forecasts mean little: check the values' "
                      f"units (and that the column is the one the model was fitted on)",
                      FarCovariateWarning, stacklevel=callers_level(stacklevel + 1))


def _far_said(covs, values: np.ndarray, columns: Sequence[str],
              ids: Union[Sequence, np.ndarray], dates: Union[Sequence, np.ndarray]) -> list:
    """A line per column of ``values`` holding a value far outside its fitted range."""
    if not covs.low or not len(values):  # (a model saved before the range was kept)
        return []
    said = []
    for j, c in enumerate(columns):
        k = covs.columns.index(c)
        lo, hi = covs.low[k], covs.high[k]
        room = MARGIN * (hi - lo)  # (a column constant there: any other value is far)
        x = np.asarray(values[:, j], dtype=np.float64)
        far = (x < lo - room) | (x > hi + room)
        if far.any():
            i = int(np.flatnonzero(far)[np.argmax(np.abs(x[far] - (lo + hi) / 2))])
            said.append(f"{c!r} holds {int(far.sum())} such value{'s' if far.sum() > 1 else ''} "
                        f"(up to {x[i]:.4g}, series {str(ids[i])!r} at {_day(dates[i])}), "
                        f"where the data the model was fitted on held {lo:.4g} .. {hi:.4g}")
    return said


def _day(d) -> str:
    text = str(d)
    return text[:10] if text.endswith("00:00:00") else text


def warn_far_static(numeric: dict, fitted: dict, new: dict, stacklevel: int = 2) -> None:
    """Warn once, naming each numeric static covariate of a new series (``new``: series ->
    its scaled values) far outside those of the series fitted on (``fitted``: the same),
    in the units given (``numeric``: column -> [mean, std], the encoder's scaling): a new
    store of 1000 m² where the fitted ones held 80 .. 300 is as far as a Fahrenheit
    scenario."""
    known = np.asarray([v for v in fitted.values() if len(v) == len(numeric)], np.float64)
    if not len(known) or not new:
        return
    said = []
    for j, (c, (m, s)) in enumerate(numeric.items()):
        lo, hi = known[:, j].min(), known[:, j].max()
        room = MARGIN * (hi - lo)
        far = [(u, v[j]) for u, v in new.items() if not lo - room <= v[j] <= hi + room]
        if far:
            u, v = max(far, key=lambda uv: abs(uv[1] - (lo + hi) / 2))
            more = f" (and {len(far) - 1} more series)" if len(far) > 1 else ""
            low, high = static_value(lo, m, s), static_value(hi, m, s)
            said.append(f"{c!r} of series {str(u)!r} is {static_value(v, m, s):.4g}{more}, "
                        f"where the series fitted on held {low:.4g} .. {high:.4g}")
    if said:
        warnings.warn(f"static covariates of new series far outside those of the series the "
                      f"model was fitted on: {'; '.join(said)}; the network extrapolates "
                      f"there, and its forecasts and intervals mean little: check the "
                      f"values' units", FarCovariateWarning,
                      stacklevel=callers_level(stacklevel + 1))


def static_value(scaled: float, mean: float, std: float) -> float:
    """A static value in the units given, from its float32 scaled one (0, not -4.9e-08)."""
    x = float(scaled) * std + mean
    return 0.0 if abs(x) < 1e-5 * max(std, abs(mean)) else x
