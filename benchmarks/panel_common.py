"""Shared by the panel benchmarks: load a panel, time and measure a backtest, write results."""

from __future__ import annotations

import platform
import resource
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
# ../shared/data/panels (see its README), from the main checkout or a worktree beside it
DATA = next((d for d in (ROOT.parent / "shared" / "data" / "panels",
                         ROOT.parent.parent / "shared" / "data" / "panels") if d.is_dir()),
            ROOT.parent / "shared" / "data" / "panels")
RESULTS = ROOT / "benchmarks" / "results"


def load(data, id_column, date_column, target):
    """A PanelFrame through rnnlab.panel.read_panel."""
    from rnnlab.panel.frame import read_panel

    return read_panel(data, id_column=id_column, date_column=date_column, target=target)


def global_model_class():
    """panels-core's GlobalForecaster, or None before it is merged."""
    try:
        from rnnlab.panel.model import GlobalForecaster
    except ImportError:
        return None
    return GlobalForecaster


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (ru_maxrss: KiB on Linux)."""
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return r / 1024 if sys.platform != "darwin" else r / 2 ** 20


def stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%MZ")


def env() -> dict:
    import numpy
    import pandas

    out = {"python": sys.version.split()[0], "platform": platform.platform(),
           "numpy": numpy.__version__, "pandas": pandas.__version__}
    for name in ("torch", "statsmodels", "properscoring", "darts", "neuralforecast"):
        mod = sys.modules.get(name)
        if mod is not None:
            out[name] = getattr(mod, "__version__", "?")
    return out


def report(summary, anchor_names=("seasonal_naive", "ets")) -> list:
    """Rows of the summary with the mean-MASE ratio to each anchor model."""
    s = summary.set_index("model")
    rows = []
    for model, r in s.iterrows():
        row = {"model": model, **{k: (None if r[k] != r[k] else float(r[k]))
                                  for k in ("mase", "rmsse", "smape", "crps", "scaled_crps",
                                            "coverage80", "scaled_width80", "seconds")
                                  if k in r}}
        row["n_series"] = int(r["n_series"])
        for a in anchor_names:
            if a in s.index:
                row[f"mase_vs_{a}"] = float(r["mase"] / s.loc[a, "mase"])
        rows.append(row)
    return rows


def table(rows) -> str:
    keys = ["model", "mase", "mase_vs_seasonal_naive", "mase_vs_ets", "coverage80",
            "scaled_crps", "seconds", "n_series"]
    keys = [k for k in keys if any(k in r for r in rows)]
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    for r in rows:
        cells = [(f"{r[k]:.3f}" if isinstance(r.get(k), float) else str(r.get(k, "")))
                 for k in keys]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write(name: str, payload: dict, out=None) -> Path:
    from rnnlab.io.atomic import atomic_write_json, finite_json

    path = Path(out) if out else RESULTS / f"{name}-{stamp()}.json"
    atomic_write_json(path, finite_json(payload))
    return path


class Timer:
    def __enter__(self):
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.t0
