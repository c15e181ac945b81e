"""rnnlab's own work around a tiny model on a panel of thousands of series: the synthetic
retail panel the command line is timed on, and the CPU seconds of the stages that grew
with it (benchmarks/SCALING.md, section 4, "The command line on 3,000 series").

    PYTHONPATH=src python benchmarks/panel_cli_scale.py make 3000 /tmp/p3000.csv
    PYTHONPATH=src python benchmarks/panel_cli_scale.py stages /tmp/p3000.csv

``make``: ``n`` daily series of 100-300 days ending on one date (2% of them 10-40 days,
ragged starts), Poisson sales with a weekly cycle, ``price`` and ``promo`` (future
covariates), ``footfall`` (past); beside the CSV, ``*_static.csv`` (``store``) and
``*_future.csv`` (28 days past the data), the files ``rnnlab backtest`` and ``rnnlab
forecast`` read (their command in SCALING.md). ``stages``: process CPU seconds of reading
the panel, hashing it twice, scoring a naive and seasonal naive backtest twice over and
once (``tables()``), and the calibration's window scales. Nothing is asserted.
"""

from __future__ import annotations

import sys
import time
import warnings


def make(n: int, out: str) -> None:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(1)
    width = 300
    lens = rng.integers(100, width + 1, n)
    short = rng.choice(n, n // 50, replace=False)
    lens[short] = rng.integers(10, 40, len(short))
    grid = pd.date_range(end="2024-12-29", periods=width, freq="D")
    pos = np.concatenate([np.arange(k) + width - k for k in lens])
    ids = np.repeat(np.arange(n), lens)
    level = np.repeat(rng.uniform(0.5, 200, n), lens)
    price = rng.uniform(1, 3, len(pos)).round(2)
    promo = (rng.random(len(pos)) < 0.1).astype(int)
    lam = level * (1 + 0.3 * np.sin(2 * np.pi * pos / 7)) * (1 + 0.5 * promo) / price
    name = np.array([f"FOODS_{i:05d}" for i in range(n)])
    pd.DataFrame({"item": name[ids], "date": grid[pos].strftime("%Y-%m-%d"),
                  "sales": rng.poisson(lam).astype(float), "price": price, "promo": promo,
                  "footfall": rng.poisson(100, len(pos))}).to_csv(out, index=False)
    pd.DataFrame({"item": name, "store": [f"CA_{i % 10}" for i in range(n)]}).to_csv(
        out.replace(".csv", "_static.csv"), index=False)
    days = pd.date_range(grid[-1] + grid.freq, periods=28, freq="D").strftime("%Y-%m-%d")
    pd.DataFrame({"item": np.repeat(name, 28), "date": np.tile(days, n),
                  "price": rng.uniform(1, 3, 28 * n).round(2), "promo": 0}).to_csv(
        out.replace(".csv", "_future.csv"), index=False)


def stages(path: str) -> None:
    from rnnlab.panel import calibration
    from rnnlab.panel.backtest import backtest
    from rnnlab.panel.backtest_save import panel_sha256
    from rnnlab.panel.frame import read_panel

    def cpu(name, f):
        t = time.process_time()
        out = f()
        print(f"{name:<46}{time.process_time() - t:8.2f}")
        return out

    def read():
        return read_panel(path, id_column="item", date_column="date", target="sales")

    panel = cpu("read_panel", read)
    cpu("panel_sha256 x2", lambda: (panel_sha256(panel), panel_sha256(panel)))
    res = backtest(None, panel, horizon=14, first_origin=42, stride=14,
                   baselines=("naive", "seasonal_naive"), quantiles=(0.1, 0.5, 0.9))
    print(f"forecast rows {len(res.forecasts)}")
    cpu("summary, per_series, by_step, twice", lambda: [
        (res.summary(), res.per_series(), res.by_step()) for _ in range(2)])
    cpu("tables() once", res.tables)
    cpu("window_scales (window 28, lag 1)", lambda: calibration.window_scales(
        panel.df, 28, 1, frozenset(panel.ids[::2])))


if __name__ == "__main__":
    from script_help import answer_help

    answer_help(__doc__)
    warnings.simplefilter("ignore")  # (short series, filled gaps: said by the reader)
    if sys.argv[1:2] == ["make"]:
        make(int(sys.argv[2]), sys.argv[3])
    elif sys.argv[1:2] == ["stages"]:
        stages(sys.argv[2])
    else:
        sys.exit(__doc__)
