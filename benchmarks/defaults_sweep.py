"""Tuning the forecasting defaults on many series, cheaply: each candidate's forecasts cached.

    python benchmarks/defaults_sweep.py --tune --set strategy=recursive --tag rec
    python benchmarks/defaults_sweep.py --summary benchmarks/results/defaults_sweep-*.json

For each of the 30 series of ``defaults_us_employment.py`` (``--tune``: the 30 tuning
series), one ``Forecaster(horizon=24)`` fit with the given settings, then every candidate's
forecasts are stored: at the validation origins inside the training part and for the 24
held-out months: seasonal naive, drift, linear AR, the network, the linear AR refitted on
the whole training part, and per-series ETS and Theta (statsmodels). Rules of choice and
combination can then be scored offline in seconds (``--summary``) instead of one fit per
rule. The summary prints mean / median test MASE and the count of series beating the
seasonal naive for the network alone, ``combined`` (network + linear AR, the default
model) and the oracle bound: how many series *some* stored forecast beats the seasonal
naive on (no rule of choice among them can beat it on more).
Writes ``benchmarks/results/defaults_sweep[-tag].json``; two processes (``--workers``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from multiprocessing import Pool
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import defaults_us_employment as D  # noqa: E402

H, P = D.HOLDOUT, D.PERIOD


def theta_forecast(train: np.ndarray, steps: int) -> np.ndarray:
    from statsmodels.tsa.forecasting.theta import ThetaModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.asarray(ThetaModel(train, period=P).fit().forecast(steps))


def ets(train: np.ndarray, steps: int) -> np.ndarray:
    return D.ets_forecast(train, steps)[0]


def one(job) -> dict:
    sid, series, settings = job
    import torch

    torch.set_num_threads(1)
    from rnnlab.forecast import Forecaster
    from rnnlab.forecast import baselines as B
    from rnnlab.forecast import selection as S

    values = series.to_numpy()
    train = values[:-H]
    c0 = time.process_time()
    f = Forecaster(horizon=H, progress=False, **settings).fit(series)
    cpu = time.process_time() - c0
    n_fit = len(train) - S.validation_span(H, f.config.origins)
    origins = [n_fit + o for o in S.origin_offsets(len(train) - n_fit, H, f.config.origins)]
    z_fit = f.pipeline.to_model(train[:n_fit])
    ar_fit = B.LinearAR(f.config.lookback).fit(z_fit)  # the AR the validation scored

    def ar_val(hist, steps):
        return f.pipeline.from_model(ar_fit.forecast(f.pipeline.to_model(hist), steps), hist)

    names = ("seasonal_naive", "drift", "network")
    val = {n: [f.forecast_with(n, train[:o], min(H, len(train) - o)) for o in origins] for n in names}
    val["linear_ar"] = [ar_val(train[:o], min(H, len(train) - o)) for o in origins]
    tst = {n: f.forecast_with(n, train, H) for n in names}
    tst["linear_ar"] = ar_val(train, H)
    tst["linear_ar_full"] = f.forecast_with("linear_ar", train, H)  # refitted after the choice
    for name, fc in (("ets", ets), ("theta", theta_forecast)):
        val[name] = [fc(train[:o], min(H, len(train) - o)) for o in origins]
        tst[name] = fc(train, H)
    as_list = lambda a: [float(v) for v in a]  # noqa: E731
    return {"series": sid, "train": as_list(train), "test": as_list(values[-H:]),
            "origins": origins, "n_fit": n_fit, "choice": f.choice["method"], "cpu": cpu,
            "val": {k: [as_list(a) for a in v] for k, v in val.items()},
            "tst": {k: as_list(v) for k, v in tst.items()}}


def _mase(f, y, scale):
    return float(np.mean(np.abs(np.asarray(f) - np.asarray(y))) / scale)


def summary(path: Path) -> str:
    rows = json.loads(path.read_text())["rows"]
    out = {"network": [], "combined": [], "seasonal_naive": []}
    reach = 0
    for r in rows:
        tr, y = np.asarray(r["train"]), np.asarray(r["test"])
        scale = D.mase_scale(tr)
        t = {k: np.asarray(v) for k, v in r["tst"].items()}
        t["combined"] = 0.5 * (t["network"] + t["linear_ar_full"])
        for k in out:
            out[k].append(_mase(t[k], y, scale))
        sn = out["seasonal_naive"][-1]
        reach += any(_mase(v, y, scale) < sn for k, v in t.items() if k != "seasonal_naive")
    sn = np.array(out["seasonal_naive"])
    parts = [f"{k} {np.mean(v):.3f}/{np.median(v):.3f}/{int(np.sum(np.array(v) < sn))}"
             for k, v in out.items() if k != "seasonal_naive"]
    cpu = np.mean([r["cpu"] for r in rows])
    return (f"{path.name}: {len(rows)} series, fit CPU {cpu:.1f} s | mean/median MASE/beats "
            f"seasonal naive: " + " | ".join(parts) + f" | some forecast beats it: {reach}")


def main(argv=None) -> int:
    from script_help import script_parser  # (no abbreviations)

    p = script_parser(description=__doc__,
                      formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tune", action="store_true", help="the 30 tuning series")
    p.add_argument("--series", type=int, default=D.COUNT,
                   help="the first N (with --tune up to 118: every series but the test ones)")
    p.add_argument("--start", type=int, default=0, help="skip the first N of them")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--tag", default="")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--panel", type=Path, default=D.PANEL)
    p.add_argument("--summary", nargs="+", type=Path, help="print the summaries of these files")
    a = p.parse_args(argv)
    if a.summary:
        for path in a.summary:
            print(summary(path))
        return 0
    settings = {}
    for kv in a.set:
        k, _, v = kv.partition("=")
        settings[k] = json.loads(v) if v[:1] in "0123456789-[{tfn" else v
    panel = D.load_panel(a.panel)
    ids = D.draw(sorted(panel), a.tune)[a.start:a.series]
    with Pool(a.workers) as pool:
        rows = list(pool.imap(one, [(s, panel[s], settings) for s in ids]))
    out = D.ROOT / "benchmarks" / "results" / f"defaults_sweep{'-' + a.tag if a.tag else ''}.json"
    from rnnlab.io.atomic import atomic_write_json

    atomic_write_json(out, {"settings": settings, "tune": a.tune, "rows": rows})
    print(summary(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
