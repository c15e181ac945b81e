"""``rnnlab forecast --quantiles 0.1 0.9`` on one series: the Forecaster's own prediction
intervals (:mod:`.intervals`) in the run directory, not a panel model's.

The levels, and what the settings alone rule out (no differencing, no validation part, a
``--select`` that scores no ARMA), are checked before anything is trained. After training,
``forecast.csv`` gets a ``q...`` column per level on the test part (the model's forecast
from the end of the training part, the interval around it) and past the data;
``metrics.json`` gets ``intervals``: the levels and, on the test part, pinball loss, CRPS,
coverage and width of each central interval (:func:`rnnlab.panel.metrics.per_series`, as
the backtests score them); over ``--seeds``, ``summary.json`` gets their mean and spread
(:func:`summarize_intervals`).
"""

from __future__ import annotations

from typing import Optional, Tuple

import numpy as np
import pandas as pd

from ..io.errors import DataError, OptionError
from . import selection as S
from .intervals import quantile_forecast, quantile_levels

# the selects whose choice scores the arma member, which the width is scaled by
SCORES_ARMA = ("auto", "arma", S.MODEL)


def run_levels(args, cfg) -> Optional[Tuple[float, ...]]:
    """The levels of ``--quantiles`` when typed (None otherwise), checked with the run's
    ``cfg`` before anything is trained or written. A refusal is a usage error
    (:class:`OptionError`: exit status 2), as the panel commands' ``--quantiles`` is."""
    typed = getattr(args, "given_options", None) or frozenset()
    if "quantiles" not in typed or getattr(args, "quantiles", None) is None:
        return None
    levels = option_levels(args.quantiles)
    why = [w for bad, w in (
        (cfg.difference == "none", "--difference none (they are the ARMA member's error "
                                   "model of the differenced series)"),
        (cfg.val_size == 0, "--val-size 0 (their width is scaled by the validation scores)"),
        (cfg.select not in SCORES_ARMA, f"--select {cfg.select} (its choice scores no ARMA "
                                        f"member to scale their width by)")) if bad]
    if why:
        which = "that option" if len(why) == 1 else "those options"
        raise OptionError(f"--quantiles: one series' intervals come from the Forecaster "
                        f"(rnnlab.forecast.intervals), which has none with "
                        f"{' or '.join(why)}: drop {which}, or --quantiles")
    return levels


def option_levels(values) -> Tuple[float, ...]:
    """``--quantiles``' values checked (the message names the option, not the API)."""
    from ..panel.call_args import option_quantiles

    # (the API's error type; on the command line a usage error, its examples as typed)
    return option_quantiles(values, lambda v: quantile_levels(v, "--quantiles"))


def recorded_levels(info) -> Optional[Tuple[float, ...]]:
    """The levels a run's config.json (``info``) records as asked for (a resumed run
    writes the intervals its command asked for); None when none (or an older run)."""
    config = info.get("config") if isinstance(info, dict) else None
    levels = config.get("quantiles") if isinstance(config, dict) else None
    return None if levels is None else quantile_levels(levels)


def test_part_intervals(f, ev: dict, levels) -> Tuple[Optional[pd.DataFrame], dict]:
    """The ``q...`` columns of the model's test-part forecast (None without a test part)
    and their scores on the test part (empty without one)."""
    from ..panel.metrics import per_series, quantile_column
    from .metrics import mase_scale

    k = ev.get("test_size", 0)
    if not k:
        return None, {}
    history = f.series.values[:f.n_train]
    mean = np.asarray(ev["predictions"]["model"], np.float64)
    q = quantile_forecast(f, history, mean, levels)
    cols = {quantile_column(t): q[:, j] for j, t in enumerate(levels)}
    fc = pd.DataFrame({"model": "model", "unique_id": "series", "y": f.series.values[f.n_train:],
                       "mean": mean, "scale": mase_scale(history, f.period), **cols})
    row = per_series(fc).iloc[0]
    point = ("model", "unique_id", "n", "mase", "rmsse", "rmse", "mae", "mape", "smape")
    scores = {c: float(row[c]) for c in row.index if c not in point}
    return pd.DataFrame(cols), scores


def describe_intervals(intervals: dict) -> str:
    """The lines under the metrics table: each central interval's coverage of the test
    part and its MSIS, and the weighted quantile loss (``wql``), broken at its clauses into
    lines of at most 80 columns (:mod:`.choice_lines`), with a note that says what the
    last two are, as the panel tables' (:mod:`rnnlab.panel.printed_scores`). The levels
    are said as quantiles: NeuralForecast's ``level=`` is a percentage."""
    from ..panel.printed_scores import scores_note
    from .choice_lines import INDENT, clause_lines

    test = intervals.get("test") or {}
    n = intervals.get("test_points", 0)
    parts, named = [], []
    for c, v in test.items():
        p = c[len("coverage"):]
        if c.startswith("coverage") and np.isfinite(v):
            msis = test.get(f"msis{p}", float("nan"))
            parts.append([f"{p}% interval covers {round(v * n)} of {n} test points (mean "
                          f"width {test.get('width' + p, float('nan')):.4g})"]
                         + ([f"msis{p} {msis:.4g}"] if np.isfinite(msis) else []))
            named += [f"msis{p}"] if np.isfinite(msis) else []
    if np.isfinite(test.get("wql", float("nan"))):
        parts.append([f"wql {test['wql']:.4g}"])
        named.append("wql")
    levels = ", ".join(f"{t:g}" for t in intervals.get("levels", ()))
    head = f"intervals from quantiles {levels} (rnnlab.forecast.intervals)"
    if not parts:
        return clause_lines(head)
    note = scores_note(named)
    # (one clause a line; its msis on the next where the two pass 80 columns)
    lines = [INDENT + line for k, clause in enumerate(parts)
             for line in _packed(clause[:-1] + [clause[-1] + (";" if k < len(parts) - 1
                                                             else "")])]
    return "\n".join([clause_lines(head + ":"), *lines]
                     + ([clause_lines(f"note: {note}")] if note else []))


def summarize_intervals(results: dict) -> Optional[dict]:
    """Over the seeds (``results``: seed -> the run's details), each test-part interval
    score's mean, std and values, as ``summary.json`` gives the point metrics; ``seeds``
    names the seeds behind them and ``without`` those whose model had no intervals (and
    why). None when no seed's run asked for intervals."""
    asked = {s: r["intervals"] for s, r in results.items() if r.get("intervals")}
    if not asked:
        return None
    from ..seed_stats import seed_std

    scored = {s: iv["test"] for s, iv in asked.items() if iv.get("test")}
    test = {}
    for k in dict.fromkeys(k for t in scored.values() for k in t):  # (in their order)
        v = [t[k] for t in scored.values() if k in t]
        test[k] = {"mean": float(np.mean(v)), "std": seed_std(v), "values": v}
    out = {"levels": next(iter(asked.values())).get("levels"), "seeds": list(scored),
           "test": test}
    without = {str(s): iv.get("error", "no test part") for s, iv in asked.items()
               if s not in scored}
    if without:
        out["without"] = without
    return out


def describe_summary_intervals(summary: Optional[dict]) -> str:
    """The lines under the table over seeds: each central interval's coverage and width,
    and the CRPS, as mean ± std over the seeds that had intervals."""
    if not summary:
        return ""
    test, lines = summary.get("test") or {}, []
    for c, m in test.items():
        if c.startswith("coverage"):
            p = c[len("coverage"):]
            w, msis = test.get("width" + p), test.get("msis" + p)
            lines += _packed([f"{p}% interval: coverage {m['mean']:.3f} ± {m['std']:.3f}"]
                             + ([] if w is None else [f"mean width {w['mean']:.4g} ± "
                                                      f"{w['std']:.2g}"])
                             + ([f"msis{p} {msis['mean']:.4g} ± {msis['std']:.2g}"]
                                if msis is not None and _said(msis) else []))
    if "crps" in test:
        lines.append(f"CRPS {test['crps']['mean']:.4g} ± {test['crps']['std']:.2g}")
    if _said(test.get("wql")):  # (what it is: the note under each seed's table)
        lines.append(f"wql {test['wql']['mean']:.4g} ± {test['wql']['std']:.2g}")
    head = f"intervals over seeds {summary.get('seeds')} (mean ± std)"
    for seed, why in (summary.get("without") or {}).items():
        lines.append(f"seed {seed}: no intervals: {why}")
    return head + (":\n  " + "\n  ".join(lines) if lines else ": none scored")


def _packed(parts: list) -> list:
    """``parts`` joined by ", " in lines that fit 80 columns under the two spaces put
    before them, a later line indented two more: an interval's line with its msis ran
    to 90 columns under a one-series table, to 105 over seeds."""
    from .choice_lines import INDENT, WIDTH

    lines = [parts[0]]
    for part in parts[1:]:
        if len(INDENT) + len(lines[-1]) + len(", " + part) <= WIDTH:
            lines[-1] += ", " + part
        else:
            lines[-1] += ","
            lines.append(INDENT + part)
    return lines


def _said(score: Optional[dict]) -> bool:
    """Whether a score over seeds has a mean to show (a series of 0s has no wql)."""
    return score is not None and bool(np.isfinite(score["mean"]))


def recorded_levels_of(run_dir) -> Optional[Tuple[float, ...]]:
    """The levels a finished run in ``run_dir`` was trained with (its config.json's
    ``quantiles``), for ``--run DIR`` without ``--quantiles``: the intervals of a run of
    ``--quantiles 0.1 0.9`` were left out of its forecasts again, where a panel run's model
    keeps its quantiles. None without them, or without a readable config.json (``--run``
    reads the model alone)."""
    from pathlib import Path

    from ..io.errors import RunDirError
    from ..io.json_file import read_json

    path = Path(run_dir) / "config.json"
    try:
        return recorded_levels(read_json(path, RunDirError)) if path.is_file() else None
    except (RunDirError, DataError):
        return None


def predict_levels(f, steps: int, history: dict, levels, recorded: bool):
    """``(forecast, levels)``: ``f.predict`` at ``levels``; the run's ``recorded`` levels
    that the history given cannot have (too short, too flat): the point forecast, with a
    warning saying why, and levels None (typed ones: the error, as before)."""
    try:
        return f.predict(steps, **history, quantiles=levels), levels
    except DataError as e:
        if not (recorded and levels):
            raise
        pred = f.predict(steps, **history)  # (a history it cannot read: its own error)
        import warnings

        warnings.warn(f"the forecast has no intervals at the run's levels "
                      f"{list(levels)}: {e}", stacklevel=3)
        return pred, None
