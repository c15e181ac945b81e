"""Review of off_grid= (session 28): what the merged change missed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnnlab.panel import read_panel


def _fridays_with_a_thursday(at=20):
    dates = list(pd.date_range("2020-01-03", periods=60, freq="W-FRI"))
    dates[at] -= pd.Timedelta(days=1)
    return dates


@pytest.mark.parametrize("how, rows", [("snap", 60), ("drop", 59)])
def test_every_series_off_its_grid_is_mended_before_the_panel_frequency_is_told(how, rows):
    # a one-series panel (or one whose every series has a Thursday among its Fridays) was
    # refused with off_grid='snap' or 'drop': "cannot tell the frequency of any series",
    # the frequency being told before the dates were mended
    one = pd.DataFrame({"unique_id": "a", "ds": _fridays_with_a_thursday(),
                        "y": np.arange(60.0)})
    p = read_panel(one, off_grid=how, fill="zero")
    assert p.freq == "W-FRI" and len(p.df) == 60 and (p.df["y"] != 0).sum() == rows - 1
    two = pd.concat([one, one.assign(unique_id="b", ds=_fridays_with_a_thursday(40))])
    p = read_panel(two, off_grid=how, fill="zero")
    assert p.freq == "W-FRI" and len(p.df) == 120
    assert not p.df["ds"].dt.day_of_week.eq(3).any()  # (no Thursday left)


def _cli_args(argv):
    from rnnlab.cli import build_parser, given_options

    args = build_parser(argv).parse_args(argv)
    args.given_options = given_options(argv)
    return args


def test_the_one_series_holiday_backtest_reads_off_grid(tmp_path):
    # `rnnlab backtest --calendar holiday` on one series (the one-series Forecaster's
    # route) read its data without --off-grid: refused, naming the option typed
    pytest.importorskip("holidays")
    from rnnlab.panel.holiday_backtest import one_series_holidays, series_route

    dates = _fridays_with_a_thursday()
    pd.DataFrame({"ds": [str(d.date()) for d in dates],
                  "y": 10 + np.sin(np.arange(60.0))}).to_csv(tmp_path / "one.csv", index=False)
    argv = ["backtest", "--data", str(tmp_path / "one.csv"), "--model", "lstm",
            "--calendar", "holiday", "--country", "US", "--horizon", "4"]
    for how, rows in (("snap", 60), ("drop", 59)):
        args = _cli_args(argv + ["--off-grid", how])
        assert one_series_holidays(args)
        series = series_route(args)[0]
        assert series.freq == "W-FRI" and len(series) == rows and series.gaps == 60 - rows


def test_the_refusal_names_the_reader_that_takes_off_grid(tmp_path):
    # Forecaster.fit(path) was told to "pass off_grid='snap'", a keyword fit refused
    # (ConfigTypeError): the refusal names the call that takes it (fit takes it now, so
    # fit's refusal names fit, not load_series: test_off_grid_named_call28), and it works
    from rnnlab.data.series import load_series
    from rnnlab.forecast import Forecaster
    from rnnlab.io.errors import DataError

    path = tmp_path / "one.csv"
    pd.DataFrame({"date": [str(d.date()) for d in _fridays_with_a_thursday()],
                  "y": 10 + np.sin(np.arange(60.0))}).to_csv(path, index=False)
    with pytest.raises(DataError, match=r"read the data with off_grid='snap' \(Forecaster.fit; "
                       r"--off-grid snap\) to move it to the date the grid expects, or "
                       r"off_grid='drop' \(--off-grid drop\) to drop it"):
        Forecaster(epochs=1).fit(str(path))
    with pytest.raises(DataError, match=r"\(load_series; --off-grid snap\)"):
        load_series(str(path))
    assert load_series(str(path), off_grid="snap").freq == "W-FRI"
    one = pd.DataFrame({"unique_id": "a", "ds": _fridays_with_a_thursday(),
                        "y": np.arange(60.0)})
    two = pd.concat([one, one.assign(unique_id="b", ds=pd.date_range(
        "2020-01-03", periods=60, freq="W-FRI"))])
    with pytest.raises(DataError, match=r"read the data with off_grid='snap' \(read_panel; "
                       r"--off-grid snap\)"):
        read_panel(two)


def test_the_off_grid_modules_import_each_other_one_way():
    # grid_typos imported off_grid (the refusal's words) and off_grid grid_typos (the
    # dates to mend), each inside a function: an import cycle kept from failing by hiding
    import ast
    from pathlib import Path

    import rnnlab.data

    def imported(module):
        tree = ast.parse((Path(rnnlab.data.__file__).parent / f"{module}.py").read_text())
        return {n.module for n in ast.walk(tree)
                if isinstance(n, ast.ImportFrom) and n.level == 1 and n.module}

    assert "grid_typos" in imported("off_grid")
    assert "off_grid" not in imported("grid_typos")


def _typed_first_date_another_series_has():
    # b: 30 months from 2019-01, its first typed 2012-01-01, the date a's history starts
    a = pd.date_range("2012-01-01", "2021-06-01", freq="MS")
    b = list(pd.date_range("2019-01-01", periods=30, freq="MS"))
    b[0] = pd.Timestamp("2012-01-01")
    return pd.concat([pd.DataFrame({"unique_id": u, "ds": d, "y": np.arange(len(d)) + 1.0})
                      for u, d in (("a", a), ("b", b))], ignore_index=True)


def test_an_end_date_read_as_true_after_a_gap_is_said_not_filled_silently():
    # 2012-01-01 typed for 2019-01-01 was refused (session 27); since another series has
    # that date it was read as true after a gap, and fill='ffill' filled 84 months of b
    # without a word: it is read so still (a paused series sold again reads), but said
    from rnnlab.forecast.history import CalendarWarning

    df = _typed_first_date_another_series_has()
    with pytest.warns(CalendarWarning, match=r"series 'b': its date 2012-01-01 \(date 1 of "
                      r"30, where the grid expects 2019-01-01\).*read as a true date after "
                      r"a gap.*if it was typed wrong, correct it or read the data with "
                      r"off_grid='snap' \(read_panel; --off-grid snap\)"):
        p = read_panel(df, fill="ffill")
    assert len(p.df[p.df["unique_id"] == "b"]) == 114
    p = read_panel(df, fill="ffill", off_grid="snap")  # (the hint, followed)
    b = p.df[p.df["unique_id"] == "b"]
    assert len(b) == 30 and b["ds"].iloc[0] == pd.Timestamp("2019-01-01")
