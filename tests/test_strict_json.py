"""The JSON files rnnlab writes are strict JSON: NaN and ±inf are written as null (bare
``NaN`` / ``Infinity`` is Python's extension, refused by jq and JavaScript's JSON.parse),
and rnnlab's loaders read them back, as they still read the NaN of older files."""

import argparse
import json
import math

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.atomic import atomic_write_json
from rnnlab.io.json_file import checksummed_text, read_json


def _strict(text: str):
    def refuse(word):
        raise ValueError(f"not strict JSON: {word}")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("checksum", [False, True])
def test_non_finite_numbers_are_written_as_null(tmp_path, checksum):
    # was: NaN, Infinity and -Infinity written bare
    obj = {"nan": math.nan, "inf": [1.0, math.inf, (-math.inf,)], "f32": np.float32("nan"),
           "f64": np.float64("inf"), "ok": 2.5, "nested": {"a": [{"b": math.nan}]}}
    path = atomic_write_json(tmp_path / "x.json", obj, checksum=checksum)
    got = _strict(path.read_text())
    got.pop("_sha256", None)
    assert got == {"nan": None, "inf": [1.0, None, [None]], "f32": None, "f64": None,
                   "ok": 2.5, "nested": {"a": [{"b": None}]}}
    assert read_json(path) == got  # (the checksum of the strict text verifies)


def test_strict_false_keeps_them_for_rnnlab_s_own_transfers(tmp_path):
    path = atomic_write_json(tmp_path / "h.json", {"loss": math.nan}, strict=False)
    assert math.isnan(read_json(path)["loss"])


def test_a_forecast_run_writes_strict_json_and_loads_again(tmp_path):
    from rnnlab.forecast import Forecaster
    from rnnlab.forecast import cli as fcli

    t = np.arange(48)
    y = 10 + 3 * np.sin(2 * np.pi * t / 12)
    y[-3:] = 0.0  # zeros in the test part: its MAPE is NaN
    csv = tmp_path / "s.csv"
    pd.DataFrame({"month": pd.date_range("2000-01", periods=48, freq="MS"), "y": y}).to_csv(
        csv, index=False)
    p = argparse.ArgumentParser()
    fcli.register(p.add_subparsers())
    out = tmp_path / "run"
    args = p.parse_args(["forecast", "--data", str(csv), "--column", "y", "--hidden-size", "4",
                         "--epochs", "1", "--lookback", "6", "--horizon", "3", "--ensemble",
                         "1", "--no-progress", "--transform", "none", "--out", str(out)])
    assert fcli.run(args) == 0
    metrics = _strict((out / "metrics.json").read_text())
    assert metrics["forecast"]["model"]["mape"] is None  # was NaN
    for name in ("config.json", "cli.json", "model/model.json"):
        _strict((out / name).read_text())
    f = Forecaster.load(out / "model")
    assert np.isfinite(f.predict(3).to_numpy()).all()


def test_a_saved_forecaster_reads_null_and_nan_scores_back_as_nan(tmp_path):
    from rnnlab.forecast import Forecaster

    t = np.arange(60, dtype=float)
    series = pd.Series(10 + 3 * np.sin(2 * np.pi * t / 12),
                       index=pd.date_range("2000-01", periods=60, freq="MS"))
    f = Forecaster(hidden_size=4, epochs=1, lookback=6, horizon=3, ensemble=1,
                   progress=False).fit(series)
    f.choice = dict(f.choice, scores={**f.choice["scores"], "drift": math.inf})
    f.save(tmp_path / "m")
    meta = _strict((tmp_path / "m" / "model.json").read_text())
    assert meta["extra"]["choice"]["scores"]["drift"] is None
    assert math.isnan(Forecaster.load(tmp_path / "m").choice["scores"]["drift"])
    # a model.json written before (bare NaN) still loads
    meta["extra"]["choice"]["scores"]["drift"] = math.nan
    (tmp_path / "m" / "model.json").write_text(checksummed_text(meta))
    assert math.isnan(Forecaster.load(tmp_path / "m").choice["scores"]["drift"])


def test_a_panel_model_s_saved_tail_reads_null_as_a_missing_value():
    from rnnlab.panel.saved_features import check_tail

    tail = check_tail({"unique_id": ["a", "a", "a"], "ds": ["2000-01-01"] * 3,
                       "y": [1.0, None, 3.0], "promo": [None, None, None],
                       "old": [1.0, math.nan, 2.0]})
    assert tail["y"].dtype == np.float64 and tail["y"].isna().tolist() == [False, True, False]
    assert tail["promo"].dtype == np.float64 and tail["promo"].isna().all()
    assert tail["old"].isna().tolist() == [False, True, False]


def test_a_charlm_s_saved_baselines_read_null_as_nan():
    from rnnlab.lm.inputs import _baselines

    got = _baselines({"unigram": None, "bigram": 3.5}, "model.json")
    assert math.isnan(got["unigram"]) and got["bigram"] == 3.5


def test_a_resumed_run_recorded_with_an_infinite_setting_is_not_called_changed():
    # meta.json records TrainConfig(clip_norm=inf) as null: the resume warned it differed
    import warnings

    from rnnlab.train.checks import changed_on_resume

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        changed_on_resume({"clip_norm": None, "lr": 0.1}, {"clip_norm": math.inf, "lr": 0.1},
                          "ckpt")
    with pytest.warns(UserWarning, match="lr=0.2"):
        changed_on_resume({"clip_norm": None, "lr": 0.1}, {"clip_norm": math.inf, "lr": 0.2},
                          "ckpt")
