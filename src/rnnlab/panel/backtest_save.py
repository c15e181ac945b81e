"""A backtest's results saved as a run directory, with what made them.

    res = backtest(make_model, panel, horizon=12, first_origin=36, stride=12)
    res.save("runs/bt")          # forecasts.csv, summary.csv/.json, per_series.csv,
                                 # by_step.csv, config.json

``config.json`` (:func:`rnnlab.io.rundir.write_run_info`) holds each model's settings
(a :class:`~rnnlab.panel.config.PanelConfig` as a dict, or a baseline's class and
quantiles), the origins, horizon and refit policy, the seconds per model, the seed, the
versions of rnnlab, torch, numpy, pandas, statsmodels, properscoring, and the SHA-256 of
the panel as read: what ``rnnlab backtest --out`` writes, from Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Callable, Dict, Optional


def panel_sha256(panel) -> str:
    """SHA-256 of the panel as read (ids, dates, target, covariates, as CSV text): the
    run's config.json records which data its numbers belong to. Kept on the panel with a
    fingerprint of its table (pandas' row hashes, 20 times cheaper than the CSV text), so
    that ``rnnlab backtest`` and :func:`~rnnlab.panel.backtest.backtest` hash one panel
    once (the text of 600,000 rows is 1.3 s of CPU), and a table changed in place since
    is hashed again."""
    from ..io.rundir import data_hash

    key = _fingerprint(panel.df)
    kept = getattr(panel, "_sha256", None)
    if key is not None and kept is not None and kept[0] == key:
        return kept[1]
    # ("\n" whatever the system: pandas ends lines with os.linesep, and on Windows the
    # same data had another SHA-256; so do the CSV files rnnlab writes)
    digest = data_hash(panel.df.to_csv(index=False, lineterminator="\n"))
    if key is not None:
        try:  # (a PanelFrame is frozen: its fields stay as they are, this is a note)
            object.__setattr__(panel, "_sha256", (key, digest))
        except (AttributeError, TypeError):  # (an object of a panel's shape with slots)
            pass
    return digest


def _fingerprint(df) -> Optional[tuple]:
    """The columns, dtypes and a digest of every row's pandas hash (values and index)
    and of the signs of the float columns' values (a zero made -0.0 in place);
    None where pandas cannot hash a column (the panel is then hashed every time)."""
    import hashlib

    import numpy as np
    import pandas as pd

    try:
        rows = pd.util.hash_pandas_object(df, index=True).to_numpy()
    except (TypeError, ValueError):
        return None
    digest = hashlib.sha256(rows.tobytes())
    for name in df.columns:  # (pandas hashes -0.0 as 0.0; the CSV text writes "-0.0")
        if pd.api.types.is_float_dtype(df[name].dtype):
            values = df[name].to_numpy(np.float64, na_value=np.nan)
            digest.update(np.packbits(np.signbit(values)).tobytes())
    return (tuple(map(str, df.columns)), tuple(map(str, df.dtypes)), len(df),
            digest.hexdigest())


def packages() -> dict:
    """Versions of the packages the numbers depend on besides rnnlab and torch (holidays:
    which dates the ``holiday`` calendar feature marks, for the run's ``country``)."""
    import importlib.metadata as md

    out: Dict[str, Optional[str]] = {}
    for name in ("pandas", "statsmodels", "properscoring", "scipy", "matplotlib", "holidays"):
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            out[name] = None
    return out


def model_settings(model) -> dict:
    """A fitted model's settings as JSON: its config's dict, or its class and quantiles."""
    cfg = getattr(model, "config", None)
    if cfg is not None and hasattr(cfg, "to_dict"):
        return {"class": type(model).__name__, **cfg.to_dict()}
    q = getattr(model, "quantiles", None)
    return {"class": type(model).__name__, "quantiles": list(q) if q is not None else None}


def ran_paths(model) -> str:
    """Which implementation the recurrent layers of ``model`` (fitted) trained on, as its
    fits' histories record it (``"fused"``; several joined by ", "): a GlobalForecaster's
    members, a local model's series' networks, the one-series Forecaster behind a
    SeriesModel; "" for a model without them (a baseline, one of the user's, whose own
    ``local``, ``histories`` or ``forecaster`` may be anything: ``local = True`` raised an
    AttributeError after the whole backtest had trained)."""
    def kept(one) -> list:  # (a list of dicts, as rnnlab's fits keep them; else none)
        h = getattr(one, "histories", None)
        return list(h) if isinstance(h, (list, tuple)) else []

    local = getattr(model, "local", None)
    histories = kept(model) + kept(getattr(model, "forecaster", None))  # (a SeriesModel's)
    for one in (local.values() if isinstance(local, Mapping) else ()):
        histories += kept(one)
    return ", ".join(sorted({str(h["path"]) for h in histories
                             if isinstance(h, dict) and h.get("path")}))


def save_backtest(result, path, overwrite: bool = False, extra: Optional[dict] = None) -> Path:
    """Write ``result`` (a BacktestResult) into the run directory ``path`` (an existing
    one only with ``overwrite=True``, and only one rnnlab wrote)."""
    from ..io.rundir import (PYTHON_WORDS, RunLock, finish_run_dir, prepare_run_dir,
                             write_run_info)

    out = Path(path)
    prepare_run_dir(out, overwrite=overwrite, resumable=False, words=PYTHON_WORDS)
    seeds = [s for s in (m.get("seed") for m in result.models.values()) if s is not None]
    with RunLock(out):
        write_run_info(out, {"horizon": result.horizon, **result.origins_json(),
                             "refit": result.refit, "models": result.models,
                             "seconds": result.seconds, "packages": packages(),
                             **(extra or {})},
                       seed=seeds[0] if seeds else None, data_sha256=result.data_sha256)
        write_results(result, out)
        finish_run_dir(out)
    return out


def write_results(result, out: Path, summary_extra: Optional[dict] = None,
                  plots: Optional[Callable[..., None]] = None):
    """forecasts.csv, summary.csv / .json (with ``summary_extra``), per_series.csv and
    by_step.csv of ``result`` in ``out`` (``rnnlab backtest --out`` and
    :func:`save_backtest`); returns the summary frame. ``plots(out, per_series, by_step)``
    draws the plots (from the tables written) before summary.json, written last: it says
    the run finished (``rnnlab runs``), so a full disk or a kill before it leaves a run
    that says it is not."""
    from ..io.atomic import atomic_write_json, atomic_write_text

    summary, per_series, by_step = result.tables()  # (one pass over the forecasts)
    from .date_kind import written_dates

    atomic_write_text(out / "forecasts.csv", written_dates(
        result.forecasts, getattr(result, "ds_written", None)).to_csv(index=False,
                                                                      lineterminator="\n"))
    atomic_write_text(out / "summary.csv", summary.to_csv(index=False, lineterminator="\n"))
    atomic_write_text(out / "per_series.csv", per_series.to_csv(index=False, lineterminator="\n"))
    atomic_write_text(out / "by_step.csv", by_step.to_csv(index=False, lineterminator="\n"))
    if plots is not None:
        plots(out, per_series, by_step)
    from .backtest_tests import tests_said

    tests = tests_said(result, per_series)[1]  # (beside the means: the first model's tests)
    atomic_write_json(out / "summary.json", {
        "models": summary.to_dict(orient="records"), **result.origins_json(),
        "origins": result.origins_said(), "horizon": result.horizon, "refit": result.refit,
        **({"paths": result.paths} if getattr(result, "paths", None) else {}),
        **({"paired_tests": tests} if tests else {}), **(summary_extra or {})})
    return summary
