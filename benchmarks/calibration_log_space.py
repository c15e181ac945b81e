"""Conformal calibration on the values (as before) or on logs for the series modelled on
logs (now): one global fit on us_employment (148 positive monthly series), the last 12
months held out; the 80% interval's coverage, mean width scaled by each series' seasonal
naive MAE, and the count of negative lower bounds, raw and with each calibration fitted
on the same model's validation tails.

    PYTHONPATH=src python benchmarks/calibration_log_space.py [max_seconds]
"""

import sys

import numpy as np
import torch

from rnnlab.panel.calibration import (apply_offsets, fit_offsets, model_logs,
                                      window_scales)
from rnnlab.panel.datasets import load_panel
from rnnlab.panel.frame import DS, ID
from rnnlab.panel.model import GlobalForecaster

H = 12


def offsets(f, panel, logs):
    """calibrate() of rnnlab.panel.calibration, with the log series ``logs`` given."""
    n_val, feats = f.config.n_val, f.features
    hist, h = panel.cut(n_val), min(f.config.horizon, n_val)
    tail = panel.df.groupby(ID, sort=False).tail(n_val).groupby(ID, sort=False).head(h)
    pred = f._forecast(h, None, hist, calibrated=False)
    scales = window_scales(hist.df, feats.lookback + feats.lag, feats.lag or 1, logs)
    return fit_offsets(pred.assign(**{ID: pred[ID].astype(str)}),
                       tail.assign(**{ID: tail[ID].astype(str)}), scales, (0.1, 0.5, 0.9), logs)


def main(max_seconds=40.0):
    torch.set_num_threads(1)
    panel = load_panel("us_employment")
    train, test = panel.cut(H), panel.df.groupby(ID).tail(H)
    f = GlobalForecaster("lstm", lookback=36, horizon=H, max_seconds=max_seconds,
                         calibrate="none", seed=0).fit(train)
    raw = f._forecast(H, None, None, calibrated=False)
    df, feats = f.tail, f.features
    logs = model_logs(f, feats)
    mae = {u: np.mean(np.abs(g["y"].to_numpy()[12:] - g["y"].to_numpy()[:-12]))
           for u, g in train.df.groupby(ID)}
    print(f"{len(logs)} of {len(feats.transforms)} series modelled on logs")
    for name, table in (
            ("raw", raw),
            ("on the values (before)", apply_offsets(
                raw, offsets(f, train, frozenset()),
                window_scales(df, feats.lookback + feats.lag, feats.lag or 1))),
            ("on logs (now)", apply_offsets(
                raw, offsets(f, train, logs),
                window_scales(df, feats.lookback + feats.lag, feats.lag or 1, logs), logs=logs))):
        m = table.merge(test, on=[ID, DS])
        cover = ((m["y"] >= m["q0.1"]) & (m["y"] <= m["q0.9"])).mean()
        width = ((m["q0.9"] - m["q0.1"]) / m[ID].map(mae)).mean()
        print(f"{name:<24} coverage {cover:.3f}  scaled width {width:.3f}  "
              f"lower bounds < 0: {int((table['q0.1'] < 0).sum())}")


if __name__ == "__main__":
    from script_help import answer_help

    answer_help(__doc__)
    main(*(float(a) for a in sys.argv[1:2]))
