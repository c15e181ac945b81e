"""Two or three glitch values in a row (each one's neighbour the other) are extreme values
too; a level that stays, or a new level in the last values, is not (session 24)."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.data.datasets import DATASETS
from rnnlab.data.outliers import spikes
from rnnlab.panel import load_panel
from rnnlab.panel.outlier_check import panel_spikes


def airline() -> np.ndarray:
    return DATASETS["airline"].load().values.astype(np.float64)


@pytest.mark.parametrize("run", [2, 3])
@pytest.mark.parametrize("value", [1e9, 0.001])
def test_a_run_of_typed_values_is_found(run, value):
    y = airline()
    y[100:100 + run] = value
    assert [p.position for p in spikes(y)] == list(range(100, 100 + run))


def test_a_run_of_moved_decimal_points_in_noise_around_zero_is_found():
    y = np.random.default_rng(0).normal(0.0, 1.0, 200)
    y[80:82] = [4e4, 5e4]
    assert [p.position for p in spikes(y)] == [80, 81]


def test_levels_that_stay_and_runs_at_either_end_are_not_extreme_values():
    y = airline()
    for shifted in (np.r_[y[:70], y[70:] * 10], np.r_[y[:-2], y[-2:] * 10],
                    np.r_[y[:3] * 10, y[3:]], np.r_[y[:-3], y[-3:] / 10]):
        assert spikes(shifted) == []
    four = y.copy()
    four[60:64] = 1e9  # (four in a row: a level for a while, not a glitch)
    assert spikes(four) == []


def test_orders_arriving_in_runs_are_not_extreme_values_but_a_far_larger_run_is():
    rng = np.random.default_rng(3)
    sales = np.zeros(300)
    for start in rng.choice(np.arange(1, 297, 4), 25, replace=False):
        sales[start:start + 2] = rng.integers(1, 20, 2)
    assert spikes(sales) == []
    sales[149:153] = [0.0, 1e6, 1e6, 0.0]
    assert [p.position for p in spikes(sales)] == [150, 151]


def test_the_panel_names_each_value_of_a_run():
    y = airline()[:60]
    df = pd.DataFrame({"unique_id": np.repeat(["a", "b"], 60),
                       "ds": np.tile(pd.date_range("2000-01-01", periods=60, freq="MS"), 2),
                       "y": np.r_[y, y * 2]})
    df.loc[70:71, "y"] = 1e9  # series b, 2000-11 and 2000-12
    [(uid, hits, _)] = panel_spikes(df)
    assert uid == "b" and [p.position for p in hits] == [10, 11]


@pytest.mark.parametrize("name", ["us_employment", "elecdaily", "visnights"])
def test_shipped_panels_still_have_no_extreme_value(name):
    assert panel_spikes(load_panel(name).df) == []


@pytest.mark.parametrize("months", [2, 3])
def test_a_seasons_peak_of_two_or_three_months_recurring_is_not_extreme(months):
    y = 100 * np.exp(np.random.default_rng(0).normal(0.0, 0.05, 120))
    for year in range(10):  # (a product sold mostly in November and December: six times)
        y[year * 12 + 10:year * 12 + 10 + months] *= 6
    assert spikes(y) == []
    y[64:66] = 1e9  # (and a glitch among them is still found)
    assert [p.position for p in spikes(y)] == [64, 65]
