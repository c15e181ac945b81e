"""Small leftovers from session 32's reviews: the forecast table leaves its input windows
as they were, a failed backtest does not count as one, and what report.md and README say
of the CPU time and of a cosine schedule under a time budget."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_the_forecast_table_leaves_the_callers_float32_windows_unchanged(monkeypatch):
    # (torch.from_numpy shares a float32 array's memory, and the anchor was taken off it
    # in place: the caller's windows changed, and a second call on them took it off twice)
    import rnnlab.panel.global_table as global_table
    from test_panel_anchor32 import KW, _panel
    from rnnlab.panel import GlobalForecaster

    seen, real = [], global_table.windows_table

    def spy(model, horizon, f, ids, last, enc, *rest, **kwargs):
        assert enc.dtype == np.float32  # (as built: the case that shares memory)
        before = enc.copy()
        first = real(model, horizon, f, ids, last, enc, *rest, **kwargs)
        seen.append(np.array_equal(enc, before))
        second = real(model, horizon, f, ids, last, enc, *rest, **kwargs)
        seen.append(first.equals(second))
        return first

    monkeypatch.setattr(global_table, "windows_table", spy)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        GlobalForecaster("gru", **KW, calibrate="none").fit(_panel()).predict()
    assert seen == [True, True]


def test_a_backtest_that_failed_is_not_said_to_have_fitted_copies(tmp_path):
    # (the flag was set before the call: a backtest refused at once, here a missing file,
    # left predict saying that backtest() had fitted copies at each origin)
    from rnnlab.io.errors import DataError, NotFittedError
    from rnnlab.panel import GlobalForecaster

    f = GlobalForecaster("gru", lookback=8, horizon=4, epochs=1, batches_per_epoch=2,
                         hidden_size=4)
    with pytest.raises(DataError, match="no such file"):
        f.backtest(tmp_path / "missing.csv")
    with pytest.raises(NotFittedError, match="predict before fit") as err:
        f.predict(4)
    assert "backtest" not in str(err.value)


def _compute_note(devices=None):
    from rnnlab.compare.config import CompareConfig
    from rnnlab.compare.report import _notes

    cfg = CompareConfig(models=("gru",), seeds=(0,))
    res = {"main_metric": "forecast.rmse", "rows": [], "seconds": 30.0, "cpu_seconds": 12.0,
           "device_settings": {} if devices is None else {"devices": devices}}
    return [n for n in _notes({"results": res, "config": cfg}) if n.startswith("Compute")][0]


@pytest.mark.parametrize("devices", [None, 1, 3])
def test_the_compute_note_says_its_cpu_time_leaves_out_child_processes(devices):
    # (results.json's cpu_seconds is time.process_time() of the parent: under --devices N
    # the N spawned workers' CPU time is not in it, which README said and report.md did not)
    note = _compute_note(devices)
    assert note.startswith("Compute: 30 s for this comparison (12 s of CPU time: this process's, "
                           "not its child processes'")
    workers = "--devices workers"
    assert (workers in note) == (devices == 3)
    if devices == 3:
        assert "not its child processes': not the 3 --devices workers'" in note


def test_readme_says_a_time_budget_ends_each_models_cosine_rate_differently():
    # (cosine anneals to 0 over --epochs: a model --max-seconds stops early keeps a higher
    # rate, and each model stops at its own epoch; README's "the same schedule" hid that)
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    start = readme.index("one learning-rate schedule, `--lr-schedule none|plateau|cosine`")
    said = readme[start:start + 700]
    assert "`--max-seconds`" in said
    assert "each model's rate ends at its own value" in said
