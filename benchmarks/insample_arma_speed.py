"""The one-series Forecaster's in-sample forecasts (``predict_insample``, and with
``quantiles=(0.1, 0.9)``) of its weighted choice on a long series: the arma member's
innovations filtered for a chunk of cutoffs at once (:meth:`rnnlab.forecast.arma.ARMA.
forecast_many`, ``innovations_many``: the quantiles' spread) against one cutoff at a time
(the path before it), in one process: CPU seconds of each, their ratio, and whether the
two tables are equal bit for bit.

    python benchmarks/insample_arma_speed.py [N]

N: the series' values (default 3000; a synthetic monthly-like series, trend, period 12
and a random walk; epochs=1, hidden size 8: the network's share kept small).

Session 27 (2 shared cores, busy; N=3000, 2,976 cutoffs, weighted with arma 0.41):
one at a time 4.62 s, batched 1.57 s (2.9x); with quantiles (0.1, 0.9) 7.96 s and 1.85 s
(4.3x); the tables equal bit for bit. What is left is the linear AR members' and each
cutoff's scaling and differencing (one call each).
"""

import sys
import time
import warnings
from pathlib import Path

import numpy as np


def main(n: int = 3000) -> None:
    from rnnlab import Forecaster
    from rnnlab.forecast import insample, methods

    rng = np.random.default_rng(0)
    t = np.arange(n)
    y = 100 + 0.05 * t + 10 * np.sin(2 * np.pi * t / 12) + np.cumsum(rng.normal(0, 1, n))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = Forecaster(epochs=1, period=12, hidden_size=8, seed=0).fit(y)
    print(f"choice {f.choice['method']}: weights "
          f"{ {k: round(v, 2) for k, v in (f.choice.get('weights') or {}).items()} }")
    fast, spread = methods._arma_many, insample._innovations
    for quantiles in (None, (0.1, 0.9)):
        times, tables = {}, {}
        for name in ("one at a time", "batched"):
            methods._arma_many = fast if name == "batched" else (
                lambda f, hs, steps: np.stack([methods.forecast_with(f, "arma", h, steps)
                                               for h in hs]))
            insample._innovations = spread if name == "batched" else (
                lambda f, ks, before: (None for _ in ks))
            start = time.process_time()
            tables[name] = f.predict_insample(quantiles=quantiles)
            times[name] = time.process_time() - start
        methods._arma_many, insample._innovations = fast, spread
        a, b = times["one at a time"], times["batched"]
        print(f"quantiles={quantiles}: {len(tables['batched'])} rows; one at a time {a:.2f} "
              f"s, batched {b:.2f} s ({a / b:.1f}x); equal: "
              f"{tables['batched'].equals(tables['one at a time'])}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from script_help import answer_help

    answer_help(__doc__)
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000)
