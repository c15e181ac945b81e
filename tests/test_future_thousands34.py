"""A future covariates table written with thousands separators (1,234.5: a spreadsheet's
export) is read as the data's own columns are: the data read '1,234.5' as 1234.5, the
future table refused it as not numeric."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel.model import GlobalForecaster


def _sales(n=40) -> pd.DataFrame:
    rng = np.random.default_rng(2)
    price = 2000 + 500 * np.sin(np.arange(n) / 4) + rng.normal(0, 50, n)
    return pd.DataFrame({"unique_id": "s", "ds": pd.date_range("2020-01-01", periods=n),
                         "y": 50 - price / 100 + rng.normal(0, 1, n), "price": price})


def test_future_values_with_thousands_separators_are_read_as_numbers():
    df = _sales()
    f = GlobalForecaster(hidden_size=8, head_size=8, epochs=1, batches_per_epoch=2,
                         lookback=8, horizon=3, patience=None,
                         future_covariates=("price",)).fit(df)
    dates = pd.date_range(df["ds"].iloc[-1], periods=4, freq="D")[1:]
    fut = pd.DataFrame({"unique_id": "s", "ds": dates, "price": [1500.5, 2250.0, 1999.75]})
    written = fut.assign(price=["1,500.5", "2,250.0", "1,999.75"])
    pd.testing.assert_frame_equal(f.predict(future=written), f.predict(future=fut))
    with pytest.raises(DataError, match=r"column 'price' is not numeric \(e\.g\. '1\.500,5'\)"):
        f.predict(future=fut.assign(price=["1.500,5", "2.250,0", "1.999,75"]))  # (European)
