"""Whether ``rnnlab forecast`` was given a panel (many series) or one series."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from ..config_given import drop_recorded
from ..io.errors import DataError
from .baseline_names import BASELINE_NAMES as MODEL_BASELINES  # (a baseline --model: a panel)

PANEL_FLAGS = ("id_column", "future_covariates", "past_covariates", "static_covariates",
               "calendar", "quantiles", "future_data", "static_data")

# a panel run's options that are no PanelConfig field: refused on one series as those are
PANEL_RUN_ONLY = frozenset({"baselines"})  # (--insample: one series too)


def wants_panel(args) -> bool:
    """Whether ``rnnlab forecast`` was given a panel: a panel option typed, a built-in
    panel's name, a CSV with a ``unique_id`` column, or ``--run`` a panel run directory.
    One series with an option only the panel model reads (``--likelihood``, ...) is
    refused with those options named, not trained without them."""
    if _wants_panel(args):
        return True
    typed = getattr(args, "given_options", None) or frozenset()
    only = sorted(typed & (panel_only_options() | PANEL_RUN_ONLY))
    if only and not getattr(args, "run", None):  # (a run record's: dropped, with a note)
        only = drop_recorded(args, only, f"the one-series model (--data {args.data})")
    if only and not getattr(args, "run", None):
        from .one_table import one_series_target

        one_series_target(args)  # (several numeric columns, none named: said as without them)
        flags = ", ".join("--" + k.replace("_", "-") for k in only)
        hints = "".join(f"; {h}" for k, h in _ONE_SERIES_HINTS.items() if k in only)
        raise DataError(f"{flags}: options of the panel model, but --data "
                        f"{getattr(args, 'data', None)} is one series; drop them, or give a "
                        f"panel (a long table with an id column: --id-column), or a covariate "
                        f"(--future-covariates, --past-covariates, --calendar month: a "
                        f"feature but holiday, which the one-series model reads), with which "
                        f"one series trains the panel model too{hints}")
    return False


# what a one-series user meant by a panel option (--max-seconds: the time budget they have)
_ONE_SERIES_HINTS = {"max_seconds": "the one-series model's time budget is --minutes N",
                     "baselines": "--baselines chooses a panel run's baselines; one series "
                     "is scored beside the one-series forecaster's own (naive, seasonal "
                     "naive, drift, linear ARs, ARMA), always"}


def panel_only_options() -> frozenset:
    """The dests of the PanelConfig options that the one-series forecaster lacks."""
    from ..forecast.config import ForecastConfig
    from ..options import declared
    from .config import PanelConfig

    own = {o.dest_for(f.name) for f, o in declared(ForecastConfig) if o.cli}
    return frozenset(o.dest_for(f.name) for f, o in declared(PanelConfig)
                     if o.cli and o.dest_for(f.name) not in own) - set(PANEL_FLAGS)


def _wants_panel(args) -> bool:
    if getattr(args, "run", None):
        return (Path(args.run) / "panel.json").is_file()
    typed = getattr(args, "given_options", None) or frozenset()
    # --quantiles alone: one series, the Forecaster's intervals; a panel's with a global
    # model's option (--likelihood, ...), which the Forecaster lacks. A baseline --model
    # (ets, naive, ...) is the panel's, on one series too (the Forecaster has no such model)
    if any(o in typed for o in PANEL_FLAGS if o not in ("quantiles", "calendar")) or (
            "calendar" in typed and not _holidays_alone(args)) or ("quantiles" in typed and (
            typed & panel_only_options())) or _baseline_model(getattr(args, "model", None)):
        return True
    data = getattr(args, "data", None)
    if not isinstance(data, str):
        return False
    from .datasets import PANEL_DATASETS

    path = Path(data)
    if data in PANEL_DATASETS and not path.exists():
        return True
    if path.is_file() and path.suffix.lower() in (".csv", ".gz", ".bz2", ".xz", ".zip"):
        try:
            return "unique_id" in pd.read_csv(io.StringIO(_first_line(path)), nrows=0).columns
        except (ValueError, DataError):
            return False  # the series reader says what is wrong with it
    return False


def _baseline_model(model) -> bool:
    """A baseline ``--model``, ours or another library's name of one (``drift``,
    ``snaive``): the panel run's, which names ours (one series: it was refused as no
    architecture, though its table has a drift row, another method)."""
    from .baseline_names import peer_hint

    return model in MODEL_BASELINES or (isinstance(model, str) and bool(peer_hint(model)))


def _holidays_alone(args) -> bool:
    """``--calendar holiday`` alone: the one-series Forecaster reads it too
    (:mod:`rnnlab.forecast.holidays`); a panel takes it the panel way (its data, below)."""
    from .config import names

    return names(getattr(args, "calendar", None) or ()) == ("holiday",)


def _first_line(path: Path) -> str:
    """The header of a CSV (a compressed one's: :mod:`rnnlab.data.packed_files`), read no
    further than a CSV's line may be long: pandas read the whole first line, of any
    length, before the reader's checks (:mod:`rnnlab.data.csv_file`) refused it."""
    from ..data.csv_file import MAX_LINE_BYTES
    from ..data.packed_files import open_packed, packing_of, read_errors

    kind = packing_of(path)
    try:
        with (open(path, "rb") if kind is None else open_packed(path, kind)) as f:
            line = f.readline(MAX_LINE_BYTES + 1)
    except read_errors() as e:  # (a damaged stream: said by the reader that follows)
        raise DataError(str(e)) from None
    if len(line) > MAX_LINE_BYTES:
        raise DataError("first line too long")
    return line.decode("utf-8", errors="replace")
