"""Rules of combination for the forecasting default, scored offline on cached forecasts.

    python benchmarks/defaults_sweep.py --tune --tag tune-final                 # 30 tuning series
    python benchmarks/defaults_sweep.py --tune --start 30 --series 118 --tag tune-final-31to118
    python benchmarks/defaults_sweep.py --tag test-final                        # the 30 test series
    python benchmarks/defaults_rules.py \\
        benchmarks/results/defaults_sweep-tune-final.json,benchmarks/results/defaults_sweep-tune-final-31to118.json \\
        [--test benchmarks/results/defaults_sweep-test-final.json]

Each rule maps a series' validation scores (MASE over the rolling origins in the training
part, as the Forecaster scores them) and its members' test forecasts to one forecast. The
criterion that chose the default (fixed before the 88 extra tuning series were scored):
the most tuning series beating the seasonal naive among rules whose mean MASE is at most
0.01 above the previous default's (``current``); the test series are scored for the chosen
rule and the previous default only. ``ar0`` is the linear AR(12) with no constant on the
log seasonal differences, here fitted on the history before each origin (the Forecaster fits
it on the training windows; both gave the same result on these series).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import defaults_us_employment as D  # noqa: E402

H, P = D.HOLDOUT, D.PERIOD


def ar0(train: np.ndarray, steps: int, lags: int = 12) -> np.ndarray:
    """rnnlab's no-constant linear AR on the log seasonal differences, integrated back."""
    from rnnlab.forecast.baselines import LinearAR

    g = np.log(train)
    d = g[P:] - g[:-P]
    return from_changes(g, LinearAR(lags, constant=False).fit(d).forecast(d, steps))


def from_changes(g: np.ndarray, change) -> np.ndarray:
    """Forecasts on the original scale from the log history ``g`` and the forecast yearly
    log changes (each step: the value a period back plus its change)."""
    full = list(g)
    for c in change:
        full.append(full[-P] + c)
    return np.exp(np.asarray(full[len(g):]))


def read_cache(path):
    """Each cached row's train and test parts, validation and test forecasts, ``ar0``
    added to both (fitted before each origin)."""
    for r in json.loads(Path(path).read_text())["rows"]:
        tr, y = np.asarray(r["train"]), np.asarray(r["test"])
        val = {k: [np.asarray(f) for f in v] for k, v in r["val"].items()}
        val["ar0"] = [ar0(tr[:o], min(H, len(tr) - o)) for o in r["origins"]]
        tst = {k: np.asarray(v) for k, v in r["tst"].items()}
        tst["linear_ar"], tst["ar0"] = tst["linear_ar_full"], ar0(tr, H)  # AR refitted
        yield r, tr, y, val, tst


def prepare(paths) -> list:
    out = []
    for path in paths:
        for r, tr, y, val, tst in read_cache(path):
            val["combined"] = [(a + b) / 2 for a, b in zip(val["network"], val["linear_ar"])]
            tst["combined"] = (tst["network"] + tst["linear_ar"]) / 2
            s_val = D.mase_scale(tr[:r["n_fit"]])
            scores = {k: float(np.mean(np.concatenate(
                [np.abs(f - tr[o:o + len(f)]) for o, f in zip(r["origins"], fs)])) / s_val)
                for k, fs in val.items()}
            scale = D.mase_scale(tr)
            out.append((scores, tst, y, scale, np.mean(np.abs(tst["seasonal_naive"] - y)) / scale))
    return out


def mean_of(*names):
    return lambda scores, t: np.mean([t[n] for n in names], axis=0)


def inverse(names, power):
    def rule(scores, t):
        w = np.array([max(scores[n], 1e-12) ** -power for n in names])
        return sum(wi * t[n] for wi, n in zip(w / w.sum(), names))
    return rule


def shrink(w, growing):
    wh = np.minimum(1.0, w * np.arange(1, H + 1) / P) if growing else np.full(H, w)
    return lambda scores, t: (1 - wh) * t["combined"] + wh * t["seasonal_naive"]


RULES = {"current": mean_of("combined"), "net+AR+ar0": mean_of("network", "linear_ar", "ar0"),
         "net+ar0": mean_of("network", "ar0"), "combined+ETS": mean_of("combined", "ets"),
         "net+AR+ETS": mean_of("network", "linear_ar", "ets")}
for _p in (1, 2):
    for _m in (("combined", "seasonal_naive"), ("combined", "ar0"),
               ("combined", "ar0", "seasonal_naive"),
               ("network", "linear_ar", "ar0", "seasonal_naive")):
        RULES[f"inverse{_p}:" + "+".join(_m)] = inverse(_m, _p)
for _w in (0.1, 0.2, 0.3):
    RULES[f"shrink-const{_w}"], RULES[f"shrink-growing{_w}"] = shrink(_w, False), shrink(_w, True)
ALONE = {n: mean_of(n) for n in ("network", "linear_ar", "ar0", "ets")}  # for reference


def score(rows, rule) -> tuple:
    m = np.array([np.mean(np.abs(rule(s, t) - y)) / sc for s, t, y, sc, _ in rows])
    return float(m.mean()), float(np.median(m)), int(sum(m < np.array([r[4] for r in rows])))


def main(argv=None) -> int:
    from script_help import script_parser  # (no abbreviations)

    p = script_parser(description=__doc__,
                      formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("tune", help="comma-separated defaults_sweep caches of tuning series")
    p.add_argument("--test", help="the test series' cache, scored for the chosen rule only")
    a = p.parse_args(argv)
    tune = prepare(a.tune.split(","))
    res = {k: score(tune, r) for k, r in {**RULES, **ALONE}.items()}
    print(f"{len(tune)} tuning series: mean / median MASE, series beating the seasonal naive")
    for k, v in sorted(res.items(), key=lambda kv: (-kv[1][2], kv[1][0])):
        print(f"  {k:48s} {v[0]:.3f} / {v[1]:.3f} / {v[2]}{'  (alone)' if k in ALONE else ''}")
    bound = res["current"][0] + 0.01
    best = min((k for k in RULES if res[k][0] <= bound), key=lambda k: (-res[k][2], res[k][0]))
    best = best if res[best][2] > res["current"][2] else "current"
    print(f"chosen: {best} {res[best]}")
    if a.test:
        test = prepare([a.test])
        for k in dict.fromkeys(("current", best)):
            print(f"test series, {k}: {score(test, RULES[k])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
