"""The choice of a fitted Forecaster: every candidate forecasts rolling origins in the
training part's validation tail (never the test part); ``selection`` scores and chooses.
The members' forecasts at each origin are made once, for their own scores and for the
weighted model's."""

from __future__ import annotations

from typing import Dict, Optional

import numpy as np

from ..data.filling import history_before
from . import selection as S
from .methods import weighted
from .metrics import mase_scale


def choose_on_origins(f, train: np.ndarray, n_fit: int) -> Dict:
    """The choice dict of Forecaster ``f`` (fitted on ``train[:n_fit]``): method, scores
    (validation MASE per candidate), origins, select and the weighted model's weights."""
    cfg = f.config
    have = f.candidates()
    if n_fit >= len(train):
        method = "network" if cfg.select == "auto" else cfg.select
        w: Optional[Dict[str, float]] = S.weights(  # equal: no scores
            {n: np.nan for n in S.MEMBERS if n in have})
        return {"method": method, "scores": {}, "origins": 0,
                "weights": w if method == S.MODEL else None,
                "reason": "no validation part (val_size=0): nothing to choose on" +
                          (", equal weights" if method == S.MODEL else "")}
    wanted = S.CANDIDATES if cfg.select == "auto" else ("network", cfg.select) + (
        S.MEMBERS if cfg.select == S.MODEL else ())  # forced: scored beside the network
    names = [n for n in S.CANDIDATES if n in have and n in wanted and n != S.MODEL]
    filled, fill = f.series.filled, f.series.fill or cfg.fill

    def history(o):  # train[:o], a gap filled across o filled again from before it
        return history_before(train, filled, fill, o)

    scale = mase_scale(history(n_fit), f.period)

    def scores_of(methods):
        return S.rolling_scores(train, n_fit, len(train), cfg.horizon, cfg.origins,
                                methods, scale, history)

    memo = {}  # the members' forecasts at each origin, made once for both scorings

    def member(n, h, s):
        if (n, len(h)) not in memo:
            memo[n, len(h)] = f.forecast_with(n, h, s)
        return memo[n, len(h)]

    scores = scores_of({n: (lambda h, s, n=n: member(n, h, s)) for n in names})
    w = None
    if S.MODEL in wanted:
        w = S.weights({n: v for n, v in scores.items() if n in S.MEMBERS})
        scores.update(scores_of({S.MODEL: lambda h, s: weighted(
            w, lambda n: member(n, h, s))}))
    offsets = S.origin_offsets(len(train) - n_fit, cfg.horizon, cfg.origins)
    return {"method": S.choose(scores, cfg.select), "scores": scores,
            "origins": len(offsets), "select": cfg.select, "weights": w}
