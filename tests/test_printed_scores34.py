"""The tables `rnnlab backtest`, `rnnlab score` and a panel's `rnnlab forecast` print had
no `wql` and no `msis` (GluonTS' mean_wQuantileLoss and MSIS, what a GluonTS user reads
first), though summary.csv and `--json` hold them: a reader of the terminal compared
models on coverage and width alone. They show `wql` and one `msis` (the widest interval
the most models hold: msis95 from q0.025/q0.975, msis80 of the default levels), with a
note that says what they are; a model without quantiles reads "-" there, never 0
(:mod:`rnnlab.panel.printed_scores`)."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from printed_words import words
from rnnlab.cli import main
from rnnlab.panel.printed_scores import printed_table, score_columns, scores_note


def _summary(**more):
    return pd.DataFrame({"model": ["lstm", "naive", "point"],
                         "mase": [0.9, 1.2, 1.1], "pinball": [0.2, 0.3, np.nan],
                         "crps": [0.4, 0.6, np.nan], "coverage80": [0.8, 0.7, np.nan],
                         "width80": [2.0, 3.0, np.nan], "wql": [0.051, 0.062, np.nan],
                         "msis80": [4.5, 6.25, np.nan], "n_series": [3, 3, 3], **more})


def _cells(text, column):
    """The cells of ``column`` in the table that begins ``text`` (up to a note)."""
    lines = text.splitlines()
    end = next((k for k, line in enumerate(lines) if line.startswith("note:")), len(lines))
    i = lines[0].split().index(column)
    return [line.split()[i] for line in lines[1:end]]


def test_the_shown_msis_is_the_widest_interval_the_most_models_hold():
    assert score_columns(_summary()) == ["coverage80", "width80", "wql", "msis80"]
    wide = _summary(coverage95=[0.9, 0.9, np.nan], width95=[4.0, 5.0, np.nan],
                    msis95=[7.0, 8.0, np.nan])
    assert score_columns(wide)[-2:] == ["wql", "msis95"]  # (GluonTS' MSIS)
    one = _summary(coverage95=[0.9, np.nan, np.nan], msis95=[7.0, np.nan, np.nan])
    assert score_columns(one)[-1] == "msis80"  # (held by two models, msis95 by one)
    assert score_columns(_summary().drop(columns=["wql", "msis80"])) == ["coverage80",
                                                                         "width80"]


def test_a_model_without_quantiles_reads_a_dash_never_0_and_a_nan_stays_nan():
    t = _summary()
    t.loc[1, "wql"] = np.nan  # (naive's actuals all 0: a wql with no value, said as NaN)
    text = printed_table(t, ["model", "mase", "crps", "coverage80", "wql", "msis80"])
    for c in ("crps", "coverage80", "wql", "msis80"):
        assert _cells(text, c)[2] == "-"
    assert [float(v) for v in _cells(text, "wql")[:2]] == pytest.approx([0.051, np.nan],
                                                                        nan_ok=True)
    assert _cells(text, "msis80")[:2] == ["4.500", "6.250"]
    assert _cells(text, "mase") == ["0.900", "1.200", "1.100"]  # (a point metric: a number)
    dashed = [line for line in text.splitlines() if line.split()[0] == "point"][0]
    assert dashed.split()[-1] == "-" and " 0" not in dashed.replace(" 0.", "")


def test_the_note_says_what_the_columns_are():
    said = scores_note(["wql", "msis80"], dashed=True)
    assert "wql: the weighted quantile loss (GluonTS' mean_wQuantileLoss)" in said
    assert "msis80: the 80% interval's width plus 10 times each miss over the MASE scale" in said
    assert "GluonTS' MSIS is msis95" in said and "-: a model without those quantiles" in said
    assert "40 for 95%" in scores_note(["msis80", "msis95"])
    assert scores_note(["coverage80", "width80"]) == ""


def _panel(path):
    t = np.arange(40)
    pd.concat([pd.DataFrame({
        "unique_id": f"s{i}", "ds": pd.date_range("2010-01", periods=40, freq="MS"),
        "y": (i + 1) * (10 + np.sin(2 * np.pi * t / 12)) + np.cos(t) + 0.1 * t})
        for i in range(3)]).assign(ds=lambda d: d["ds"].dt.strftime("%Y-%m")).to_csv(
        path, index=False)
    return path


@pytest.mark.parametrize("levels, msis", [((), "msis80"),
                                          (("0.025", "0.1", "0.5", "0.9", "0.975"), "msis95")])
def test_the_backtest_table_shows_wql_and_msis_as_summary_csv_has_them(tmp_path, capsys,
                                                                       levels, msis):
    out = tmp_path / "bt"
    argv = ["backtest", "--data", str(_panel(tmp_path / "p.csv")), "--model",
            "seasonal_naive", "--baselines", "naive", "--horizon", "3", "--first-origin", "9",
            "--stride", "3", "--plot-series", "0", "--out", str(out), "--no-progress"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(argv + (["--quantiles", *levels] if levels else [])) == 0
    printed = capsys.readouterr().out
    table = printed.split("\norigins ")[0]
    head = table.splitlines()[0].split()
    assert head[head.index("wql") + 1] == msis and "coverage80" in head
    summary = pd.read_csv(out / "summary.csv").set_index("model")
    for c in ("wql", msis):
        shown = [float(v) for v in _cells(table, c)]
        np.testing.assert_allclose(shown, summary[c].to_numpy(), rtol=5e-3)
    said = words(printed)
    assert "note: wql: the weighted quantile loss" in said and f"{msis}: the" in said
    assert "-: a model without" not in said  # (every model has quantiles)


def test_backtests_printed_point_model_reads_a_dash(capsys):
    from rnnlab.panel.backtest import backtest
    from rnnlab.panel.backtest_said import print_outcome
    from rnnlab.panel.baselines import SeasonalNaive
    from test_panel_backtest import make_panel

    class Point:  # a model of point forecasts only: last value
        def fit(self, panel, static=None):
            self.panel = panel
            return self

        def predict(self, horizon, future=None, history=None):
            panel = history if history is not None else self.panel
            rows = [pd.DataFrame({"unique_id": uid, "step": np.arange(1, horizon + 1),
                                  "mean": g["y"].iloc[-1], "ds": pd.date_range(
                                      g["ds"].iloc[-1], periods=horizon + 1,
                                      freq=panel.freq)[1:]})
                    for uid, g in panel.df.groupby("unique_id", sort=False)]
            return pd.concat(rows, ignore_index=True)

    res = backtest(Point, make_panel(ragged=False), horizon=4, first_origin=12, stride=4,
                   baselines=(SeasonalNaive(),), name="point")
    print_outcome(res.summary(), res, {})
    printed = capsys.readouterr().out
    table = printed.split("\norigins ")[0]
    rows = dict(zip(_cells(table, "model"), zip(_cells(table, "wql"),
                                                 _cells(table, "msis80"))))
    assert rows["point"] == ("-", "-")
    assert all(float(v) > 0 for v in rows["seasonal_naive"])
    assert "-: a model without those quantiles" in words(printed)


def _score_files(tmp_path, quantiles=True):
    t = np.arange(36, dtype=np.float64)
    actuals = pd.DataFrame({"month": pd.date_range("2001-01-01", periods=36, freq="MS"),
                            "units": 100 + t + 10 * np.sin(2 * np.pi * t / 12)})
    actuals.to_csv(tmp_path / "a.csv", index=False)
    mean = actuals["units"].to_numpy()[-6:] + np.array([3.0, -2.0, 5.0, -4.0, 1.0, 8.0])
    fc = pd.DataFrame({"month": actuals["month"].dt.strftime("%Y-%m-%d").iloc[-6:],
                       "forecast": mean})
    if quantiles:
        fc["q0.1"], fc["q0.9"] = mean - 4.0, mean + 4.0
    fc.to_csv(tmp_path / "f.csv", index=False)
    return [str(tmp_path / "f.csv"), "--actuals", str(tmp_path / "a.csv")]


def test_score_prints_wql_and_msis_as_its_json_has_them(tmp_path, capsys):
    argv = ["score", *_score_files(tmp_path)]
    assert main(argv + ["--json"]) == 0
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert main(argv + ["--per-series"]) == 0
    printed = capsys.readouterr().out
    for table in printed.split("\n\n")[:2]:  # the summary and the per-series table
        assert float(_cells(table, "wql")[0]) == pytest.approx(summary["wql"], rel=5e-3)
        assert float(_cells(table, "msis80")[0]) == pytest.approx(summary["msis80"],
                                                                  rel=5e-3)
    assert words(printed).count("note: wql: the weighted quantile loss") == 1


def test_score_of_a_point_forecast_shows_neither_nor_the_note(tmp_path, capsys):
    assert main(["score", *_score_files(tmp_path, quantiles=False)]) == 0
    printed = capsys.readouterr().out
    assert "wql" not in printed and "msis" not in printed and "note:" not in printed


def test_a_panel_forecasts_table_shows_them_too(tmp_path, capsys):
    from rnnlab.panel.forecast_run import _print_scores

    _print_scores(_summary(), 3, {}, "", tmp_path, {})
    printed = capsys.readouterr().out
    table = "\n".join(printed.splitlines()[1:4 + 1])
    assert [float(v) for v in _cells(table, "wql")[:2]] == pytest.approx([0.051, 0.062])
    assert _cells(table, "wql")[2] == "-"
    assert _cells(table, "msis80") == ["4.500", "6.250", "-"]
    assert "-: a model without those quantiles" in words(printed)


def test_a_one_series_runs_intervals_block_says_msis_and_wql():
    from rnnlab.forecast.report import format_summary
    from rnnlab.forecast.run_intervals import describe_intervals

    test = {"coverage80": 0.75, "width80": 41.0, "msis80": 5.3125, "coverage95": 1.0,
            "width95": 60.0, "msis95": 6.5, "wql": 0.0421, "pinball": 3.0}
    text = describe_intervals({"levels": [0.025, 0.1, 0.9, 0.975], "test_points": 12,
                               "test": test})
    said = words(text)
    assert "80% interval covers 9 of 12 test points (mean width 41), msis80 5.312" in said
    assert "95% interval covers 12 of 12 test points (mean width 60), msis95 6.5" in said
    assert "wql 0.0421" in said and "note: wql: the weighted quantile loss" in said
    assert max(len(line) for line in text.splitlines()) <= 80
    without = describe_intervals({"levels": [0.1, 0.9], "test_points": 12,
                                  "test": {"coverage80": 0.75, "width80": 41.0}})
    assert "msis" not in without and "wql" not in without  # (an older run's metrics.json)
    seeds = {"seeds": [0, 1], "levels": [0.1, 0.9], "test": {
        k: {"mean": v, "std": 0.5, "values": [v, v]} for k, v in test.items()}}
    over = words(format_summary({"forecast": {"model": {
        k: {"mean": 1.0, "std": 0.0} for k in ("rmse", "mae")}}, "intervals": seeds}, [0, 1]))
    assert "mean width 41 ± 0.5, msis80 5.312 ± 0.5" in over and "wql 0.0421 ± 0.5" in over
