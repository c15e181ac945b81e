"""The panels page's "Beside GluonTS' Evaluator" paragraph, held to what it says (session
33): the columns it names exist, and its recipes give GluonTS' numbers, written here by
hand from GluonTS' definitions (median point forecast, lag-1 season for daily data)."""

import dataclasses
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "panels.md"


def _paragraph() -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index("**Beside GluonTS' `Evaluator`**")
    return text[start:text.index("\n\n", start)]


def _daily_panel_and_sample_forecast():
    """Two daily series of 60 days, and a forecast of their last 10 from skewed draws
    (mean and median apart), with the deciles, q0.025 and q0.975 of the draws."""
    from rnnlab.panel import read_panel

    rng = np.random.default_rng(0)
    ds = pd.date_range("2021-01-04", periods=60, freq="D")
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": ds, "y": 10 * k + rng.gamma(2.0, 2.0, 60)})
                    for k, u in enumerate(("a", "b"), start=1)])
    panel = read_panel(df)
    levels = (0.025,) + tuple(i / 10 for i in range(1, 10)) + (0.975,)
    rows = []
    for k, u in enumerate(("a", "b"), start=1):
        draws = 10 * k + rng.gamma(2.0, 2.0, (500, 10))
        row = {"unique_id": u, "ds": ds[-10:], "mean": draws.mean(0)}
        row.update({f"q{t:g}": np.quantile(draws, t, axis=0) for t in levels})
        rows.append(pd.DataFrame(row))
    return panel, pd.concat(rows), df


def test_the_columns_it_names_are_accuracys():
    from rnnlab.panel import accuracy

    panel, fc, _ = _daily_panel_and_sample_forecast()
    said = set(re.findall(r"`(msis\d+|wql|below_q[\d.]+)`", _paragraph()))
    assert {"msis95", "msis80", "wql", "below_q0.9"} <= said
    cols = set(accuracy(fc, panel, by=("model",)).columns)
    assert said <= cols


def test_its_recipe_gives_gluonts_mase_and_msis_on_daily_data():
    """GluonTS: MASE = mean |y - median| / seasonal_error, MSIS from q0.025/q0.975 over the
    same, seasonal_error = mean |y_t - y_(t-1)| of the history (daily: season 1)."""
    from rnnlab.panel import accuracy

    panel, fc, df = _daily_panel_and_sample_forecast()
    assert "fc.assign(mean=fc[\"q0.5\"])" in _paragraph()
    assert "dataclasses.replace(panel, period=1)" in _paragraph()
    got = accuracy(fc.assign(mean=fc["q0.5"]), dataclasses.replace(panel, period=1))
    got = got.set_index("unique_id")
    for u in ("a", "b"):
        y = df[df.unique_id == u]["y"].to_numpy()
        hist, test = y[:-10], y[-10:]
        f = fc[fc.unique_id == u]
        se = np.mean(np.abs(np.diff(hist)))
        lo, hi = f["q0.025"].to_numpy(), f["q0.975"].to_numpy()
        misses = 40 * (lo - test) * (test < lo) + 40 * (test - hi) * (test > hi)
        msis = np.mean(hi - lo + misses) / se
        assert got.loc[u, "mase"] == pytest.approx(np.mean(np.abs(test - f["q0.5"])) / se)
        assert got.loc[u, "msis95"] == pytest.approx(msis)
    plain = accuracy(fc, panel).set_index("unique_id")  # (the mean, season 7: other numbers)
    assert not np.allclose(plain["mase"], got["mase"])


def test_wql_on_the_deciles_is_gluonts_mean_wquantileloss():
    """GluonTS: wQuantileLoss[q] = sum over series and steps of QuantileLoss[q] (2 sum
    |(y - q) (1{y <= q} - tau)|) over sum |y|; mean_wQuantileLoss its mean over the deciles."""
    from rnnlab.panel import accuracy

    panel, fc, df = _daily_panel_and_sample_forecast()
    fc = fc.drop(columns=["q0.025", "q0.975"])
    y = fc[["unique_id", "ds"]].merge(df, on=["unique_id", "ds"])["y"].to_numpy()
    deciles = [i / 10 for i in range(1, 10)]
    w = [2 * np.sum(np.abs((fc[f"q{t:g}"].to_numpy() - y) * ((y <= fc[f"q{t:g}"].to_numpy()) - t)))
         / np.sum(np.abs(y)) for t in deciles]
    got = accuracy(fc, panel, by=("model",)).iloc[0]["wql"]
    assert got == pytest.approx(np.mean(w))


def test_its_nd_recipe_gives_gluonts_nd():
    """GluonTS' aggregate ND: sum over series and steps of |y - median| over sum |y|."""
    from rnnlab.panel import accuracy

    panel, fc, df = _daily_panel_and_sample_forecast()
    assert 'accuracy(fc[["unique_id", "ds", "mean", "q0.5"]], panel,' in _paragraph()
    got = accuracy(fc[["unique_id", "ds", "mean", "q0.5"]], panel, by=("model",))["wql"]
    y = fc[["unique_id", "ds"]].merge(df, on=["unique_id", "ds"])["y"].to_numpy()
    nd = np.sum(np.abs(y - fc["q0.5"].to_numpy())) / np.sum(np.abs(y))
    assert got.iloc[0] == pytest.approx(nd)
