"""``predict(history=...)`` reads new data with the ``off_grid=`` policy the model was
fitted with (refuse, drop or snap) unless given anew: before, a model fitted with
``off_grid='snap'`` refused the same off-grid date in its history, as if it had been
fitted with the default. The one-series Forecaster, GlobalForecaster and the panel
baselines alike; saved and loaded with the model."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.forecast import Forecaster
from rnnlab.io.atomic import atomic_write_json
from rnnlab.io.errors import CheckpointError, DataError
from rnnlab.panel import GlobalForecaster
from rnnlab.panel.baselines import Naive


def _fridays(n, moved=None):
    d = list(pd.date_range("2015-01-02", periods=n, freq="W-FRI"))
    if moved is not None:  # (a Thursday among the Fridays)
        d[moved] -= pd.Timedelta(days=1)
    return [str(x.date()) for x in d]


def _one_csv(path, n=60, moved=30):
    pd.DataFrame({"date": _fridays(n, moved), "y": 10 + np.sin(np.arange(n))}).to_csv(
        path, index=False)
    return str(path)


def _panel_csv(path, n=50, moved=30):
    pd.concat([pd.DataFrame({"unique_id": u, "ds": _fridays(n, m), "y": 10 + np.sin(
        np.arange(n) * k)}) for u, m, k in (("a", moved, 0.7), ("b", None, 0.3))]).to_csv(
        path, index=False)
    return str(path)


@pytest.fixture(scope="module")
def snapped_series(tmp_path_factory):
    path = _one_csv(tmp_path_factory.mktemp("one") / "one.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = Forecaster(epochs=1, ensemble=1, horizon=4, hidden_size=4).fit(path,
                                                                           off_grid="snap")
    return f, path


def test_forecaster_predict_history_reads_with_fits_policy(snapped_series):
    f, path = snapped_series
    assert f.off_grid == "snap"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kept = f.predict(history=path)  # (refused before: the default was 'refuse')
        given = f.predict(history=path, off_grid="snap")
        insample = f.predict_insample(step_size=20, history=path)
    pd.testing.assert_series_equal(kept, given)
    assert set(kept.index.day_of_week) == {4} and len(insample) > 0
    with pytest.raises(DataError, match="off_grid='snap'"):  # (given anew: it wins)
        f.predict(history=path, off_grid="refuse")


def test_forecaster_keeps_the_policy_through_save_and_load(snapped_series, tmp_path):
    f, path = snapped_series
    loaded = Forecaster.load(f.save(tmp_path / "m"))
    assert loaded.off_grid == "snap"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pd.testing.assert_series_equal(loaded.predict(history=path), f.predict(history=path))


def test_a_damaged_saved_policy_is_named(snapped_series, tmp_path):
    f, _ = snapped_series
    where = f.save(tmp_path / "m")
    meta = json.loads((where / "model.json").read_text())
    meta.pop("_sha256", None)
    meta["extra"]["off_grid"] = "move"
    atomic_write_json(where / "model.json", meta, checksum=True)  # (a hand-edited file)
    with pytest.raises(CheckpointError, match=r"'off_grid' should be one of refuse, drop, "
                                              r"snap, found 'move'"):
        Forecaster.load(where)


def test_a_fit_without_it_still_refuses(tmp_path):
    path = _one_csv(tmp_path / "one.csv")
    clean = _one_csv(tmp_path / "clean.csv", moved=None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = Forecaster(epochs=1, ensemble=1, horizon=4, hidden_size=4).fit(clean)
    assert f.off_grid == "refuse"
    with pytest.raises(DataError, match="off_grid='snap'"):
        f.predict(history=path)


@pytest.mark.slow
def test_global_forecaster_predict_history_reads_with_fits_policy(tmp_path):
    path = _panel_csv(tmp_path / "p.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = GlobalForecaster(horizon=4, lookback=8, epochs=1, hidden_size=4,
                             progress=False).fit(path, off_grid="snap")
        kept = g.predict(history=path)
        given = g.predict(history=path, off_grid="snap")
        loaded = GlobalForecaster.load(g.save(tmp_path / "m"))
        again = loaded.predict(history=path)
    pd.testing.assert_frame_equal(kept, given)
    pd.testing.assert_frame_equal(again, kept)
    assert loaded.off_grid == "snap" and set(kept["ds"].dt.day_of_week) == {4}
    with pytest.raises(DataError, match="off_grid='snap'"):
        g.predict(history=path, off_grid="refuse")


def test_a_baseline_predict_history_reads_with_fits_policy(tmp_path):
    path = _panel_csv(tmp_path / "p.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = Naive().fit(path, off_grid="snap")
        kept = fitted.predict(4, history=path)
    pd.testing.assert_frame_equal(kept, fitted.predict(4, history=path, off_grid="snap"))
    with pytest.raises(DataError, match="off_grid='snap'"):
        fitted.predict(4, history=path, off_grid="refuse")


def test_a_run_of_rnnlab_forecast_keeps_its_off_grid_in_the_model(tmp_path):
    """The CLI reads the file itself, then fits on the series read: the model it saves
    records --off-grid, so Forecaster.load(run/model).predict(history=...) reads alike."""
    from rnnlab.cli import main

    path = _one_csv(tmp_path / "one.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(["forecast", "--data", path, "--off-grid", "snap", "--epochs", "1",
                     "--ensemble", "1", "--horizon", "4", "--hidden-size", "4", "-q",
                     "--no-progress", "--out", str(tmp_path / "run")]) == 0
        loaded = Forecaster.load(tmp_path / "run" / "model")
        assert loaded.off_grid == "snap" and len(loaded.predict(history=path)) == 4
