"""The default Forecaster out of sample: 20 quarterly series it was never tuned on.

    python benchmarks/defaults_visnights.py            # all 20 visnights regions, ~1 minute
    python benchmarks/defaults_visnights.py --series 3 --no-write

The defaults were chosen on us_employment (monthly). This benchmark asks whether they carry
over: each of the 20 regions of ``../shared/data/panels/visnights.csv`` (quarterly visitor
nights, 1998Q1-2016Q4, 76 quarters) is fitted on all but its last 8 quarters with
``Forecaster(horizon=8)`` and every other setting at its default, one series at a time, and
forecasts the 8 held-out quarters once. Scores and columns as in
``defaults_us_employment.py`` (MASE against the in-sample seasonal naive of lag 4; ETS the
lowest AICc of four Holt-Winters forms with period 4). Nothing is tuned on these series.
Writes ``benchmarks/results/defaults_visnights[-tag].{json,md}``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import defaults_us_employment as D  # noqa: E402

PANEL = D.PANEL.with_name("visnights.csv")


def load(path: Path) -> dict:
    if not path.is_file():
        sys.exit(f"defaults_visnights: {path} not found; it is read from "
                 f"../shared/data/panels/visnights.csv beside the repository")
    d = pd.read_csv(path)
    out = {}
    for rid, g in d.groupby("Region", sort=True):
        idx = pd.PeriodIndex(g["Quarter"], freq="Q").to_timestamp(how="start")
        out[rid] = pd.Series(g["Nights"].to_numpy(np.float64), index=pd.DatetimeIndex(idx, freq="QS"),
                             name=rid)
    return out


def main(argv=None) -> int:
    from script_help import script_parser  # (no abbreviations)

    p = script_parser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--series", type=int, default=20)
    p.add_argument("--panel", type=Path, default=PANEL)
    p.add_argument("--tag", default="")
    p.add_argument("--no-write", action="store_true")
    a = p.parse_args(argv)
    D.HOLDOUT, D.PERIOD = 8, 4  # read by run_series and the ETS forecast at call time
    import torch

    from rnnlab.io.versions import cpu_model

    panel = load(a.panel)
    # the CPU and torch's kernels too: the figures move with them (docs/articles.md, top)
    meta = {"command": "python " + " ".join([Path(sys.argv[0]).as_posix()] + (argv or sys.argv[1:])),
            "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "threads": 1,
            "load": os.getloadavg()[0], "settings": {}, "torch": torch.__version__,
            "cpu": cpu_model(), "cpu_kernels": torch.backends.cpu.get_cpu_capability()}
    rows = []
    for i, rid in enumerate(sorted(panel)[: a.series]):
        r = D.run_series(panel[rid], {})
        rows.append(r)
        print(f"[{i + 1}/{a.series}] {rid} choice={r['choice']:<14} MASE model "
              f"{r['mase']['model']:.3f} snaive {r['mase']['seasonal_naive']:.3f} ets "
              f"{r['mase']['ets']:.3f} fit {r['fit_seconds']:.1f}s", flush=True)
    summary = D.summarize(rows)
    text = D.markdown(summary, rows, meta).replace(
        "us_employment series (last 8 months held out)", "visnights series (last 8 quarters held out)")
    print(text)
    if not a.no_write:
        D.write_results("defaults_visnights", a.tag, meta, summary, rows, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
