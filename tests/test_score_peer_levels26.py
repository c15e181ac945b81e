"""NeuralForecast's frames whose columns are levels of a model, not models: its
``predict(quantiles=[...])`` columns (``LSTM_ql0.1``), bands without a point, a level column
passed as ``--model``, and a point-only model beside one with bands (statsforecast's
``Naive`` beside ``LSTM-lo-80``). Each was scored as something it is not."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnnlab.forecast import score_forecast
from rnnlab.io.errors import DataError
from rnnlab.panel import accuracy, read_panel


def _panel():
    rng = np.random.default_rng(3)
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": pd.period_range(
        "2010Q1", periods=20, freq="Q").astype(str), "y": 10.0 * (i + 1) + rng.random(20)})
        for i, u in enumerate(["a", "b"])])
    return read_panel(df)


def _nf(p, **columns):
    last = p.df.groupby("unique_id").tail(4)
    y = last["y"].to_numpy()
    return last[["unique_id", "ds"]].assign(**{k: f(y) for k, f in columns.items()})


def _summary(fc, p, **kw):
    return score_forecast(fc, p, **kw).summary.iloc[0]


def test_quantile_columns_are_levels_of_one_model():
    """`predict(quantiles=[0.1, 0.5, 0.9])` names them LSTM_ql0.1 ...: the point hint
    offered `--model LSTM_ql0.1`, which scored the 0.1 quantile as the point forecast."""
    p = _panel()
    ours = _nf(p, mean=lambda y: y + 1.0, **{"q0.1": lambda y: y - 2.0,
                                             "q0.5": lambda y: y + 1.0,
                                             "q0.9": lambda y: y + 3.0})
    ql = _nf(p, **{"LSTM_ql0.1": lambda y: y - 2.0, "LSTM_ql0.5": lambda y: y + 1.0,
                   "LSTM_ql0.9": lambda y: y + 3.0})
    got = _summary(ql, p)  # (named by its columns: LSTM; ours, without a name: forecast)
    assert (got["model"], _summary(ours, p)["model"]) == ("LSTM", "forecast")
    pd.testing.assert_series_equal(got.drop("model"), _summary(ours, p).drop("model"))
    assert got["coverage80"] == 1.0 and got["mae"] == pytest.approx(1.0)
    # with the point column as well (LSTM beside its quantiles)
    both = ql.assign(LSTM=ql["LSTM_ql0.5"])
    pd.testing.assert_series_equal(_summary(both, p), got)
    # accuracy's refusal gives the rename that scores it
    with pytest.raises(DataError, match="NeuralForecast's columns of model 'LSTM'") as e:
        accuracy(ql, p)
    said = str(e.value)
    fixed = eval(said[said.index("renamed: ") + len("renamed: "):], {"fc": ql})
    assert accuracy(fixed, p)["coverage80"].to_numpy() == pytest.approx(1.0)


@pytest.mark.parametrize("column", ["LSTM_ql0.1", "LSTM-lo-80", "LSTM-median"])
def test_a_level_column_is_refused_as_a_model(column):
    p = _panel()
    nf = _nf(p, LSTM=lambda y: y + 1.0, **{"LSTM-median": lambda y: y + 1.0,
                                           "LSTM-lo-80": lambda y: y - 2.0,
                                           "LSTM-hi-80": lambda y: y + 3.0,
                                           "LSTM_ql0.1": lambda y: y - 2.0})
    with pytest.raises(DataError, match=rf"'{column}' is not a model but a column of model "
                                        r"'LSTM' .*--model LSTM"):
        score_forecast(nf, p, model=column)


def test_bands_without_a_point_are_refused_naming_it(tmp_path, capsys):
    """A frame of LSTM-lo-80 and LSTM-hi-80 only: the hint offered `--model LSTM-lo-80`."""
    from rnnlab.cli import main

    p = _panel()
    nf = _nf(p, **{"LSTM-lo-80": lambda y: y - 2.0, "LSTM-hi-80": lambda y: y + 3.0})
    with pytest.raises(DataError, match=r"model 'LSTM' has the interval or quantile columns "
                                        r"LSTM-lo-80, LSTM-hi-80 but no point forecast"):
        score_forecast(nf, p)
    nf.to_csv(tmp_path / "nf.csv", index=False)
    p.df.to_csv(tmp_path / "data.csv", index=False)
    assert main(["score", str(tmp_path / "nf.csv"), "--actuals",
                 str(tmp_path / "data.csv")]) != 0
    err = capsys.readouterr().err
    assert "no point forecast" in err and "--model LSTM-lo-80" not in err


def test_a_point_only_model_beside_one_with_bands_is_not_dropped():
    """statsforecast's frame of LSTM (with bands) and Naive (point only): scored as LSTM
    alone without a word; now both are named, as for two models with bands."""
    p = _panel()
    nf = _nf(p, LSTM=lambda y: y + 1.0, Naive=lambda y: y + 2.0,
             **{"LSTM-lo-80": lambda y: y - 2.0, "LSTM-hi-80": lambda y: y + 3.0})
    with pytest.raises(DataError, match=r"columns of 2 models \(LSTM, Naive\); name the one "
                                        r"to score: --model LSTM"):
        score_forecast(nf, p)
    assert _summary(nf, p, model="LSTM")["mae"] == pytest.approx(1.0)
    assert _summary(nf, p, model="Naive")["mae"] == pytest.approx(2.0)
