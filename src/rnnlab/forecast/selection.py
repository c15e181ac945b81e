"""Choosing between the network and its baselines by rolling-origin validation.

The validation part is the training part's tail that the network never trains on
(its windows end before it; the scaler is fitted before it). From ``K`` origins
o_1 < ... < o_K inside it, every candidate forecasts the next ``H`` values from the true
history ``y[:o_k]``; its score is the mean absolute error over all origins and steps,
divided by the in-sample seasonal-naive MAE of the part before the validation (a MASE):

    score(m) = mean_k mean_h |y_{o_k + h} - f_m(y[:o_k])_h| / scale

The candidate with the lowest score is the choice; a tie goes to the simpler one
(the order of :data:`CANDIDATES`). So on its own validation origins the chosen forecast
is never worse than the baselines it builds on. The test part is never read here.

Candidates (``f`` maps a history to ``steps`` future values):

- ``seasonal_naive`` (``naive`` when the series has no period): y_{t-period}, repeated;
- ``drift``: the model's own target held at the history's mean (with the default log and
  seasonal difference: the seasonal naive grown by the average yearly growth);
- ``linear_ar``: least squares on the last ``lookback`` model-space values, fitted on the
  same windows as the network, forecast recursively;
- ``blend``: the network's model-space forecast shrunk half-way toward that mean;
- ``network``: the trained ensemble, as it is.
"""

from __future__ import annotations

from typing import Callable, Dict, List, Optional

import numpy as np

# preference on a tie: the simpler forecast first
CANDIDATES = ("seasonal_naive", "naive", "drift", "linear_ar", "blend", "network")
SELECTS = ("auto",) + CANDIDATES
BLEND = 0.5  # weight of the network in ``blend`` (the rest: the drift level)


def validation_span(horizon: int, origins: int) -> int:
    """Length of the validation tail that holds ``origins`` forecasts of ``horizon`` steps,
    their origins ``max(1, horizon // 4)`` apart (1 origin: one tail of the horizon)."""
    return horizon + (origins - 1) * max(1, horizon // 4)


def origin_offsets(span: int, horizon: int, origins: int) -> List[int]:
    """Offsets (from the validation part's start) of the forecast origins: evenly spread
    so that the last forecast ends at the validation part's end; one origin forecasting the
    whole tail when it is shorter than the horizon."""
    if span <= horizon or origins <= 1:
        return [0]
    return sorted({int(round(v)) for v in np.linspace(0, span - horizon, origins)})


def rolling_scores(values: np.ndarray, start: int, end: int, horizon: int, origins: int,
                   methods: Dict[str, Callable[[np.ndarray, int], np.ndarray]],
                   scale: float) -> Dict[str, float]:
    """Mean scaled absolute error of each method over the origins in ``values[start:end]``;
    only ``values[:end]`` is read."""
    offsets = origin_offsets(end - start, horizon, origins)
    errs: Dict[str, list] = {name: [] for name in methods}
    for off in offsets:
        o = start + off
        steps = min(horizon, end - o)
        actual = values[o:o + steps]
        for name, f in methods.items():
            errs[name].append(np.abs(np.asarray(f(values[:o], steps)) - actual))
    s = scale if scale and np.isfinite(scale) and scale > 0 else 1.0
    return {name: float(np.mean(np.concatenate(e)) / s) for name, e in errs.items()}


def choose(scores: Dict[str, float], select: str = "auto") -> str:
    """The candidate with the lowest finite score (ties: the simpler), or ``select`` itself."""
    if select != "auto":
        return select
    ok = [(scores[n], CANDIDATES.index(n), n) for n in scores if np.isfinite(scores[n])]
    return min(ok)[2] if ok else "network"


def describe(choice: Optional[dict]) -> str:
    """One line for a table: what was chosen, and why."""
    if not choice:
        return "choice: network (no selection recorded)"
    method = choice["method"]
    scores = choice.get("scores") or {}
    if not scores:
        return f"choice: {method} ({choice.get('reason', 'fixed')})"
    listed = ", ".join(f"{n} {v:.3f}" for n, v in sorted(scores.items(), key=lambda kv: kv[1]))
    if choice.get("select", "auto") != "auto":
        return (f"choice: {method} (set by select={choice['select']!r}; validation MASE over "
                f"{choice['origins']} rolling origins in the training part: {listed})")
    return (f"choice: {method} (lowest validation MASE over {choice['origins']} rolling "
            f"origin{'s' if choice['origins'] != 1 else ''} in the training part: {listed})")
