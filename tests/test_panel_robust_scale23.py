"""``scale='robust'`` (opt-in): each panel series' centre and scale from medians and median
absolute deviations, so a 1e9 typed among values near 100 does not widen its scale (with
the default standard deviations it made it ~100x its own). Session 23."""

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.data.datasets import DATASETS
from rnnlab.io.errors import DataError
from rnnlab.panel import GlobalForecaster
from rnnlab.panel.config import PanelConfig
from rnnlab.panel.scaling import SeriesTransform, robust_sd


def airline(spike: bool = False) -> np.ndarray:
    y = DATASETS["airline"].load().values.astype(np.float64)
    if spike:
        y[100] = 1e9
    return y


def test_the_default_is_the_standard_deviations_as_before():
    assert PanelConfig().scale == "std"
    y = airline()
    t, r = SeriesTransform.fit(y, "a", lag=12), SeriesTransform.fit(y, "a", lag=12, robust=True)
    d = np.log(y[12:]) - np.log(y[:-12])
    assert t.loc == pytest.approx(d.mean()) and t.scale == pytest.approx(np.diff(d).std())
    assert r.loc == pytest.approx(np.median(d))
    assert 0.5 < r.scale / t.scale < 2  # (a clean series: about the same)


def test_a_robust_scale_is_not_moved_by_one_extreme_value():
    std = SeriesTransform.fit(airline(True), "a", lag=12)
    robust = SeriesTransform.fit(airline(True), "a", lag=12, robust=True)
    clean = SeriesTransform.fit(airline(), "a", lag=12, robust=True)
    assert std.scale > 50 * clean.scale  # (the bug: one value, a scale ~100x the series')
    assert robust.scale == pytest.approx(clean.scale, rel=0.25)
    assert robust.level_scale == pytest.approx(clean.level_scale, rel=0.25)


def test_robust_sd():
    x = np.random.default_rng(0).normal(0.0, 2.0, 20000)
    assert robust_sd(x) == pytest.approx(2.0, rel=0.03)
    mostly_still = np.r_[np.zeros(60), np.ones(40)]  # (MAD 0: the mean absolute deviation)
    assert robust_sd(mostly_still) == pytest.approx(1.2533 * 0.4)


def test_an_unknown_scale_is_refused():
    with pytest.raises(DataError, match=re.escape("scale must be std | robust, got 'mad'")):
        GlobalForecaster(scale="mad")


def _panel() -> pd.DataFrame:
    y = airline()[:60]
    df = pd.DataFrame({"unique_id": np.repeat(["a", "b"], 60),
                       "ds": np.tile(pd.date_range("2000-01-01", periods=60, freq="MS"), 2),
                       "y": np.r_[y, y * 2]})
    df.loc[70, "y"] = 1e9  # series b, 2000-11
    return df


@pytest.mark.slow
def test_a_robust_panel_fit_scales_the_spiked_series_as_its_own(tmp_path):
    kw = dict(lookback=12, horizon=6, hidden_size=4, head_size=4, epochs=1,
              batches_per_epoch=1, batch_size=8, difference="none")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        std = GlobalForecaster("gru", **kw).fit(_panel())
        robust = GlobalForecaster("gru", scale="robust", **kw).fit(_panel())
    s, r = std.features.transforms, robust.features.transforms
    assert s["b"].scale > 20 * s["a"].scale  # (the same series, doubled: one spike)
    assert r["b"].scale == pytest.approx(r["a"].scale, rel=0.3)
    robust.save(tmp_path / "m")
    back = GlobalForecaster.load(tmp_path / "m")
    assert back.config.scale == "robust"
    assert back.features.transforms["b"].scale == r["b"].scale
