"""Issue 21, sixth round: two more members' routes to the "beats seasonal naive on 90%"
target, scored offline on the defaults_sweep caches (defaults_rules.py says how they are made).

    python benchmarks/defaults_round6.py TUNE_CACHES [--test TEST_CACHE]

1. Longer validation for the cheap members: the seasonal naive, the AR without constant and
   the ARMA scored on K origins over a longer stretch (refitted before each; K = 8 or 12
   origins 6 months apart, 16 origins 3 months apart, the last forecast ending at the
   training end). Scores are put on one footing as ratios to the seasonal naive's MAE on the
   same origins; the network and the linear AR keep their four origins' ratio;
   w_m = ratio_m^-2 as in ``weighted``.
2. A no-trend member, ``level_season``: the log seasonal profile averaged over the last 3
   years plus the mean log of the last 12 months, held flat; a sixth member of ``weighted``.

The rule, written down before the results: ship a variant only at >= 103 of 118 tuning
series beating the seasonal naive with a tuning mean MASE <= 0.498 (``weighted`` now: 100,
0.488); the test series are read once, for the best variant of each route.

3. The frontier of a fixed shrink toward the seasonal naive, s + lam (weighted - s), for lam
   from 1 down to 0.5: the count bought with mean MASE. lam is chosen on the tuning series
   as the most series beating the seasonal naive at a mean MASE no worse than ETS's (ties:
   the larger lam); it would ship only at >= 106 of 118 (90%). The test is read for that lam.
"""

from __future__ import annotations

import sys
from multiprocessing import Pool
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import defaults_routes as Q  # noqa: E402

H, P = Q.H, Q.R.P
MEMBERS = Q.W + ("arma",)  # weighted's five
LONG = ((8, 6), (12, 6), (16, 3))  # (origins, months apart)


def seasonal_naive(train: np.ndarray, steps: int) -> np.ndarray:
    return np.resize(train[-P:], steps)


def long_scores(args) -> dict:
    """Validation MAE of the cheap members over ``k`` origins ``gap`` months apart."""
    tr, k, gap = args
    origins = [len(tr) - H - gap * j for j in range(k)]
    fns = {"seasonal_naive": seasonal_naive, "ar0": Q.R.ar0, "arma": Q.arma}
    return {n: float(np.mean([np.mean(np.abs(f(tr[:o], H) - tr[o:o + H])) for o in origins]))
            for n, f in fns.items()}


def long_weighted(r, long: dict) -> np.ndarray:
    sn = Q.vmae(r, "seasonal_naive")
    ratios = {"network": Q.vmae(r, "network") / sn, "linear_ar": Q.vmae(r, "linear_ar") / sn,
              **{n: v / long["seasonal_naive"] for n, v in long.items()}}
    w = np.array([max(ratios[n], 1e-12) ** -2 for n in MEMBERS])
    return sum(wi * r["tst"][n] for wi, n in zip(w / w.sum(), MEMBERS))


def level_season(train: np.ndarray, steps: int, years: int = 3) -> np.ndarray:
    """exp(mean log of the last 12 months + the log seasonal profile of the last years)."""
    g = np.log(train)
    blocks = [g[len(g) - P * (j + 1): len(g) - P * j] for j in range(min(years, len(g) // P))]
    profile = np.mean([b - b.mean() for b in blocks], axis=0)
    return np.exp(g[-P:].mean() + np.resize(profile, steps))


def line(name, rows, forecasts) -> tuple:
    q = np.array([Q.ratio(r, f) for r, f in zip(rows, forecasts)])
    m = float(np.mean([Q.mase(r, f) for r, f in zip(rows, forecasts)]))
    print(f"  {name:44s} beats {int((q < 1).sum()):3d}/{len(rows)}  mean MASE {m:.3f}")
    return int((q < 1).sum()), m


def score(rows, label, variants=LONG) -> dict:
    print(f"{len(rows)} {label} series")
    Q.add_arma(rows)
    line("weighted (the default, five members)", rows,
         [Q.weighted(r, members=MEMBERS) for r in rows])
    out = {}
    with Pool(2) as pool:
        for k, gap in variants:
            longs = pool.map(long_scores, [(r["tr"], k, gap) for r in rows])
            out[k, gap] = line(f"route 1: {k} origins {gap} months apart", rows,
                               [long_weighted(r, s) for r, s in zip(rows, longs)])
    for r in rows:
        r["val"]["ls"] = [level_season(r["tr"][:o], len(t))
                          for o, t in zip(r["origins"], r["truth"])]
        r["tst"]["ls"] = level_season(r["tr"], H)
    line("route 2: level_season alone", rows, [r["tst"]["ls"] for r in rows])
    out["ls"] = line("route 2: weighted + level_season", rows,
                     [Q.weighted(r, members=MEMBERS + ("ls",)) for r in rows])
    return out


def frontier(rows, label, lams) -> dict:
    """Route 3: (series beating the seasonal naive, mean MASE) per shrink lam."""
    print(f"{len(rows)} {label} series, weighted shrunk toward the seasonal naive; ETS's mean "
          f"MASE {np.mean([Q.mase(r, r['tst']['ets']) for r in rows]):.3f}")
    w = [Q.weighted(r, members=MEMBERS) for r in rows]
    sn = [r["tst"]["seasonal_naive"] for r in rows]
    return {lam: line(f"route 3: lam = {lam:.2f}", rows,
                      [s + lam * (f - s) for s, f in zip(sn, w)]) for lam in lams}


def main(argv=None) -> int:
    p = Q.parser(__doc__)
    a = p.parse_args(argv)
    rows = Q.rows_of(a.tune.split(","))
    tune = score(rows, "tuning")  # (adds the ARMA member to the rows)
    ship = [k for k, (n, m) in tune.items() if n >= 103 and m <= 0.498]
    best = max((k for k in tune if k != "ls"), key=lambda k: (tune[k][0], -tune[k][1]))
    print(f"ships (>= 103 of 118, mean <= 0.498): {ship or 'none'}; best of route 1: {best}")
    ets = np.mean([Q.mase(r, r["tst"]["ets"]) for r in rows])
    front = frontier(rows, "tuning", np.round(np.arange(1.0, 0.49, -0.02), 2))
    lam = max((k for k, (n, m) in front.items() if m <= ets), key=lambda k: (front[k][0], k))
    print(f"route 3: lam = {lam} ({front[lam][0]} of {len(rows)} at mean MASE "
          f"{front[lam][1]:.3f}; ships only at >= 106)")
    if a.test:
        test = Q.rows_of([a.test])
        score(test, "test", variants=(best,))
        frontier(test, "test", (1.0, lam))
    return 0


if __name__ == "__main__":
    from script_help import answer_help

    answer_help(__doc__)
    raise SystemExit(main())
