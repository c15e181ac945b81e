"""rnnlab.forecast.naive / seasonal_naive, exported as public functions: a history shorter
than one period was repeated as if it were one (seasonal_naive(arange(5), 3, 12) gave
[0, 1, 2], no value of 12 steps before), and an empty one gave an IndexError."""

import numpy as np
import pytest

from rnnlab.forecast import naive, seasonal_naive
from rnnlab.io.errors import DataError


def test_seasonal_naive_repeats_the_last_period():
    y = np.arange(30.0)
    np.testing.assert_array_equal(seasonal_naive(y, 14, 12), np.r_[18:30, 18:20].astype(float))


def test_seasonal_naive_refuses_a_history_shorter_than_a_period():
    with pytest.raises(DataError, match=r"one period \(12\) of past values, got 5"):
        seasonal_naive(np.arange(5.0), 3, 12)


def test_naive_refuses_an_empty_history():
    np.testing.assert_array_equal(naive(np.array([1.0, 4.0]), 2), [4.0, 4.0])
    with pytest.raises(DataError, match="naive needs a past value"):
        naive(np.array([]), 2)
