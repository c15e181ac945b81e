"""A user coming from Darts, one series (session 29): a column named in another case or
with a header's spaces, a date column missing, plots asked by their kind's name, Darts'
fit/predict keywords and methods, data given as a 2-D array or a JSON file, NaN at the end.
The command line's: test_darts_cli_user29."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError


def _monthly(n: int = 60) -> pd.DataFrame:
    t = np.arange(n)
    return pd.DataFrame({"month": pd.date_range("2010-01-01", periods=n, freq="MS"),
                         "value": 200 + 3 * t + 20 * np.sin(2 * np.pi * t / 12)})


@pytest.mark.parametrize("typed, header, said", [
    ("value", "Value ", "its case and the spaces in it differ"),
    ("Value", "value", "its case differs"),
    ("value", " value", "the spaces in it differ"),
])
def test_a_column_named_but_for_its_case_or_spaces_names_the_one_meant(tmp_path, typed,
                                                                      header, said):
    from rnnlab.data.series import load_series

    path = tmp_path / "s.csv"
    _monthly().rename(columns={"value": header}).to_csv(path, index=False)
    with pytest.raises(DataError) as e:
        load_series(str(path), column=typed)
    assert f"did you mean {header!r}? ({said}" in str(e.value)


def test_a_misspelt_column_names_the_close_one_and_a_far_one_none(tmp_path):
    from rnnlab.data.series import load_series

    path = tmp_path / "s.csv"
    _monthly().to_csv(path, index=False)
    with pytest.raises(DataError, match=r"'valeu' not found.*did you mean 'value'\?$"):
        load_series(str(path), column="valeu")
    with pytest.raises(DataError) as e:
        load_series(str(path), column="price")
    assert "did you mean" not in str(e.value)


def test_a_missing_date_column_names_the_file_and_the_column_meant(tmp_path):
    from rnnlab.data.series import load_series

    path = tmp_path / "s.csv"
    _monthly().to_csv(path, index=False)
    with pytest.raises(DataError) as e:
        load_series(str(path), date_column="Month")
    assert str(e.value).startswith(f"{path}: date column 'Month' not found")
    assert "did you mean 'month'? (its case differs" in str(e.value)


@pytest.fixture(scope="module")
def fitted():
    from rnnlab import Forecaster

    return Forecaster("gru", lookback=12, horizon=6, epochs=1, ensemble=1, hidden_size=4,
                      progress=False).fit(_monthly(), column="value")


@pytest.mark.parametrize("kind", ["loss", "horizon", "forecast"])
def test_a_plot_kind_given_as_the_file_is_refused_not_written_as_the_forecast(
        fitted, tmp_path, monkeypatch, kind):
    from rnnlab.io.errors import ConfigError

    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match=rf"Forecaster.plot\(kind='{kind}'\) returns"):
        fitted.plot(kind)
    assert list(tmp_path.iterdir()) == []  # (the forecast plot was written to loss.png)
    assert fitted.plot(f"{kind}.png", kind=kind).name == f"{kind}.png"


def test_a_backtest_kind_given_to_the_forecaster_plot_names_its_kinds(fitted):
    from rnnlab.io.errors import ConfigError

    with pytest.raises(ConfigError, match="this one's kinds are forecast, loss, horizon"):
        fitted.plot("coverage")


def test_a_file_given_as_a_backtest_plot_kind_names_path(fitted, tmp_path):
    from rnnlab.io.errors import ConfigError

    res = fitted.backtest(first_origin=12, stride=6, baselines=("naive",), quantiles=None)
    out = tmp_path / "bt.png"
    with pytest.raises(ConfigError, match=r"looks like a file to write.*plot\(path="):
        res.plot(str(out))
    with pytest.raises(ConfigError) as e:
        res.plot("bogus")
    assert "looks like a file" not in str(e.value)
    assert res.plot(path=out) == out and out.is_file()


def test_darts_num_samples_given_to_predict_names_quantiles(fitted):
    from rnnlab.io.errors import ConfigTypeError

    with pytest.raises(ConfigTypeError, match=r"'num_samples' \(here: quantiles=\(0.1, 0.5"):
        fitted.predict(6, num_samples=100)


def test_darts_fit_val_series_names_val_data():
    from rnnlab import Forecaster
    from rnnlab.io.errors import ConfigTypeError

    with pytest.raises(ConfigTypeError, match=r"'val_series' \(here: val_data="):
        Forecaster(epochs=1).fit(_monthly(), val_series=_monthly())
    with pytest.raises(ConfigTypeError, match=r"'val_future_covariates' \(the one-series "
                                              r"Forecaster reads no covariates"):
        Forecaster(epochs=1).fit(_monthly(), val_future_covariates=_monthly())


def test_darts_residuals_names_the_insample_forecasts(fitted):
    with pytest.raises(AttributeError, match=r"Darts' residuals; here: .*predict_insample"):
        fitted.residuals()
    ins = fitted.predict_insample(step_size=1)  # (what the hint computes, as written)
    one = ins[ins["step"] == 1]
    assert len(one["y"] - one["mean"]) > 0


def test_a_two_column_array_says_how_to_pass_one_series():
    from rnnlab.data.series import load_series

    values = _monthly()["value"].to_numpy()
    with pytest.raises(DataError, match=r"got shape \(60, 2\): one series is one column, "
                                        r"data\[:, k\] \(k < 2\)"):
        load_series(np.c_[values, values])


def test_nan_at_the_end_is_said_in_the_singular_with_the_options_flag():
    from rnnlab.data.series import load_series

    s = _monthly().set_index("month")["value"]
    s.iloc[-1] = np.nan
    with pytest.raises(DataError, match=r"its last value is missing \(2014-12-01\): if it is "
                                        r"the date to forecast, fill='drop' \(--fill drop\) "
                                        r"leaves it out"):
        load_series(s)
    s.iloc[-2] = np.nan
    with pytest.raises(DataError, match=r"its last 2 values are missing \(from 2014-11-01\): "
                                        r"if they are the dates to forecast, fill='drop' "
                                        r"\(--fill drop\)"):
        load_series(s)


@pytest.mark.parametrize("name, orient, lines", [
    ("s.json", "records", False), ("s.json", "split", False), ("s.txt", "records", False),
    ("s.jsonl", "records", True)])
def test_a_json_file_given_as_data_is_named_as_json(tmp_path, name, orient, lines):
    # was: "s.json: no rows" (its one line read as a CSV header)
    from rnnlab.data.series import load_series

    path = tmp_path / name
    _monthly().to_json(path, orient=orient, lines=lines, date_format="iso")
    with pytest.raises(DataError, match=r"is JSON, not a CSV text file; read it with pandas"):
        load_series(str(path))


def test_a_csv_whose_header_starts_with_a_bracket_is_still_read(tmp_path):
    from rnnlab.data.series import load_series

    path = tmp_path / "s.csv"
    _monthly().rename(columns={"value": "[units] value"}).to_csv(path, index=False)
    path.write_text(path.read_text().replace("month,", "[month],", 1))
    assert len(load_series(str(path), column="[units] value")) == 60


def test_one_missing_or_non_numeric_value_is_said_in_the_singular():
    # was "1 NaN values (rows 2010-03-01)", "1 non-numeric values (rows ...)"
    from rnnlab.data.series import load_series

    s = _monthly().set_index("month")["value"]
    s.iloc[2] = np.nan
    with pytest.raises(DataError, match=r"has 1 NaN value \(row 2010-03-01\)"):
        load_series(s)
    s.iloc[3] = np.nan
    with pytest.raises(DataError, match=r"has 2 NaN values \(rows 2010-03-01, 2010-04-01\)"):
        load_series(s)
    t = _monthly().set_index("month")["value"].astype(object)
    t.iloc[2] = "n/a?"
    with pytest.raises(DataError, match=r"has 1 non-numeric value \(row 2010-03-01: 'n/a\?'\)"):
        load_series(t)
