"""Review of session 30's ``rnnlab score`` of several cutoffs: the MASE / RMSSE scale of
a forecast made at a cutoff is the seasonal naive's error of the values up to that cutoff
(the data the forecaster had), in ``rnnlab.panel.accuracy`` as in ``score_forecast``,
for a file of one cutoff as for one of several; a forecast that starts a step or more
after its cutoff (a gap) was scaled by values after the cutoff."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.forecast.scoring import score_forecast
from rnnlab.io.errors import DataError
from rnnlab.panel import accuracy, read_panel
from rnnlab.panel.scales import mase_scale

RTOL = 1e-9


def _data():
    rng = np.random.default_rng(5)
    n = 24
    season = np.tile([3.0, 0.0, 1.0, 2.0], n // 4)
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": pd.period_range(
        "2010Q1", periods=n, freq="Q").astype(str), "y": 10 * (i + 1) + season
        + 3 * rng.random(n)}) for i, u in enumerate(["a", "b"])])
    return df, sorted(df["ds"].unique())


def _gap(cutoffs, name="cutoff"):
    """Forecasts made at each cutoff for the 2nd to 4th steps after it (a gap of one)."""
    df, dates = _data()
    fc = pd.DataFrame([{"unique_id": u, name: dates[c], "ds": dates[c + k], "mean": 20.0}
                       for u in ("a", "b") for c in cutoffs for k in (2, 3, 4)])
    return fc, df, dates


def _want(df, cutoffs):
    """Series a's MASE, each cutoff's errors scaled by the values up to the cutoff."""
    a = df[df.unique_id == "a"]["y"].to_numpy()
    return np.mean([np.mean(np.abs(20.0 - a[c + 2:c + 5])) / mase_scale(a[:c + 1], 4)
                    for c in cutoffs])


@pytest.mark.parametrize("name", ["cutoff", "origin"])
def test_accuracy_scales_by_the_values_up_to_each_cutoff_and_agrees_with_score(name):
    fc, df, dates = _gap((13, 17), name)
    got = accuracy(fc, read_panel(df)).set_index("unique_id")
    assert got.loc["a", "mase"] == pytest.approx(_want(df, (13, 17)), rel=RTOL)
    scored = score_forecast(fc, df).per_series.set_index("unique_id")
    np.testing.assert_allclose(got.loc[["a", "b"], ["mase", "rmsse"]],
                               scored.loc[["a", "b"], ["mase", "rmsse"]], rtol=RTOL)
    later = df.copy()  # (after the last cutoff, before its forecasts: in no scale, and
    later.loc[later.ds == dates[18], "y"] += 50.0  # forecast by no cutoff)
    again = accuracy(fc, read_panel(later)).set_index("unique_id")
    np.testing.assert_allclose(again["mase"], got["mase"], rtol=RTOL)


def test_accuracy_reads_a_backtests_origins_as_text_and_as_periods():
    """forecasts.csv read back names its origins '2013Q2'; in memory they are Periods."""
    fc, df, dates = _gap((13, 17), "origin")
    periods = fc.assign(origin=pd.PeriodIndex(fc["origin"], freq="Q"))
    want = accuracy(fc, read_panel(df))
    pd.testing.assert_frame_equal(accuracy(periods, read_panel(df)), want)


def test_origins_that_are_no_dates_still_tell_the_windows_apart():
    """Fold numbers as the origin: each fold scaled by the values before its first
    forecast date, as before (no date to cut at, no refusal)."""
    df, dates = _data()
    fc = pd.DataFrame([{"unique_id": "a", "origin": k, "ds": dates[c + s], "mean": 20.0}
                       for k, c in enumerate((13, 17)) for s in (1, 2)])
    got = accuracy(fc, read_panel(df))
    a = df[df.unique_id == "a"]["y"].to_numpy()
    want = np.mean([np.mean(np.abs(20.0 - a[c + 1:c + 3])) / mase_scale(a[:c + 1], 4)
                    for c in (13, 17)])
    assert got["mase"].item() == pytest.approx(want, rel=RTOL)


def test_accuracy_refuses_a_cutoff_on_or_after_its_forecasts_dates():
    """A cutoff column of the forecasts' first dates put each forecast's own first actual
    in its scale."""
    fc, df, dates = _gap((13, 17))
    first = fc.assign(cutoff=fc.groupby(["unique_id", "cutoff"])["ds"].transform("min"))
    with pytest.raises(DataError, match=r"accuracy: 4 forecasts are dated on or before "
                                        r"their cutoff: a 2013-10-01 \(cutoff 2013-10-01\)"):
        accuracy(first, read_panel(df))


def test_the_scoring_of_several_cutoffs_imports_no_module_that_imports_it():
    """score_cutoff_metrics took ForecastScore from scoring, which imports it back: an
    import cycle (now both take it from score_result)."""
    import ast
    import inspect

    from rnnlab.forecast import score_cutoff_metrics, score_result

    for module in (score_cutoff_metrics, score_result):
        tree = ast.parse(inspect.getsource(module))
        named = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert "scoring" not in named and "rnnlab.forecast.scoring" not in named


@pytest.mark.parametrize("name", ["cutoff", "origin"])
def test_a_file_of_one_cutoff_is_scaled_up_to_it_as_that_cutoff_among_several(name):
    """One cutoff's rows alone were scaled by the values before their first date (MASE
    8.80 against 8.29 for the same rows scored among two cutoffs)."""
    fc, df, dates = _gap((13, 17), name)
    one = fc[fc[name] == dates[17]]
    got = score_forecast(one, df)
    among = score_forecast(fc, df).by_cutoff
    assert got.summary["mase"].iloc[0] == pytest.approx(among["mase"].iloc[1], rel=RTOL)
    a = df[df.unique_id == "a"]["y"].to_numpy()
    assert got.per_series.set_index("unique_id").loc["a", "mase"] == pytest.approx(
        np.mean(np.abs(20.0 - a[19:22])) / mase_scale(a[:18], 4), rel=RTOL)
    label = score_forecast(one.assign(**{name: "fold 2"}), df)  # (no date: before the
    a_mase = label.per_series.set_index("unique_id").loc["a", "mase"]  # first forecast date)
    assert a_mase == pytest.approx(np.mean(np.abs(20.0 - a[19:22])) / mase_scale(a[:19], 4),
                                   rel=RTOL)


def test_a_file_of_one_cutoff_on_its_first_forecast_date_is_refused():
    fc, df, dates = _gap((17,))
    with pytest.raises(DataError, match=r"2 rows dated on or before their cutoff: a "
                                        r"2014-10-01 \(cutoff 2014-10-01\)"):
        score_forecast(fc.assign(cutoff=dates[19]), df)


def test_fold_numbers_as_cutoffs_beside_dated_actuals_are_refused():
    """Read as time steps, each fold number was a day in 1970: every MASE NaN, the note
    saying the actuals held no history."""
    df, dates = _data()
    fc = pd.DataFrame([{"unique_id": u, "cutoff": k, "ds": dates[c + s], "mean": 20.0}
                       for u in ("a", "b") for k, c in enumerate((13, 17)) for s in (1, 2)])
    with pytest.raises(DataError, match=r"cutoff column holds whole numbers \(time steps\) "
                                        r"\(0, \.\.\.\) where the actuals' dates are dates"):
        score_forecast(fc, df)


def test_integer_cutoffs_of_an_undated_panel_are_its_steps():
    """Time steps beside time steps are read, and scale as the same data dated."""
    fc, df, dates = _gap((13, 17))
    step = {d: k for k, d in enumerate(dates)}
    undated = df.assign(ds=df["ds"].map(step))
    steps = fc.assign(ds=fc["ds"].map(step), cutoff=fc["cutoff"].map(step))
    got = score_forecast(steps, undated, period=4).per_series.set_index("unique_id")
    want = score_forecast(fc, df).per_series.set_index("unique_id")
    np.testing.assert_allclose(got["mase"], want["mase"], rtol=RTOL)
    with pytest.raises(DataError, match=r"holds dates \(2013Q2, \.\.\.\) where the actuals' "
                                        r"dates are whole numbers"):
        score_forecast(steps.assign(cutoff=fc["cutoff"]), undated)


def test_one_cutoff_of_several_models_scores_every_model_as_several_cutoffs_do():
    """NeuralForecast's cross_validation(n_windows=1) of LSTM and GRU (and a run's
    test_forecasts.csv, its origin column) was refused for naming no model, where
    n_windows=2 scored every model."""
    fc, df, dates = _gap((17,))
    nf = fc.rename(columns={"mean": "LSTM"}).assign(GRU=fc["mean"] + 1.0)
    got = score_forecast(nf, df)
    assert got.summary["model"].tolist() == ["LSTM", "GRU"]
    assert got.summary["n_cutoffs"].tolist() == [1, 1]
    assert "of 2 model(s) at 1 cutoff scored" in repr(got)  # (not "1 cutoffs")
    gru = score_forecast(nf, df, model="GRU").summary.iloc[0]
    assert got.summary.set_index("model").loc["GRU", "mase"] == pytest.approx(gru.mase,
                                                                            rel=RTOL)
    ours = pd.concat([fc.assign(model="lstm"), fc.assign(model="gru", mean=21.0)])
    assert score_forecast(ours, df).summary["model"].tolist() == ["lstm", "gru"]


def test_a_refusal_at_one_cutoff_names_the_files_series_and_levels_blank_at_a_cutoff_pass():
    """Each model's cutoffs are read in one pass, a (cutoff, series) named apart: what a
    refusal says still names the file's series, and quantile columns one cutoff leaves
    blank are none of its own there, as when each cutoff was read alone."""
    fc, df, dates = _gap((13, 17))
    blank = fc.assign(mean=fc["mean"].where(fc.index != 4))
    with pytest.raises(DataError, match=r"1 row without a value \(a 2015Q1; blank: mean\)"):
        score_forecast(blank, df)
    bands = fc.assign(**{"q0.1": 18.0, "q0.9": 22.0})
    bands.loc[bands["cutoff"] == dates[13], ["q0.1", "q0.9"]] = np.nan
    got = score_forecast(bands, df)
    np.testing.assert_allclose(got.by_cutoff["mase"], score_forecast(fc, df).by_cutoff["mase"],
                               rtol=RTOL)
    assert got.by_cutoff["coverage80"].isna().tolist() == [True, False]


def test_several_cutoffs_of_one_series_without_an_id_are_scored_against_its_actuals():
    """``ds, cutoff, mean``: the forecast's series was '' beside the actuals' 'y', and
    the refusal said none of its rows had an actual, the dates all there."""
    fc, df, dates = _gap((13, 17))
    a = fc[fc.unique_id == "a"]
    want = score_forecast(a, df[df.unique_id == "a"]).summary
    got = score_forecast(a.drop(columns="unique_id"), df[df.unique_id == "a"][["ds", "y"]])
    np.testing.assert_allclose(got.summary[["mae", "mase", "rmsse"]],
                               want[["mae", "mase", "rmsse"]], rtol=RTOL)
    with pytest.raises(DataError, match=r"names no series .* the actuals hold 2: a, b; add a "
                                        r"unique_id column"):
        score_forecast(a.drop(columns="unique_id"), df)


def test_by_cutoff_of_a_forecast_without_cutoffs_writes_no_output_file(tmp_path, capsys):
    """The rows went to --output, then --by cutoff was refused: an exit of 1 beside a file
    the user may take for the run's."""
    from rnnlab.cli import main

    fc, df, dates = _gap((17,))
    fc.drop(columns="cutoff").to_csv(tmp_path / "f.csv", index=False)
    df.to_csv(tmp_path / "d.csv", index=False)
    out = tmp_path / "rows.csv"
    assert main(["score", str(tmp_path / "f.csv"), "--actuals", str(tmp_path / "d.csv"),
                 "--by", "cutoff", "--output", str(out)]) != 0
    assert "no cutoff column" in capsys.readouterr().err and not out.exists()


def test_the_docs_say_what_the_headline_and_the_scale_of_several_cutoffs_are():
    """README and docs/panels.md: the headline pools each series' errors over its cutoffs
    (not a mean of the cutoffs' rows), the scale is the actuals up to the cutoff in
    accuracy() too, and NeuralForecast's column-per-model paragraph ('So is ...') follows
    --model's, not the list of refusals of several cutoffs."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    readme = " ".join((root / "README.md").read_text(encoding="utf-8").split())
    assert "of every cutoff pooled, then the mean over series, not a mean of the cutoffs'" \
           in readme
    assert "`rnnlab.panel.accuracy` scales so too" in readme
    panels = " ".join((root / "docs" / "panels.md").read_text(encoding="utf-8").split())
    assert "pooled, then the mean over series (not the mean of the cutoffs' rows)" in panels
    so_is = panels.index("So is NeuralForecast's or statsforecast's frame")
    assert panels.index("naming the models it holds. So is") < so_is \
        < panels.index("A file of several cutoffs (a backtest's")
