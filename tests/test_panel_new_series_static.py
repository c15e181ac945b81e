"""A series not fitted on, forecast by a model that reads static covariates: its values
given as columns of the history (constant per series, as NeuralForecast's
predict(df=..., static_df=...) takes a new series' values) are encoded as the training
series' were. It was refused ("known only for the series given to fit") whatever the
history held, so a fitted model could not forecast a new store of a known region."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel.frame import read_panel
from rnnlab.panel.model import GlobalForecaster

TINY = dict(hidden_size=8, head_size=8, epochs=1, batches_per_epoch=2, batch_size=16,
            lookback=8, horizon=4, patience=None, seed=0,
            val_size=0)  # (each series scaled on all its values, as a new one is)


def _table(series=4, n=40, seed=0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.concat([pd.DataFrame({
        "unique_id": f"s{i}", "ds": pd.date_range("2000-01-01", periods=n, freq="D"),
        "y": 10.0 + i + rng.standard_normal(n), "kind": "ab"[i % 2],
        "size": float(i)}) for i in range(series)], ignore_index=True)


@pytest.fixture(scope="module")
def fitted():
    df = _table()
    f = GlobalForecaster(static_covariates=("kind", "size"), **TINY).fit(read_panel(df))
    return f, df


def _copy_of_s0(df, **values):
    return df[df["unique_id"] == "s0"].assign(unique_id="new", **values)


def test_a_new_series_with_its_static_values_in_the_history_is_forecast(fitted):
    """A copy of s0 under a new id, with s0's static values: the same forecast as s0 (its
    scaling fitted on the same values); with another category, another forecast."""
    f, df = fitted
    with pytest.warns(UserWarning, match=r"\['new'\] were not in the training panel"):
        fc = f.predict(history=read_panel(pd.concat([df, _copy_of_s0(df)])))
    got = fc[fc["unique_id"] == "new"].drop(columns="unique_id").reset_index(drop=True)
    s0 = fc[fc["unique_id"] == "s0"].drop(columns="unique_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, s0)
    with pytest.warns(UserWarning):
        other = f.predict(history=read_panel(pd.concat([df, _copy_of_s0(df, kind="b",
                                                                         size=3.0)])))
    assert not np.allclose(other.loc[other["unique_id"] == "new", "mean"], s0["mean"])
    assert "new" not in f.features.codes  # (the fitted model is not changed)


def test_a_new_series_without_its_static_values_is_refused_saying_where_to_give_them(fitted):
    f, df = fitted
    bare = pd.concat([df, _copy_of_s0(df)]).drop(columns=["kind", "size"])
    with pytest.raises(DataError, match=r"known only for the series given to fit; give their "
                                        r"values \('kind', 'size': one value per series\) as "
                                        r"predict\(static=\.\.\.\) rows \(--static-data "
                                        r"FILE.csv on the command line\) or as columns of the "
                                        r"history"):
        f.predict(history=read_panel(bare))
    with pytest.raises(DataError, match=r"new: 'kind' = 'z', a category no training series "
                                        r"had \(they have \['a', 'b'\]\)"):
        f.predict(history=read_panel(pd.concat([df, _copy_of_s0(df, kind="z")])))


def test_neuralforecasts_static_df_at_predict_names_static(fitted):
    # (was: static= of fit, and the history's columns; predict takes static= since
    # session 29: test_panel_user29c)
    f, df = fitted
    with pytest.raises(TypeError, match=r"'static_df' \(here: static= \(the static "
                                        r"covariates of history='s series\)\)"):
        f.predict(history=read_panel(df), static_df=df[["unique_id", "kind"]])


def test_a_new_series_static_number_far_outside_the_fitted_ones_is_warned_of(fitted):
    """A new store of size 1000 where the fitted ones held 0 .. 3 (another unit?): the
    network extrapolates there, and it was forecast without a word, where a future
    covariate as far out is said (FarCovariateWarning); one just past the range is not."""
    from rnnlab.panel.far_covariates import FarCovariateWarning

    f, df = fitted
    with pytest.warns(FarCovariateWarning, match=r"'size' of series 'new' is 1000, where "
                                                 r"the series fitted on held 0 \.\. 3"):
        f.predict(history=read_panel(pd.concat([df, _copy_of_s0(df, size=1000.0)])))
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", FarCovariateWarning)
        with pytest.warns(UserWarning, match="not in the training panel"):
            f.predict(history=read_panel(pd.concat([df, _copy_of_s0(df, size=3.5)])))


def test_a_changed_static_number_names_the_fitted_value_as_given(fitted):
    """s0 fitted with size 0.0 was said "fitted with -4.867931635565981e-08" (its float32
    scaled value, unscaled)."""
    f, df = fitted
    with pytest.raises(DataError, match=r"'s0': 100\.0, fitted with 0\.0;"):
        f.predict(history=read_panel(df.assign(size=df["size"] + 100)))


def test_far_static_and_future_values_are_said_at_the_callers_line(fitted):
    """The warnings pointed into torch's no_grad wrapper of predict (the statics: the
    command line printed torch's path and `return func(*args, **kwargs)`) or into rnnlab
    (future values), not at the line that called predict."""
    import warnings

    from rnnlab.panel.far_covariates import FarCovariateWarning

    f, df = fitted
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        f.predict(history=read_panel(pd.concat([df, _copy_of_s0(df, size=1000.0)])))
    far = [w for w in said if w.category is FarCovariateWarning]
    assert len(far) == 1 and far[0].filename == __file__
    temp = pd.DataFrame({"unique_id": "a", "ds": pd.date_range("2000-01-01", periods=40),
                         "y": np.arange(40.0) % 7, "temp": np.arange(40.0) % 5})
    g = GlobalForecaster(future_covariates=("temp",), **TINY).fit(read_panel(temp))
    fut = pd.DataFrame({"unique_id": "a", "ds": pd.date_range("2000-02-10", periods=4),
                        "temp": 95.0})
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        g.predict(4, future=fut)
    far = [w for w in said if w.category is FarCovariateWarning]
    assert len(far) == 1 and far[0].filename == __file__


def test_the_command_line_says_rnnlabs_own_warning_kinds_as_its_warnings():
    """Formatted by the file a warning points at, FarCovariateWarning (pointing at the
    caller: runpy's file under `python -m rnnlab`) printed Python's form."""
    import warnings

    from rnnlab.panel.far_covariates import FarCovariateWarning
    from rnnlab.warning_lines import command_warnings

    with command_warnings("forecast"):
        line = warnings.formatwarning("far", FarCovariateWarning, "/usr/lib/runpy.py", 88)
        other = warnings.formatwarning("x", UserWarning, "/usr/lib/runpy.py", 88)
    assert line == "rnnlab forecast: warning: far\n"
    assert other.startswith("/usr/lib/runpy.py:88: UserWarning")
