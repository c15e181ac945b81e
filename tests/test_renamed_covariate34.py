"""Tonight's file with a covariate renamed (visits -> visitors): the error listed only the
columns the model reads, so the renamed one was not shown, and said nothing of what to do.
It now lists the file's columns, so the close one is named as the column it may be."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.cli import main
from rnnlab.io.errors import DataError
from rnnlab.panel.model import GlobalForecaster


def _panel(n=30) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    visits = 25 + rng.normal(0, 1, 2 * n)
    return pd.DataFrame({"unique_id": np.repeat(["a", "b"], n),
                         "ds": np.tile(pd.date_range("2020-01-01", periods=n, freq="MS"), 2),
                         "y": visits / 3 + rng.normal(0, 0.2, 2 * n), "visits": visits})


def test_predict_names_the_renamed_column():
    df = _panel()
    f = GlobalForecaster("gru", lookback=4, horizon=2, hidden_size=4, head_size=4, epochs=1,
                         batches_per_epoch=1, past_covariates=("visits",)).fit(df)
    with pytest.raises(DataError, match=r"covariate 'visits' is not a column of the data; "
                                        r"columns are \[.*'visitors'\]; did you mean "
                                        r"'visitors'\? \(a column renamed in the data: rename "
                                        r"it back to 'visits', the name the model reads\)"):
        f.predict(history=df.rename(columns={"visits": "visitors"}))
    with pytest.raises(DataError, match=r"is joined onto the data first"):
        f.predict(history=df.drop(columns="visits").assign(zz=1.0))


@pytest.mark.slow
def test_forecast_run_lists_the_files_columns(tmp_path, capsys):
    df = _panel()
    df.to_csv(tmp_path / "day1.csv", index=False)
    assert main(["forecast", "--data", str(tmp_path / "day1.csv"), "--model", "gru",
                 "--lookback", "4", "--horizon", "2", "--hidden-size", "4", "--epochs", "1",
                 "--past-covariates", "visits", "--baselines", "none", "--no-progress",
                 "--out", str(tmp_path / "run")]) == 0
    df.rename(columns={"visits": "visitors"}).to_csv(tmp_path / "day2.csv", index=False)
    capsys.readouterr()
    assert main(["forecast", "--run", str(tmp_path / "run"), "--data",
                 str(tmp_path / "day2.csv")]) == 1
    err = " ".join(capsys.readouterr().err.split())
    assert "covariate 'visits' is not a column of" in err
    assert "'visitors']" in err and "rename it back to 'visits'" in err


def test_the_error_says_which_kind_of_covariate_is_missing():
    """The model knows whether the column it reads is a past or a future covariate: the
    error called either a 'past/future covariate'."""
    df = _panel()
    kw = dict(lookback=4, horizon=2, hidden_size=4, head_size=4, epochs=1, batches_per_epoch=1)
    f = GlobalForecaster("gru", past_covariates=("visits",), **kw).fit(df)
    with pytest.raises(DataError, match=r"^past covariate 'visits' is not a column"):
        f.predict(history=df.rename(columns={"visits": "visitors"}))
    fut = GlobalForecaster("gru", future_covariates=("visits",), **kw).fit(df)
    with pytest.raises(DataError, match=r"^future covariate 'visits' is not a column"):
        fut.predict(history=df.rename(columns={"visits": "visitors"}))
