"""``score_forecast()``'s result as a notebook shows it: the dataclass' repr printed its three
tables, cut by pandas (``[16 rows x 10 columns]``), the scores themselves behind '...'."""

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
