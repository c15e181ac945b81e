"""The panels page's GluonTS paragraph says which baselines' q0.5 is not their forecast
(review of session 33's gluon33): it said every baseline's q0.5 is its forecast plus the
median of its residuals, where ets, rw_drift, mean, tslm and arima give Gaussian intervals
around their forecast (q0.5 the forecast itself): a GluonTS user scoring the median with
fc.assign(mean=fc["q0.5"]) was told it moves those models' numbers, and it does not."""

import importlib.util
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "panels.md"


def _named():
    text = DOC.read_text(encoding="utf-8")
    start = text.index("**Beside GluonTS' `Evaluator`**")
    said = " ".join(text[start:text.index("\n\n", start)].split())
    shifted = re.search(r"the `q0\.5` of (.+?) is their forecast plus the median", said)
    centred = re.search(r"\(of (.+?), Gaussian intervals, their forecast\)", said)
    assert shifted and centred, said
    return (re.findall(r"`(\w+)`", shifted.group(1)), re.findall(r"`(\w+)`", centred.group(1)))


@pytest.mark.slow
def test_the_baselines_named_have_the_median_the_page_says():
    from rnnlab.panel import read_panel
    from rnnlab.panel.backtest import backtest

    shifted, centred = _named()
    assert {"naive", "seasonal_naive", "ets", "mean"} <= set(shifted) | set(centred)
    if importlib.util.find_spec("statsforecast") is None:  # (arima: the arima extra)
        centred = [b for b in centred if b != "arima"]
    rng = np.random.default_rng(0)
    ds = pd.period_range("2005Q1", periods=40, freq="Q").to_timestamp()
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": ds,
                                  "y": 20 + k * 5 + 3 * np.sin(np.arange(40) * np.pi / 2)
                                  + rng.gamma(2.0, 1.0, 40)})
                    for k, u in enumerate(("a", "b"))])
    res = backtest(None, read_panel(df), horizon=2, first_origin=2, stride=2,
                   baselines=shifted + centred, quantiles=(0.1, 0.5, 0.9))
    gap = (res.forecasts["q0.5"] - res.forecasts["mean"]).abs().groupby(
        res.forecasts["model"]).max()
    for b in centred:
        assert gap[b] < 1e-9, (b, gap[b])
    for b in shifted:
        assert gap[b] > 1e-6, (b, gap[b])
