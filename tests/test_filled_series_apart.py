"""A Series filled by ``load_series(fill=...)`` records its fill, so that a Forecaster
given it (with ``fill=None``: nothing left to fill) refills the training part from the
training part alone (session 16): bfill/interpolate over the whole series had filled a
gap just before the test part from the held-out values."""

import warnings

import numpy as np
import pandas as pd
import pytest

from forecast_series import seasonal
from rnnlab.data.series import load_series
from test_eval_audit16 import TINY, _fitted_state, _same


def _gappy(later: float):
    s = seasonal(72)
    v = s.to_numpy().copy()
    v[-13:-11] = np.nan  # the training part's last value and the test part's first
    v[-11:] *= later
    return pd.Series(v, index=s.index), v


@pytest.mark.parametrize("fill", ["bfill", "interpolate"])
def test_a_series_filled_by_load_series_is_refilled_apart(fill):
    from rnnlab.forecast import Forecaster

    fits = []
    for later in (1.0, 3.0):
        data, v = _gappy(later)
        series = load_series(data, fill=fill)
        assert series.fill == fill
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fits.append(Forecaster(**TINY).fit(series))  # fill=None: the Series is filled
    _same(_fitted_state(fits[0]), _fitted_state(fits[1]))
    a = fits[0]
    assert a.series.values[a.n_train - 1] == v[-14]  # the last value before the gap


def test_the_series_backtest_refills_each_origin_of_a_filled_series():
    from rnnlab.forecast import Forecaster

    out = []
    for later in (1.0, 3.0):
        data, v = _gappy(later)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = Forecaster(**TINY, horizon=6).backtest(
                load_series(data, fill="bfill"), first_origin=12, stride=6,
                baselines=("naive",), quantiles=())
        fc = res.forecasts
        out.append(fc[fc["origin"] == fc["origin"].min()])  # (the later one reads them)
    np.testing.assert_array_equal(out[0]["mean"], out[1]["mean"])
    naive = out[0][out[0]["model"] == "naive"]
    assert naive["mean"].iloc[0] == v[-14]  # the last value before the gap


def test_fill_is_recorded_only_where_values_were_filled():
    s = seasonal(24)
    assert load_series(s, fill="bfill").fill is None  # nothing was missing
    v = s.to_numpy().copy()
    v[3] = np.nan
    assert load_series(pd.Series(v, index=s.index), fill="drop").fill is None
    assert load_series(pd.Series(v, index=s.index), fill="ffill").fill == "ffill"


def test_evaluate_of_a_filled_series_never_reads_a_target_through_its_fill():
    """evaluate()'s one-step histories were refilled with the forecaster's fill (None for a
    Series load_series filled), not the Series' own: a bfilled gap before a test value
    still held that value (the naive's one-step forecast of the point after the gap was
    exact); and its filled-in-test warning said fill=None."""
    from rnnlab.forecast import Forecaster
    from rnnlab.forecast.evaluation import FilledTestWarning

    s = seasonal(72)
    v = s.to_numpy().copy()
    v[-6] = np.nan  # inside the test part
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = Forecaster(**TINY).fit(load_series(pd.Series(v, index=s.index), fill="bfill"))
    with pytest.warns(FilledTestWarning, match="fill='bfill'"):
        pred = f.evaluate()
    test = f.series.values[f.n_train:]
    hist = [v[-13]] + [test[i - 1] for i in range(1, 12)]  # the naive: the value before
    hist[7] = v[-7]  # the point after the gap: the value before the gap carried, not itself
    assert np.isclose(pred["one_step"]["naive"]["mae"], np.mean(np.abs(np.array(hist) - test)))
