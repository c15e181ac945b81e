"""Paired tests of a backtest's first model against each of the others (the baselines),
beside the table of mean scores: over the origins of one series, the Diebold-Mariano
test (HLN) of each origin's mean loss; over a panel, Wilcoxon's signed-rank test of each
series' metric (MASE by default). Both pair the same rows: those every model forecast
(``BacktestResult.summary``'s). Holm adjusts each p-value for the comparisons in the
table; nothing adjusts for the models, losses or origins tried before this run.

For one series, the loss of an origin is the mean of its ``horizon`` steps' losses, and
the origins keep ceil(horizon / stride) autocovariances (0 extra when the windows do
not overlap: ``rnnlab backtest``'s default stride is the horizon)."""

from __future__ import annotations

import math
from typing import List, Optional

import numpy as np
import pandas as pd

from ..io.errors import ConfigError
from ..stats import PairedTest, diebold_mariano, signed_rank, with_holm

LOSSES = {"absolute": lambda e: np.abs(e), "squared": lambda e: e * e}


def lags(offsets, horizon: int) -> int:
    """DM's h: the windows of origins ``stride`` apart overlap ceil(horizon / stride)."""
    steps = sorted(set(int(o) for o in offsets))
    if len(steps) < 2:
        return 1
    stride = min(b - a for a, b in zip(steps, steps[1:]))
    return max(1, math.ceil(horizon / stride))


def origin_losses(fc: pd.DataFrame, loss: str) -> pd.DataFrame:
    """One row per origin (in time order), one column per model: the mean loss of the
    origin's steps."""
    err = LOSSES[loss](fc["y"].to_numpy(np.float64) - fc["mean"].to_numpy(np.float64))
    frame = fc[["model", "origin"]].assign(loss=err)
    table = frame.pivot_table(index="origin", columns="model", values="loss", aggfunc="mean")
    first_date = fc.groupby("origin")["ds"].min().sort_values(kind="stable")  # (time order,
    return table.reindex(first_date.index)  # whatever the origins' labels sort as)


SHARES = ("coverage", "below_q")  # (good near their nominal level, not when low)
WIDTHS = ("width", "scaled_width")  # (narrower is better only at the same coverage)


def check_metric(metric: str, numeric: List[str]) -> None:
    """Refuse a ``metric`` the signed-rank test cannot read as "lower favours the first
    model": one not in ``numeric`` (``per_series()``'s number columns), a share whose
    best value is its nominal level (``coverage80`` at 0.8, ``below_q0.9`` at 0.9), where a
    lower share is no better, or an interval's width (``width80``, ``scaled_width80``),
    lower for an interval that misses more. The interval score (``msis80``: width plus
    misses, scaled) or CRPS pair an interval's quality in one number that is lower when
    better."""
    takes = [c for c in numeric if not c.startswith(SHARES + WIDTHS)]
    said = f"metric takes a per_series() column where lower is better ({', '.join(takes)})"
    if not isinstance(metric, str):  # (None, a list: it has no startswith to ask)
        raise ConfigError(f"paired_tests: {said}, one name as a string, got {metric!r}")
    better = [c for c in takes if c.startswith("msis")] + [c for c in takes if c == "crps"]
    pair = (f"To compare intervals, pair {' or '.join(repr(b) for b in better)} (lower is "
            f"better)")
    if metric.startswith(SHARES) and metric in numeric:
        nominal = (metric[len("coverage"):] + "%" if metric.startswith("coverage")
                   else metric[len("below_q"):])
        raise ConfigError(
            f"paired_tests: {metric!r} is a share that is best at its nominal level "
            f"({nominal}), not when low, so a lower value does not favour a model; {said}. "
            f"{pair}, or pair |{metric} - nominal| yourself with rnnlab.stats.signed_rank")
    if metric.startswith(WIDTHS) and metric in numeric:
        raise ConfigError(
            f"paired_tests: {metric!r} is lower for a narrower interval, which is better "
            f"only at the same coverage (an interval that misses more is narrower), so a "
            f"lower value alone does not favour a model; {said}. {pair}: the interval "
            f"score adds the misses to the width")
    if metric not in takes:
        raise ConfigError(f"paired_tests: {said}, got {metric!r}")


def check_one_series_metric(metric, loss: str) -> None:
    """Refuse a ``metric`` on one series, where the test pairs each origin's mean ``loss``
    and reads no ``per_series()`` column: all but the default ``"mase"`` (it stands for
    the point forecast's error the loss is) would be taken and not read. ``"crps"`` or
    ``"msis80"`` paired the absolute error in their place, without a word."""
    if isinstance(metric, str) and metric == "mase":
        return
    raise ConfigError(
        f"paired_tests: metric={metric!r} names what a panel pairs (a per_series() column, "
        f"by series); one series pairs each origin's mean {loss} error (loss='absolute' or "
        f"'squared', Diebold-Mariano over the origins), so {metric!r} would not be read; "
        f"leave metric out on one series, and give loss= to choose what is paired")


def check_panel_loss(loss: str, metric) -> None:
    """Refuse a ``loss`` on a panel, where the test pairs each series' ``metric`` and
    reads no origin's loss: all but the default ``"absolute"`` would be taken and not
    read (``loss="squared"`` paired MASE in its place, without a word)."""
    if loss == "absolute":
        return
    raise ConfigError(
        f"paired_tests: loss={loss!r} is what one series pairs (each origin's mean error); "
        f"a panel pairs each series' {metric} (metric=, a per_series() column, Wilcoxon "
        f"over the series), so {loss!r} would not be read; leave loss out on a panel, and "
        f"give metric= to choose what is paired ('rmse' for squared errors)")


def pairs_origins(common: pd.DataFrame) -> bool:
    """Whether the paired tests pair one series' origins (Diebold-Mariano) rather than
    series (Wilcoxon): the rows every model forecast (``result._common()``) hold one
    series. :func:`paired_tests` and the heading :func:`what_is_paired` both ask this,
    so the heading names the test that ran (a panel whose models share one series pairs
    its origins; deciding from every forecast named Wilcoxon above a DM test)."""
    return common["unique_id"].nunique() == 1


def paired_tests(result, loss: str = "absolute", metric: str = "mase",
                 per_series: Optional[pd.DataFrame] = None) -> List[PairedTest]:
    """The first model of ``result`` (a BacktestResult) against each other model; ``loss``
    (one series: "absolute" or "squared" error per step) and ``metric`` (a panel: a
    column of ``per_series()``, which ``per_series`` gives where it is at hand: the CRPS
    of every row is not computed again) are what is paired. One series reads no
    ``metric``, a panel no ``loss``: any but its default is refused where it is not read
    (:func:`check_one_series_metric`, :func:`check_panel_loss`)."""
    if not isinstance(loss, str) or loss not in LOSSES:  # (a list: unhashable, a TypeError)
        raise ConfigError(f"paired_tests: loss must be one of {sorted(LOSSES)}, got {loss!r}")
    fc = result._common()
    names = list(pd.unique(result.forecasts["model"]))
    if len(names) < 2 or fc.empty:
        return []
    first, others = names[0], names[1:]
    if pairs_origins(fc):
        check_one_series_metric(metric, loss)
        table = origin_losses(fc, loss)
        h = lags(result.offsets, result.horizon)
        tests = [diebold_mariano(table[first], table[o], h, first, o) for o in others]
    else:
        from . import metrics as M

        ps = M.per_series(fc) if per_series is None else per_series
        check_metric(metric, [c for c in ps.select_dtypes("number").columns if c != "n"])
        check_panel_loss(loss, metric)
        table = ps.pivot_table(index="unique_id", columns="model", values=metric,
                               aggfunc="first", dropna=False)
        tests = [signed_rank(table[first], table[o], first, o) for o in others]
    return with_holm(tests)


def what_is_paired(result, loss: str = "absolute", metric: str = "mase", k: int = 2) -> str:
    """The sentence that heads the ``k`` tests: what a pair is and what is adjusted for."""
    one = pairs_origins(result._common())
    h = lags(result.offsets, result.horizon)
    what = (f"each origin's mean {loss} error, paired by origin (Diebold-Mariano with the "
            f"Harvey-Leybourne-Newbold correction, h = {h}: "
            + ("the origins' windows do not overlap" if h == 1 else
               f"autocovariances to lag {h - 1}, as the origins' windows overlap") + ")"
            if one else
            f"each series' {metric}, paired by series (Wilcoxon signed-rank)")
    holm = (f"Holm adjusts them for the {k} comparisons listed here" if k > 1 else
            "one comparison, so no adjustment here")
    return (f"Paired tests (not in the table's means): {what}. A negative mean difference "
            f"favours the first model. p-values are two-sided; {holm}; nothing adjusts for "
            f"other models, losses or origins tried before this run.")


def tests_frame(tests: List[PairedTest]) -> pd.DataFrame:
    """The tests as a table (``BacktestResult.paired_tests()``)."""
    cols = list(PairedTest.__dataclass_fields__)
    return pd.DataFrame([t.to_dict() for t in tests], columns=cols)


def tests_said(result, per_series: Optional[pd.DataFrame] = None) -> tuple:
    """``(lines, json)``: the heading and one line per test for the terminal, and what
    summary.json records (``paired_tests``: the heading and the rows); without scipy, a
    line saying so in place of the tests (the table's numbers do not need it). Kept on
    ``result``: ``rnnlab backtest`` writes them, then prints them."""
    kept = result.__dict__.get("_paired_said")
    if kept is not None:
        return kept
    from ..extras import MissingExtraError

    try:
        tests = paired_tests(result, per_series=per_series)
    except MissingExtraError as e:
        return [f"Paired tests: not run ({e})"], {"note": f"not run ({e})", "tests": []}
    head = what_is_paired(result, k=len(tests))
    said = ([head] + ["  " + t.text() for t in tests],
            {"note": head, "tests": [t.to_dict() for t in tests]}) if tests else ([], {})
    result.__dict__["_paired_said"] = said
    return said
