"""``rnnlab score FILE --model NAME`` / ``score_forecast(..., model=NAME)``: one model's rows
of a forecast that holds several (a panel run's ``test_forecasts.csv``, a backtest's
``forecasts.csv``). Such a file was refused with a pandas-only hint (``df[df.model ==
...]``), so an evaluator on the command line had to write Python to score it."""

import json

import numpy as np
import pandas as pd
import pytest

from rnnlab.cli import main
from rnnlab.forecast.scoring import score_forecast
from rnnlab.io.errors import DataError


def _actuals(n=40):
    t = np.arange(n, dtype=np.float64)
    return pd.DataFrame({"unique_id": "A",
                         "ds": pd.date_range("2001-01-01", periods=n, freq="MS"),
                         "y": 100 + t + 10 * np.sin(2 * np.pi * t / 12)})


def _models(path=None):
    """Two models' forecasts of A's months 37..39 (as test_forecasts.csv: model first),
    the naive's 5 too high each month, the lstm's exact."""
    ys = _actuals()
    tail = ys.iloc[36:39]
    fc = pd.concat([pd.DataFrame({"model": m, "unique_id": "A", "origin": "2003-12-01",
                                  "ds": tail["ds"].dt.strftime("%Y-%m-%d"),
                                  "mean": tail["y"].to_numpy() + off})
                    for m, off in (("lstm", 0.0), ("naive", 5.0))], ignore_index=True)
    if path is not None:
        fc.to_csv(path, index=False)
        ys.to_csv(path.parent / "a.csv", index=False)
    return fc, ys


def test_model_scores_that_models_rows_alone():
    fc, ys = _models()
    naive = score_forecast(fc, ys, model="naive").summary.iloc[0]
    assert naive.n_forecasts == 3 and naive.mae == pytest.approx(5.0)
    assert naive.bias == pytest.approx(5.0)
    assert score_forecast(fc, ys, model="lstm").summary.iloc[0].mae == pytest.approx(0.0)
    alone = score_forecast(fc[fc.model == "naive"].drop(columns="model"), ys).summary
    picked = score_forecast(fc, ys, model="naive").summary  # (named: naive; alone: forecast)
    assert picked["model"].tolist() == ["naive"]
    pd.testing.assert_frame_equal(picked.drop(columns="model"), alone.drop(columns="model"))


def test_without_model_the_refusal_names_the_option_and_the_models():
    """(With its origin column the file is a forecast of one cutoff: all its models are
    scored, as a file of several cutoffs: tests/test_score_scale_rev30.py.)"""
    fc, ys = _models()
    with pytest.raises(DataError, match=r"holds 2 models' rows \(lstm, naive\); name the "
                                        r"one to score: --model lstm \(score_forecast\(\.\.\., "
                                        r"model='lstm'\)"):
        score_forecast(fc.drop(columns="origin"), ys)


def test_an_unknown_model_is_refused_listing_those_present():
    fc, ys = _models()
    with pytest.raises(DataError, match=r"model 'gru' is not in the forecast, which holds 2 "
                                        r"models' rows \(lstm, naive\); pass one of them"):
        score_forecast(fc, ys, model="gru")
    with pytest.raises(DataError, match=r"model 'gru' is not in .* 1 model' rows \(lstm\)"):
        score_forecast(fc[fc.model == "lstm"], ys, model="gru")
    with pytest.raises(DataError, match=r"model should be a model's name \(a str\), got int"):
        score_forecast(fc, ys, model=1)


def test_a_one_model_forecast_with_its_name_is_scored_as_without():
    fc, ys = _models()
    lstm = fc[fc.model == "lstm"]
    pd.testing.assert_frame_equal(score_forecast(lstm, ys, model="lstm").summary,
                                  score_forecast(lstm, ys).summary)


def test_model_on_a_forecast_without_a_model_column_is_refused(tmp_path):
    fc, ys = _models()
    panel = fc[fc.model == "lstm"].drop(columns="model")
    with pytest.raises(DataError, match=r"model 'lstm' picks one model's rows .* this "
                                        r"forecast is one model's \(columns unique_id, origin"):
        score_forecast(panel, ys, model="lstm")
    one = pd.Series(ys["y"].to_numpy()[36:39], pd.DatetimeIndex(ys["ds"].iloc[36:39]))
    with pytest.raises(DataError, match=r"leave out --model / model="):
        score_forecast(one, ys.drop(columns="unique_id"), model="lstm")
    run = pd.DataFrame({"time": ys["ds"].iloc[36:39], "part": "future",  # a run's forecast.csv:
                        "model": [1.0, 2.0, 3.0]})  # its model column holds the values
    with pytest.raises(DataError, match=r"columns time, part, model\): leave out --model"):
        score_forecast(run, ys.drop(columns="unique_id"), model="lstm")


def test_cli_model_option(tmp_path, capsys):
    f = tmp_path / "test_forecasts.csv"
    _models(f)
    a = str(tmp_path / "a.csv")
    pd.read_csv(f).drop(columns="origin").to_csv(tmp_path / "no_origin.csv", index=False)
    assert main(["score", str(tmp_path / "no_origin.csv"), "--actuals", a]) == 1
    assert "name the one to score: --model lstm" in capsys.readouterr().err
    assert main(["score", str(f), "--actuals", a, "--model", "gru"]) == 1
    assert "holds 2 models' rows (lstm, naive); pass one of them" in capsys.readouterr().err
    assert main(["score", str(f), "--actuals", a, "--model", "naive", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)["summary"]
    assert got["n_forecasts"] == 3 and got["mae"] == pytest.approx(5.0)
    assert main(["score", "--help"]) == 0
    assert "--model NAME" in capsys.readouterr().out
