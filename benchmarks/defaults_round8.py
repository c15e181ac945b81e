"""Issue 21, eighth round: the shrink toward the seasonal naive, gated on how clearly the
recent yearly growth stands out from its year-to-year variation; scored offline on the
defaults_sweep caches (defaults_rules.py says how they are made).

    python benchmarks/defaults_round8.py TUNE_CACHES [--test TEST_CACHE]

g = log(train), d_t = g_t - g_{t-12}; a = mean(d[-12:]); s = the sample std of d's means
over the complete non-overlapping 12-month blocks counted from the end; z = |a| / s (fewer
than 3 blocks, or s = 0: no shrink). With f = ``weighted`` (the default) and S the seasonal
naive:
- hard gate (t, lam): z < t -> S + lam (f - S), else f;
- soft gate (t): S + min(1, z / t) (f - S).
Rule (written before the result): of the 16 variants, the one with the most tuning series
beating S among those with a tuning mean MASE at most ETS's (ties: lower mean); it ships
only at >= 106 of 118. The test series are read once, for that variant.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import defaults_routes as Q  # noqa: E402
from defaults_round6 import line  # noqa: E402
from defaults_round7 import MEMBERS  # noqa: E402

P = Q.R.P
HARD = [(t, lam) for t in (0.5, 1.0, 1.5, 2.0) for lam in (0.25, 0.5, 0.75)]
SOFT = [1.0, 2.0, 3.0, 4.0]


def growth_z(train: np.ndarray) -> float:
    """|recent yearly log growth| over the spread of the yearly means (inf: no gate)."""
    g = np.log(train)
    d = g[P:] - g[:-P]
    blocks = [d[len(d) - (k + 1) * P: len(d) - k * P].mean() for k in range(len(d) // P)]
    s = np.std(blocks, ddof=1) if len(blocks) >= 3 else 0.0
    return float(abs(d[-P:].mean()) / s) if s > 0 else np.inf


def variants() -> dict:
    out = {f"hard t={t:g} lam={lam:g}": (lambda z, t=t, lam=lam: lam if z < t else 1.0)
           for t, lam in HARD}
    out.update({f"soft t={t:g}": (lambda z, t=t: min(1.0, z / t)) for t in SOFT})
    return out


def gated(rows, lam_of) -> list:
    out = []
    for r in rows:
        s, f = r["tst"]["seasonal_naive"], r["tst"]["weighted"]
        out.append(s + lam_of(r["z"]) * (f - s))
    return out


def prepare(paths) -> list:
    rows = Q.rows_of(paths)
    Q.add_arma(rows)
    for r in rows:
        r["tst"]["weighted"] = Q.weighted(r, members=MEMBERS)
        r["z"] = growth_z(r["tr"])
    return rows


def main(argv=None) -> int:
    p = Q.parser(__doc__)
    a = p.parse_args(argv)
    tune = prepare(a.tune.split(","))
    print(f"{len(tune)} tuning series")
    line("weighted (the default)", tune, [r["tst"]["weighted"] for r in tune])
    ets = line("ETS", tune, [r["tst"]["ets"] for r in tune])[1]
    scored = {name: line(name, tune, gated(tune, lam_of)) for name, lam_of in variants().items()}
    ok = [(n, m, name) for name, (n, m) in scored.items() if m <= ets]
    if not ok:
        print("no variant keeps a mean MASE at most ETS's")
        return 0
    n, m, best = max(ok, key=lambda x: (x[0], -x[1]))
    print(f"chosen: {best} ({n}/{len(tune)}, mean MASE {m:.3f}); ships: {n >= 106}")
    if a.test:
        test = prepare([a.test])
        print(f"{len(test)} test series, read once for the chosen variant")
        line("weighted (the default)", test, [r["tst"]["weighted"] for r in test])
        line(best, test, gated(test, variants()[best]))
    return 0


if __name__ == "__main__":
    from script_help import answer_help

    answer_help(__doc__)
    raise SystemExit(main())
