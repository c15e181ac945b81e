"""How long a panel read with ``off_grid='drop'`` and no ``fill=`` takes to be refused,
beside the same read with ``fill='interpolate'`` (which succeeds).

    PYTHONPATH=src python benchmarks/panel_drop_refusal.py [--series 4000] [--length 60]

The refusal names the date each dropped row left empty (:func:`rnnlab.panel.off_grid_rows.
dropped_gaps_said`). It counted each series' remaining rows over the whole panel, once per
series: 4,000 weekly series of 60 took 121 s to be refused against 6.5 s to be read with
``fill=`` (a ratio near 19); counted once, the ratio is near 1.4. Prints both times and
their ratio.
"""

from __future__ import annotations

import os
import sys
import time
import warnings

import numpy as np
import pandas as pd


def main() -> None:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from script_help import script_parser  # (no abbreviations)

    p = script_parser(description=__doc__.splitlines()[0])
    p.add_argument("--series", type=int, default=4000)
    p.add_argument("--length", type=int, default=60)
    a = p.parse_args()
    from rnnlab.io.errors import DataError
    from rnnlab.panel import read_panel

    fridays = pd.date_range("2015-01-02", periods=a.length, freq="W-FRI")
    df = pd.DataFrame({"unique_id": np.repeat([f"s{i}" for i in range(a.series)], a.length),
                       "ds": np.tile(fridays, a.series), "y": 1.0})
    df.loc[a.length // 2, "ds"] -= pd.Timedelta(days=1)  # (a Thursday in the first series)
    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    try:
        read_panel(df, off_grid="drop")
        raise SystemExit("expected the refusal")
    except DataError:
        refused = time.perf_counter() - t0
    t0 = time.perf_counter()
    read_panel(df, off_grid="drop", fill="interpolate")
    filled = time.perf_counter() - t0
    print(f"{a.series} series of {a.length}: refused in {refused:.2f} s, read with fill= in "
          f"{filled:.2f} s; ratio {refused / filled:.2f}")


if __name__ == "__main__":
    main()
