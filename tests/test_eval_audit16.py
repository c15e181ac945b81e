"""Session 16's audit of the reported numbers: metrics against independent computations,
held-out values that must not reach anything fitted, backtest windows, reports."""

import warnings

import numpy as np
import pandas as pd
import pytest

from forecast_series import seasonal
from rnnlab.io.errors import DataError

TINY = dict(model="gru", hidden_size=4, epochs=2, ensemble=1, patience=None)


def _fit(values, index, **settings):
    from rnnlab.forecast import Forecaster

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Forecaster(**{**TINY, **settings}).fit(pd.Series(values, index=index))


def _fitted_state(f) -> dict:
    """What a fit produced from the training part: the pipeline, the choice, the weights,
    and the forecast from the training part's end."""
    return {"pipeline": f.pipeline.to_dict(), "choice": f.choice,
            "weights": [v.clone() for v in f.net.state_dict().values()],
            "forecast": f.forecast_from(f.series.values[:f.n_train], f.config.horizon),
            "train": f.series.values[:f.n_train].copy()}


def _same(a: dict, b: dict) -> None:
    assert a["pipeline"] == b["pipeline"]
    assert a["choice"] == b["choice"]
    assert all(bool((x == y).all()) for x, y in zip(a["weights"], b["weights"]))
    np.testing.assert_array_equal(a["train"], b["train"])
    np.testing.assert_array_equal(a["forecast"], b["forecast"])


# --------------------------------------------------------------- held-out values


def test_a_huge_test_part_changes_nothing_fitted():
    s = seasonal(72)
    alt = s.to_numpy().copy()
    alt[-12:] = 1e6
    _same(_fitted_state(_fit(s.to_numpy(), s.index)), _fitted_state(_fit(alt, s.index)))


def test_auto_transform_is_not_chosen_by_the_test_part():
    """transform='auto' ("log when every training value is > 0") turned the log off when a
    held-out value was 0: the test part chose the model (airline: its forecast of the test
    part moved by 44 passengers). Refused now, naming transform='none'."""
    s = seasonal(72)
    alt = s.to_numpy().copy()
    alt[-1] = 0.0
    with pytest.raises(DataError, match=r"test part.*transform='none'"):
        _fit(alt, s.index)
    # with the transform said, the held-out 0 changes nothing fitted
    _same(_fitted_state(_fit(s.to_numpy(), s.index, transform="none")),
          _fitted_state(_fit(alt, s.index, transform="none")))


def test_auto_transform_still_reads_the_validation_tail():
    """A 0 in the training part's validation tail (read as forecast histories there) still
    turns the log off, as before: it is part of the training data."""
    s = seasonal(72)
    alt = s.to_numpy().copy()
    alt[-14] = 0.0  # before the 12 test points, after the training windows
    f = _fit(alt, s.index)
    assert f.pipeline.log is False


@pytest.mark.parametrize("fill", ["bfill", "interpolate"])
def test_a_gap_before_the_test_part_is_filled_from_the_training_part(fill):
    """fill='bfill'/'interpolate' ran over the whole series before the split: a NaN just
    before the test part was filled from the held-out values (airline: the forecast of the
    test part moved by 2576 with bfill when the test values tripled)."""
    s = seasonal(72)
    v = s.to_numpy().copy()
    v[-13:-11] = np.nan  # the training part's last value and the test part's first
    alt = v.copy()
    alt[-11:] *= 3
    a, b = (_fit(x, s.index, fill=fill) for x in (v, alt))
    _same(_fitted_state(a), _fitted_state(b))
    assert a.series.values[a.n_train - 1] == v[-14]  # the last value before the gap
    assert a.series.filled.tolist() == [len(v) - 13, len(v) - 12]  # both said filled
    assert np.isfinite(a.series.values).all()
