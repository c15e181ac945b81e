"""Where GluonTS' ``MSIS`` reads its interval (review of session 33's gluon33).

GluonTS' ``Evaluator.get_metrics_per_ts`` computes ``msis(target,
forecast.quantile(alpha / 2), forecast.quantile(1 - alpha / 2), seasonal_error, alpha)``:
the forecast's own quantiles, not the Evaluator's ``quantiles`` (those give the
``QuantileLoss[tau]`` and ``Coverage[tau]`` columns). The panels page and
``rnnlab.panel.interval_scores`` said that GluonTS reads the levels nearest ``alpha/2``
among the Evaluator's quantiles, so that with the default deciles its MSIS was the q0.1-q0.9
interval charged 40 times a miss: a DeepAR user (sample forecasts) told to compare it with
neither column, and to pass ``Evaluator(quantiles=...)``, which changes nothing of MSIS."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "panels.md"


def _paragraph() -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index("**Beside GluonTS' `Evaluator`**")
    return " ".join(text[start:text.index("\n\n", start)].split())


def _gluonts_sample_msis(y, draws, seasonal_error, alpha=0.05):
    """GluonTS' MSIS of a SampleForecast, written out: the draws' own alpha/2 and
    1 - alpha/2 quantiles (``SampleForecast.quantile``), whatever the Evaluator's levels."""
    lo = np.quantile(draws, alpha / 2, axis=0)
    hi = np.quantile(draws, 1 - alpha / 2, axis=0)
    return np.mean(hi - lo + 2 / alpha * (lo - y) * (y < lo)
                   + 2 / alpha * (y - hi) * (y > hi)) / seasonal_error


def test_the_page_says_msis_reads_the_forecasts_own_quantiles():
    said = _paragraph()
    assert "forecast.quantile(alpha / 2)" in said
    assert "nearest `alpha/2`" not in said
    assert "Evaluator(quantiles=(0.025" not in said  # (it changes no MSIS)
    assert "`mean_wQuantileLoss` is `wql` over the Evaluator's levels" in said  # (they
    # give its QuantileLoss[tau], which MSIS is not)


def test_the_module_says_it_too():
    from rnnlab.panel import interval_scores

    doc = " ".join(interval_scores.__doc__.split())
    assert "nearest" not in doc
    assert "quantile(0.025)" in doc


def test_msis95_of_the_draws_quantiles_is_gluonts_msis_of_a_sample_forecast():
    """On sample paths, with GluonTS' default Evaluator (deciles), its MSIS is msis95 of
    q0.025 / q0.975 of the draws, not the deciles' outer interval charged 40 a miss."""
    from rnnlab.panel import accuracy, read_panel

    rng = np.random.default_rng(3)
    ds = pd.period_range("2010Q1", periods=40, freq="Q").to_timestamp()
    y = 50 + 10 * np.sin(np.arange(40) * np.pi / 2) + rng.normal(0, 3, 40)
    panel = read_panel(pd.DataFrame({"unique_id": "a", "ds": ds, "y": y}))
    draws = y[-8:-4] + rng.standard_t(3, (400, 4)) * 2.0  # (seasonal naive + heavy tails)
    fc = pd.DataFrame({"unique_id": "a", "ds": ds[-4:], "mean": draws.mean(0),
                       **{f"q{t:g}": np.quantile(draws, t, axis=0)
                          for t in (0.025, 0.1, 0.5, 0.9, 0.975)}})
    hist = y[:-4]
    seasonal_error = np.mean(np.abs(hist[4:] - hist[:-4]))  # get_seasonality("Q") == 4
    want = _gluonts_sample_msis(y[-4:], draws, seasonal_error)
    got = accuracy(fc, panel).iloc[0]
    assert got["msis95"] == pytest.approx(want)
    lo, hi, test = fc["q0.1"].to_numpy(), fc["q0.9"].to_numpy(), y[-4:]
    deciles_40 = np.mean(hi - lo + 40 * (lo - test) * (test < lo)
                         + 40 * (test - hi) * (test > hi)) / seasonal_error
    assert not np.isclose(deciles_40, want)  # (what the page said GluonTS gives)
    assert re.search(r"`MSIS` is `msis95`", _paragraph())
