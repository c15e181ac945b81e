"""Every fitted scaler reads its data one way (scalers._fit_values): float64, and an empty
series refused with rnnlab's DataError."""

from __future__ import annotations

import numpy as np
import pytest

from rnnlab.data.scalers import MinMaxScaler, StandardScaler
from rnnlab.io.errors import DataError


@pytest.mark.parametrize("cls", [StandardScaler, MinMaxScaler])
def test_scalers_refuse_an_empty_series_alike(cls):
    with pytest.raises(DataError, match="cannot fit a scaler on an empty series: expected at "
                       "least one value; give the training part some values"):
        cls().fit([])


def test_scalers_fit_integers_as_float64():
    s = StandardScaler().fit(np.array([1, 2], dtype=np.int8))
    assert (s.mean, s.std) == (1.5, 0.5)
    m = MinMaxScaler().fit([np.int16(-3), np.int16(5)])
    assert (m.data_min, m.data_max) == (-3.0, 5.0) and type(m.data_min) is float
