"""``rnnlab forecast --data X --insample FILE.csv [--insample-step N]`` on one series: the
fitted Forecaster's in-sample forecasts (:meth:`~rnnlab.forecast.forecaster.Forecaster.
predict_insample`: its chosen forecast from every cutoff of the series) written to a CSV
file of the user's, as a panel run writes its network's (:mod:`rnnlab.panel.insample_option`:
the same option, the same file checks, the same columns).

    rnnlab forecast --data airline --insample fitted.csv
    rnnlab forecast --run DIR --data newer.csv --insample fitted.csv --insample-step 12

A training run writes those of the model it saves (fitted on all but the test part; the
cutoffs in it are the test part's); ``--run DIR`` those of the saved model on ``--data``
(without it: on the series it was fitted on).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Optional

from ..io.errors import OptionError


def series_insample_target(args, run_dir=None, inputs: Iterable = (),
                           writes=None) -> Optional[Path]:
    """The --insample file, checked before any work (None without the option), as a panel
    run checks it (``writes``: the run directory a training run writes, no place for it);
    refused with several --seeds (a model each)."""
    from ..panel.insample_option import insample_target

    if getattr(args, "insample", None) is not None and getattr(args, "seeds", None):
        raise OptionError("--insample with --seeds: each seed's run has its own model; write "
                          "one's in-sample forecasts afterwards with `rnnlab forecast --run "
                          "DIR/seed_S --data DATA --insample FILE.csv`, or train one --seed")
    return insample_target(args, getattr(args, "model", None), run_dir, inputs, writes)


def write_series_insample(path: Optional[Path], args, f, history: Optional[dict] = None,
                          levels=None) -> None:
    """``f``'s in-sample forecasts (of ``history``: predict's ``history``, ``column``,
    ``date_column``, ``fill``; default the series fitted on) into ``path``, at ``levels``
    too, the dates written as the file fitted on wrote them; nothing without a path."""
    if path is None:
        return
    import pandas as pd

    from ..panel.insample_option import insample_step, write_insample_table

    table = f.predict_insample(insample_step(args), **(history or {}), quantiles=levels)
    for c in ("ds", "cutoff"):  # (02/10/2020 as the data's, as forecast.csv writes them)
        table[c] = f.series.written(pd.Index(table[c])).to_numpy()
    write_insample_table(path, table)
