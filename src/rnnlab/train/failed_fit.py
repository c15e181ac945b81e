"""A forecaster's ``fit`` that raises leaves the forecaster as it was before the call.

:class:`~rnnlab.forecast.Forecaster` and :class:`~rnnlab.panel.GlobalForecaster` set their
fitted parts one at a time: the seasonal period and the linear AR and ARMA before the
network trains, the network, the series and the choice after it (a panel model: its
features and histories before, its members and tails after). A fit stopped in between (a
tuner pruning a trial by raising from ``on_epoch``, ``TrainingDiverged``, Ctrl-C, a series
refused after its period was set) left a mix of two fits: the previous network beside the
new data's linear AR, a forecast that was neither's, and ``repr`` saying "fitted on" the
old series. The parts are put back together instead: the previous fit, whole, or none."""

from __future__ import annotations

import contextlib
from typing import Any, Iterator


@contextlib.contextmanager
def kept_unless_done(obj: Any) -> Iterator[None]:
    """``obj``'s attributes, put back as they were when the block raises (any exception,
    KeyboardInterrupt too). Shallow: the block must assign new parts, not change the old
    ones in place (a fit builds each part afresh)."""
    before = dict(vars(obj))
    try:
        yield
    except BaseException:
        vars(obj).clear()
        vars(obj).update(before)
        raise
