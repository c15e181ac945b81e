"""Peers on the same 30 us_employment series and holdouts as defaults_us_employment.py.

Runs in its own environment (never a dependency of rnnlab):

    python3 -m venv /work/peers-venv
    /work/peers-venv/bin/pip install torch==2.13.0      # the CPU build first
    /work/peers-venv/bin/pip install darts neuralforecast
    /work/peers-venv/bin/python benchmarks/peers_defaults.py --series 30

- Darts ``BlockRNNModel(model="LSTM")``: input chunk 2 x horizon, output chunk = horizon,
  100 epochs, min-max scaler fitted on the training part;
- NeuralForecast ``LSTM``: input 2 x horizon, 500 steps (its defaults otherwise);

both with their other settings at default, one seed, one torch thread (NeuralForecast
was 10x faster on one thread than on two on the busy 2-core machine), one series at a
time. Scores as in defaults_us_employment.py (MASE against the in-sample seasonal naive).
Writes ``benchmarks/results/peers_defaults.{json,md}``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from defaults_us_employment import HOLDOUT, PANEL, ROOT, draw, load_panel, mase_scale  # noqa: E402


def darts_lstm(train: pd.Series, seed: int) -> np.ndarray:
    from darts import TimeSeries
    from darts.dataprocessing.transformers import Scaler
    from darts.models import BlockRNNModel

    ts = TimeSeries.from_series(train.astype(np.float32))
    sc = Scaler()
    ts_s = sc.fit_transform(ts)
    m = BlockRNNModel(model="LSTM", input_chunk_length=2 * HOLDOUT, output_chunk_length=HOLDOUT,
                      n_epochs=100, random_state=seed,
                      pl_trainer_kwargs={"accelerator": "cpu", "enable_progress_bar": False,
                                         "enable_model_summary": False, "logger": False})
    m.fit(ts_s, verbose=False)
    return sc.inverse_transform(m.predict(HOLDOUT, verbose=False)).values().ravel()


def nf_lstm(train: pd.Series, seed: int) -> np.ndarray:
    from neuralforecast import NeuralForecast
    from neuralforecast.models import LSTM

    df = pd.DataFrame({"unique_id": "s", "ds": train.index, "y": train.to_numpy(np.float64)})
    model = LSTM(h=HOLDOUT, input_size=2 * HOLDOUT, max_steps=500, random_seed=seed,
                 enable_progress_bar=False, enable_model_summary=False, logger=False)
    nf = NeuralForecast(models=[model], freq="MS")
    nf.fit(df)
    return nf.predict()["LSTM"].to_numpy()


PEERS = {"darts_blockrnn_lstm": darts_lstm, "neuralforecast_lstm": nf_lstm}


def main(argv=None) -> int:
    from script_help import script_parser  # (no abbreviations)

    p = script_parser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--series", type=int, default=30)
    p.add_argument("--panel", type=Path, default=PANEL)
    p.add_argument("--peers", nargs="+", default=list(PEERS), choices=list(PEERS))
    p.add_argument("--start", type=int, default=0, help="skip the first K of the 30 (to run parts in parallel)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--tag", default="")
    a = p.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    warnings.filterwarnings("ignore")
    for name in ("pytorch_lightning", "lightning", "lightning.pytorch", "lightning_fabric"):
        logging.getLogger(name).setLevel(logging.ERROR)
    panel = load_panel(a.panel)
    ids = draw(sorted(panel), tune=False)[a.start: a.series]
    stem = ROOT / "benchmarks" / "results" / f"peers_defaults{'-' + a.tag if a.tag else ''}"
    rows = []
    for i, sid in enumerate(ids):
        s = panel[sid]
        train, test = s.iloc[:-HOLDOUT], s.to_numpy()[-HOLDOUT:]
        scale = mase_scale(train.to_numpy())
        row = {"series": sid, "points": len(s), "mase": {}, "rmse": {}, "fit_seconds": {}}
        for name in a.peers:
            t0 = time.perf_counter()
            pred = PEERS[name](train, a.seed)
            row["fit_seconds"][name] = time.perf_counter() - t0
            row["mase"][name] = float(np.mean(np.abs(pred - test)) / scale)
            row["rmse"][name] = float(np.sqrt(np.mean((pred - test) ** 2)))
        rows.append(row)
        print(f"[{i + 1}/{len(ids)}] {sid} " + " ".join(
            f"{n}: MASE {row['mase'][n]:.3f} ({row['fit_seconds'][n]:.0f}s)" for n in a.peers), flush=True)
        _write(stem, rows, a, torch.__version__)  # after each series: a partial run keeps its rows
    return 0


def _write(stem: Path, rows: list, a, torch_version: str) -> None:
    import json

    names = list(rows[0]["mase"])
    summ = {n: {"mean_mase": float(np.mean([r["mase"][n] for r in rows])),
                "median_mase": float(np.median([r["mase"][n] for r in rows])),
                "mean_fit_seconds": float(np.mean([r["fit_seconds"][n] for r in rows]))}
            for n in names}
    meta = {"series": len(rows), "seed": a.seed, "threads": 1, "torch": torch_version,
            "load": os.getloadavg()[0], "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    stem.parent.mkdir(parents=True, exist_ok=True)
    tmp = stem.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({"meta": meta, "summary": summ, "rows": rows}, indent=1))
    os.replace(tmp, stem.with_suffix(".json"))
    lines = [f"# Peers on {len(rows)} of the 30 us_employment series (from number {a.start + 1}) (last {HOLDOUT} "
             f"months held out)", "", f"{meta['when']}, 1 torch thread, seed {a.seed}, load {meta['load']:.1f}",
             "", "| peer | mean MASE | median MASE | mean fit s |", "|---|---|---|---|"]
    lines += [f"| {n} | {v['mean_mase']:.3f} | {v['median_mase']:.3f} | {v['mean_fit_seconds']:.1f} |"
              for n, v in summ.items()]
    lines += ["", "| series | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    lines += [f"| {r['series']} | " + " | ".join(f"{r['mase'][n]:.3f}" for n in names) + " |" for r in rows]
    tmp = stem.with_suffix(".md.tmp")
    tmp.write_text("\n".join(lines) + "\n")
    os.replace(tmp, stem.with_suffix(".md"))


if __name__ == "__main__":
    raise SystemExit(main())
