"""A forecast's future covariates far outside the values the model was fitted on: a
temperature scenario written in Fahrenheit for a model fitted on Celsius (100 where the
data held 9.8 .. 43.2) gave a demand of 800 where the history never passed 350, with an
80% interval of 362 .. 1927, and no word. The network extrapolates there; said in a
:class:`FarCovariateWarning`, the forecast left as it is.

Far: beyond the fitted range by more than half its width (:data:`MARGIN`), so a hot day a
little past the hottest one seen, or a trend's next values, are not said."""

from __future__ import annotations

import warnings
from typing import Sequence

import numpy as np

MARGIN = 0.5  # of the fitted range's width, on either side


class FarCovariateWarning(UserWarning):
    """Future covariate values far outside those the model was fitted on."""


def warn_far_future(covs, values: np.ndarray, columns: Sequence[str], ids: Sequence,
                    dates: Sequence, stacklevel: int = 2) -> None:
    """Warn once, naming each column of ``values`` ((N, C): ``columns`` over the rows
    labelled ``ids`` and ``dates``) with a value far outside the range ``covs`` (a
    fitted :class:`~rnnlab.panel.covariates.ColumnScaler`) was fitted on."""
    if not covs.low or not len(values):  # (a model saved before the range was kept)
        return
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
    if said:
        warnings.warn(f"future covariates far outside the values the model was fitted on: "
                      f"{'; '.join(said)}; the network extrapolates there, and its forecasts "
                      f"and intervals mean little: check the values' units and the scenario",
                      FarCovariateWarning, stacklevel=stacklevel + 1)


def _day(d) -> str:
    text = str(d)
    return text[:10] if text.endswith("00:00:00") else text
