"""Session 31's leftovers of ``rnnlab score`` / ``score_forecast``, ``accuracy`` and
``nixtla_frame``: each a silent surprise or a message that did not say what was found."""

import json

import numpy as np
import pandas as pd
import pytest

from rnnlab.cli import main
from rnnlab.forecast.scoring import score_forecast

RTOL = 1e-9


def _quarters(n=24):
    """Two quarterly series a and b, and their dates."""
    rng = np.random.default_rng(31)
    dates = pd.date_range("2010-01-01", periods=n, freq="QS")
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": dates,
                                  "y": 10.0 * (i + 1) + np.tile([3.0, 0.0, 1.0, 2.0], n // 4)
                                  + rng.random(n)}) for i, u in enumerate("ab")])
    return df, dates


def _one_cutoff_lstm(bands: bool):
    """NeuralForecast's cross_validation(n_windows=1) frame of one model, LSTM, with its
    80% band or without."""
    df, dates = _quarters()
    tail = df[df["ds"] > dates[19]]
    nf = tail[["unique_id", "ds"]].assign(cutoff=dates[19], LSTM=tail["y"].to_numpy() + 1.5)
    if bands:
        nf = nf.assign(**{"LSTM-lo-80": nf["LSTM"] - 2.0, "LSTM-hi-80": nf["LSTM"] + 2.0})
    return nf, df


def test_one_cutoffs_single_model_with_intervals_is_named_by_its_column(tmp_path, capsys):
    """With its interval columns, the frame was scored as one forecast named "forecast"
    (its JSON a "summary" without the model), where the same frame without them was named
    LSTM: both are now a row of model LSTM at 1 cutoff, with the same numbers."""
    bare, df = _one_cutoff_lstm(False)
    banded, _ = _one_cutoff_lstm(True)
    plain, bands = score_forecast(bare, df), score_forecast(banded, df)
    for got in (plain, bands):
        assert got.summary["model"].tolist() == ["LSTM"]
        assert got.by_cutoff["model"].tolist() == ["LSTM"]
        assert got.summary["n_cutoffs"].tolist() == [1]
    shared = ["mae", "rmse", "mase", "rmsse", "bias"]
    np.testing.assert_allclose(bands.summary[shared], plain.summary[shared], rtol=RTOL)
    assert bands.summary["coverage80"].notna().all()
    banded.to_csv(tmp_path / "cv.csv", index=False)
    df.to_csv(tmp_path / "d.csv", index=False)
    assert main(["score", str(tmp_path / "cv.csv"), "--actuals", str(tmp_path / "d.csv"),
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [m["model"] for m in out["models"]] == ["LSTM"]


def test_a_model_picked_at_one_cutoff_is_named_by_its_column():
    """--model GRU of a one-cutoff frame, and a backtest's rows of one model with their
    model column, were named "forecast"; the numbers are those scored without the name."""
    bare, df = _one_cutoff_lstm(True)
    two = bare.assign(GRU=bare["LSTM"] + 1.0)
    gru = score_forecast(two, df, model="GRU")
    assert gru.summary["model"].tolist() == ["GRU"] and gru.by_cutoff["model"].tolist() == ["GRU"]
    ours = bare.rename(columns={"cutoff": "origin", "LSTM": "mean"})[
        ["unique_id", "origin", "ds", "mean"]]
    named = score_forecast(ours.assign(model="naive"), df)
    assert named.summary["model"].tolist() == ["naive"]
    unnamed = score_forecast(ours, df)  # (no model column: no name but "forecast")
    assert unnamed.summary["model"].tolist() == ["forecast"]
    pd.testing.assert_frame_equal(named.summary.drop(columns="model"),
                                  unnamed.summary.drop(columns="model"))
