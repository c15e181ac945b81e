"""Issue 21, fourth round: routes to the "beats seasonal naive on 90%" target, scored offline
on the defaults_sweep caches (see defaults_rules.py for how the caches are made).

    python benchmarks/defaults_routes.py TUNE_CACHES [--test TEST_CACHE] [--cache E6_CACHE]

TUNE_CACHES: comma-separated caches of the 118 tuning series. Prints, for the tuning series:
the default rule (``weighted``: inverse-square validation MASE over network, linear AR,
AR without constant, seasonal naive); medians of member sets; a per-series shrink toward the
seasonal naive fitted on the validation origins; a k-nearest-neighbour choice learned across
series (leave-one-out); the oracle bound. ``--cache``: the weighted rule on another cache
(e.g. ensemble=6). ``--test``: the same on the test series (the kNN choice trained on all
118 tuning series). ``--arima``: also an ARIMA(2,0,1) with no constant on the log seasonal
differences (statsmodels; ~3 min on 2 cores) as a fifth member of the weighted rule (tuning
series only). ``--medians``: the fifth round's search: medians and weighted medians of every
set of 3 or more of network, linear AR, AR without constant, seasonal naive, drift and
``weighted`` (126 rules), the most tuning series beating the seasonal naive among those
with a mean MASE at most 0.9 x ETS's; with ``--test``, that rule's test count. ``--arma``: rnnlab's ARMA(2, 1) (Hannan-Rissanen,
numpy; the member the Forecaster ships) as a fifth member, on the tuning (and test) series.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import warnings
from multiprocessing import Pool

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import defaults_rules as R  # noqa: E402

H = R.H
W = ("network", "linear_ar", "ar0", "seasonal_naive")
PICK = ("network", "linear_ar", "ar0", "ets", "theta", "drift")


def rows_of(paths) -> list:
    out = []
    for path in paths:
        for r, tr, y, val, tst in R.read_cache(path):
            truth = [tr[o:o + len(f)] for o, f in zip(r["origins"], val["network"])]
            out.append(dict(val=val, truth=truth, tst=tst, y=y, tr=tr, origins=r["origins"]))
    return out


def arima(train: np.ndarray, steps: int) -> np.ndarray:
    """ARIMA(2,0,1), no constant, on the log seasonal differences, integrated back."""
    from statsmodels.tsa.arima.model import ARIMA

    g = np.log(train)
    d = g[R.P:] - g[:-R.P]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        change = ARIMA(d, order=(2, 0, 1), trend="n").fit().forecast(steps)
    return R.from_changes(g, change)


def arima_of(r) -> tuple:
    tr = r["tr"]
    return [arima(tr[:o], len(t)) for o, t in zip(r["origins"], r["truth"])], arima(tr, H)


def arma(train: np.ndarray, steps: int) -> np.ndarray:
    """rnnlab's ``arma`` member: ARMA(2, 1), no constant, Hannan-Rissanen, on the log
    seasonal differences before the origin, integrated back."""
    from rnnlab.forecast.arma import ARMA

    g = np.log(train)
    d = g[R.P:] - g[:-R.P]
    return R.from_changes(g, ARMA().fit(d).forecast(d, steps))


def add_arma(rows) -> None:
    for r in rows:
        r["val"]["arma"] = [arma(r["tr"][:o], len(t)) for o, t in zip(r["origins"], r["truth"])]
        r["tst"]["arma"] = arma(r["tr"], H)


def arma_member(tune, test=None) -> None:
    """The fifth round's second route: rnnlab's own ARMA(2, 1) as a fifth member."""
    for name, rows in (("tuning", tune), ("test", test)):
        if not rows:
            continue
        add_arma(rows)
        print(f"{len(rows)} {name} series")
        for label, rule in (("weighted (four members)", weighted),
                            ("arma alone", lambda r: r["tst"]["arma"]),
                            ("weighted with arma (five members)",
                             lambda r: weighted(r, members=W + ("arma",)))):
            q = np.array([ratio(r, rule(r)) for r in rows])
            print(f"  {label:44s} beats {int((q < 1).sum()):3d}/{len(rows)}  mean MASE "
                  f"{np.mean([mase(r, rule(r)) for r in rows]):.3f}")


def vmae(r, n, a=0, b=H) -> float:
    return float(np.mean(np.concatenate(
        [np.abs(f[a:b] - t[a:b]) for f, t in zip(r["val"][n], r["truth"])])))


def weighted(r, part="tst", members=W):
    w = np.array([max(vmae(r, n), 1e-12) ** -2 for n in members])
    w /= w.sum()
    if part == "tst":
        return sum(wi * r["tst"][n] for wi, n in zip(w, members))
    return [sum(wi * r["val"][n][i] for wi, n in zip(w, members))
            for i in range(len(r["truth"]))]


def shrunk(r):
    """seasonal naive + l (weighted - seasonal naive), l in [0, 1] fitted (L1) on validation."""
    sn, m = r["val"]["seasonal_naive"], weighted(r, "val")
    grid = np.linspace(0, 1, 21)
    loss = [np.mean(np.concatenate([np.abs(s + g * (f - s) - t)
                                    for s, f, t in zip(sn, m, r["truth"])])) for g in grid]
    g = grid[int(np.argmin(loss))]
    return r["tst"]["seasonal_naive"] + g * (weighted(r) - r["tst"]["seasonal_naive"])


def ratio(r, f) -> float:
    """Test MAE of forecast f over the seasonal naive's (< 1: beats it)."""
    return float(np.mean(np.abs(f - r["y"])) / np.mean(np.abs(r["tst"]["seasonal_naive"] - r["y"])))


def features(r) -> np.ndarray:
    sn = vmae(r, "seasonal_naive")
    g = np.log(r["tr"])
    d = g[12:] - g[:-12]
    return np.array([np.log(max(vmae(r, n), 1e-9) / sn) for n in PICK]
                    + [d[-12:].mean(), d[-12:].std(), d.std(), np.log(len(r["tr"]))])


CANDIDATES = {**{n: (lambda r, n=n: r["tst"][n]) for n in PICK}, "weighted": weighted}


def knn(train_rows, k):
    X = np.array([features(r) for r in train_rows])
    Y = np.log(np.array([[ratio(r, f(r)) for f in CANDIDATES.values()] for r in train_rows]))
    sd = X.std(0) + 1e-9

    def pick(r):
        d = np.sqrt((((X - features(r)) / sd) ** 2).sum(1))
        best = list(CANDIDATES)[int(np.argmin(Y[np.argsort(d)[:k]].mean(0)))]
        return CANDIDATES[best](r)
    return pick


def mase(r, f) -> float:
    return float(np.mean(np.abs(f - r["y"])) / R.D.mase_scale(r["tr"]))


def wmedian(values, w) -> np.ndarray:
    """Per step, the value where the cumulative weight (values sorted) reaches half."""
    values, w = np.asarray(values), np.asarray(w, float)
    out = np.empty(values.shape[1])
    for j in range(values.shape[1]):
        o = np.argsort(values[:, j])
        c = np.cumsum(w[o])
        out[j] = values[o[np.searchsorted(c, c[-1] / 2)], j]
    return out


def median_rules() -> dict:
    """The fifth round's family: medians and weighted medians (validation MAE^-p)."""
    members = ("network", "linear_ar", "ar0", "seasonal_naive", "drift", "weighted")
    rules = {}
    for k in range(3, len(members) + 1):
        for m in itertools.combinations(members, k):
            rules["median " + "+".join(m)] = lambda r, m=m: np.median([r["tst"][n] for n in m], 0)
            for p in (1, 2):
                rules[f"weighted median p={p} " + "+".join(m)] = lambda r, m=m, p=p: wmedian(
                    [r["tst"][n] for n in m], [max(vmae(r, n), 1e-12) ** -p for n in m])
    return rules


def median_search(tune, test=None) -> None:
    for rows in (tune, test or []):
        for r in rows:
            r["tst"]["weighted"], r["val"]["weighted"] = weighted(r), weighted(r, "val")
    limit = 0.9 * np.mean([mase(r, r["tst"]["ets"]) for r in tune])
    scored = []
    for name, rule in median_rules().items():
        q = np.array([ratio(r, rule(r)) for r in tune])
        scored.append((-int((q < 1).sum()), np.mean([mase(r, rule(r)) for r in tune]), name))
    ok = sorted(s for s in scored if s[1] <= limit)
    print(f"  {len(scored)} median rules; {len(ok)} with a tuning mean MASE <= {limit:.3f} (0.9 x ETS's)")
    for n, m, name in ok[:3]:
        print(f"  {name:60s} beats {-n:3d}/{len(tune)}  mean MASE {m:.3f}")
    if test:
        rule = median_rules()[ok[0][2]]
        q = np.array([ratio(r, rule(r)) for r in test])
        print(f"  that rule on the {len(test)} test series: beats {int((q < 1).sum())}, mean MASE "
              f"{np.mean([mase(r, rule(r)) for r in test]):.3f} (weighted: "
              f"{sum(ratio(r, weighted(r)) < 1 for r in test)}, "
              f"{np.mean([mase(r, weighted(r)) for r in test]):.3f})")


def report(name, rows, rule) -> None:
    q = np.array([ratio(r, rule(r)) for r in rows])
    print(f"  {name:44s} beats {int((q < 1).sum()):3d}/{len(rows)}  mean ratio to s. naive {q.mean():.3f}")


def parser(doc: str) -> argparse.ArgumentParser:
    """The rounds' command line: TUNE_CACHES (comma-separated) and --test TEST_CACHE."""
    from script_help import script_parser  # (no abbreviations)

    p = script_parser(description=doc,
                      formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("tune")
    p.add_argument("--test")
    return p


def main(argv=None) -> int:
    p = parser(__doc__)
    p.add_argument("--cache", help="another tuning cache scored with the weighted rule")
    p.add_argument("--arima", action="store_true", help="ARIMA as a fifth member (statsmodels)")
    p.add_argument("--medians", action="store_true", help="the fifth round's median search only")
    p.add_argument("--arma", action="store_true", help="rnnlab's ARMA as a fifth member only")
    a = p.parse_args(argv)
    tune = rows_of(a.tune.split(","))
    if a.arma:
        arma_member(tune, rows_of([a.test]) if a.test else None)
        return 0
    if a.medians:
        median_search(tune, rows_of([a.test]) if a.test else None)
        return 0
    print(f"{len(tune)} tuning series")
    report("weighted (the default)", tune, weighted)
    for m in (("network", "linear_ar", "seasonal_naive"), W, W + ("ets", "drift")):
        report("median " + "+".join(m), tune, lambda r, m=m: np.median([r["tst"][n] for n in m], 0))
    report("shrink toward s. naive (fitted)", tune, shrunk)
    for c in (0.05, 0.1, 0.2, 0.3):
        report(f"shrink toward s. naive by {c:.0%}", tune,
               lambda r, c=c: (1 - c) * weighted(r) + c * r["tst"]["seasonal_naive"])
    for k in (5, 10, 20, 40):
        picks = [knn(tune[:i] + tune[i + 1:], k)(r) for i, r in enumerate(tune)]
        q = np.array([ratio(r, f) for r, f in zip(tune, picks)])
        print(f"  {'kNN choice, leave-one-out, k=' + str(k):44s} beats {int((q < 1).sum()):3d}/"
              f"{len(tune)}  mean ratio to s. naive {q.mean():.3f}")
    oracle = sum(min(ratio(r, r["tst"][n]) for n in r["tst"] if n != "seasonal_naive") < 1
                 for r in tune)
    print(f"  oracle: some stored forecast beats the seasonal naive on {oracle}/{len(tune)}")
    if a.arima:
        with Pool(2) as pool:
            for r, (val, tst) in zip(tune, pool.map(arima_of, tune)):
                r["val"]["arima"], r["tst"]["arima"] = val, tst
        report("ARIMA(2,0,1) on log seasonal differences", tune, lambda r: r["tst"]["arima"])
        report("weighted + ARIMA as a fifth member", tune,
               lambda r: weighted(r, members=W + ("arima",)))
        five = np.mean([mase(r, weighted(r, members=W + ("arima",))) for r in tune])
        print(f"  (its mean MASE {five:.3f}; weighted's "
              f"{np.mean([mase(r, weighted(r)) for r in tune]):.3f})")
    if a.cache:
        other = rows_of(a.cache.split(","))
        print(f"{a.cache}:")
        report("weighted", other, weighted)
        report("network alone", other, lambda r: r["tst"]["network"])
    if a.test:
        test = rows_of([a.test])
        print(f"{len(test)} test series")
        report("weighted (the default)", test, weighted)
        for k in (5, 10, 20, 40):
            report(f"kNN choice trained on the tuning series, k={k}", test, knn(tune, k))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
