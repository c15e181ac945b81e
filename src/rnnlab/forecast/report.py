"""What ``rnnlab forecast`` prints and writes beside the model: the metrics table with the
choice, ``forecast.csv``, and the summary over seeds."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Optional

import numpy as np
import pandas as pd

from ..io.atomic import atomic_write_json, atomic_write_text
from ..train.budget_stop import BUDGET_STOP
from ..train.history_csv import write_history_csv
from ..io.errors import DataError
from ..season_length import seasons_held
from .period_line import period_line
from .choice_lines import clause_lines, describe_lines
from ..warning_lines import print_warning

METHODS = ("model", "network", "seasonal_naive", "naive", "drift", "linear_ar", "linear_ar0",
           "arma")
# rnnlab's drift holds the model-space target at its history's mean: with a differenced
# series that is the drift method (the mean change carried forward); without, a flat line
DRIFT_FLAT = ("no differencing in this run, so rnnlab's 'drift' is a flat forecast at the "
              "history's mean level (of the log values with the log transform), not a random "
              "walk with drift: it is not the drift method of the forecasting literature")

# the table's words a newcomer met unexplained ("model" beside "network"? MASE?)
LEGEND = ("(model: the choice below, its forecast past the data in forecast.csv; network: "
          "the network alone; MASE: MAE over the training part's in-sample (seasonal) naive "
          "MAE, under 1 beats it)")


def forecast_csv(f, ev: dict, future, test_q: Optional[pd.DataFrame] = None) -> str:
    """The test part's forecasts of every method and the model's past the data; ``future``
    a Series, or predict(quantiles=...)'s frame whose ``q...`` columns follow (on the test
    part from ``test_q``, the model's)."""
    s, nt = f.series, f.n_train
    idx = s.labels()
    test = pd.DataFrame({"time": s.written(idx[nt:]), "part": "test",
                         "actual": s.values[nt:]})
    for name, pred in ev["predictions"].items():
        test[name] = pred
    q = [c for c in getattr(future, "columns", ()) if c != "mean"]
    point = future["mean"] if q else future
    fut = pd.DataFrame({"time": s.written(point.index), "part": "future", "actual": np.nan,
                        "model": point.values, **{c: future[c].values for c in q}})
    if q and test_q is not None:
        for c in q:
            test[c] = test_q[c].values
    return pd.concat([test, fut], ignore_index=True).to_csv(index=False, lineterminator="\n")


def cell(value: float, width: int, decimals: int) -> str:
    """``value`` right-aligned in ``width`` characters, at least one a space: with
    ``decimals`` where that shows it (an RMSE of 1e12 ran into the next column, and one of
    1e-9 read 0.00 for every method), else in as many significant digits as fit."""
    shown = value == 0 or not np.isfinite(value) or abs(value) >= 10 ** (1 - decimals)
    text = f"{value:.{decimals}f}"
    while shown and len(text) >= width and decimals > 0:  # 123456.78 as 123457
        decimals -= 1
        text = f"{value:.{decimals}f}"
    digits = 4
    while (len(text) >= width or not shown) and digits > 0:  # 1.027e+12, 2.31e-11
        text, shown = f"{value:.{digits}g}", True
        digits -= 1
    return f"{text:>{width}}"


def format_metrics(ev: dict, out: Path, val_data: Optional[str] = None,
                   choice: Optional[dict] = None) -> str:
    """The metrics table with the ``choice`` line; a run without a test part says so (with
    ``--val-data FILE``: the choice, made on FILE)."""
    k = ev["test_size"]
    if k == 0 and val_data:
        said = clause_lines(f"no test part: --val-data {val_data} validated the network and the "
                            f"choice, and nothing after it is held out, so there are no "
                            f"held-out metrics; the forecast starts after its last point")
        return f"{said}\n{describe_lines(choice)}\nrun directory: {out}"
    if k == 0:  # (the choice, made on the validation tail or origins, is said as with one)
        return (clause_lines("no test part (--test-size 0): trained on the whole series, so "
                             "there are no held-out metrics; the forecast starts after its "
                             "last point") + "\n"
                + (f"{describe_lines(choice)}\n" if choice else "") + f"run directory: {out}")
    lines = [f"test part: last {k} point{'s' if k != 1 else ''}; forecast from the end of the "
             f"training part",
             f"{'method':<16}{'RMSE':>10}{'MAE':>10}{'MAPE%':>8}{'sMAPE%':>8}{'MASE':>7}"]
    for name in METHODS:
        if name in ev["forecast"]:
            m = ev["forecast"][name]
            lines.append(f"{name:<16}{cell(m['rmse'], 10, 2)}{cell(m['mae'], 10, 2)}"
                         f"{cell(m['mape'], 8, 2)}{cell(m['smape'], 8, 2)}"
                         f"{cell(m['mase'], 7, 3)}")
    lines.append(clause_lines(LEGEND))  # (about 200 characters: at its clauses)
    if "choice" in ev:
        lines.append(describe_lines(ev["choice"]))
    if ev.get("lag") == 0 and "drift" in ev["forecast"]:
        lines.append(clause_lines(f"note: drift: {DRIFT_FLAT}"))
    p, nt = ev.get("period"), ev.get("n_train", 0)
    if p and nt < 2 * p:  # an inferred period (a given one is refused): said beside the table
        lines.append(clause_lines(
            f"note: the training part holds {seasons_held(nt, p)} seasons of period {p}, fewer "
            f"than two: " + ("seasonal_naive is left out and MASE scales by the lag-1 naive "
                             "error" if nt <= p else "MASE rests on one season")))
    lines.append(f"run directory: {out}")
    return "\n".join(lines)


def summarize(results: dict) -> dict:
    """Each method's point metrics over the seeds: mean, sample std (ddof=1), values."""
    from ..seed_stats import seed_std

    summary: Dict[str, Any] = {"seeds": list(results), "forecast": {}}
    for name in METHODS:
        vals = {k: [r["forecast"][name][k] for r in results.values() if name in r["forecast"]]
                for k in ("rmse", "mae", "mape", "smape", "mase")}
        if vals["rmse"]:
            summary["forecast"][name] = {k: {"mean": float(np.mean(v)), "std": seed_std(v),
                                             "values": v} for k, v in vals.items()}
    from .run_intervals import summarize_intervals

    intervals = summarize_intervals(results)  # (--quantiles: coverage, width, CRPS, ...)
    if intervals is not None:
        summary["intervals"] = intervals
    from ..io.command_line import command, working_directory
    from ..io.versions import versions

    # the folder's own record (each seed_K/config.json has its run's): what made the summary
    summary.update(versions=versions(), command=command(), cwd=working_directory())
    return summary


def format_summary(summary: dict, seeds) -> str:
    if not summary["forecast"]:  # (--test-size 0, --val-data: was a table's bare header)
        return clause_lines(f"over seeds {list(seeds)}: no test part, so no metrics to "
                            f"compare across the seeds; each seed's forecast is in its "
                            f"seed_K/forecast.csv")
    lines = [f"over seeds {list(seeds)} (mean ± std):", f"{'method':<16}{'RMSE':>18}{'MAE':>18}"]
    for name, m in summary["forecast"].items():
        lines.append(f"{name:<16}{cell(m['rmse']['mean'], 10, 2)} ± "
                     f"{cell(m['rmse']['std'], 5, 2).strip():<5}"
                     f"{cell(m['mae']['mean'], 10, 2)} ± {cell(m['mae']['std'], 5, 2).strip():<5}")
    if summary.get("intervals"):
        from .run_intervals import describe_summary_intervals

        lines.append(describe_summary_intervals(summary["intervals"]))
    return "\n".join(lines)


def write_outputs(f, out: Path, levels=None) -> dict:
    """The run directory's files of a fitted forecaster ``f``: the model, metrics.json,
    forecast.csv and the plots; returns the evaluation's details. ``levels``
    (``--quantiles``): the Forecaster's intervals at them in forecast.csv and metrics.json
    (:mod:`.run_intervals`); the plot draws the forecast in its 80% band either way, when
    the model has intervals."""
    import warnings

    from .evaluation import FilledTestWarning
    from .metrics import MapeSkipWarning, MaseScaleWarning

    held_out = len(f.series) > f.n_train
    with warnings.catch_warnings():  # print_outcome says them
        warnings.simplefilter("ignore", FilledTestWarning)
        warnings.simplefilter("ignore", MapeSkipWarning)
        warnings.simplefilter("ignore", MaseScaleWarning)
        details = f.evaluate().details if held_out else None
    ev = details if details is not None else {  # --test-size 0: trained on the whole series
        "test_size": 0, "n_train": f.n_train, "period": f.period, "forecast": {},
        "one_step": {}, "by_step": {}, "predictions": {}}
    future, test_q = f.predict(f.config.horizon), None
    if levels:
        ev, future, test_q = _with_intervals(f, ev, levels, future)
    f.save(out / "model", overwrite=True)  # the run directory's own (a resumed run)
    atomic_write_text(out / "forecast.csv", forecast_csv(f, ev, future, test_q))
    # a forecast without q columns: f.plot's own, in its 80% band when the model has one
    f.plot(out / "forecast.png", "forecast",
           future=None if isinstance(future, pd.Series) else future)
    f.plot(out / "loss.png", "loss")
    if held_out:
        f.plot(out / "error_by_step.png", "horizon")
    # each member's epochs, for a spreadsheet (they were in model.json's extra alone)
    write_history_csv(out / "history.csv", f.histories, label="member")
    # last: its presence says the run finished (`rnnlab runs`); a full disk or a kill
    # before it leaves a run that says it is not
    atomic_write_json(out / "metrics.json", {
        **{k: v for k, v in ev.items() if k != "predictions"},
        "training": {"best_epoch": [h.get("best_epoch") for h in f.histories],
                     "skipped_steps": [h.get("skipped_steps", 0) for h in f.histories],
                     "stop_reason": [h.get("stop_reason") for h in f.histories],
                     "steps": [h.get("steps") for h in f.histories],
                     # each member's training loop: wall clock, and CPU time over the same
                     # span (None: a model an earlier rnnlab saved had no CPU time)
                     "seconds": [h.get("seconds") for h in f.histories],
                     "cpu_seconds": [h.get("cpu_seconds") for h in f.histories],
                     "path": [h.get("path") for h in f.histories],
                     "precision": [h.get("precision") for h in f.histories]}})
    return ev


def _with_intervals(f, ev: dict, levels, future):
    """(details with ``intervals``, future as a frame of mean and q columns, the test
    part's q columns) of a run given ``--quantiles``; a model that turned out to have no
    intervals (too short to difference, ...) keeps its point forecasts, and ``intervals``
    says why (print_outcome warns)."""
    from .run_intervals import test_part_intervals

    try:
        frame = f.predict(f.config.horizon, quantiles=levels)
        test_q, scores = test_part_intervals(f, ev, levels)
    except DataError as e:  # option: the setting that gives it intervals (NoIntervalsError)
        said = getattr(e, "option", None)  # (NoIntervalsError's, when a setting gives them)
        option = {"option": said} if said else {}
        return {**ev, "intervals": {"levels": list(levels), "error": str(e), **option}}, \
            future, None
    intervals = {"levels": list(levels), "test_points": ev.get("test_size", 0),
                 "test": scores}
    return {**ev, "intervals": intervals}, frame, test_q


def print_outcome(f, ev: dict, out: Path, val_data: Optional[str] = None) -> None:
    """What a run prints at its end: skipped steps, the metrics table with the choice,
    test values that were filled in, the recurrent path (``val_data``: --val-data's FILE)."""
    skips = [h.get("skipped_steps", 0) for h in f.histories]
    if sum(skips):
        steps = sum(h.get("steps") or 0 for h in f.histories)
        print(f"skipped {sum(skips)} of {steps} training steps whose loss or gradients were "
              f"NaN/Inf (--on-nonfinite skip; per member: {skips})")
    said = val_data or ev.get("test_size") == 0  # (no test part: the choice is said instead)
    print(format_metrics(ev, out, val_data, f.choice) if said else format_metrics(ev, out))
    print(clause_lines(period_line(f)))  # (about 120 characters: at its clauses)
    intervals = ev.get("intervals")
    if intervals and "error" in intervals:
        hint = (f" (on the command line: {intervals['option']})"
                if intervals.get("option") else "")
        print_warning(f"rnnlab forecast: warning: --quantiles: no intervals: "
                      f"{intervals['error']}{hint}")
    elif intervals:
        from .run_intervals import describe_intervals

        print(describe_intervals(intervals))
    filled = f.series.filled
    invented = 0 if filled is None else int((filled >= f.n_train).sum())
    if invented:
        print(clause_lines(f"note: {invented} of the {ev['test_size']} test values were "
                           f"missing and filled in (--fill {f.config.fill}); the metrics "
                           f"score those as if observed"))
    from .metrics import mape_note, mase_note

    skipped = mape_note(f.series.values[f.n_train:]) if ev.get("test_size") else ""
    if skipped:
        print(clause_lines(f"note: {skipped}"))
    unscaled = mase_note(f.series.values[:f.n_train], f.period) if ev.get("test_size") else ""
    if unscaled:
        print(clause_lines(f"note: {unscaled}"))
    from .budget_words import budget_words

    budget = budget_words(f.histories, getattr(f, "config", None))
    kept = epochs_kept_line(f.histories, budget)  # (the budget said once, there: no note)
    if kept or budget:  # (without validation, a note of its own: where the epochs are too)
        print(clause_lines(kept or f"note: {budget}; every epoch in history.csv"))
    paths = sorted({h.get("path") or "?" for h in f.histories})
    print(f"recurrent path: {', '.join(paths)}")


def epochs_kept_line(histories, budget: str = "") -> str:
    """Which epoch's weights each member kept (the best validation loss) of how many it
    trained, and why it stopped (``budget``, :func:`.budget_words.budget_words`' words, in
    place of a time budget's bare "time budget", after the other reasons: first, they read
    "... leave it out, early stopping"); "" without validation (nothing was chosen)."""
    if not histories or any(h.get("best_epoch") is None for h in histories):
        return ""
    each = [f"{h['best_epoch']} of {len(h.get('epochs') or [])}" for h in histories]
    why = list(dict.fromkeys(str(h.get("stop_reason")) for h in histories))
    if budget and BUDGET_STOP in why:  # (last: its "; to train longer" clause ends the list)
        why = [w for w in why if w != BUDGET_STOP] + [budget]
    reasons = ", ".join(why)
    refit = ("; then trained again for that many epochs on the whole training part (--refit)"
             if any(h.get("refit") for h in histories) else "")
    who = "each member" if len(histories) > 1 else "the network"
    return (f"weights kept: {who}'s epoch of lowest validation loss: {', '.join(each)} "
            f"({reasons}; every epoch in history.csv){refit}")
