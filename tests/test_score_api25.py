"""``score_forecast()`` in a notebook: its result's repr printed the three tables, cut by
pandas (``[16 rows x 10 columns]``), the scores themselves behind '...'; the objects rnnlab
gives there (``read_panel``'s PanelFrame, ``load_series``' Series) were refused as actuals
("expected a CSV path, a DataFrame, ... got PanelFrame"; "expected a series ...; got
Series")."""

import numpy as np
import pandas as pd

from rnnlab.forecast.scoring import score_forecast


def test_the_result_reads_as_a_line_of_its_scores():
    t = np.arange(40, dtype=np.float64)
    ys = pd.DataFrame({"month": pd.date_range("2001-01-01", periods=38, freq="MS"),
                       "units": (100 + t)[:38]})
    fc = pd.DataFrame({"time": ["2004-01-01", "2004-02-01", "2004-03-01"],
                       "forecast": [137.0, 136.0, 140.0]})
    got = repr(score_forecast(fc, ys))
    assert got.startswith("ForecastScore(2 forecasts of 1 series scored, 1 pending, MAE 1, "
                          "RMSE 1, MASE 0.08333, 1 note;")  # (scale: 12 a year)
    assert ".table()" in got and "rows x" not in got


def test_a_panel_frame_and_a_loaded_series_are_read_as_actuals():
    from rnnlab.data.series import load_series
    from rnnlab.panel import read_panel

    t = np.arange(40, dtype=np.float64)
    ys = pd.DataFrame({"month": pd.date_range("2001-01-01", periods=38, freq="MS"),
                       "units": (100 + t)[:38]})
    fc = pd.DataFrame({"time": ["2004-01-01", "2004-02-01"], "forecast": [137.0, 136.0]})
    assert score_forecast(fc, load_series(ys)).summary.mae.iloc[0] == 1
    keyed = pd.concat([ys.assign(State=s, Zone="Metro") for s in ("NSW", "VIC")])
    panel = read_panel(keyed, id_column=["State", "Zone"], date_column="month",
                       target="units")
    fcp = pd.DataFrame({"unique_id": ["NSW/Metro", "VIC/Metro"], "ds": "2004-01-01",
                        "mean": 137.0})
    got = score_forecast(fcp, panel)
    assert got.keys == ("State", "Zone") and got.summary.mae.iloc[0] == 1
