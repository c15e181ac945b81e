"""The note under a metrics table whose scaled metrics (MASE, RMSSE, scaled CRPS, ...)
average fewer series than ``n_series`` counts: a series whose history is constant before
every origin (or whose seasonal differences are all 0 there: sales no pair a season apart
reads) has no scale (nothing to divide by), and the NaN-skipping mean across series
left it out of those columns without a word beside ``n_series``."""

from __future__ import annotations


def scaled_note(summary) -> str:
    """A line naming, per model, how many of its series the scaled metrics average ("" when
    every series has them). ``summary``: :func:`rnnlab.panel.metrics.summarize`'s frame."""
    if "n_series_scaled" not in summary or "n_series" not in summary:
        return ""
    short = summary[summary["n_series_scaled"] < summary["n_series"]]
    if short.empty:
        return ""
    label = short["model"] if "model" in short else short.index.to_series()
    parts = sorted({f"{int(k)} of {int(n)}" for k, n in
                    zip(short["n_series_scaled"], short["n_series"])})
    who = "every model" if len(short) == len(summary) else ", ".join(map(str, label))
    return (f"mase and the scaled metrics average {' / '.join(parts)} series ({who}): the "
            f"others' in-sample (seasonal) naive error is 0 before one of their origins (a "
            f"constant history, or a slow mover whose few sales no pair a season apart "
            f"reads), no scale to divide by "
            f"(rmse, mae, smape count every series)")


def smape_zero_note(forecasts) -> str:
    """A line on what sMAPE makes of actual values of 0 in a backtest's ``forecasts``
    (``y``: the truth; "" when none is 0): each scores 200%, or 0% for a forecast of
    exactly 0, so the seasonal naive on a shop's closed Sundays scored smape 10 beside a
    network's 46 at a comparable MAE, without a word."""
    if not {"model", "y"} <= set(forecasts.columns) or forecasts.empty:
        return ""
    one = forecasts[forecasts["model"] == forecasts["model"].iloc[0]]  # (the same truth)
    zeros = int((one["y"] == 0).sum())
    if not zeros:
        return ""
    return (f"smape: {zeros} of the {len(one)} actual values are 0, and sMAPE scores each "
            f"of them 200%, or 0% where the forecast is exactly 0 (the seasonal naive on a "
            f"day that is always 0, a closed Sunday), whatever the forecast's size: compare "
            f"the models there on mase, rmse or mae")
