"""predict_insample (and predict) of a likelihood model against a quantile one, on the
first 20 us_employment series (epochs=1): the seconds of this checkout and of a
baseline's source folder, and their ratio (baseline / this), each side in its own
process (one torch thread, CPU seconds: predict's the least of 10 calls), the tables
checked equal bit for bit.

    python benchmarks/insample_speed.py [BASELINE_SRC] [SERIES]

BASELINE_SRC: another checkout's src (e.g. the main one's, before the likelihood rows
were batched); without it, this checkout alone. CPU seconds move less than wall ones
on a shared machine, but still by 10-20%: compare ratios from one run.

Session 26 (2 shared cores, load 4.5-8; CPU seconds, main before -> this branch; tables
bit-identical): predict_insample gaussian 5.33 -> 2.33 (2.3x), studentt 8.22 -> 4.14
(2.0x), negbin 7.33 -> 4.43 (1.7x), quantiles 1.10 -> 0.63 (1.7x); predict 0.9-1.3x
(5-14 ms calls: noise). What is left of a likelihood table is its draws (200 samples
a window, each series' generator its own: gamma and Poisson draws one window at a time),
their exp and quantiles.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = [("gaussian", {"likelihood": "gaussian"}), ("studentt", {"likelihood": "studentt"}),
         ("negbin", {"likelihood": "negbin", "transform": "none"}), ("quantiles", {})]

CHILD = r"""
import json, sys, time, torch
torch.set_num_threads(1)
from rnnlab.panel.datasets import load_panel
from rnnlab.panel.model import GlobalForecaster
kw, n, out = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
panel = load_panel("us_employment")
panel = panel.with_df(panel.df[panel.df["unique_id"].isin(list(panel.ids)[:n])])
if kw.get("likelihood") == "negbin":  # (counts: whole numbers)
    panel = panel.with_df(panel.df.assign(y=panel.df["y"].round()))
f = GlobalForecaster("gru", lookback=24, horizon=12, epochs=1, batches_per_epoch=5,
                     **kw).fit(panel)
t = time.process_time()  # (CPU seconds, one thread: steadier than wall on a busy machine)
ins = f.predict_insample(panel)
t_ins = time.process_time() - t
t_pred = []
for _ in range(10):
    t = time.process_time()
    p = f.predict()
    t_pred.append(time.process_time() - t)
t_pred = min(t_pred)
ins.to_pickle(out + ".insample.pkl")
p.to_pickle(out + ".predict.pkl")
print(json.dumps({"insample": t_ins, "predict": t_pred, "rows": len(ins)}))
"""


def run(src: str, kw: dict, n: int, out: str) -> dict:
    import json

    env = dict(os.environ, PYTHONPATH=src, PYTHONWARNINGS="ignore")
    done = subprocess.run([sys.executable, "-c", CHILD, json.dumps(kw), str(n), out],
                          env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def same(a: str, b: str) -> bool:
    import pandas as pd

    return all(pd.read_pickle(a + s).equals(pd.read_pickle(b + s))
               for s in (".insample.pkl", ".predict.pkl"))


def main(base=None, n=20):
    here = str(ROOT / "src")
    print(f"{'case':10} {'rows':>7} {'insample s':>11} {'predict s':>10}"
          + ("  base insample s  ratio  base predict s  ratio  equal" if base else ""))
    with tempfile.TemporaryDirectory() as tmp:
        for name, kw in CASES:
            new = run(here, kw, n, f"{tmp}/{name}.new")
            line = f"{name:10} {new['rows']:7d} {new['insample']:11.2f} {new['predict']:10.3f}"
            if base:
                old = run(base, kw, n, f"{tmp}/{name}.old")
                line += (f"  {old['insample']:15.2f} {old['insample'] / new['insample']:6.2f}"
                         f"  {old['predict']:14.3f} {old['predict'] / new['predict']:6.2f}"
                         f"  {same(f'{tmp}/{name}.new', f'{tmp}/{name}.old')}")
            print(line, flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from script_help import answer_help

    answer_help(__doc__)  # (--help was read as BASELINE_SRC and ran the benchmark)
    main(sys.argv[1] if len(sys.argv) > 1 else None,
         int(sys.argv[2]) if len(sys.argv) > 2 else 20)
