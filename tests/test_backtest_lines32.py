"""``rnnlab backtest`` printed its origins in one line of 117 columns (three monthly
origins) and its notes in lines of up to 130: they are wrapped at 80 columns now, as its
paired tests and ``rnnlab forecast``'s lines are, their words unchanged. The panel
backtest said nowhere which implementation its networks trained on, where ``rnnlab
forecast`` and ``lm train`` do: ``BacktestResult.paths``, summary.json's ``paths`` and a
``recurrent path:`` line say it."""

import json
import warnings

import numpy as np
import pandas as pd

from rnnlab.cli import main
from rnnlab.panel import GlobalForecaster
from rnnlab.panel.backtest_said import paths_said
from test_panel_budget_resume28 import ONE
from test_panel_checkpoints27 import _frame
from printed_words import words as _words

WIDTH = 80


def _panel(path):
    t = np.arange(40)
    pd.concat([pd.DataFrame({
        "unique_id": f"series_{i}", "ds": pd.date_range("2010-01", periods=40, freq="MS"),
        "y": (i + 1) * (10 + np.sin(2 * np.pi * t / 12)) + 0.1 * t}) for i in range(2)]
    ).assign(ds=lambda d: d["ds"].dt.strftime("%Y-%m")).to_csv(path, index=False)
    return path


def _printed(command: str, tmp_path, capsys, *options: str) -> str:
    """What ``rnnlab COMMAND`` printed on stdout, of a tiny lstm on the two-series panel
    (its run in tmp_path/COMMAND)."""
    argv = [command, "--data", str(_panel(tmp_path / "p.csv")), "--horizon", "3", *options,
            "--baselines", "naive", "--model", "lstm", "--epochs", "1", "--hidden-size", "4",
            "--batches-per-epoch", "1", "--lookback", "6", "--calibrate", "none",
            "--out", str(tmp_path / command)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(argv) == 0
    return capsys.readouterr().out


def test_the_origins_and_notes_fit_80_columns_with_their_words(tmp_path, capsys):
    printed = _printed("backtest", tmp_path, capsys, "--first-origin", "9", "--stride", "3",
                       "--plot-series", "0")
    table = printed.split("\norigins ")[0].splitlines()  # (a table: as wide as its columns)
    assert max(len(line) for line in printed.splitlines()[len(table):]) <= WIDTH, printed
    said = _words(printed)
    origins = ("origins 2012-07, 2012-10, 2013-01 (9, 6, 3 steps before the panel's last "
               "date; every series cut at each, align='date')")
    note = ("note: lstm: the `mean` column is the median (level 0.5) of a quantile model, "
            "which has no mean (NeuralForecast's `-median` column)")
    for line in (origins, note):
        assert len(line) > WIDTH and line in said  # (each was one line, longer than 80)
    assert "recurrent path: fused" in printed.splitlines()
    summary = json.loads((tmp_path / "backtest" / "summary.json").read_text(encoding="utf-8"))
    assert summary["paths"] == {"lstm": "fused"} and summary["origins"] == origins


def test_a_backtest_result_names_each_networks_path_and_no_baselines():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = GlobalForecaster(**ONE).backtest(_frame(), first_origin=8, stride=4,
                                               baselines=("naive",))
        local = GlobalForecaster(**{**ONE, "local": True}).backtest(
            _frame(), first_origin=4, baselines=())
    assert res.paths == {"gru": "fused"} and local.paths == {"gru": "fused"}  # (by name)


def test_a_users_model_with_its_own_local_or_histories_has_no_path():
    from rnnlab.panel.backtest import backtest
    from test_panel_backtest import GlobalDrift, make_panel

    class Mine(GlobalDrift):  # (its own attributes, of these names: not rnnlab's)
        local = True
        histories = 3
        forecaster = "mine"

    res = backtest(Mine, make_panel(ragged=False), horizon=6, first_origin=12, baselines=())
    assert res.paths == {} and len(res.forecasts)  # (it raised AttributeError at the end)


def test_the_path_line_names_each_network_of_several():
    assert paths_said({}) == ""
    assert paths_said({"lstm": "fused"}) == "recurrent path: fused"
    assert paths_said({"lstm": "fused", "gru": "reference"}) == \
        "recurrent path: lstm: fused; gru: reference"


def test_a_panel_forecasts_notes_fit_80_columns_with_their_words(tmp_path, capsys):
    printed = _printed("forecast", tmp_path, capsys)
    notes = printed[printed.index("\nnote: "):printed.index("\nrun directory")].splitlines()
    assert max(len(line) for line in notes) <= WIDTH, printed
    assert ("note: lstm: the `mean` column is the median (level 0.5) of a quantile model, "
            "which has no mean (NeuralForecast's `-median` column)") in _words(printed)


def test_a_comparisons_notes_fit_80_columns_with_their_words():
    from rnnlab.compare.config import CompareConfig
    from rnnlab.compare.summary import summarize, terminal_table
    from test_researcher_sweep import record

    cfg = CompareConfig(models=("rnn", "lstm"), seeds=(0, 1), epochs=50, max_seconds=2.0)
    recs = [record("rnn", 0, 10.0), record("rnn", 1, float("nan")),
            record("lstm", 0, 12.0, 7, "time budget"), record("lstm", 1, 11.0, 9, "time budget")]
    text = terminal_table(cfg, summarize(cfg, recs, {}))
    table = text.split("\nrnn: ")[0].splitlines()  # (a table: as wide as its columns)
    assert max(len(line) for line in text.splitlines()[len(table):]) <= WIDTH, text
    note = ("lstm: the time budget (2 s per model and seed) stopped 2 of 2 seeds before 50 "
            "epochs (epochs run: seed 0: 7, seed 1: 9).")
    assert len(note) > WIDTH and note in _words(text)


def test_the_docs_name_the_path_and_the_wrapped_lines():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    readme = " ".join((root / "README.md").read_text(encoding="utf-8").split())
    panels = " ".join((root / "docs" / "panels.md").read_text(encoding="utf-8").split())
    assert "A backtest of a network ends with `recurrent path: fused`" in readme
    assert "Its origins and notes are wrapped at 80 columns" in readme
    assert "`summary.json`'s `paths` (and `BacktestResult.paths`)" in panels
