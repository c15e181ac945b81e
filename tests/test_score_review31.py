"""Review of session 31's scoring leftovers: what the refusals advise leads to a score,
and the cases beside the ones it mended."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError


def _quarters(n=24):
    """Two quarterly series a and b, and their dates."""
    rng = np.random.default_rng(31)
    dates = pd.date_range("2010-01-01", periods=n, freq="QS")
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": dates,
                                  "y": 10.0 * (i + 1) + np.tile([3.0, 0.0, 1.0, 2.0], n // 4)
                                  + rng.random(n)}) for i, u in enumerate("ab")])
    return df, dates


@pytest.mark.parametrize("name", ["origin", "cutoff"])
def test_accuracy_of_an_empty_origin_column_says_to_drop_the_column(name):
    """Every forecast without its origin: dropping those rows (as it said) left none, and
    the next refusal was "none of the forecasts' series () is in the data"."""
    from rnnlab.panel import accuracy

    df, dates = _quarters()
    fc = pd.DataFrame([{"unique_id": u, name: None, "ds": dates[c + k], "mean": 20.0}
                       for u in "ab" for c in (15, 17) for k in (1, 2)])
    with pytest.raises(DataError, match=rf"8 of the 8 forecasts have no {name} .*fill it "
                                        rf"in, or drop the column \(fc.drop\(columns="
                                        rf"'{name}'\)\)") as e:
        accuracy(fc, df)
    assert "dropna" not in str(e.value)
    got = accuracy(fc.drop(columns=name), df)  # (as it says)
    assert got["n"].tolist() == [4, 4] and got["mase"].notna().all()
