"""Issue 21, ninth round: per-series ETS (and Theta) as members of ``weighted``, scored
offline on the defaults_sweep caches (defaults_rules.py says how they are made).

    python benchmarks/defaults_round9.py TUNE_CACHES [--test TEST_CACHE]

ETS is the benchmark's own (statsmodels, four forms, period 12, the lowest AICc), Theta is
statsmodels' ThetaModel; both are refitted before each of the four validation origins and
weighted by their validation MASE ** -2 like the other members.
Variants: (a) ``weighted``'s five members + ETS; (b) + ETS + Theta.
Rule (written before the results): a variant ships only at >= 106 of 118 tuning series
beating the seasonal naive with a tuning mean MASE at most the default's on the same cache.
The test series are read once, for the better variant (most tuning series; ties: lower mean).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import defaults_routes as Q  # noqa: E402
from defaults_round6 import line  # noqa: E402
from defaults_round7 import MEMBERS  # noqa: E402

VARIANTS = {"weighted + ETS": MEMBERS + ("ets",),
            "weighted + ETS + Theta": MEMBERS + ("ets", "theta")}


def score(rows) -> dict:
    line("weighted (the default, five members)", rows,
         [Q.weighted(r, members=MEMBERS) for r in rows])
    line("ETS alone", rows, [r["tst"]["ets"] for r in rows])
    return {name: line(name, rows, [Q.weighted(r, members=m) for r in rows])
            for name, m in VARIANTS.items()}


def main(argv=None) -> int:
    a = Q.parser(__doc__).parse_args(argv)
    tune = Q.rows_of(a.tune.split(","))
    Q.add_arma(tune)
    print(f"{len(tune)} tuning series")
    base = Q.weighted
    default_mean = float(sum(Q.mase(r, base(r, members=MEMBERS)) for r in tune) / len(tune))
    scored = score(tune)
    best = max(scored, key=lambda k: (scored[k][0], -scored[k][1]))
    n, m = scored[best]
    ships = n >= 106 and m <= default_mean
    print(f"better variant: {best} ({n}/{len(tune)}, mean MASE {m:.3f}; default "
          f"{default_mean:.3f}); ships: {ships}")
    if a.test:
        test = Q.rows_of([a.test])
        Q.add_arma(test)
        print(f"{len(test)} test series, read once for {best}")
        line("weighted (the default, five members)", test,
             [Q.weighted(r, members=MEMBERS) for r in test])
        line(best, test, [Q.weighted(r, members=VARIANTS[best]) for r in test])
    return 0


if __name__ == "__main__":
    from script_help import answer_help

    answer_help(__doc__)
    raise SystemExit(main())
