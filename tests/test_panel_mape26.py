"""MAPE beside sMAPE in the panel metrics (accuracy(), backtest summaries, rnnlab score),
as Darts and utilsforecast give it; actuals of 0 are left out of it, with a warning."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.forecast.metrics import MapeSkipWarning
from rnnlab.panel import accuracy
from rnnlab.panel.metrics import per_series, summarize


def _data(b_values):
    ds = list(pd.date_range("2020-01-01", periods=6, freq="D"))
    return pd.DataFrame({"unique_id": ["a"] * 6 + ["b"] * 6, "ds": ds * 2,
                         "y": [1.0, 2, 3, 4, 5, 8] + list(b_values)})


def _forecasts():
    return pd.DataFrame({"unique_id": ["a", "a", "b", "b"],
                         "ds": list(pd.to_datetime(["2020-01-05", "2020-01-06"])) * 2,
                         "mean": [4.0, 10.0, 1.0, 5.0]})


def test_accuracy_gives_mape_as_computed_by_hand():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (no 0 among the actuals: no warning)
        got = accuracy(_forecasts(), _data([1.0, 2, 3, 3, 4, 5]))
    # a: |4 - 5| / 5 = 20%, |10 - 8| / 8 = 25%; b: |1 - 4| / 4 = 75%, |5 - 5| / 5 = 0%
    assert got["mape"].tolist() == pytest.approx([22.5, 37.5], rel=1e-12)
    summary = accuracy(_forecasts(), _data([1.0, 2, 3, 3, 4, 5]), by=("model",))
    assert summary["mape"].item() == pytest.approx(30.0, rel=1e-12)


def test_actuals_of_zero_are_left_out_of_mape_with_a_warning():
    with pytest.warns(MapeSkipWarning, match=r"MAPE: 1 of the 4 actual values are 0 and were "
                      r"left out"):
        got = accuracy(_forecasts(), _data([1.0, 2, 3, 3, 0, 5]))
    # b: the 0 on 2020-01-05 left out; |5 - 5| / 5 = 0% alone
    assert got["mape"].tolist() == pytest.approx([22.5, 0.0], rel=1e-12)
    assert np.isfinite(got["smape"]).all()  # (sMAPE scores the 0: 200%)


def test_a_series_of_zeros_has_no_mape():
    fc = pd.DataFrame({"model": "m", "unique_id": "z", "y": [0.0, 0.0], "mean": [1.0, 0.0]})
    assert np.isnan(per_series(fc)["mape"].item())
    assert np.isnan(summarize(fc)["mape"].item())


def test_one_series_and_panel_mape_agree():
    from rnnlab.forecast.metrics import metrics

    y, p = np.array([3.0, 5.0, 7.0, 2.0]), np.array([2.5, 6.0, 7.5, 1.0])
    fc = pd.DataFrame({"model": "m", "unique_id": "s", "y": y, "mean": p})
    assert per_series(fc)["mape"].item() == pytest.approx(metrics(y, p)["mape"], rel=1e-12)


def test_score_shows_mape_and_notes_the_zeros(tmp_path):
    from rnnlab.forecast.scoring import score_forecast

    fc = _forecasts()
    fc.to_csv(tmp_path / "fc.csv", index=False)
    _data([1.0, 2, 3, 3, 0, 5]).to_csv(tmp_path / "data.csv", index=False)
    score = score_forecast(str(tmp_path / "fc.csv"), str(tmp_path / "data.csv"))
    assert score.summary["mape"].item() == pytest.approx((22.5 + 0.0) / 2, rel=1e-12)
    assert any(n.startswith("MAPE: 1 of the 4 actual values are 0") for n in score.notes)
    assert "mape" in score.table()
