"""Choosing between the network and its baselines by rolling-origin validation.

The validation part is the training part's tail that the network never trains on
(its windows end before it; the scaler is fitted before it). From ``K`` origins
o_1 < ... < o_K inside it, every candidate forecasts the next ``H`` values from the true
history ``y[:o_k]``; its score is the mean absolute error over all origins and steps,
divided by the in-sample seasonal-naive MAE of the part before the validation (a MASE):

    score(m) = mean_k mean_h |y_{o_k + h} - f_m(y[:o_k])_h| / scale

The candidate of :data:`AUTO` with the lowest score is the choice, with one exception:
``combined`` (the model) gives way to a baseline only when the baseline's score is lower
by more than :data:`SWITCH` (30%). Four overlapping origins are a noisy judge, and a
switch on a small difference more often picked the worse forecast: on the 30 tuning series
of ``benchmarks/defaults_us_employment.py --tune``, mean test MASE 0.467 with no margin,
0.456 with 30% (0.683 and 0.662 on the 30 test series, checked after the margin was fixed).
So on its own validation origins the chosen forecast is never worse than a baseline by more
than that margin. A tie between baselines goes to the simpler one (the order of
:data:`CANDIDATES`). The test part is never read here.

``network`` and ``blend`` are scored too, for the record, but ``auto`` does not choose
them: the network's early stopping picked its epoch on these same origins, so its score is
optimistic (on 30 tuning series of ``benchmarks/defaults_us_employment.py --tune`` the
network alone won the validation on 21 and then scored a mean test MASE of 0.551, against
0.475 for ``combined``). ``select=`` still sets any candidate.

Candidates (``f`` maps a history to ``steps`` future values):

- ``seasonal_naive`` (``naive`` when the series has no period): y_{t-period}, repeated;
- ``drift``: the model's own target held at the history's mean (with the default log and
  seasonal difference: the seasonal naive grown by the average yearly growth);
- ``linear_ar``: least squares on the last ``lookback`` model-space values, fitted on the
  same windows as the network, forecast recursively;
- ``combined``: the mean of the network's and the linear AR's model-space forecasts (two
  models with different errors: the mean is steadier than either);
- ``blend``: the network's model-space forecast shrunk half-way toward that mean;
- ``network``: the trained ensemble, as it is.

After the choice the linear AR is fitted again on the whole training part (least squares:
there is no epoch count to carry over); the scores stay those of the validation.
"""

from __future__ import annotations

from typing import Callable, Dict, List, Optional

import numpy as np

# preference on a tie: the simpler forecast first
CANDIDATES = ("seasonal_naive", "naive", "drift", "linear_ar", "combined", "blend", "network")
SELECTS = ("auto",) + CANDIDATES
AUTO = ("seasonal_naive", "naive", "drift", "linear_ar", "combined")  # what auto chooses among
SWITCH = 0.3  # a baseline replaces ``combined`` when its score is lower by more than this share
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
    """The candidate of :data:`AUTO` with the lowest finite score (ties: the simpler), but
    ``combined`` unless that score is more than :data:`SWITCH` below its own; or ``select``."""
    if select != "auto":
        return select
    ok = [(scores[n], CANDIDATES.index(n), n) for n in scores
          if n in AUTO and np.isfinite(scores[n])]
    if not ok:
        return "combined" if "combined" in scores else "network"
    best = min(ok)
    model = scores.get("combined", np.nan)
    if best[2] != "combined" and np.isfinite(model) and best[0] >= (1 - SWITCH) * model:
        return "combined"
    return best[2]


def describe(choice: Optional[dict]) -> str:
    """One line for a table: what was chosen, and why."""
    if not choice:
        return "choice: network (no selection recorded)"
    method = choice["method"]
    scores = choice.get("scores") or {}
    if not scores:
        return f"choice: {method} ({choice.get('reason', 'fixed')})"
    ranked = sorted(scores.items(), key=lambda kv: kv[1])
    if choice.get("select", "auto") != "auto":
        listed = ", ".join(f"{n} {v:.3f}" for n, v in ranked)
        return (f"choice: {method} (set by select={choice['select']!r}; validation MASE over "
                f"{choice['origins']} rolling origins in the training part: {listed})")
    auto = [(n, v) for n, v in ranked if n in AUTO]
    listed = ", ".join(f"{n} {v:.3f}" for n, v in auto)
    why = ("lowest validation MASE" if not auto or auto[0][0] == method else
           f"kept unless a baseline's validation MASE is {SWITCH:.0%} lower")
    aside = ", ".join(f"{n} {v:.3f}" for n, v in ranked if n not in AUTO)
    aside = f"; not chosen on their score, early-stopped on these origins: {aside}" if aside else ""
    return (f"choice: {method} ({why} over {choice['origins']} rolling "
            f"origin{'s' if choice['origins'] != 1 else ''} in the training part: {listed}"
            f"{aside})")
