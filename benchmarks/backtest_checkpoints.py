#!/usr/bin/env python
# Usage: PYTHONPATH=src python benchmarks/backtest_checkpoints.py [--rounds 2] [--epochs 3]
"""What a backtest's checkpoints cost (``backtest_models(..., checkpoint_dir=DIR)``, which
``rnnlab backtest`` always passes: each finished fold and the networks' epoch checkpoints
kept) and what a resume saves: two networks (lstm, gru) refitted at each of three origins
of visnights, beside the naive baseline, with and without a checkpoint folder, in
alternating rounds (the machine's load falls on both alike), then a resume of the finished
run (every fold read back). Prints the seconds of each, the ratio with / without, and
whether the three runs' forecasts are the same to the bit."""
import os
import shutil
import sys
import tempfile
import time


def main() -> None:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from script_help import script_parser  # (no abbreviations)

    ap = script_parser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=3)
    a = ap.parse_args()
    import torch

    from rnnlab.panel import GlobalForecaster, backtest_models

    torch.set_num_threads(1)

    def nets():
        return [GlobalForecaster(m, horizon=4, lookback=12, epochs=a.epochs)
                for m in ("lstm", "gru")]
    kw = dict(first_origin=12, stride=4, refit=1, baselines=("naive",))
    for r in range(a.rounds):
        t = time.perf_counter()
        off = backtest_models(nets(), "visnights", **kw)
        t_off = time.perf_counter() - t
        folder = tempfile.mkdtemp()
        try:
            t = time.perf_counter()
            on = backtest_models(nets(), "visnights", checkpoint_dir=folder, **kw)
            t_on = time.perf_counter() - t
            t = time.perf_counter()
            again = backtest_models(nets(), "visnights", checkpoint_dir=folder, resume=True,
                                    **kw)
            t_again = time.perf_counter() - t
        finally:
            shutil.rmtree(folder)
        same = off.forecasts.equals(on.forecasts) and off.forecasts.equals(again.forecasts)
        print(f"round {r + 1}: without {t_off:.2f} s, with checkpoints {t_on:.2f} s "
              f"(ratio {t_on / t_off:.3f}), resume of the finished run {t_again:.2f} s; "
              f"same forecasts: {same}")


if __name__ == "__main__":
    main()
