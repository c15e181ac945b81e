"""An energy forecaster's temperature scenarios (session 25): a future covariate far
outside the values the model was fitted on (a scenario in Fahrenheit for a model fitted on
Celsius) is said in a FarCovariateWarning; a hot day a little past the hottest seen is
not, and a model saved before the fitted range was kept loads and says nothing."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.panel.covariates import ColumnScaler
from rnnlab.panel.far_covariates import FarCovariateWarning, warn_far_future
from rnnlab.panel.model import GlobalForecaster

TINY = dict(hidden_size=8, head_size=8, epochs=1, batches_per_epoch=2, batch_size=16,
            lookback=8, horizon=4, patience=None, future_covariates=("temp",))


def _demand(n=60) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    temp = 20 + 6 * np.sin(np.arange(n) / 5) + rng.normal(0, 1, n)  # (about 13 .. 27)
    return pd.DataFrame({"unique_id": "vic", "ds": pd.date_range("2014-01-01", periods=n),
                         "y": 200 + 3 * temp + rng.normal(0, 2, n), "temp": temp})


def _scenario(df, t) -> pd.DataFrame:
    return pd.DataFrame({"ds": pd.date_range(df["ds"].iloc[-1], periods=5, freq="D")[1:],
                         "temp": t})


def test_a_fahrenheit_scenario_is_said_and_a_warm_one_is_not(tmp_path):
    # was: a demand of 4x anything seen, and a wide interval, with no word
    df = _demand()
    f = GlobalForecaster(**TINY).fit(df)
    with pytest.warns(FarCovariateWarning, match=r"'temp' holds 4 such values \(up to 95, "
                      r"series 'vic' at 2014-03-0\d\), where the data the model was fitted on "
                      r"held 1\d\.\d+ \.\. 2\d\.\d+"):
        f.predict(4, future=_scenario(df, 95.0))
    hot = df["temp"].max() + 2  # (past the hottest day: within half the range)
    with warnings.catch_warnings():
        warnings.simplefilter("error", FarCovariateWarning)
        f.predict(4, future=_scenario(df, hot))
    f.save(tmp_path / "m")
    with pytest.warns(FarCovariateWarning):
        GlobalForecaster.load(tmp_path / "m").predict(4, future=_scenario(df, 95.0))


def test_a_model_saved_without_the_fitted_range_loads_and_says_nothing(tmp_path):
    df = _demand()
    GlobalForecaster(**TINY).fit(df).save(tmp_path / "m")
    spec = json.loads((tmp_path / "m" / "model.json").read_text())
    spec.pop("_sha256")  # as an older rnnlab wrote it: read unverified
    covs = spec["extra"]["features"]["covs"]
    assert covs.pop("low") and covs.pop("high")
    (tmp_path / "m" / "model.json").write_text(json.dumps(spec))
    with warnings.catch_warnings():
        warnings.simplefilter("error", FarCovariateWarning)
        GlobalForecaster.load(tmp_path / "m").predict(4, future=_scenario(df, 95.0))


def test_a_column_constant_in_training_says_any_other_value():
    covs = ColumnScaler().fit(pd.DataFrame({"promo": [0.0] * 10, "t": np.arange(10.0)}),
                              ["promo", "t"])
    dates = pd.date_range("2020-01-01", periods=2)
    with pytest.warns(FarCovariateWarning, match=r"'promo' holds 1 such value \(up to 1, "
                      r"series 'a' at 2020-01-02\).* held 0 \.\. 0") as got:
        warn_far_future(covs, np.array([[0.0, 5.0], [1.0, 13.0]]), ["promo", "t"],
                        ["a", "a"], dates)
    assert "'t'" not in str(got[0].message)  # (13: within half the range past 9)


def _visits(n=40) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    visits = 25 + 3 * np.sin(np.arange(2 * n) / 3) + rng.normal(0, 1, 2 * n)
    return pd.DataFrame({"unique_id": np.repeat(["a", "b"], n),
                         "ds": np.tile(pd.date_range("2020-01-01", periods=n, freq="MS"), 2),
                         "y": visits / 3 + rng.normal(0, 0.2, 2 * n), "visits": visits})


@pytest.mark.parametrize("short", [False, True])
def test_a_past_covariate_in_other_units_in_the_history_is_said(short):
    """A nightly job's file with the past covariate written as 26,250 for 26.25 (read as
    26250): the forecast moved a little and nothing was said. The windows read are checked
    as the future values are; the same file in the fitted units says nothing. ``short``:
    a series shorter than the window, forecast series by series."""
    df = _visits()
    kw = dict(TINY, future_covariates=(), past_covariates=("visits",))
    f = GlobalForecaster(**kw).fit(df)
    new = df.assign(visits=df["visits"] * 1000)
    if short:
        new = new[(new["unique_id"] == "a") | (new["ds"] >= new["ds"].iloc[-4])]
    with pytest.warns(FarCovariateWarning, match=r"^covariates of the history far outside "
                      r"the values the model was fitted on: 'visits' holds \d+ such values "
                      r"\(up to 2\.\d+e\+04, series '[ab]' at 20\d\d-\d\d-01\), where the "
                      r"data the model was fitted on held 2\d\.\d+ \.\. 2\d\.\d+"):
        f.predict(4, history=new)
    with warnings.catch_warnings():
        warnings.simplefilter("error", FarCovariateWarning)
        f.predict(4, history=df)


def test_a_future_covariates_history_in_other_units_is_said_too():
    """The window also reads the future covariates' values up to the origin: a price
    written 10,130 for 10.13 in tonight's history moved the forecast with no word."""
    df = _demand()
    f = GlobalForecaster(**TINY).fit(df)
    hot = df.assign(temp=df["temp"] * 1000)
    fut = _scenario(df, 20.0)
    with pytest.warns(FarCovariateWarning, match=r"^covariates of the history far outside .*"
                                                 r"'temp' holds 8 such values"):
        f.predict(4, future=fut, history=hot)
    with warnings.catch_warnings():
        warnings.simplefilter("error", FarCovariateWarning)
        f.predict(4, future=fut, history=df)


def test_covariates_before_the_window_are_not_said():
    """With a seasonal difference (the default for a monthly panel with past covariates
    only) the last ``lookback + 12`` rows are read for the target's lags, but only the last
    ``lookback`` rows' covariates enter the network: a value far off in the 12 before them
    was said (a job failing on warnings failed on it) though it changed nothing."""
    df = _visits()
    kw = dict(TINY, future_covariates=(), past_covariates=("visits",))
    f = GlobalForecaster(**kw).fit(df)
    assert f.features.lag == 12  # (the case: rows read for the lags alone)
    n, lookback = len(df) // 2, f.config.lookback
    before = np.r_[n - lookback - 12:n - lookback]  # (each series' rows before its window)
    old = df.copy()
    old.loc[np.r_[before, before + n], "visits"] *= 1000
    with warnings.catch_warnings():
        warnings.simplefilter("error", FarCovariateWarning)
        f.predict(4, history=old)
    inside = df.copy()
    inside.loc[n - 1, "visits"] *= 1000  # (series 'a''s last row: in its window)
    with pytest.warns(FarCovariateWarning, match=r"'visits' holds 1 such value"):
        f.predict(4, history=inside)
