"""series.py passed 300 lines: the checks of a series' values moved to data/value_checks.py,
still importable from their old home, and refusing as before."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import rnnlab.data.series as series
from rnnlab.data import value_checks
from rnnlab.data.series import load_series
from rnnlab.io.errors import DataError


def test_the_value_checks_live_in_their_own_module_and_keep_their_old_names():
    for name in ("MAX_ABS", "check_not_constant", "check_part_varies"):
        assert getattr(series, name) is getattr(value_checks, name)
    assert len(Path(series.__file__).read_text().splitlines()) < 300


@pytest.mark.parametrize("values, found", [
    ([1.0, np.inf, 2.0], r"series 'y' has infinite values \(rows 1\)"),
    ([1.0, 1e101, 2.0], r"series 'y' has values beyond 1e\+100 in size \(rows 1"),
])
def test_loaded_values_are_still_checked(values, found):
    with pytest.raises(DataError, match=found):
        load_series(pd.Series(values, name="y"))
