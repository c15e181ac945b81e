"""The docs and hints as a reader takes them after session 26's features (its docs audit):
docs/panels.md's table of `rnnlab backtest` options holds the command's own (--weekmask,
--country, --encoding among them), hints point to what now exists (rnnlab forecast
--insample, the weekmask holidays= clause), and README's one-series covariates block runs."""

import re
from pathlib import Path

import pytest
from cli_parsers import all_parsers
from printed_words import words

ROOT = Path(__file__).resolve().parents[1]


def _table_options():
    text = (ROOT / "docs/panels.md").read_text(encoding="utf-8")
    part = text[text.index("| option | meaning |"):]
    rows = [line for line in part.splitlines() if line.startswith("| ")]
    rows = rows[:next((i for i, r in enumerate(rows[2:], 2) if not r.startswith("| `")),
                      len(rows))]
    return {o for row in rows[2:] for o in re.findall(r"`(--[a-z][a-z0-9-]*)",
                                                      row.split(" | ")[0])}


def test_the_backtest_tables_options_are_the_commands_own():
    from rnnlab.cli import build_parser

    [backtest] = [p for path, p in all_parsers(build_parser()) if path == ("backtest",)]
    known = {o for a in backtest._actions for o in a.option_strings}
    said = _table_options()
    assert len(said) >= 25 and not said - known, sorted(said - known)
    # (the table listed neither; a Mon-Sat shop's reader found --weekmask in prose only)
    assert {"--weekmask", "--country", "--encoding", "--time-zone"} <= said


def test_backtest_given_insample_names_the_command_that_writes_them(capsys):
    # was: "--insample: did you mean --samples or --scale or --ensemble?", while rnnlab
    # forecast --insample (this session) writes them
    from rnnlab.cli import main

    assert main(["backtest", "--data", "x", "--insample", "in.csv"]) == 2
    err = capsys.readouterr().err
    assert "--insample: the in-sample forecasts of a fitted network are rnnlab forecast's" in err
    assert "did you mean" not in err


def test_a_business_day_panel_missing_its_holidays_is_pointed_to_the_weekmask_clause():
    # was: only fill='ffill' ("the forecast dates are business days, holidays included"),
    # while weekmask='... holidays=NYSE' (this session) reads a trading panel's closed days
    import numpy as np
    import pandas as pd

    from rnnlab.io.errors import DataError
    from rnnlab.panel import read_panel

    closed = ["2023-01-16", "2023-02-20", "2023-04-07"]  # (NYSE's, in this span)
    days = pd.bdate_range("2023-01-03", "2023-04-28")
    days = days[~days.strftime("%Y-%m-%d").isin(closed)]
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": days, "y": np.arange(len(days)) + i})
                    for i, u in enumerate("ab")])
    with pytest.raises(DataError, match=r"or weekmask='Mon Tue Wed Thu Fri holidays=NYSE'"):
        read_panel(df)
    pytest.importorskip("holidays")
    said = read_panel(df, weekmask="Mon Tue Wed Thu Fri holidays=NYSE")  # (as the hint says)
    assert said.period == 5 and len(said.df) == 2 * len(days)


def test_a_business_day_series_missing_its_holidays_is_pointed_to_the_weekmask_clause():
    # the one-series note said the dates were read as consecutive steps and the forecasts
    # dated on the business days (holidays included), and named no way to close them
    import numpy as np
    import pandas as pd

    from rnnlab.data.series import load_series

    days = pd.bdate_range("2023-01-03", "2023-04-28")
    days = days[~days.strftime("%Y-%m-%d").isin(["2023-01-16", "2023-02-20", "2023-04-07"])]
    note = load_series(pd.Series(np.arange(len(days)) * 1.0, index=days, name="close")).gap_note()
    assert note.startswith("3 dates of its 'B' calendar are missing (holidays or gaps)")
    assert "weekmask='Mon Tue Wed Thu Fri holidays=US' (--weekmask" in note


@pytest.mark.slow
def test_readme_one_series_with_covariates_block_runs_as_written(monkeypatch):
    # run by no test: its comments name the series' id, the forecast's columns, the
    # backtest's 4 origins and the summary's rows and columns
    import rnnlab.panel
    from rnnlab.panel import GlobalForecaster
    from test_docs_snippets import readme_block

    class Quick(GlobalForecaster):  # the block's settings, trained for 1 epoch
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **{**kwargs, "epochs": 1})

    monkeypatch.setattr(rnnlab.panel, "GlobalForecaster", Quick)
    ns: dict = {}
    exec(readme_block("## One series with covariates"), ns)
    assert list(ns["panel"].ids) == ["Demand"]
    assert list(ns["fc"].columns) == ["unique_id", "ds", "step", "mean", "q0.1", "q0.5", "q0.9"]
    assert ns["res"].forecasts["origin"].nunique() == 4
    summary = ns["res"].summary()
    assert {"mase", "rmse", "crps", "coverage80"} <= set(summary.columns)
    assert list(summary["model"]) == ["lstm", "naive", "seasonal_naive", "ets"]


def test_a_one_series_run_given_calendar_options_is_not_said_to_read_no_covariates(capsys):
    # `--run ONE_SERIES_RUN --calendar holiday --country US` of a model trained on holidays
    # was told "the one-series Forecaster, which reads no covariates: train ... the global
    # model": it reads holidays since this session, the ones it was trained with
    from rnnlab.forecast.rerun import warn_unread_options

    warn_unread_options({"run", "calendar", "country"}, {"run"}, one_series=True)
    err = words(capsys.readouterr().err)  # (its words: a warning wraps at 80 columns)
    assert "ignored --calendar, --country; its holidays are those it was trained with" in err
    assert "reads no covariates" not in err
    warn_unread_options({"run", "future_covariates"}, {"run"}, one_series=True)
    assert "which reads no covariates" in words(capsys.readouterr().err)  # (as before)
    # --time-zone alone (its clock for the holidays) was ignored with nothing said of it
    warn_unread_options({"run", "time_zone"}, {"run"}, one_series=True)
    assert "ignored --time-zone; its holidays are those it was trained with, read on the " \
        "clock it was trained with (calendar, country and time_zone in its model.json)" \
        in words(capsys.readouterr().err)
