"""A fitted likelihood model's sample paths: :meth:`GlobalForecaster.sample_paths
<rnnlab.panel.model.GlobalForecaster.sample_paths>` itself (the function is the method: no
frame of its own, so the warnings of the forecast it draws reach the caller's line), out
of model.py, which holds the class's other methods within the house limit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Optional

import numpy as np
import pandas as pd

from ..io.errors import DataError
from .covariates import warn_unread
from .forecast_inputs import check_history_kinds, ds_kind, id_kind, read_history
from .history_static import static_of_history
from .ids import restore_id
from .int_steps import steps_in_errors
from .peer_arguments import refuse_peer_arguments

if TYPE_CHECKING:
    from .frame import PanelData


def sample_paths(self, horizon: Optional[int] = None, future: Optional[pd.DataFrame] = None,
                 history: Optional[PanelData] = None, *,
                 static: Optional[pd.DataFrame] = None, **peer: Any) -> Dict[str, np.ndarray]:
    """``{series id: (samples * ensemble, horizon) array}`` of sample paths in the
    data's units (a likelihood only; ensemble members' paths pooled); ``horizon``,
    ``future``, ``history``, ``static`` as :meth:`predict`'s. With ``strategy='recursive'``
    each path is joint across steps (each sampled value is fed back); with 'direct' the
    steps are drawn independently (marginals only). The
    model's own draws: the calibration (``calibrate``, when fitted) moves
    ``predict``'s intervals, not these. Another library's keywords (``id_column=`` of a
    raw table given as ``history``, ``futr_df=``) are refused as :meth:`predict` refuses
    them, naming ours."""
    refuse_peer_arguments("sample_paths", peer)  # (id_column=: history=read_panel(...))
    if self.config.likelihood is None:
        raise DataError("sample_paths needs a likelihood (gaussian | studentt | negbin); "
                        "a quantile model has no samples: use predict()")
    warn_unread(self.config, future=future)
    paths: Dict[str, np.ndarray] = {}
    panel = read_history(self, history)
    if static is not None:  # (as predict's: a new series' values, joined onto the history)
        panel = static_of_history(self, panel, static, history is not None,
                                  "GlobalForecaster.sample_paths")
    with steps_in_errors(ds_kind(self, panel)):
        check_history_kinds(self, panel, future)  # (as predict: the ds of the fit's kind)
        self._forecast(horizon, future, panel, paths)
    return {restore_id(u, id_kind(self, panel)): p for u, p in paths.items()}


__all__ = ["sample_paths"]
