"""Conformal calibration of GlobalForecaster's intervals on the validation tails
(rnnlab.panel.calibration): the offsets by hand, their use in predict, auto/none/conformal,
save and load, a damaged file."""

import json

import numpy as np
import pandas as pd
import pytest
import torch

from rnnlab.io.atomic import atomic_write_json
from rnnlab.io.errors import CheckpointError, DataError
from rnnlab.panel.calibration import (MIN_PER_STEP, apply_offsets, central_pairs,
                                      conformal_quantile, fit_offsets, window_scales)
from rnnlab.panel.frame import read_panel
from rnnlab.panel.model import GlobalForecaster

FAST = dict(hidden_size=8, head_size=16, batch_size=64, batches_per_epoch=10, epochs=3,
            transform="none", difference="none")


def _panel(series, n=60, seed=0):
    rng = np.random.default_rng(seed)
    return read_panel(pd.concat([pd.DataFrame({
        "unique_id": f"s{i}", "ds": pd.date_range("2001-01-01", periods=n, freq="D"),
        "y": 5.0 * (i % 4) + (1 + i % 3) * rng.standard_normal(n)}) for i in range(series)],
        ignore_index=True))


def test_conformal_quantile_and_central_pairs_by_hand():
    s = np.arange(10, 0, -1, dtype=float)  # 10 ... 1
    assert conformal_quantile(s, 0.8) == 9.0  # ceil(11 * 0.8) = 9th smallest
    assert conformal_quantile(s, 0.5) == 6.0  # ceil(5.5) = 6
    assert conformal_quantile(s, 0.95) == 10.0  # ceil(10.45) = 11 > 10: the largest
    assert central_pairs((0.05, 0.1, 0.5, 0.9, 0.95)) == [(0.05, 0.95), (0.1, 0.9)]
    assert central_pairs((0.1, 0.5)) == [] and central_pairs(None) == []


def _validation(n_series, steps, spread, width, seed=0):
    """Forecasts q0.1 = -width, q0.5 = 0, q0.9 = width of values N(0, spread^2), scale 2."""
    rng = np.random.default_rng(seed)
    ids = [f"s{i}" for i in range(n_series)]
    ds = pd.date_range("2000-01-01", periods=steps)
    pred = pd.DataFrame([{"unique_id": u, "ds": d, "step": h + 1, "mean": 0.0,
                          "q0.1": -width, "q0.5": 0.0, "q0.9": width}
                         for u in ids for h, d in enumerate(ds)])
    truth = pred[["unique_id", "ds"]].assign(y=spread * rng.standard_normal(len(pred)))
    return pred, truth, {u: 2.0 for u in ids}


def _covered(table, truth):
    m = table.merge(truth, on=["unique_id", "ds"])
    return ((m["y"] >= m["q0.1"]) & (m["y"] <= m["q0.9"])).groupby(m["step"]).mean()


@pytest.mark.parametrize("spread, width, wider", [(3.0, 1.0, True), (0.5, 4.0, False)])
def test_offsets_cover_the_calibration_values_and_move_both_ways(spread, width, wider):
    pred, truth, scales = _validation(MIN_PER_STEP + 10, 3, spread, width)
    cal = fit_offsets(pred, truth, scales, (0.1, 0.5, 0.9))
    assert cal["per_step"] and cal["pairs"] == [[0.1, 0.9]] and len(cal["offsets"][0]) == 3
    out = apply_offsets(pred, cal, scales)
    assert ((out["q0.9"] - out["q0.1"] > 2 * width) == wider).all()  # too narrow: widened
    # the 3 steps are one window of neighbours (calibration.NEIGHBOURS), whose 3 n scores
    # give each step's offset: >= ceil((3n + 1) 0.8) of them covered by construction (each
    # step's own >= 80% was the overfitting of one step's n scores: step_windows' note)
    cover = _covered(out, truth).mean()
    assert 0.8 <= cover <= 0.8 + 2 / (3 * len(scales)), cover  # and not much more
    np.testing.assert_array_equal(out["q0.5"], pred["q0.5"])  # the median and mean stay
    np.testing.assert_array_equal(out["mean"], pred["mean"])


def test_few_series_pool_the_steps_and_quantiles_stay_monotone():
    pred, truth, scales = _validation(5, 4, 0.1, 3.0)
    pred = pred.assign(**{"q0.05": -3.5, "q0.95": 3.5})
    cal = fit_offsets(pred, truth, scales, (0.05, 0.1, 0.5, 0.9, 0.95))
    assert not cal["per_step"] and len(set(cal["offsets"][0])) == 1
    cal["offsets"][1] = [-2.0] * 4  # pull the 80% interval past the 50% point: sorted back
    out = apply_offsets(pred, cal, scales)
    q = out[["q0.05", "q0.1", "q0.5", "q0.9", "q0.95"]].to_numpy()
    assert (np.diff(q, axis=1) >= 0).all()


def test_window_scale_is_the_mean_absolute_change_over_the_lag():
    rows = pd.DataFrame({"unique_id": ["a"] * 6 + ["b"] * 3,
                         "y": [0, 1, 3, 6, 10, 15, 7, 7, 7]})
    s = window_scales(rows, window=4, lag=1)
    assert s["a"] == pytest.approx((3 + 4 + 5) / 3)  # the last 4 values: 3 changes
    assert s["b"] == pytest.approx(0.07)  # no change: 1% of its mean |y| (scaling.FLAT_SHARE)


def test_predict_applies_the_offsets_fitted_on_the_validation_tails():
    torch.set_num_threads(1)
    panel = _panel(MIN_PER_STEP + 2)
    f = GlobalForecaster("gru", lookback=10, horizon=5, seed=0, **FAST).fit(panel)
    cal = f.calibration
    assert cal is not None and cal["per_step"] and cal["scores"] == 5 * (MIN_PER_STEP + 2)
    raw = f._forecast(5, None, None, calibrated=False)
    scales = window_scales(f.tail, 10, 1)
    pd.testing.assert_frame_equal(f.predict(5), apply_offsets(raw, cal, scales))
    # on the tails it was fitted on, the calibrated 80% interval covers >= 80% of the 5
    # steps pooled (one window of neighbours: calibration.step_windows)
    hist, tails = panel.cut(5), panel.df.groupby("unique_id").tail(5)
    assert _covered(f.predict(5, history=hist), tails).mean() >= 0.8
    g = GlobalForecaster("gru", lookback=10, horizon=5, seed=0, calibrate="none", **FAST).fit(panel)
    assert g.calibration is None
    pd.testing.assert_frame_equal(g.predict(5), raw)  # the same network, uncalibrated


def test_auto_leaves_few_series_alone_and_conformal_forces_it():
    torch.set_num_threads(1)
    panel = _panel(3)
    assert GlobalForecaster("gru", lookback=10, horizon=5, **FAST).fit(panel).calibration is None
    f = GlobalForecaster("gru", lookback=10, horizon=5, calibrate="conformal", **FAST).fit(panel)
    assert f.calibration is not None and not f.calibration["per_step"]
    assert GlobalForecaster("gru", lookback=10, horizon=5, calibrate="conformal", val_size=0,
                            **FAST).fit(panel).calibration is None  # no tail: nothing to fit
    local = GlobalForecaster("gru", lookback=10, horizon=5, calibrate="conformal", local=True,
                             **FAST).fit(panel)
    # one calibration pooled over the series' models (each series' own few scores: none)
    assert local.calibration is not None and not local.calibration["per_step"]
    assert all(m.calibration is None for m in local.local.values())
    with pytest.raises(DataError, match="calibrate must be one of"):
        GlobalForecaster("gru", calibrate="always")


def _rewrite(path, calibration):
    meta = json.loads((path / "model.json").read_text())
    meta.pop("_sha256", None)
    if calibration is None:
        meta["extra"].pop("calibration")
    else:
        meta["extra"]["calibration"] = calibration
    atomic_write_json(path / "model.json", meta, checksum=True)


def test_calibration_is_saved_checked_and_optional_in_older_files(tmp_path):
    torch.set_num_threads(1)
    f = GlobalForecaster("gru", lookback=10, horizon=5, calibrate="conformal", **FAST)
    f.fit(_panel(3))
    f.save(tmp_path / "m")
    g = GlobalForecaster.load(tmp_path / "m")
    assert g.calibration == f.calibration
    pd.testing.assert_frame_equal(g.predict(5), f.predict(5))
    good = f.calibration
    for bad in ({**good, "offsets": [[float("nan")] * 5]}, {**good, "offsets": [["x"] * 5]},
                {**good, "offsets": [[0.1] * 9]}, {**good, "pairs": [[0.2, 0.8]]}, {"pairs": 1}):
        _rewrite(tmp_path / "m", bad)
        with pytest.raises(CheckpointError, match="interval calibration is damaged"):
            GlobalForecaster.load(tmp_path / "m")
    _rewrite(tmp_path / "m", None)  # saved before the calibration: the raw quantiles
    old = GlobalForecaster.load(tmp_path / "m")
    assert old.calibration is None
    pd.testing.assert_frame_equal(old.predict(5), f._forecast(5, None, None, calibrated=False))


def test_each_steps_coverage_is_nominal_within_its_sampling_error_on_exchangeable_scores():
    """Synthetic exchangeable scores (40 series x 12 steps of N(0, 3^2) values around
    intervals of half-width 1, every step alike), 100 fixed-seed draws: each step's offset
    was the conformal quantile of that step's 40 scores alone, so its coverage of a new
    value, exact from the normal CDF, varied by sqrt(0.8 0.2 / 41) = 0.062 from draw to draw
    and the worst of 12 steps covered about 0.70. Pooled with its neighbours
    (``step_windows``: 5 steps, 200 scores) it keeps the mean >= 80% (the finite-sample
    ceil((n + 1) 0.8)) and has half the spread."""
    from statistics import NormalDist

    from rnnlab.panel.calibration import NEIGHBOURS, step_windows

    assert step_windows(12) == [(1, 5)] * 3 + [(h - 2, h + 2) for h in range(4, 10)] + \
        [(8, 12)] * 3 and step_windows(3) == [(1, 3)] * 3 and NEIGHBOURS == 2
    n, steps, spread, width, draws = MIN_PER_STEP + 10, 12, 3.0, 1.0, 100
    pred, _, scales = _validation(n, steps, spread, width)
    rng = np.random.default_rng(0)
    cdf = np.vectorize(NormalDist().cdf)
    cover = np.empty((draws, steps))
    for r in range(draws):
        truth = pred[["unique_id", "ds"]].assign(y=spread * rng.standard_normal(len(pred)))
        cal = fit_offsets(pred, truth, scales, (0.1, 0.5, 0.9))
        assert cal["per_step"]
        c = np.asarray(cal["offsets"][0], dtype=np.float64)
        cover[r] = 2 * cdf((width + 2.0 * c) / spread) - 1  # P(|y| <= width + c s), s = 2
    mean, sd = cover.mean(axis=0), cover.std(axis=0)
    assert (mean >= 0.8 - 3 * sd / np.sqrt(draws)).all(), mean  # nominal, each step
    assert (mean <= 0.8 + 3 * sd / np.sqrt(draws) + 0.01).all(), mean  # and not much more
    assert (sd < 0.04).all(), sd  # one step's 40 scores alone: 0.06
    assert cover.min(axis=1).mean() > 0.75  # the worst step of a draw (one step's: 0.70)


@pytest.mark.parametrize("coverage", [0.8, 0.9, 0.5, 1e-12])
@pytest.mark.parametrize("steps", [7, 3, 1])
def test_window_quantiles_are_the_conformal_quantile_of_each_windows_scores(coverage, steps):
    """One sort by step (the merge of the pooled windows had brought back a mask of all
    scores per step, horizon x scores, that the scale work had removed): the same order
    statistic as conformal_quantile on each window's scores, ties and a NaN included."""
    from rnnlab.panel.calibration import conformal_quantile, step_windows, window_quantiles

    rng = np.random.default_rng(steps)
    step = rng.permutation(np.repeat(np.arange(1, steps + 1), rng.integers(30, 46, steps)))
    scores = np.round(rng.normal(size=len(step)), 1)  # (ties)
    scores[5] = np.nan
    want = [conformal_quantile(scores[(step >= a) & (step <= b)], coverage)
            for a, b in step_windows(steps)]
    got = window_quantiles(scores, step, steps, coverage)
    np.testing.assert_array_equal(got, want)
