"""Point and probabilistic forecast errors for panels, per series and across series.

Point errors, with ``e = mean - y`` on the original scale of each series:

    RMSE  = sqrt(mean(e^2))            MAE = mean(|e|)
    MAPE  = 100 * mean(|e| / |y|)           (%; over the actuals that are not 0: a y of 0
            is left out, a series of 0s has NaN; accuracy() warns MapeSkipWarning)
    sMAPE = 200 * mean(|e| / (|y| + |mean|))   (%; 0 where both are 0)
    MASE  = mean(|e| / s),   s = mean_t |y_t - y_{t-m}| over the series' training part
            (the in-sample seasonal naive MAE, m the seasonal period; m = 1 without one;
            pairs with a NaN left out: :func:`mase_scale`)

    RMSSE = sqrt(mean(e^2) / r^2),  r^2 = mean_t (y_t - y_{t-m})^2 over the same pairs
            (fpp3 5.8, the M5 competition: the seasonal naive's in-sample mean *square*
            error, column ``rms_scale`` = r: :func:`rmsse_scale`; NaN without it)

``e / s`` is the *scaled error*: unit-free, so it can be averaged across series of
different scales. Across series, every metric is the mean of the per-series values.

Probabilistic errors, for quantile forecasts ``q_tau`` at levels ``tau``:

    pinball_tau = mean(max(tau (y - q_tau), (tau - 1)(y - q_tau)))
    coverage80  = share of y with q0.1 <= y <= q0.9;   width80 = mean(q0.9 - q0.1)
                  (and coverage90 / width90 from q0.05, q0.95: every central interval
                  the levels hold, coverage99.5 from q0.0025, q0.9975; both over the rows
                  with a true value)
    below_q0.9  = share of y <= q0.9 (GluonTS' Coverage[0.9]; one for every level)
    msis95      = mean((U - L + (2/alpha)(L - y) 1{y < L} + (2/alpha)(y - U) 1{y > U}) / s),
                  L = q0.025, U = q0.975, alpha = 0.05: GluonTS' MSIS (and msis80 from
                  q0.1, q0.9 with alpha = 0.2: every central interval the levels hold;
                  :mod:`.interval_scores`)
    CRPS        = properscoring.crps_ensemble(y, quantiles, weights): the CRPS of the
                  discrete distribution putting mass w_k on q_k, w_k = (tau_{k+1} - tau_{k-1}) / 2
                  with tau_0 = -tau_1 and tau_{K+1} = 2 - tau_K (so the weights sum to 1)

The CRPS is exact for samples (equal weights) and an approximation for quantiles that
improves as the levels get denser (against the Gaussian closed form: 30% above with
(0.1, 0.9), 8% with (0.1, 0.5, 0.9), 1% with the 9 deciles, 0.01% with 99 percentiles);
scoringrules' ``crps_quantile`` is ``2 * pinball`` (levels weighted alike: 38% *below* the
closed form with (0.1, 0.9), 11% with (0.1, 0.5, 0.9)), not this ``crps``;
``wql``, the weighted quantile loss of GluonTS and AutoGluon, is reported beside it: per
series ``2 * sum_t mean_tau pinball_tau / sum_t |y_t|`` (unit-free; NaN where every y is
0); across series (:func:`summarize`) the sums are pooled over every series' rows, as
GluonTS and AutoGluon aggregate it, not a mean of the per-series ratios. It was
``2 * mean pinball`` without the division: a CRPS-like number in the series' units under
the name of a relative one.
"""

from __future__ import annotations

from typing import Dict

import numpy as np
import pandas as pd

from .crps import _crps_or_nan, _crps_weights, _row_kinds, crps  # noqa: F401  (their old home)
from .interval_scores import interval_score
from .quantile_columns import quantile_column, same_column  # noqa: F401  (their old home)
from .scales import mase_scale, rmsse_scale  # noqa: F401  (M.mase_scale: the callers')


def quantile_levels(columns) -> list:
    """The quantile levels of the ``q...`` columns of a forecast frame, sorted."""
    out = []
    for c in columns:
        if isinstance(c, str) and c.startswith("q"):
            try:
                out.append(float(c[1:]))
            except ValueError:
                pass
    return sorted(out)


def pinball(y, q, level: float) -> np.ndarray:
    """Pinball (quantile) loss of each forecast, elementwise."""
    d = np.asarray(y, dtype=np.float64) - np.asarray(q, dtype=np.float64)
    return np.maximum(level * d, (level - 1.0) * d)


def add_errors(fc: pd.DataFrame) -> pd.DataFrame:
    """Per-forecast error columns for a frame with ``y``, ``mean``, ``scale`` and ``q...``
    columns: ``ae, se, sae`` (scaled absolute error), ``sse`` (squared error over
    ``rms_scale``^2), ``ape`` (MAPE's, NaN where y is 0), ``smape``; with quantiles
    ``pinball`` (mean over levels), ``crps``, ``wql``; with q0.1/q0.9 ``covered80, width80``."""
    out = fc.copy()
    y = out["y"].to_numpy(np.float64)
    p = out["mean"].to_numpy(np.float64)
    s = out["scale"].to_numpy(np.float64) if "scale" in out else np.full(len(out), np.nan)
    r = out["rms_scale"].to_numpy(np.float64) if "rms_scale" in out else np.full(len(out),
                                                                                 np.nan)
    e = p - y
    out["ae"] = np.abs(e)
    out["se"] = e ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        out["sae"] = np.abs(e) / s
        out["sse"] = (e / r) ** 2  # RMSSE's: over the mean squared difference
        out["ape"] = np.where(y != 0, 100 * np.abs(e) / np.abs(y), np.nan)  # (0: left out)
        den = np.abs(y) + np.abs(p)
        out["smape"] = np.where(den > 0, 200 * np.abs(e) / np.where(den > 0, den, 1),
                                np.where(np.isnan(den), np.nan, 0.0))  # (a NaN y: no error)
    levels = quantile_levels(out.columns)
    if levels:
        qs = out[[quantile_column(t) for t in levels]].to_numpy(np.float64)  # (N, K)
        pl = np.stack([pinball(y, qs[:, k], t) for k, t in enumerate(levels)], axis=1)
        have = np.isfinite(qs)  # each row over its own levels (models joined in one frame
        # may have different ones: the mean over all was NaN for every model)
        with np.errstate(invalid="ignore", divide="ignore"):
            out["pinball"] = np.where(have, pl, 0.0).sum(axis=1) / have.sum(axis=1)
        out["wql"] = 2 * out["pinball"]  # per row; per series over sum |y| (per_series)
        out["abs_y"] = np.where(np.isfinite(out["wql"]), np.abs(y), np.nan)
        out["crps"] = _crps_or_nan(y, qs, levels)
        with np.errstate(invalid="ignore", divide="ignore"):
            out["scaled_pinball"] = out["pinball"] / s
            out["scaled_crps"] = out["crps"] / s
        for k, t in enumerate(levels):  # GluonTS' Coverage[tau]: y at or below q_tau
            out[f"is_below_{quantile_column(t)}"] = np.where(
                np.isnan(qs[:, k]) | np.isnan(y), np.nan, (y <= qs[:, k]).astype(np.float64))
    for lo_level, nominal in central_intervals(levels):  # 80: q0.1-q0.9, 90: q0.05-q0.95
        lo = out[quantile_column(lo_level)].to_numpy(np.float64)
        hi = out[quantile_column(round(1 - lo_level, 10))].to_numpy(np.float64)
        covered = ((y >= lo) & (y <= hi)).astype(np.float64)
        # no interval: NaN, not 0
        out[f"covered{nominal}"] = np.where(np.isnan(lo) | np.isnan(hi) | np.isnan(y), np.nan,
                                            covered)  # (a NaN y was "not covered")
        # the width of the rows scored, as the coverage beside it (a row without a true
        # value was averaged into the width only)
        width = np.where(np.isnan(y), np.nan, hi - lo)
        out[f"width{nominal}"] = width
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"scaled_width{nominal}"] = width / s
            # MSIS' rows: the interval score over the scale (:mod:`.interval_scores`)
            out[f"scaled_is{nominal}"] = interval_score(y, lo, hi, 2 * lo_level) / s
    return out


def central_intervals(levels) -> list:
    """``(lower level, nominal %)`` of each central interval the levels hold: a level
    tau < 0.5 with 1 - tau also present, e.g. (0.1, "80") and (0.05, "90"); the nominal
    share as text, whole or not ((0.0025, "99.5"): it was rounded to a whole percent,
    coverage100, and two intervals rounding alike shared a column)."""
    have = {round(float(t), 10) for t in levels}
    return [(t, f"{round(100 * (1 - 2 * t), 6):g}") for t in sorted(have)
            if t < 0.5 and round(1 - t, 10) in have]


def interval_columns(columns) -> list:
    """The coverage and width columns of a summary (coverage80, width80, coverage90, ...),
    in their order: what the CLI tables show beside the point metrics."""
    import re

    return [c for c in columns if re.fullmatch(r"(coverage|width)\d+(\.\d+)?", str(c))]


def _interval_metrics(columns) -> dict:
    """The per-series entries (as :data:`_PER_SERIES`) of the central intervals whose
    ``covered{p}`` columns ``columns`` holds, besides the 80% one, by nominal share (90
    before 95: they came in the order of their lower levels, 95 first); then each level's
    ``below_q{tau}``, the share of actuals at or below ``q{tau}`` (GluonTS' ``Coverage[tau]``:
    ``tau`` when the quantile is right, level by level where a central interval's coverage
    is two tails in one number)."""
    shares = [c[len("covered"):] for c in columns
              if isinstance(c, str) and c.startswith("covered")]
    out = {}
    for p in sorted((p for p in shares if p.replace(".", "", 1).isdigit()), key=float):
        if p != "80":  # (the 80% one's coverage and widths: in _PER_SERIES)
            out.update({f"coverage{p}": (f"covered{p}", "mean"),
                        f"width{p}": (f"width{p}", "mean"),
                        f"scaled_width{p}": (f"scaled_width{p}", "mean")})
        out[f"msis{p}"] = (f"scaled_is{p}", "mean")
    below = [c for c in columns if isinstance(c, str) and c.startswith("is_below_q")]
    out.update({c[len("is_"):]: (c, "mean") for c in below})
    return out


# per-series metric -> (error column, how a series' errors become its value)
_PER_SERIES = {
    "mase": ("sae", "mean"), "rmsse": ("sse", "rootmean"), "rmse": ("se", "rootmean"),
    "mae": ("ae", "mean"), "mape": ("ape", "mean"), "smape": ("smape", "mean"), "pinball": ("pinball", "mean"),
    "scaled_pinball": ("scaled_pinball", "mean"), "crps": ("crps", "mean"),
    "scaled_crps": ("scaled_crps", "mean"), "wql": ("wql", "over_abs_y"),
    "coverage80": ("covered80", "mean"), "width80": ("width80", "mean"),
    "scaled_width80": ("scaled_width80", "mean"),
}


def _partly_unscaled(err: pd.DataFrame, by) -> dict:
    """{scaled error column: per ``by`` group, whether one of its scored rows has no scale}.
    A series flat before its first origin (zeros before a launch) and varying before the
    later ones had its MASE averaged over the later origins alone (the naive baseline:
    MASE 0 beside an MAE of 0.42), while MAE and RMSE counted every row; such a series now
    has no scaled metrics, as one without a scale at any origin (``n_series_scaled``)."""
    scored = err["ae"].notna() if "ae" in err else None
    if scored is None or not by:
        return {}
    widths = [c for c in err.columns if c.startswith(("scaled_width", "scaled_is"))]
    out = {}
    for scale, columns in (("scale", ["sae", "scaled_pinball", "scaled_crps"] + widths),
                           ("rms_scale", ["sse"])):
        if scale in err:
            missing = (scored & err[scale].isna()).groupby([err[b] for b in by],
                                                           sort=False).any()
            out.update({c: missing for c in columns if c in err})
    return out


def per_series(fc: pd.DataFrame, by=("model", "unique_id")) -> pd.DataFrame:
    """One row per ``by`` group (default model and series) with every metric the frame
    supports (see :data:`_PER_SERIES`), over all its origins and steps."""
    err = add_errors(fc) if "ae" not in fc else fc
    by = [b for b in by if b in err.columns]
    known = {**_PER_SERIES, **_interval_metrics(err.columns)}
    cols = {m: c for m, (c, _) in known.items() if c in err.columns}
    means = set(cols.values()) | ({"abs_y"} if "wql" in cols and "abs_y" in err else set())
    g = err.groupby(by, sort=False)[sorted(means)].mean()
    out = pd.DataFrame(index=g.index)
    unscaled = _partly_unscaled(err, by)
    for m, c in cols.items():
        v = g[c]
        if c in unscaled:  # not the mean of the rows that happen to have a scale
            v = v.where(~unscaled[c].reindex(g.index, fill_value=False))
        if known[m][1] == "over_abs_y":  # sum of the losses over sum |y| (as mean / mean)
            v = v / g["abs_y"].where(g["abs_y"] > 0) if "abs_y" in g else v * np.nan
        out[m] = np.sqrt(v) if known[m][1] == "rootmean" else v
    out["n"] = err.groupby(by, sort=False).size()
    return out.reset_index()


def summarize(fc: pd.DataFrame, by=("model",)) -> pd.DataFrame:
    """Metrics per model: the mean over series of each per-series metric (NaN-skipping:
    a constant series has no MASE), but ``wql`` pooled over every series' rows, ``2 * sum
    pinball / sum |y|`` (GluonTS' and AutoGluon's aggregate: the mean of the per-series
    ratios left out each series whose held-out values are all 0, without a word, and let a
    slow mover's few units outweigh a fast mover's thousands), with the number of series,
    of the series the scaled metrics average (``n_series_scaled``: :mod:`.scaled_note`)
    and of forecasts."""
    err = add_errors(fc) if "ae" not in fc else fc
    ps = per_series(err, by=tuple(by) + ("unique_id",))
    by = [b for b in by if b in ps.columns]
    metrics = [m for m in ps.columns if m not in by and m not in ("unique_id", "n")]
    out = ps.groupby(by, sort=False)[metrics].mean()
    if "wql" in out and "abs_y" in err:  # pooled, as GluonTS and AutoGluon aggregate it
        pooled = err.groupby(by, sort=False)[["wql", "abs_y"]].sum(min_count=1)
        out["wql"] = pooled["wql"] / pooled["abs_y"].where(pooled["abs_y"] > 0)
    out["n_series"] = ps.groupby(by, sort=False)["unique_id"].nunique()
    if "mase" in ps:  # the series the scaled metrics average (a constant history: none)
        out["n_series_scaled"] = ps.groupby(by, sort=False)["mase"].count()
    out["n_forecasts"] = ps.groupby(by, sort=False)["n"].sum()
    return out.reset_index()


def by_step(fc: pd.DataFrame) -> pd.DataFrame:
    """Metrics per model and horizon step, pooled over series and origins (for the
    coverage-by-step plot): ``mase`` (mean scaled abs error); for each central interval,
    by nominal share (80 before 95), ``coverage{p}``, ``width{p}`` (in the series' units),
    ``scaled_width{p}`` and ``msis{p}`` (the mean of each row's interval score over its
    series' scale, as :func:`summarize`'s rows); each level's ``below_q{tau}``; ``crps``,
    ``scaled_crps``; ``n_forecasts``, the rows pooled (a coverage of 0.667 over 3 origins
    is 2 of 3): the interval columns of :func:`summarize`, step by step. Only the 80%
    interval's scaled width was given, and the coverages came in the order of their lower
    levels (95 before 80): a 95% interval's growth with the horizon could not be read
    here; nor, without msis and below_q, whether its misses grow, or on which side."""
    err = add_errors(fc) if "ae" not in fc else fc
    shares = sorted((c[len("covered"):] for c in err.columns
                     if isinstance(c, str) and c.startswith("covered")), key=float)
    each = [f"{k}{p}" for p in shares for k in ("covered", "width", "scaled_width", "scaled_is")]
    below = [c for c in err.columns if isinstance(c, str) and c.startswith("is_below_q")]
    cols = [c for c in ["sae", *each, *below, "crps", "scaled_crps"] if c in err]
    g = err.groupby(["model", "step"], sort=True)
    out = g[cols].mean()
    out["n_forecasts"] = g.size()
    out = out.reset_index()
    return out.rename(columns={"sae": "mase", **{f"covered{p}": f"coverage{p}" for p in shares},
                               **{f"scaled_is{p}": f"msis{p}" for p in shares},
                               **{c: c[len("is_"):] for c in below}})


def point_metrics(y, pred, scale: float = float("nan")) -> Dict[str, float]:
    """RMSE, MAE, sMAPE (%), MASE of one series' forecasts (arrays of equal length)."""
    fc = pd.DataFrame({"model": "m", "unique_id": "s", "y": np.asarray(y, np.float64),
                       "mean": np.asarray(pred, np.float64), "scale": scale})
    row = per_series(fc).iloc[0]
    return {k: float(row[k]) for k in ("rmse", "mae", "smape", "mase")}
