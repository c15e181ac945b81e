"""Issue 21, seventh round: the ARMA member's order chosen per series, and flatter weights,
scored offline on the defaults_sweep caches (defaults_rules.py says how they are made).

    python benchmarks/defaults_round7.py TUNE_CACHES [--test TEST_CACHE]

1. Auto order: the ARMA member's (p, q), p in 0..3, q in 0..2, chosen per fit by AICc on a
   common sample (every order regressed from the same start, m + 3), k = p + q + 1; a fit
   the root checks refuse is no candidate. It replaces ARMA(2, 1) in ``weighted`` (refitted,
   order re-chosen, before each validation origin). Rule (the fifth round's ARMA rule): ship
   if the tuning mean MASE drops by >= 0.005 with >= 100 of 118 tuning series beating the
   seasonal naive.
2. Flatter weights over ``weighted``'s five members: w_m = MASE_m^-k for k = 0 (equal) and
   k = 1. Rule (the sixth round's): ship only at >= 103 of 118 with a mean MASE <= 0.498.

The test series are read once, for the best variant of each route.

``--intervals``: single-series intervals measured, not built: the product's forecast times
exp(+-z sd_h), sd_h from rnnlab's ARMA(2, 1) on the log seasonal differences (psi weights
integrated through 1 / (1 - B^12), sigma = the spread of its filtered innovations); the
share of held-out months inside the 80% and 95% intervals on the tuning series. Rule written
before the result: build at an 80% coverage of 0.75-0.92. ``--sarima``: the same share for
statsmodels' SARIMA(2,0,1)(0,1,0)12 on the logs (about 10 minutes on 2 cores).
"""

from __future__ import annotations

import sys
from multiprocessing import Pool
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import defaults_routes as Q  # noqa: E402
from defaults_round6 import line  # noqa: E402  (a variant's count and mean MASE, printed)

from rnnlab.forecast import arma as A  # noqa: E402

H, P = Q.H, Q.R.P
MEMBERS = Q.W + ("arma",)  # weighted's five
ORDERS = [(p, q) for p in range(4) for q in range(3) if p + q]


def auto_fit(d: np.ndarray) -> A.ARMA:
    """The AICc-best ARMA(p, q) of ORDERS on d (a zero-change ARMA(1, 0) if none fits)."""
    n, m = len(d), min(A.LONG_AR, len(d) // 4)
    start = m + 3
    best, best_ic = A.ARMA(1, 0), np.inf
    best.coef = np.zeros(1)
    if m < 1 or n - start < 4 * 5:
        return best
    x = A._lags(d, m, m)
    resid = np.zeros(n)
    resid[m:] = d[m:] - x @ np.linalg.lstsq(x, d[m:], rcond=None)[0]
    y, nn = d[start:], n - start
    for p, q in ORDERS:
        a = np.hstack([A._lags(d, start, p), A._lags(resid, start, q)])
        coef = np.linalg.lstsq(a, y, rcond=None)[0]
        if not (A._roots_outside(coef[:p], -1.0)
                and A._roots_outside(coef[p:], 1.0, radius=1.0 / A.MA_FORGETS)):
            continue
        k = p + q + 1
        ic = nn * np.log(np.mean((y - a @ coef) ** 2)) + 2 * k + 2 * k * (k + 1) / (nn - k - 1)
        if ic < best_ic:
            best, best_ic = A.ARMA(p, q), ic
            best.coef = coef
    return best


def auto_arma(train: np.ndarray, steps: int) -> np.ndarray:
    g = np.log(train)
    d = g[P:] - g[:-P]
    return Q.R.from_changes(g, auto_fit(d).forecast(d, steps))


def auto_member(r) -> tuple:
    return ([auto_arma(r["tr"][:o], len(t)) for o, t in zip(r["origins"], r["truth"])],
            auto_arma(r["tr"], H))


def powered(r, k: float, members=MEMBERS) -> np.ndarray:
    w = np.array([max(Q.vmae(r, n), 1e-12) ** -k for n in members])
    return sum(wi * r["tst"][n] for wi, n in zip(w / w.sum(), members))


def log_sd(train: np.ndarray) -> np.ndarray:
    """(H,) forecast standard deviation of log y from the ARMA(2, 1) member's model."""
    g = np.log(train)
    d = g[P:] - g[:-P]
    m = A.ARMA().fit(d)
    a = m.innovations(d)
    sigma = np.std(a[24:]) if len(a) > 48 else np.std(a)
    phi, theta = m.coef[:2], m.coef[2:]
    psi = np.zeros(H)
    psi[0] = 1.0
    for j in range(1, H):
        psi[j] = (theta[0] if j == 1 else 0.0) + sum(phi[i] * psi[j - 1 - i]
                                                      for i in range(2) if j - 1 - i >= 0)
    integrated = np.array([psi[j::-P].sum() for j in range(H)])  # through 1 / (1 - B^12)
    return sigma * np.sqrt(np.cumsum(integrated ** 2))


def coverage(rows, sarima=False) -> None:
    from scipy.stats import norm

    for level in (0.8, 0.95):
        z, inside = norm.ppf(0.5 + level / 2), []
        for r in rows:
            if sarima:
                lo, hi = sarima_interval(r["tr"], level)
            else:
                f, sd = Q.weighted(r, members=MEMBERS), log_sd(r["tr"])
                lo, hi = f * np.exp(-z * sd), f * np.exp(z * sd)
            inside.append((r["y"] >= lo) & (r["y"] <= hi))
        inside = np.array(inside)
        print(f"  {'SARIMA' if sarima else 'weighted, ARMA width'} {level:.0%} interval covers "
              f"{inside.mean():.3f} (year 1 {inside[:, :P].mean():.3f}, year 2 "
              f"{inside[:, P:].mean():.3f})")


def sarima_interval(train: np.ndarray, level: float) -> tuple:
    import warnings

    from statsmodels.tsa.statespace.sarimax import SARIMAX

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = SARIMAX(np.log(train), order=(2, 0, 1), seasonal_order=(0, 1, 0, P),
                      trend="n").fit(disp=False)
    ci = np.exp(fit.get_forecast(H).conf_int(alpha=1 - level))
    return ci[:, 0], ci[:, 1]


def score(rows, label, only=None) -> dict:
    print(f"{len(rows)} {label} series")
    Q.add_arma(rows)
    out = {"default": line("weighted (the default, five members)", rows,
                           [Q.weighted(r, members=MEMBERS) for r in rows])}
    if only in (None, "auto"):
        with Pool(2) as pool:
            for r, (val, tst) in zip(rows, pool.map(auto_member, rows)):
                r["val"]["auto"], r["tst"]["auto"] = val, tst
        line("route 1: auto-order ARMA alone", rows, [r["tst"]["auto"] for r in rows])
        out["auto"] = line("route 1: weighted, auto-order ARMA", rows,
                           [Q.weighted(r, members=Q.W + ("auto",)) for r in rows])
    for k in (0.0, 1.0):
        if only in (None, k):
            out[k] = line(f"route 2: weights MASE^-{k:g}", rows, [powered(r, k) for r in rows])
    return out


def main(argv=None) -> int:
    p = Q.parser(__doc__)
    p.add_argument("--intervals", action="store_true")
    p.add_argument("--sarima", action="store_true")
    a = p.parse_args(argv)
    if a.intervals or a.sarima:
        rows = Q.rows_of(a.tune.split(","))
        Q.add_arma(rows)
        print(f"{len(rows)} tuning series")
        coverage(rows, sarima=a.sarima)
        return 0
    tune = score(Q.rows_of(a.tune.split(",")), "tuning")
    n0, m0 = tune["default"]
    auto_ships = tune["auto"][1] <= m0 - 0.005 and tune["auto"][0] >= 100
    flat = max((0.0, 1.0), key=lambda k: (tune[k][0], -tune[k][1]))
    flat_ships = tune[flat][0] >= 103 and tune[flat][1] <= 0.498
    print(f"route 1 ships: {auto_ships}; route 2's best: MASE^-{flat:g}, ships: {flat_ships}")
    if a.test:
        for only in ("auto", flat):
            score(Q.rows_of([a.test]), "test", only=only)
    return 0


if __name__ == "__main__":
    from script_help import answer_help

    answer_help(__doc__)
    raise SystemExit(main())
