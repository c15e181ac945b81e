"""A monthly production re-run: this month's CSV gained a column (a price beside the
demand the run was trained on). ``rnnlab forecast --run DIR --data new.csv`` and
``predict(history="new.csv")`` refused it ("several numeric columns (demand, price) ...
choose the one to forecast"), although the model knows its series' name; a DataFrame
with the same columns was read by that name. A CSV now is too."""

import io

import numpy as np
import pandas as pd
import pytest

from rnnlab.cli import main
from rnnlab.forecast import Forecaster
from rnnlab.io.errors import DataError


def _monthly(n):
    t = np.arange(n)
    return pd.DataFrame({"date": pd.date_range("2001-01-01", periods=n, freq="MS"),
                         "demand": 100 + t + 10 * np.sin(2 * np.pi * t / 12)})


@pytest.fixture(scope="module")
def fitted():
    return Forecaster(lookback=12, horizon=3, epochs=1, ensemble=1, progress=False,
                      val_size=0).fit(_monthly(48).iloc[:40])


def _with_price(tmp_path):
    new = _monthly(48).assign(price=5.0 + np.arange(48) % 3)
    new.to_csv(tmp_path / "new.csv", index=False)
    return new


def test_a_csv_with_a_new_column_is_read_by_the_fitted_series_name(fitted, tmp_path):
    new = _with_price(tmp_path)
    got = fitted.predict(3, history=str(tmp_path / "new.csv"))
    np.testing.assert_allclose(got.to_numpy(), fitted.forecast_from(new.demand.to_numpy(), 3))


def test_cli_run_reads_the_runs_column_from_a_file_that_gained_one(fitted, tmp_path):
    fitted.save(tmp_path / "run" / "model")
    new = _with_price(tmp_path)
    assert main(["forecast", "--run", str(tmp_path / "run"), "--data",
                 str(tmp_path / "new.csv"), "--output", str(tmp_path / "out.csv")]) == 0
    out = pd.read_csv(tmp_path / "out.csv")
    np.testing.assert_allclose(out.forecast, fitted.forecast_from(new.demand.to_numpy(), 3))


def test_a_file_without_the_fitted_name_still_asks_which_column(fitted, tmp_path):
    _monthly(48).rename(columns={"demand": "units"}).assign(price=5.0).to_csv(
        tmp_path / "other.csv", index=False)
    with pytest.raises(DataError, match="several numeric columns"):
        fitted.predict(3, history=str(tmp_path / "other.csv"))


def test_new_data_that_ends_before_the_fitted_series_is_warned_of(fitted, tmp_path):
    # a stale file (last year's) forecast months already past without a word
    from rnnlab.forecast.history import OlderHistoryWarning

    with pytest.warns(OlderHistoryWarning, match=r"ends 2003-12-01, before the series the "
                                                 r"model was fitted on, which ends 2004-04-01"):
        fitted.predict(2, history=_monthly(36))
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", OlderHistoryWarning)
        fitted.predict(2, history=_monthly(48))  # newer: no word


def test_a_run_trained_on_a_column_position_reads_its_series_by_name(fitted, tmp_path,
                                                                     capsys):
    # trained with --column 1 (date, demand): a file with a price inserted second was read
    # by position, and the run forecast prices near 5, without a word
    import json

    fitted.save(tmp_path / "run" / "model")
    (tmp_path / "run" / "config.json").write_text(json.dumps({"config": {"column": "1"}}))
    new = _monthly(48)
    new.insert(1, "price", 5.0)
    new.to_csv(tmp_path / "new.csv", index=False)
    argv = ["forecast", "--run", str(tmp_path / "run"), "--data", str(tmp_path / "new.csv")]
    assert main(argv + ["--output", str(tmp_path / "out.csv")]) == 0
    out = pd.read_csv(tmp_path / "out.csv")
    np.testing.assert_allclose(out.forecast, fitted.forecast_from(new.demand.to_numpy(), 3))
    assert main(argv + ["--column", "1"]) == 0  # typed: the position, as asked
    assert pd.read_csv(io.StringIO(capsys.readouterr().out)).forecast.max() < 50
