"""``rnnlab score FORECAST.csv --actuals NEW.csv`` and ``score_forecast``: a forecast
archived one month is scored months later against the actuals that arrived (there was no
way to do this but by hand: a user joined the files and computed the errors themselves)."""

import json

import numpy as np
import pandas as pd
import pytest

from rnnlab.cli import main
from rnnlab.forecast.scoring import score_forecast
from rnnlab.io.errors import DataError
from rnnlab.panel.scales import mase_scale, rmsse_scale


def _actuals(n=48):
    t = np.arange(n, dtype=np.float64)
    return pd.DataFrame({"month": pd.date_range("2001-01-01", periods=n, freq="MS"),
                         "units": 100 + t + 10 * np.sin(2 * np.pi * t / 12)})


def _forecast(path, start="2004-01-01", values=(150.0, 140.0, 130.0)):
    dates = pd.date_range(start, periods=len(values), freq="MS").strftime("%Y-%m-%d")
    pd.DataFrame({"time": dates, "forecast": values}).to_csv(path, index=False)
    return path


def test_errors_are_those_of_the_months_that_arrived_and_the_rest_are_pending(tmp_path):
    ys = _actuals(38)  # 2004-01 and 2004-02 arrived, 2004-03 not yet
    got = score_forecast(_forecast(tmp_path / "f.csv"), ys)
    e = np.array([150.0, 140.0]) - ys.units.to_numpy()[36:38]
    row = got.summary.iloc[0]
    assert row.n_forecasts == 2 and got.pending == 1
    np.testing.assert_allclose([row.mae, row.rmse, row.bias],
                               [np.abs(e).mean(), np.sqrt((e ** 2).mean()), e.mean()])
    history = ys.units.to_numpy()[:36]  # MASE's scale: the actuals before the forecast
    np.testing.assert_allclose(row.mase, np.abs(e).mean() / mase_scale(history, 12))
    np.testing.assert_allclose(row.rmsse, np.sqrt((e ** 2).mean()) / rmsse_scale(history, 12))
    assert "1 of the 3 forecasts have no actual yet (2004-03-01)" in got.notes[0]
    assert got.rows.y.isna().sum() == 1  # the pending one kept, its actual NaN


def test_dates_written_differently_in_the_two_files_meet(tmp_path):
    ys = _actuals(40)
    ys.assign(month=ys.month.dt.strftime("%m/%Y")).to_csv(tmp_path / "a.csv", index=False)
    got = score_forecast(_forecast(tmp_path / "f.csv"), tmp_path / "a.csv")
    assert got.summary.n_forecasts.iloc[0] == 3 and got.pending == 0


def test_actuals_without_history_score_but_say_why_mase_is_nan(tmp_path):
    got = score_forecast(_forecast(tmp_path / "f.csv"), _actuals(40).iloc[36:])
    assert np.isnan(got.summary.mase.iloc[0]) and np.isfinite(got.summary.mae.iloc[0])
    assert any("no history before the forecast's first date" in n for n in got.notes)


def test_a_forecast_none_of_whose_dates_arrived_is_refused(tmp_path):
    with pytest.raises(DataError, match=r"none of the forecast's 3 dates \(2004-01-01 \.\. "
                                        r"2004-03-01\) has an actual"):
        score_forecast(_forecast(tmp_path / "f.csv"), _actuals(36))


def test_predicts_series_and_a_runs_forecast_csv_are_read(tmp_path):
    ys = _actuals(40)
    fc = pd.Series([150.0, 140.0], pd.date_range("2004-01-01", periods=2, freq="MS"))
    assert score_forecast(fc, ys).summary.n_forecasts.iloc[0] == 2
    run = pd.DataFrame({"time": ["2003-12-01", "2004-01-01", "2004-02-01"],
                        "part": ["test", "future", "future"], "actual": [1.0, np.nan, np.nan],
                        "model": [999.0, 150.0, 140.0], "naive": [5.0, np.nan, np.nan]})
    got = score_forecast(run, ys)  # the future rows of its `model` column
    np.testing.assert_allclose(got.rows["mean"], [150.0, 140.0])


def test_panel_forecast_with_quantiles_scores_coverage_and_names_missing_series(tmp_path):
    ys = _actuals(40)
    panel = pd.concat([ys.assign(unique_id=k, units=ys.units + i)
                       for i, k in enumerate("AB")]).rename(columns={"month": "ds", "units": "y"})
    fc = pd.DataFrame({"unique_id": ["A", "B", "C"], "ds": ["2004-01-01"] * 3,
                       "mean": [130.0, 131.0, 5.0], "q0.1": [120.0, 138.0, 4.0],
                       "q0.9": [140.0, 145.0, 6.0]})
    got = score_forecast(fc, panel)
    row = got.summary.iloc[0]
    assert row.n_series == 2 and row.coverage80 == 0.5  # B's actual, 137, is below 138
    assert any("1 series of the forecast are not in the actuals: C (their 1 forecasts left "
               "out" in n for n in got.notes)
    assert got.pending == 0  # C's row waits for no month: its series is not in the actuals


def test_a_date_the_actuals_skip_is_said_apart_from_those_still_to_come(tmp_path):
    ys = _actuals(39).drop(index=37)  # 2004-02 never arrived, 2004-03 did
    got = score_forecast(_forecast(tmp_path / "f.csv"), ys)
    assert got.pending == 0 and got.summary.n_forecasts.iloc[0] == 2
    assert any("1 forecasts fall on dates the actuals skip (2004-02-01" in n for n in got.notes)


def test_cli_prints_the_table_writes_rows_and_json(tmp_path, capsys):
    _actuals(37).to_csv(tmp_path / "a.csv", index=False)
    f = str(_forecast(tmp_path / "f.csv"))
    assert main(["score", f, "--actuals", str(tmp_path / "a.csv"), "--output",
                 str(tmp_path / "rows.csv")]) == 0
    out, err = capsys.readouterr()
    assert out.split()[:4] == ["n_forecasts", "mae", "rmse", "bias"]
    assert "2 of the 3 forecasts have no actual yet" in err
    assert len(pd.read_csv(tmp_path / "rows.csv")) == 3
    assert main(["score", f, "--actuals", str(tmp_path / "a.csv"), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["pending"] == 2 and got["summary"]["n_forecasts"] == 1
    assert got["per_series"][0]["n"] == 1 and got["per_series"][0]["unique_id"] == "series"
    assert main(["score", f, "--actuals", str(tmp_path / "a.csv"), "--per-series"]) == 0
    assert capsys.readouterr().out.split("\n\n")[1].split()[:3] == ["unique_id", "n", "mae"]
    assert main(["score", f, "--actuals", str(tmp_path / "a.csv"), "--period", "0"]) == 2
    assert "argument --period: expected a whole number >= 1" in capsys.readouterr().err
    assert main(["score", f, "--actuals", str(tmp_path / "a.csv"), "--period", "52.18"]) == 2
    assert "round it to 52" in capsys.readouterr().err  # (was argparse's 'invalid int value')


def test_predicts_result_saved_with_to_csv_is_read(tmp_path):
    ys = _actuals(40)
    idx = pd.date_range("2004-01-01", periods=2, freq="MS", name="month")
    pd.Series([150.0, 140.0], idx, name="units forecast").to_csv(tmp_path / "p.csv")
    pd.DataFrame({"mean": [150.0, 140.0], "q0.1": [0.0, 0.0], "q0.9": [1e3, 1e3]},
                 idx).to_csv(tmp_path / "q.csv")
    assert list(score_forecast(tmp_path / "p.csv", ys).rows["mean"]) == [150.0, 140.0]
    assert score_forecast(tmp_path / "q.csv", ys).summary.coverage80.iloc[0] == 1.0
    pd.DataFrame({"month": idx, "a": [1.0, 2.0], "b": [3.0, 4.0]}).to_csv(tmp_path / "x.csv")
    with pytest.raises(DataError, match=r"expected one of: time,forecast"):
        score_forecast(tmp_path / "x.csv", ys)


def test_a_table_of_several_models_asks_for_one():
    fc = pd.DataFrame({"model": ["lstm", "naive"], "unique_id": ["A", "A"],
                       "ds": ["2004-01-01"] * 2, "mean": [1.0, 2.0]})
    with pytest.raises(DataError, match=r"holds 2 models' rows \(lstm, naive\); name the one"):
        score_forecast(fc, _actuals(40).assign(unique_id="A"))


def test_output_never_replaces_the_archived_forecast(tmp_path, capsys):
    _actuals(40).to_csv(tmp_path / "a.csv", index=False)
    f = str(_forecast(tmp_path / "f.csv"))
    before = (tmp_path / "f.csv").read_text()
    assert main(["score", f, "--actuals", str(tmp_path / "a.csv"), "--output", f,
                 "--overwrite"]) == 1
    assert "is the file" in capsys.readouterr().err
    assert (tmp_path / "f.csv").read_text() == before
    (tmp_path / "rows.csv").write_text("mine\n")
    assert main(["score", f, "--actuals", str(tmp_path / "a.csv"), "--output",
                 str(tmp_path / "rows.csv")]) == 1
    assert "exists; pass --overwrite" in capsys.readouterr().err


def test_a_blank_actual_is_one_still_to_come_not_refused_nor_filled(tmp_path):
    ys = _actuals(39)
    ys.loc[37:, "units"] = np.nan  # this month's rows exported before their values
    got = score_forecast(_forecast(tmp_path / "f.csv"), ys)
    assert got.summary.n_forecasts.iloc[0] == 1 and got.pending == 2
    panel = ys.rename(columns={"month": "ds", "units": "y"}).assign(unique_id="A")
    fc = pd.read_csv(tmp_path / "f.csv").rename(columns={"time": "ds", "forecast": "mean"})
    got = score_forecast(fc.assign(unique_id="A"), panel)
    assert got.summary.n_forecasts.iloc[0] == 1 and got.pending == 2


def test_per_series_bias_and_why_mase_is_nan_for_a_flat_history(tmp_path):
    flat = _actuals(38).assign(units=100.0)
    got = score_forecast(_forecast(tmp_path / "f.csv"), flat)
    assert list(got.per_series.bias) == [45.0]  # (150 - 100 + 140 - 100) / 2
    assert any("does not change" in n for n in got.notes)


def test_an_undated_series_forecast_numbered_by_step_is_scored():
    y = np.arange(60.0)
    fc = pd.DataFrame({"time": [50, 51, 52], "forecast": [51.0, 52.0, 53.0]})
    got = score_forecast(fc, pd.DataFrame({"v": y[:52]}))
    assert got.summary.n_forecasts.iloc[0] == 2 and got.pending == 1
    assert got.summary.bias.iloc[0] == 1.0
    with pytest.raises(DataError, match="NaN"):  # (dropping it would renumber the steps)
        score_forecast(fc, pd.DataFrame({"v": np.r_[y[:20], np.nan, y[21:]]}))


def test_a_run_directory_is_scored_by_its_forecast_csv(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    pd.DataFrame({"time": ["2004-01-01"], "part": ["future"], "actual": [np.nan],
                  "model": [150.0]}).to_csv(run / "forecast.csv", index=False)
    assert score_forecast(run, _actuals(40)).rows["mean"].tolist() == [150.0]
    with pytest.raises(DataError, match=r"a folder of runs, each with its forecast"):
        score_forecast(tmp_path / "run" / "..", _actuals(40))  # (the runs in it named)
    (run / "forecast.csv").unlink()
    with pytest.raises(DataError, match=r"a folder without a run's forecast.csv"):
        score_forecast(run, _actuals(40))


def test_output_never_replaces_the_forecast_csv_of_a_run_directory_read(tmp_path, capsys):
    """``rnnlab score RUN --output RUN/forecast.csv --overwrite`` replaced the run's forecast
    with the scored rows (only the run directory's own path was compared; review 24)."""
    run = tmp_path / "run"
    run.mkdir()
    pd.DataFrame({"time": ["2004-01-01"], "part": ["future"], "actual": [np.nan],
                  "model": [150.0]}).to_csv(run / "forecast.csv", index=False)
    before = (run / "forecast.csv").read_text()
    _actuals(40).to_csv(tmp_path / "a.csv", index=False)
    assert main(["score", str(run), "--actuals", str(tmp_path / "a.csv"), "--output",
                 str(run / "forecast.csv"), "--overwrite"]) == 1
    assert "is a file of the run" in capsys.readouterr().err
    assert (run / "forecast.csv").read_text() == before
    assert main(["score", str(run), "--actuals", str(tmp_path / "a.csv"), "--output",
                 str(tmp_path / "rows.csv")]) == 0  # (a file of one's own: written)
    assert len(pd.read_csv(tmp_path / "rows.csv")) == 1


def test_a_panel_forecast_against_another_series_names_the_series_not_the_dates():
    fc = pd.DataFrame({"unique_id": ["A", "B"], "ds": ["2004-01-01"] * 2, "mean": [1.0, 2.0]})
    with pytest.raises(DataError, match=r"none of the forecast's series \(A, B\) is in the "
                                        r"actuals, which hold units"):
        score_forecast(fc, _actuals(40).rename(columns={"month": "ds"}), column="units")


def test_a_blank_inside_the_history_leaves_its_pairs_out_of_the_scale(tmp_path):
    """A month blank in the middle of the actuals (review of session 24): the one series'
    scale paired the values around it 13 months apart (MASE 10% off, without a word), and a
    panel's actuals were refused with a fill= that score has no option for."""
    ys = _actuals(38)
    ys.loc[5, "units"] = np.nan
    ys = ys.drop(index=20)  # (and a month missing from the file)
    history = ys.set_index("month")["units"].reindex(
        pd.date_range("2001-01-01", "2003-12-01", freq="MS")).to_numpy()
    want = mase_scale(history, 12)
    assert np.isfinite(want) and want != mase_scale(history[~np.isnan(history)], 12)
    got = score_forecast(_forecast(tmp_path / "f.csv"), ys)
    assert got.summary.n_forecasts.iloc[0] == 2 and got.pending == 1
    assert got.summary.mase.iloc[0] == pytest.approx(got.summary.mae.iloc[0] / want)
    assert got.summary.rmsse.iloc[0] == pytest.approx(
        got.summary.rmse.iloc[0] / rmsse_scale(history, 12))
    panel = ys.rename(columns={"month": "ds", "units": "y"}).assign(unique_id="A")
    fc = pd.read_csv(tmp_path / "f.csv").rename(columns={"time": "ds", "forecast": "mean"})
    got = score_forecast(fc.assign(unique_id="A"), panel)
    assert got.summary.n_forecasts.iloc[0] == 2 and got.pending == 1
    assert got.summary.mase.iloc[0] == pytest.approx(got.summary.mae.iloc[0] / want)


def test_a_forecast_on_a_blank_month_inside_the_actuals_is_not_scored(tmp_path):
    ys = _actuals(39)
    ys.loc[37, "units"] = np.nan  # 2004-02 blank, 2004-03 arrived
    got = score_forecast(_forecast(tmp_path / "f.csv"), ys)
    assert got.summary.n_forecasts.iloc[0] == 2 and got.pending == 0
    assert list(got.rows.y.isna()) == [False, True, False]
    assert any("dates the actuals skip (2004-02-01" in n for n in got.notes)


@pytest.mark.parametrize("period", [0, -3, 12.5, "12", True])
def test_score_forecast_refuses_a_period_that_is_no_whole_number_from_1(tmp_path, period):
    """score_forecast(period=0) was read as none given, -3 scaled MASE by differences three
    steps ahead (a number, without a word), 12.5 and "12" were Python's TypeError."""
    from rnnlab.io.errors import ConfigError

    with pytest.raises(ConfigError, match=r"period must be a whole number >= 1 .* got "):
        score_forecast(_forecast(tmp_path / "f.csv"), _actuals(38), period=period)
    got = score_forecast(_forecast(tmp_path / "f.csv"), _actuals(38), period=np.int64(12))
    assert np.isfinite(got.summary.mase.iloc[0])


def _padded_panel(tmp_path):
    rows = [f"{store},{d:%Y-%m-%d},{k % 12 + k / 10}" for store in ("007", "010")
            for k, d in enumerate(pd.date_range("2001-01-01", periods=40, freq="MS"))]
    text = "store,month,units\n" + "\n".join(rows) + "\n"
    (tmp_path / "a.csv").write_text(text)
    import gzip

    with gzip.open(tmp_path / "a.csv.gz", "wt") as f:
        f.write(text)
    return {"id_column": "store", "date_column": "month", "column": "units"}


def test_zero_padded_ids_and_a_gz_file_are_read_as_read_panel_reads_them(tmp_path):
    """A panel's actuals file was read by pandas alone (review 24): store 007 became 7, so
    GlobalForecaster.predict's frame (ids '007', as read_panel keeps them) was refused as
    'none of the forecast's series is in the actuals', and a .csv.gz one as binary."""
    cols = _padded_panel(tmp_path)
    fc = pd.DataFrame({"unique_id": ["007", "010"], "ds": pd.to_datetime(["2004-01-01"] * 2),
                       "mean": [1.0, 2.0]})
    for actuals in ("a.csv", "a.csv.gz"):
        got = score_forecast(fc, tmp_path / actuals, **cols)
        assert list(got.per_series.unique_id) == ["007", "010"]
        assert got.summary.n_forecasts.iloc[0] == 2
    fc.to_csv(tmp_path / "fc.csv", index=False)  # (a forecasts.csv: its ids as written too)
    got = score_forecast(tmp_path / "fc.csv", tmp_path / "a.csv", **cols)
    assert list(got.rows.unique_id) == ["007", "010"]


def test_an_undated_panels_forecast_numbered_by_step_is_scored():
    """A panel of integer steps (its forecasts.csv numbered 28, 29, ...) was refused with
    a message on a freq= the user never passed (the actuals' internal 'D' handed on)."""
    ys = pd.concat([pd.DataFrame({"unique_id": u, "ds": np.arange(30), "y": np.arange(30.0) + k})
                    for k, u in enumerate("AB")])
    fc = pd.concat([pd.DataFrame({"unique_id": u, "ds": np.arange(28, 32), "mean": 30.0})
                    for u in "AB"])
    got = score_forecast(fc, ys, period=2)
    assert list(got.per_series.mae) == [1.5, 0.5] and got.pending == 4
    assert list(got.rows.ds[:4]) == [28, 29, 30, 31]
    assert any("no actual yet (30 .. 31)" in n for n in got.notes)
    scale = mase_scale(np.arange(28.0), 2)  # (A's values before step 28)
    assert got.per_series.mase.iloc[0] == pytest.approx(1.5 / scale)


def test_a_six_day_weeks_closed_days_are_not_missing_actuals():
    """Daily rows Monday to Saturday (the hint's --period 6): the scale pairs open days six
    apart, as the model read them, not the calendar's days with the Sundays put in."""
    days = pd.date_range("2023-01-02", periods=120, freq="D")
    days = days[days.day_of_week != 6]
    y = 50 + 10 * (days.day_of_week.to_numpy() == 5) + np.arange(len(days)) * 0.1
    ys = pd.DataFrame({"date": days, "sales": y})
    fc = pd.DataFrame({"time": days[-6:].strftime("%Y-%m-%d"), "forecast": y[-6:] + 1.0})
    got = score_forecast(fc, ys, period=6)
    assert got.summary.n_forecasts.iloc[0] == 6 and got.summary.mae.iloc[0] == pytest.approx(1.0)
    assert got.summary.mase.iloc[0] == pytest.approx(1.0 / mase_scale(y[:-6], 6))


def test_a_panels_blank_actuals_are_still_to_come_when_the_value_column_is_detected():
    """The blank-actual rule held only for a value column named y or given (--column): a
    panel's 'Nights' left blank for this quarter was read as a date the actuals skip, its
    forecasts not counted as pending (with a warning of a fill the user never asked for)."""
    quarters = [str(q) for q in pd.period_range("2010Q1", periods=13, freq="Q")]
    rows = [(r, q, 10.0 + i + k % 4) for i, r in enumerate(("A", "B"))
            for k, q in enumerate(quarters)]
    ys = pd.DataFrame(rows, columns=["Region", "Quarter", "Nights"])
    ys.loc[ys.Quarter == quarters[-1], "Nights"] = np.nan  # (exported before its value)
    fc = pd.DataFrame({"unique_id": ["A", "A", "B", "B"], "ds": quarters[-2:] * 2,
                       "mean": [13.0, 11.0, 14.0, 12.0]})
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = score_forecast(fc, ys, id_column="Region")
    assert got.pending == 2 and got.summary.n_forecasts.iloc[0] == 2
    assert not any("skip" in n for n in got.notes)



def test_a_history_that_repeats_each_season_exactly_is_said_so():
    """MASE NaN for a history whose seasons repeat exactly was said to be a history that
    'does not change' (it did: only its seasonal differences were 0)."""
    ys = _actuals(38).assign(units=np.tile([1.0, 5.0, 2.0, 8.0, 3.0, 4.0] * 2, 4)[:38])
    fc = pd.DataFrame({"time": ["2004-01-01"], "forecast": [2.0]})
    got = score_forecast(fc, ys)
    assert np.isnan(got.summary.mase.iloc[0])
    assert any("repeats each season exactly" in n and "period=1" in n for n in got.notes)
    assert np.isfinite(score_forecast(fc, ys, period=1).summary.mase.iloc[0])



def test_actuals_piped_on_standard_input_are_read(tmp_path, monkeypatch, capsys):
    """`curl URL | rnnlab score archive.csv --actuals -` was refused as "'-' is neither a
    built-in dataset ... nor an existing CSV file" (the other inputs read `-`)."""
    import io
    import sys

    class _Pipe(io.TextIOWrapper):
        def isatty(self):
            return False

    f = str(_forecast(tmp_path / "f.csv"))
    monkeypatch.setattr(sys, "stdin", _Pipe(io.BytesIO(_actuals(37).to_csv(index=False).encode()),
                                            encoding="utf-8"))
    assert main(["score", f, "--actuals", "-", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["pending"] == 2 and got["summary"]["n_forecasts"] == 1


@pytest.mark.parametrize("name", ["origin", "cutoff"])
def test_a_forecast_of_several_origins_scores_each_by_the_values_up_to_it(name):
    """A backtest's forecasts.csv (origin) or a cross-validation's frame (cutoff) scored as
    one forecast: every origin was scaled by the values before the first one (MASE 1.194
    against the backtest's own 1.174 on visnights) without a word; then refused, pointing
    to rnnlab.panel.accuracy (session 24); now each origin's forecasts are scaled by the
    values up to it, as accuracy() scales them, and each origin is also scored alone."""
    from rnnlab.panel import accuracy, read_panel

    fc = pd.DataFrame({"unique_id": "a", name: ["2004-01-01"] * 2 + ["2004-03-01"] * 2,
                       "ds": ["2004-02-01", "2004-03-01", "2004-04-01", "2004-05-01"],
                       "mean": 150.0})
    ys = _actuals().assign(unique_id="a")
    got = score_forecast(fc, ys, id_column="unique_id")
    want = accuracy(fc, read_panel(ys, date_column="month", target="units"), by=("model",))
    np.testing.assert_allclose(got.summary[["mae", "mase", "rmsse"]].to_numpy(),
                               want[["mae", "mase", "rmsse"]].to_numpy(), rtol=1e-9)
    assert got.summary.n_cutoffs.tolist() == [2] and len(got.by_cutoff) == 2
    one = score_forecast(fc[fc[name] == "2004-03-01"], ys, id_column="unique_id")
    assert one.summary.iloc[0].n_forecasts == 2
    assert one.summary.iloc[0].mase == pytest.approx(got.by_cutoff.mase.iloc[1], rel=1e-9)
