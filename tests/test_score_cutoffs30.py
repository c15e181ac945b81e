"""``rnnlab score`` of a forecast of several cutoffs (NeuralForecast's ``cross_validation``
frame, ``rnnlab backtest``'s forecasts.csv): refused before, pointing to
``rnnlab.panel.accuracy``; now every (model, cutoff) is scored, the headline per model is
the backtest's summary and ``--by cutoff`` gives each cutoff's row."""

import json

import numpy as np
import pandas as pd
import pytest

from rnnlab.cli import main
from rnnlab.forecast.scoring import score_forecast
from rnnlab.io.errors import DataError
from rnnlab.panel import accuracy, read_panel
from rnnlab.panel.backtest import backtest
from rnnlab.panel.scales import mase_scale

RTOL = 1e-9
SHOWN = ["mae", "rmse", "mase", "rmsse", "smape", "pinball", "crps", "coverage80"]


def _panel():
    rng = np.random.default_rng(3)
    n = 24
    season = np.tile([3.0, 0.0, 1.0, 2.0], n // 4)
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": pd.period_range(
        "2010Q1", periods=n, freq="Q").astype(str), "y": 10 * (i + 1) + season + 2 * rng.random(n)})
        for i, u in enumerate(["a", "b", "c"])])
    return read_panel(df), df


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """A backtest of two baselines at 5 origins, saved, and the data it ran on."""
    p, df = _panel()
    res = backtest(None, p, horizon=4, first_origin=12, stride=2,
                   baselines=["seasonal_naive", "naive"], quantiles=(0.1, 0.5, 0.9))
    d = tmp_path_factory.mktemp("cv")
    res.save(d / "bt")
    df.to_csv(d / "data.csv", index=False)
    return res, p, d


def _json(capsys, *argv):
    assert main(["score", *map(str, argv), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_a_backtests_forecasts_score_as_its_summary_and_accuracy(run, capsys):
    """The headline per model: the numbers rnnlab backtest gave and accuracy() gives for
    the same file (each origin scaled by the values up to it)."""
    res, p, d = run
    got = _json(capsys, d / "bt" / "forecasts.csv", "--actuals", d / "data.csv")
    models = pd.DataFrame(got["models"]).set_index("model")
    want = res.summary().set_index("model")
    acc = accuracy(pd.read_csv(d / "bt" / "forecasts.csv"), p, by=("model",)).set_index("model")
    assert list(models.index) == list(want.index) == ["seasonal_naive", "naive"]
    for other in (want, acc):
        np.testing.assert_allclose(models[SHOWN].to_numpy(float),
                                   other.loc[models.index, SHOWN].to_numpy(float), rtol=RTOL)
    assert models["n_cutoffs"].tolist() == [5, 5] and models["n_forecasts"].tolist() == [60, 60]
    per = pd.DataFrame(got["per_series"]).set_index(["model", "unique_id"]).sort_index()
    each = res.per_series().set_index(["model", "unique_id"]).sort_index()
    np.testing.assert_allclose(per[SHOWN].to_numpy(float), each[SHOWN].to_numpy(float),
                               rtol=RTOL)


def test_by_cutoff_gives_each_cutoffs_rows_as_scoring_it_alone(run, capsys):
    """Each (model, cutoff) row is what scoring that cutoff's rows alone gives (its scale:
    the values up to it); with the same series and horizon at each cutoff, the headline MAE
    and MASE are the means of the cutoffs'."""
    res, p, d = run
    got = _json(capsys, d / "bt", "--actuals", d / "data.csv", "--by", "cutoff")
    table = pd.DataFrame(got["by_cutoff"])
    assert len(table) == 10 and table["cutoff"].nunique() == 5
    fc = pd.read_csv(d / "bt" / "forecasts.csv")
    for r in table[table["model"] == "naive"].itertuples():
        origin = str(pd.Period(r.cutoff, freq="Q"))  # (the file names it 2012Q4)
        alone = score_forecast(fc[fc["origin"] == origin], d / "data.csv", model="naive")
        np.testing.assert_allclose([r.mae, r.mase, r.rmse],
                                   alone.summary[["mae", "mase", "rmse"]].iloc[0], rtol=RTOL)
    models = pd.DataFrame(got["models"]).set_index("model")
    means = table.groupby("model")[["mae", "mase"]].mean()
    np.testing.assert_allclose(models.loc[means.index, ["mae", "mase"]], means, rtol=RTOL)
    assert main(["score", str(d / "bt" / "forecasts.csv"), "--actuals", str(d / "data.csv"),
                 "--by", "cutoff"]) == 0
    out = capsys.readouterr().out
    # (shown as the file and the backtest name them, 2012Q4: session 31)
    assert "2012Q4" in out and "2014Q4" in out and "n_cutoffs" in out


def _neuralforecast(res):
    """The backtest's forecasts as NeuralForecast's cross_validation frame: a column per
    model (LSTM with its 80% band and median, Naive a point), ``cutoff``, ``y``."""
    fc = res.forecasts
    key = ["unique_id", "origin", "ds"]
    lstm = fc[fc.model == "seasonal_naive"].set_index(key)
    naive = fc[fc.model == "naive"].set_index(key)
    nf = pd.DataFrame({"y": lstm["y"], "LSTM": lstm["mean"], "LSTM-median": lstm["q0.5"],
                       "LSTM-lo-80": lstm["q0.1"], "LSTM-hi-80": lstm["q0.9"],
                       "Naive": naive["mean"]}).reset_index()
    nf = nf.rename(columns={"origin": "cutoff"})
    for c in ("cutoff", "ds"):
        nf[c] = nf[c].dt.to_timestamp()
    return nf


def test_neuralforecasts_cross_validation_frame_scores_every_model(run, tmp_path, capsys):
    res, p, d = run
    nf = _neuralforecast(res)
    nf.to_csv(tmp_path / "cv.csv", index=False)
    got = _json(capsys, tmp_path / "cv.csv", "--actuals", d / "data.csv")
    models = pd.DataFrame(got["models"]).set_index("model")
    want = res.summary().set_index("model").rename(index={"seasonal_naive": "LSTM",
                                                          "naive": "Naive"})
    assert sorted(models.index) == ["LSTM", "Naive"]
    np.testing.assert_allclose(models[["mae", "rmse", "mase", "rmsse"]].to_numpy(float),
                               want.loc[models.index, ["mae", "rmse", "mase", "rmsse"]]
                               .to_numpy(float), rtol=RTOL)
    lstm = score_forecast(nf, p, model="LSTM")  # (--model: that model alone)
    assert lstm.summary["model"].tolist() == ["LSTM"]
    assert "1 model(s) at 5 cutoffs" in repr(lstm) and len(lstm.cutoff_table()) == 5
    assert lstm.summary["coverage80"].iloc[0] == pytest.approx(want.loc["LSTM", "coverage80"],
                                                               rel=RTOL)


def test_the_scale_is_the_history_up_to_each_cutoff_never_after():
    """A forecast made two steps after its cutoff: the value between the cutoff and its
    first date is no part of its scale (changing it changes no MASE), and the scale is
    the seasonal naive's error of the values up to the cutoff."""
    p, df = _panel()
    dates = sorted(df["ds"].unique())
    rows = [{"unique_id": u, "cutoff": dates[c], "ds": dates[c + k], "mean": 20.0}
            for u in ("a", "b") for c in (13, 17) for k in (2, 3, 4)]
    fc = pd.DataFrame(rows)
    got = score_forecast(fc, df).by_cutoff.set_index("cutoff")
    changed = df.copy()
    changed.loc[changed.ds == dates[18], "y"] += 50.0  # (after the last cutoff, before
    # its forecasts: the cutoff before it has it in its history, as it should)
    again = score_forecast(fc, changed).by_cutoff.set_index("cutoff")
    np.testing.assert_allclose(again["mase"], got["mase"], rtol=RTOL)
    assert (again["mae"] == got["mae"]).all()  # (the changed values are forecast by none)
    each = score_forecast(fc, df).per_series.set_index("unique_id")
    a = df[df.unique_id == "a"]["y"].to_numpy()
    want = np.mean([np.mean(np.abs(20.0 - a[c + 2:c + 5])) / mase_scale(a[:c + 1], 4)
                    for c in (13, 17)])
    assert each.loc["a", "mase"] == pytest.approx(want, rel=RTOL)
    assert accuracy(fc, p).set_index("unique_id").loc["a", "mase"] == pytest.approx(want,
                                                                                 rel=RTOL)


def _cv():
    p, df = _panel()
    dates = sorted(df["ds"].unique())
    fc = pd.DataFrame([{"unique_id": u, "cutoff": dates[c], "ds": dates[c + k], "mean": 20.0}
                       for u in ("a", "b") for c in (15, 17) for k in (1, 2)])
    return fc, df


def test_a_cutoff_that_is_no_date_is_refused_naming_the_column():
    fc, df = _cv()
    fc.loc[3, "cutoff"] = "last spring"
    with pytest.raises(DataError, match=r"column 'cutoff' has values that are not dates.*"
                                        r"last spring.*the last date of the data"):
        score_forecast(fc, df)
    fc.loc[3, "cutoff"] = None
    with pytest.raises(DataError, match="1 rows without a cutoff"):
        score_forecast(fc, df)


def test_a_cutoff_on_or_after_its_forecast_dates_is_refused():
    fc, df = _cv()
    swapped = fc.rename(columns={"cutoff": "ds", "ds": "cutoff"})
    with pytest.raises(DataError, match=r"8 rows dated on or before their cutoff: a "
                                        r"2013-10-01 \(cutoff 2014-01-01\).*swapped"):
        score_forecast(swapped, df)


def test_a_series_date_given_twice_at_one_cutoff_is_refused(tmp_path, capsys):
    fc, df = _cv()
    twice = pd.concat([fc, fc.iloc[[2]]])
    with pytest.raises(DataError, match=r"gives 1 \(series, date, cutoff\) more than once: "
                                        r"a 2014Q3 \(cutoff 2014Q2\).*drop_duplicates"):
        score_forecast(twice, df)
    twice.to_csv(tmp_path / "f.csv", index=False)
    df.to_csv(tmp_path / "d.csv", index=False)
    assert main(["score", str(tmp_path / "f.csv"), "--actuals", str(tmp_path / "d.csv")]) != 0
    assert "more than once" in capsys.readouterr().err


def test_by_cutoff_without_a_cutoff_column_is_refused_and_one_cutoff_gives_its_row(tmp_path,
                                                                                  capsys):
    fc, df = _cv()
    df.to_csv(tmp_path / "d.csv", index=False)
    one = fc[fc.cutoff == fc.cutoff.iloc[0]]
    one.to_csv(tmp_path / "one.csv", index=False)
    got = _json(capsys, tmp_path / "one.csv", "--actuals", tmp_path / "d.csv", "--by", "cutoff")
    quarter = str(pd.Period(one.cutoff.iloc[0], freq="Q"))  # (2013Q4, as several's give it)
    assert len(got["by_cutoff"]) == 1 and got["by_cutoff"][0]["cutoff"] == quarter
    assert got["by_cutoff"][0]["mae"] == pytest.approx(got["summary"]["mae"], rel=RTOL)
    one.drop(columns="cutoff").to_csv(tmp_path / "none.csv", index=False)
    assert main(["score", str(tmp_path / "none.csv"), "--actuals", str(tmp_path / "d.csv"),
                 "--by", "cutoff"]) != 0
    assert "no cutoff column" in capsys.readouterr().err
