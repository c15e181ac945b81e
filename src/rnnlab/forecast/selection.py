"""Choosing between the network and its baselines by rolling-origin validation.

The validation part is the training part's tail that the network never trains on
(its windows end before it; the scaler is fitted before it). From ``K`` origins
o_1 < ... < o_K inside it, every candidate forecasts the next ``H`` values from the true
history ``y[:o_k]`` (a gap that ``bfill``/``interpolate`` filled across o_k filled again
from ``y[:o_k]``: :func:`~rnnlab.data.filling.history_before`); its score is the mean
absolute error over all origins and steps, divided by the in-sample seasonal-naive MAE of
the part before the validation (a MASE):

    score(m) = mean_k mean_h |y_{o_k + h} - f_m(y[:o_k])_h| / scale

The model is ``weighted``: the network, the linear AR, the linear AR with no constant, the
ARMA(2, 1) with no constant and the seasonal naive, each weighted by the inverse square of
its score (:func:`weights`):

    weighted = sum_m w_m f_m,   w_m = score(m)^-2 / sum_j score(j)^-2

A candidate of :data:`AUTO` replaces it only when its score is lower than the weighted
forecast's own by more than :data:`SWITCH` (30%), or when the network learnt nothing: a
network scoring more than :data:`USELESS` (2) times the best baseline leaves the choice to the
baselines alone (on the 148 us_employment series this never happened; the network's weight
would then be small, but a forecast that bad has no place in the model).
A tie between baselines goes to the simpler one (the order of :data:`CANDIDATES`). The test
part is never read here.

Why this model (``benchmarks/defaults_rules.py``; the rule was fixed before the test
series were read): on the 118 us_employment series that are not the 30 test ones, among
19 rules of combination and shrinkage toward the seasonal naive, it beat the seasonal naive
on the most series (99 of 118; the previous default ``combined`` 95) without a higher mean
MASE (0.498; ``combined`` 0.507). On the 30 test series: 24 (``combined`` 23), mean MASE
0.577 (0.608). The ``arma`` member came later (``benchmarks/defaults_routes.py --arma``;
the rule, fixed before its results: a tuning mean MASE at least 0.005 lower, on no fewer
series): 100 of 118 and 0.488 with it; on the test series 24 and 0.555 (the chosen
forecast, with the 30% switch: 0.570). Four overlapping origins are a noisy judge of one forecast against another
(a hard choice by the lowest score did worse than any fixed model), but good enough to
weight them. The network's score is optimistic (its early stopping picked its epoch on these
same origins), so it gets more weight than it earns; ``network``, ``blend`` and ``combined``
are scored for the record and ``select=`` still sets any of them.

Candidates (``f`` maps a history to ``steps`` future values):

- ``seasonal_naive`` (``naive`` when the series has no period): y_{t-period}, repeated;
- ``drift``: the model's own target held at the history's mean (with the default log and
  seasonal difference: the seasonal naive grown by the average yearly growth);
- ``linear_ar``: least squares on the last ``lookback`` model-space values, fitted on the
  same windows as the network, forecast recursively;
- ``linear_ar0``: the same on the unscaled differences, with no constant: the forecast
  change decays to zero, i.e. toward the seasonal naive (only for a differenced series);
- ``arma``: an ARMA(2, 1) with no constant on the same differences, fitted by two least
  squares steps (:mod:`.arma`): like ``linear_ar0``, its forecast change decays to zero;
- ``weighted``: the model (above);
- ``combined``: the mean of the network's and the linear AR's model-space forecasts (two
  models with different errors: the mean is steadier than either);
- ``blend``: the network's model-space forecast shrunk half-way toward that mean;
- ``network``: the trained ensemble, as it is.

After the choice the linear ARs and the ARMA are fitted again on the whole training part (least squares:
there is no epoch count to carry over); the scores stay those of the validation. A linear AR
whose refit is explosive, and more so than the fit the validation scored, keeps that fit
(:func:`~rnnlab.forecast.baselines.steadier`; ``choice["refit"]`` leaves it out).
"""

from __future__ import annotations

from typing import Callable, Dict, List, Optional

import numpy as np

from ..io.errors import DataError
from .select_names import CANDIDATES, SELECTS  # noqa: F401  (the choices; SELECTS: their home)
MODEL = "weighted"  # what auto keeps unless a baseline is clearly better
AUTO = ("seasonal_naive", "naive", "drift", "linear_ar", "linear_ar0", "arma", MODEL)  # auto's
MEMBERS = ("network", "linear_ar", "linear_ar0", "arma", "seasonal_naive", "naive")  # weighted's
ON_DIFFERENCES = ("linear_ar0", "arma")  # fitted on the differences: a differenced series only
POWER = 2  # weights: score ** -POWER
SWITCH = 0.3  # a baseline replaces the model when its score is lower by more than this share
USELESS = 2.0  # a network scoring above this multiple of the best baseline's is left out
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
                   scale: float, history: Optional[Callable[[int], np.ndarray]] = None
                   ) -> Dict[str, float]:
    """Mean scaled absolute error of each method over the origins in ``values[start:end]``;
    only ``values[:end]`` is read. ``history(o)``: what a forecast from origin o reads
    (default ``values[:o]``; a fill that read ahead, refilled before o)."""
    offsets = origin_offsets(end - start, horizon, origins)
    errs: Dict[str, list] = {name: [] for name in methods}
    for off in offsets:
        o = start + off
        steps = min(horizon, end - o)
        actual = values[o:o + steps]
        past = values[:o] if history is None else history(o)
        for name, f in methods.items():  # (a forecast that overflows, as the exp of a log
            with np.errstate(over="ignore"):  # series' wild trend can, is inf: scored inf)
                errs[name].append(np.abs(np.asarray(f(past, steps)) - actual))
    s = scale if scale and np.isfinite(scale) and scale > 0 else 1.0
    return {name: float(np.mean(np.concatenate(e)) / s) for name, e in errs.items()}


def weights(scores: Dict[str, float]) -> Dict[str, float]:
    """``weighted``'s weights from the members' scores: score ** -POWER, normalised. A
    member with a non-finite score gets 0; with a score of 0 (a perfect validation), the
    members scoring 0 share the weight. Equal weights when no member has a finite score.
    Scores whose inverse powers leave a float's range (all near 1e200: each 0, a total of
    0; one near 1e-200: an OverflowError) weigh by their ratios to the lowest score, the
    same weights (they depend only on those ratios)."""
    member = {n: float(v) for n, v in scores.items() if n in MEMBERS}
    ok = {n: v for n, v in member.items() if np.isfinite(v) and v >= 0}
    if not ok:
        return {n: 1.0 / len(member) for n in member}
    zero = [n for n, v in ok.items() if v == 0]
    raw = ({n: float(n in zero) for n in member} if zero else _inverse_powers(member, ok))
    total = sum(raw.values())
    return {n: v / total for n, v in raw.items()}


_TINY = float(np.finfo(np.float64).tiny)  # the smallest normal float


def _inverse_powers(member: Dict[str, float], ok: Dict[str, float]) -> Dict[str, float]:
    """Each member's score ** -POWER (0 where not finite), or, where those leave a float's
    normal range, (lowest score / score) ** POWER: in (0, 1], the lowest's exactly 1. A
    total below the smallest normal float is left too: its terms are subnormal, with few
    digits (scores near 1e160 weighed 0.038 where the ratios give 0.048)."""
    try:
        raw = {n: (ok[n] ** -POWER if n in ok else 0.0) for n in member}
        if _TINY <= sum(raw.values()) < np.inf:
            return raw
    except OverflowError:
        pass
    best = min(ok.values())
    return {n: ((best / ok[n]) ** POWER if n in ok else 0.0) for n in member}


def baseline(names) -> str:
    """The baseline the selection falls back to among ``names``: the seasonal naive where
    named (a series with a period, :meth:`Forecaster.candidates`), else the naive."""
    return "seasonal_naive" if "seasonal_naive" in names else "naive"


def check_weights(w, source: str) -> Dict[str, float]:
    """Weights read from a file: members of :data:`MEMBERS`, finite, >= 0, summing to 1."""
    if not isinstance(w, dict) or not w or not set(w) <= set(MEMBERS):
        raise DataError(f"{source}: expected weights of some of {MEMBERS}, found {w!r}")
    v = np.array([w[n] for n in w], dtype=np.float64)
    if not np.isfinite(v).all() or (v < 0).any() or abs(v.sum() - 1) > 1e-6:
        raise DataError(f"{source}: weights must be finite, >= 0 and sum to 1, found {w!r}")
    return {n: float(x) for n, x in w.items()}


def choose(scores: Dict[str, float], select: str = "auto") -> str:
    """The candidate of :data:`AUTO` with the lowest finite score (ties: the simpler), but
    the model (:data:`MODEL`) unless that score is more than :data:`SWITCH` below its own
    or the network's score is more than :data:`USELESS` times the best baseline's; or
    ``select``."""
    if select != "auto":
        return select
    ok = [(scores[n], CANDIDATES.index(n), n) for n in scores
          if n in AUTO and np.isfinite(scores[n])]
    if not ok:
        return MODEL if MODEL in scores else "network"
    best = min(ok)
    baselines = [t for t in ok if t[2] != MODEL]
    network = scores.get("network")
    if baselines and network is not None and not network <= USELESS * min(baselines)[0]:
        return min(baselines)[2]  # (a NaN network score too)
    model = scores.get(MODEL, np.nan)
    if best[2] != MODEL and np.isfinite(model) and best[0] >= (1 - SWITCH) * model:
        return MODEL
    return best[2]


def describe(choice: Optional[dict]) -> str:
    """One line for a table: what was chosen, and why."""
    if not choice:
        return "choice: network (no selection recorded)"
    method = choice["method"]
    scores = choice.get("scores") or {}
    w = choice.get("weights") if method == MODEL else None
    weighted = ("; weights " + ", ".join(f"{n} {v:.2f}" for n, v in
                                         sorted(w.items(), key=lambda kv: -kv[1]))) if w else ""
    if not scores:
        return f"choice: {method} ({choice.get('reason', 'fixed')}{weighted})"
    ranked = sorted(scores.items(), key=lambda kv: kv[1])
    origins = (f"{choice['origins']} rolling origin{'s' if choice['origins'] != 1 else ''} "
               f"in the training part")
    if choice.get("select", "auto") != "auto":
        listed = ", ".join(f"{n} {v:.3f}" for n, v in ranked)
        return (f"choice: {method} (set by select={choice['select']!r}; validation MASE over "
                f"{origins}: {listed}{weighted})")
    auto = [(n, v) for n, v in ranked if n in AUTO]
    listed = ", ".join(f"{n} {v:.3f}" for n, v in auto)
    base = [v for n, v in auto if n != MODEL]
    useless = bool(base) and not scores.get("network", 0.0) <= USELESS * base[0]
    why = (f"the network's validation MASE is more than {USELESS:g} times the best "
           f"baseline's; lowest among the baselines" if useless and method != MODEL else
           "lowest validation MASE" if not auto or auto[0][0] == method else
           f"kept unless a baseline's validation MASE is {SWITCH:.0%} lower")
    aside = ", ".join(f"{n} {v:.3f}" for n, v in ranked if n not in AUTO)
    aside = f"; scored for the record, not chosen on it: {aside}" if aside else ""
    return f"choice: {method} ({why} over {origins}: {listed}{weighted}{aside})"
