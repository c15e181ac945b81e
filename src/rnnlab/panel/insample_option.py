"""``rnnlab forecast ... --insample FILE.csv [--insample-step N]``: a panel network's
in-sample forecasts (:meth:`~rnnlab.panel.model.GlobalForecaster.predict_insample`) of the
data, written to a CSV file of the user's (one series': :mod:`rnnlab.forecast.insample_run`,
with the checks and the writing here).

    rnnlab forecast --data panel.csv --id-column store --model lstm --insample fitted.csv
    rnnlab forecast --run DIR --data new.csv --insample fitted.csv --insample-step 7

A training run writes those of the model it saves (fitted on all but each series' last
horizon; the cutoffs in that horizon are its test part's); ``--run DIR --data`` those
of the saved model on the new data. The file is checked before any work (an existing one
is replaced only with ``--overwrite``, and never the data read nor a file of the run read)
and written whole or not at all.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterable, Optional

from ..io.errors import OptionError
from ..train.cli_args import at_least


def add_insample_options(p) -> None:
    p.add_argument("--insample", default=None, metavar="FILE.csv",
                   help="write the model's in-sample forecasts of the data (a panel "
                        "network's; one series: the forecast predict chooses) to this CSV "
                        "file (unique_id, ds, cutoff, step, y, mean, q...; each from the "
                        "values up to its cutoff; an existing file is replaced only with "
                        "--overwrite)")
    p.add_argument("--insample-step", type=at_least(1), default=None, metavar="N",
                   help="with --insample: steps between cutoffs, counted back from each "
                        "series' end (default 1: every cutoff)")


def insample_target(args, model: Optional[str], run_dir=None, inputs: Iterable = (),
                    writes=None) -> Optional[Path]:
    """The --insample file, checked before any work (None without the option): a
    baseline --model (no network) and ``-`` refused, an existing file kept unless
    --overwrite, the data read and the run read never replaced; ``writes``: the run
    directory the command writes (a training run's --out), no place for it."""
    from ..io.output_file import check_output_file
    from .baselines import BASELINES

    target = getattr(args, "insample", None)
    if target is None:
        recorded = getattr(getattr(args, "given_options", None), "recorded", None) or {}
        if "insample_step" in recorded:  # (a run's record: its --insample is not repeated)
            args.insample_step = None
        elif getattr(args, "insample_step", None) is not None:
            raise OptionError("--insample-step N: the steps between the in-sample forecasts' "
                              "cutoffs; give --insample FILE.csv with it")
        return None
    if model in BASELINES:
        raise OptionError(f"--insample: the in-sample forecasts of a network; --model "
                          f"{model} is a baseline: pass --model lstm (or another "
                          f"architecture), or leave --insample out")
    if target in ("", "-"):
        raise OptionError(f"--insample {target!r}: give a CSV file name (the forecast itself "
                          f"is what standard output shows)")
    if writes is not None and _inside(Path(target), Path(writes)):
        beside = Path(writes).parent / f"{Path(writes).name}-insample.csv"
        raise OptionError(f"--insample {target}: inside the run directory {writes} this run "
                          f"writes (its forecast files, model/...; it replaced a file of them "
                          f"after the run): choose a file outside it, e.g. {beside}")
    return check_output_file(target, getattr(args, "overwrite", False), run_dir, inputs,
                             option="--insample")


def _inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` (a file, made or not) lies in ``folder`` or is it, links followed."""
    return folder.resolve() in (path.resolve(), *path.resolve().parents)


def write_insample(path: Optional[Path], args, model, panel, form) -> None:
    """``model``'s in-sample forecasts of ``panel`` into ``path`` (nothing without one),
    its dates in the data's written ``form``."""
    if path is None:
        return
    from .date_kind import written_dates

    table = model.predict_insample(panel, step_size=insample_step(args))
    write_insample_table(path, written_dates(table, form if isinstance(form, str) else None))


def insample_step(args) -> int:
    """--insample-step N (default 1: every cutoff)."""
    return getattr(args, "insample_step", None) or 1


def write_insample_table(path: Path, table) -> None:
    """The in-sample forecasts ``table`` (dates as written) into ``path``, whole or not at
    all, said on standard error (standard output carries the forecast)."""
    from ..io.atomic import atomic_write_text

    atomic_write_text(path, table.to_csv(index=False, lineterminator="\n"))
    # the cutoff dates, and each series' windows where they differ (20 series from 16
    # dates were "320 cutoffs", the (series, cutoff) pairs, where the file held 16)
    dates = table["cutoff"].nunique()
    windows = table[["unique_id", "cutoff"]].drop_duplicates().shape[0]
    said = f"{dates} cutoffs" + (f": {windows} windows" if windows != dates else "")
    print(f"wrote {len(table)} in-sample forecasts ({table['unique_id'].nunique()} series, "
          f"{said}) to {path}", file=sys.stderr)
