"""Review of user29c (session 29): panel frictions for NeuralForecast users, mended."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import ConfigTypeError, DataError


def test_the_panel_model_is_back_under_the_house_limit():
    """model.py was 303 lines after user29c (predict's static=): sample_paths lives in
    model_paths.py, still the method itself (no frame of its own: its warnings' stacklevels
    reach the caller's line, as _forecast's)."""
    from rnnlab.panel import model, model_paths

    assert model.GlobalForecaster.sample_paths is model_paths.sample_paths
    assert len(Path(model.__file__).read_text().splitlines()) < 300


@pytest.fixture(scope="module")
def likelihood_static():
    """A gaussian model reading static covariates, and a new series' history (a copy of
    s0's values under a new id) without them: their table is given apart."""
    from test_panel_new_series_static import TINY, _table

    from rnnlab.panel import GlobalForecaster, read_panel

    df = _table()
    f = GlobalForecaster(static_covariates=("kind", "size"), likelihood="gaussian",
                         samples=8, **TINY).fit(read_panel(df))
    new = df[df["unique_id"] == "s0"].assign(unique_id="new")
    table = pd.DataFrame({"unique_id": ["new"], "kind": ["a"], "size": [0.0]})
    return f, new, table


def test_sample_paths_takes_predicts_static_table(likelihood_static):
    """predict(history=new, static=table) forecast a new series; sample_paths (its
    sibling, 'horizon, future, history as predict's') had no static=: a TypeError, and
    without it the new series was refused for want of its values."""
    f, new, table = likelihood_static
    bare = new.drop(columns=["kind", "size"])
    with pytest.warns(UserWarning, match="not in the training panel"):
        got = f.sample_paths(history=bare, static=table)
    with pytest.warns(UserWarning, match="not in the training panel"):
        merged = f.sample_paths(history=new)
    assert list(got) == ["new"] and got["new"].shape == merged["new"].shape == (8, 4)
    np.testing.assert_allclose(got["new"], merged["new"])  # (the draws are seeded)
    with pytest.raises(DataError, match=r"predict\(static=\.\.\.\) rows"):
        f.sample_paths(history=bare)
    with pytest.raises(ConfigTypeError, match=r"GlobalForecaster.sample_paths\(static=\.\.\.\) "
                                              r"gives the static covariates of the series in "
                                              r"history="):
        f.sample_paths(static=table)


def test_plot_takes_predicts_static_table(likelihood_static):
    """plot draws predict's forecast; it passed no static=, so a new series' plot could
    not be drawn from the table predict takes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    f, new, table = likelihood_static
    bare = new.drop(columns=["kind", "size"])
    with pytest.warns(UserWarning, match="not in the training panel"):
        want = f.predict(history=bare, static=table)
    with pytest.warns(UserWarning, match="not in the training panel"):
        fig = f.plot(history=bare, static=table)
    [ax] = fig.axes
    line = {ln.get_label(): ln for ln in ax.lines}["forecast (mean)"]
    np.testing.assert_allclose(line.get_ydata(), want["mean"])
    plt.close(fig)


@pytest.mark.parametrize("kind, cls", [("panel-forecaster", "GlobalForecaster"),
                                       ("forecaster", "Forecaster")])
def test_loading_a_backtest_folder_says_it_saves_no_model(tmp_path, kind, cls):
    """GlobalForecaster.load("bt1"): a backtest's folder (summary.json, forecasts.csv, and
    since bt29 checkpoints/ of its folds) was "holds training checkpoints ... continue it
    with --resume", or "no model.json": neither says that a backtest keeps no model."""
    from rnnlab.io.errors import CheckpointError
    from rnnlab.io.model_dir import read_model_json

    bt = tmp_path / "bt1"
    (bt / "checkpoints" / "folds").mkdir(parents=True)
    for name in ("summary.json", "forecasts.csv", "config.json"):
        (bt / name).write_text("{}")
    with pytest.raises(CheckpointError) as e:
        read_model_json(bt, kind)
    said = str(e.value)
    assert "a backtest's run directory (summary.json, forecasts.csv), which saves no model" \
        in said and "--resume" not in said
    assert f"{cls}(config=" in said and "config.model_config" in said
    assert "`rnnlab forecast --data DATA --out DIR`" in said
