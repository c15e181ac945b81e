"""Session 31's leftovers of ``rnnlab score`` / ``score_forecast``, ``accuracy`` and
``nixtla_frame``: each a silent surprise or a message that did not say what was found."""

import json

import numpy as np
import pandas as pd
import pytest

from rnnlab.cli import main
from rnnlab.forecast.scoring import score_forecast

RTOL = 1e-9


def _quarters(n=24):
    """Two quarterly series a and b, and their dates."""
    rng = np.random.default_rng(31)
    dates = pd.date_range("2010-01-01", periods=n, freq="QS")
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": dates,
                                  "y": 10.0 * (i + 1) + np.tile([3.0, 0.0, 1.0, 2.0], n // 4)
                                  + rng.random(n)}) for i, u in enumerate("ab")])
    return df, dates


def _one_cutoff_lstm(bands: bool):
    """NeuralForecast's cross_validation(n_windows=1) frame of one model, LSTM, with its
    80% band or without."""
    df, dates = _quarters()
    tail = df[df["ds"] > dates[19]]
    nf = tail[["unique_id", "ds"]].assign(cutoff=dates[19], LSTM=tail["y"].to_numpy() + 1.5)
    if bands:
        nf = nf.assign(**{"LSTM-lo-80": nf["LSTM"] - 2.0, "LSTM-hi-80": nf["LSTM"] + 2.0})
    return nf, df


def test_one_cutoffs_single_model_with_intervals_is_named_by_its_column(tmp_path, capsys):
    """With its interval columns, the frame was scored as one forecast named "forecast"
    (its JSON a "summary" without the model), where the same frame without them was named
    LSTM: both are now a row of model LSTM at 1 cutoff, with the same numbers."""
    bare, df = _one_cutoff_lstm(False)
    banded, _ = _one_cutoff_lstm(True)
    plain, bands = score_forecast(bare, df), score_forecast(banded, df)
    for got in (plain, bands):
        assert got.summary["model"].tolist() == ["LSTM"]
        assert got.by_cutoff["model"].tolist() == ["LSTM"]
        assert got.summary["n_cutoffs"].tolist() == [1]
    shared = ["mae", "rmse", "mase", "rmsse", "bias"]
    np.testing.assert_allclose(bands.summary[shared], plain.summary[shared], rtol=RTOL)
    assert bands.summary["coverage80"].notna().all()
    banded.to_csv(tmp_path / "cv.csv", index=False)
    df.to_csv(tmp_path / "d.csv", index=False)
    assert main(["score", str(tmp_path / "cv.csv"), "--actuals", str(tmp_path / "d.csv"),
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [m["model"] for m in out["models"]] == ["LSTM"]


def test_a_model_picked_at_one_cutoff_is_named_by_its_column():
    """--model GRU of a one-cutoff frame, and a backtest's rows of one model with their
    model column, were named "forecast"; the numbers are those scored without the name."""
    bare, df = _one_cutoff_lstm(True)
    two = bare.assign(GRU=bare["LSTM"] + 1.0)
    gru = score_forecast(two, df, model="GRU")
    assert gru.summary["model"].tolist() == ["GRU"] and gru.by_cutoff["model"].tolist() == ["GRU"]
    ours = bare.rename(columns={"cutoff": "origin", "LSTM": "mean"})[
        ["unique_id", "origin", "ds", "mean"]]
    named = score_forecast(ours.assign(model="naive"), df)
    assert named.summary["model"].tolist() == ["naive"]
    unnamed = score_forecast(ours, df)  # (no model column: no name but "forecast")
    assert unnamed.summary["model"].tolist() == ["forecast"]
    pd.testing.assert_frame_equal(named.summary.drop(columns="model"),
                                  unnamed.summary.drop(columns="model"))


def _berlin_cutoffs():
    """Daily UTC actuals and a forecast at two cutoffs written at Berlin's midnight, one
    before daylight saving time (+01:00) and one after (+02:00), its dates in UTC."""
    rng = np.random.default_rng(7)
    days = pd.date_range("2020-03-01", periods=60, freq="D", tz="UTC")
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": days, "y": 10.0 + rng.random(60)})
                    for u in "ab"])
    fc = pd.DataFrame([{"unique_id": u, "cutoff": cut, "ds": days[k + s], "mean": 10.5}
                       for u in "ab" for k, cut in ((30, "2020-03-28 00:00:00+01:00"),
                                                    (40, "2020-04-10 00:00:00+02:00"))
                       for s in (1, 2)])
    return fc, df


def test_cutoffs_of_several_utc_offsets_beside_utc_dates_say_so_and_what_to_do(tmp_path,
                                                                                capsys):
    """They read as clock times without a zone (offsets dropped, as a zone's days are
    read), and were refused as cutoffs "without a time zone": the file's had offsets."""
    from rnnlab.io.errors import DataError

    fc, df = _berlin_cutoffs()
    with pytest.raises(DataError) as e:
        score_forecast(fc, df)
    said = str(e.value)
    assert "without a time zone" not in said
    assert "written with 2 UTC offsets (+01:00, +02:00" in said and "in UTC" in said
    assert "pd.to_datetime(fc['cutoff'], utc=True)" in said
    fixed = fc.assign(cutoff=pd.to_datetime(fc["cutoff"], utc=True))  # (as it says)
    got = score_forecast(fixed, df).by_cutoff
    assert got["cutoff"].dt.tz is not None and len(got) == 2
    fc.assign(ds=fc["ds"].astype(str)).to_csv(tmp_path / "f.csv", index=False)
    df.to_csv(tmp_path / "d.csv", index=False)
    assert main(["score", str(tmp_path / "f.csv"), "--actuals", str(tmp_path / "d.csv")]) != 0
    assert "written with 2 UTC offsets" in capsys.readouterr().err


def test_json_gives_a_cutoff_in_one_form_for_one_cutoff_as_for_several(tmp_path, capsys):
    """A file of one cutoff gave it as written (2014Q4), one of several as dates
    (2014-10-01): both now as the actuals' dates are written (quarters: 2014Q4, as
    `rnnlab backtest` names its origins); a label that is no date stays as written."""
    df, dates = _quarters()
    df.assign(ds=df["ds"].dt.to_period("Q").astype(str)).to_csv(tmp_path / "d.csv",
                                                                 index=False)
    rows = [{"unique_id": u, "cutoff": str(dates[c].to_period("Q")),
             "ds": str(dates[c + k].to_period("Q")), "mean": 20.0}
            for u in "ab" for c in (17, 19) for k in (1, 2)]
    several = pd.DataFrame(rows)
    one = several[several["cutoff"] == "2014Q4"]
    got = {}
    for name, fc in (("one", one), ("several", several)):
        fc.to_csv(tmp_path / f"{name}.csv", index=False)
        assert main(["score", str(tmp_path / f"{name}.csv"), "--actuals",
                     str(tmp_path / "d.csv"), "--json", "--by", "cutoff"]) == 0
        got[name] = json.loads(capsys.readouterr().out)["by_cutoff"]
    assert [r["cutoff"] for r in got["one"]] == ["2014Q4"]
    assert [r["cutoff"] for r in got["several"]] == ["2014Q2", "2014Q4"]
    assert got["one"][0]["mase"] == pytest.approx(got["several"][1]["mase"], rel=RTOL)
    label = score_forecast(one.assign(cutoff="fold 2"), tmp_path / "d.csv")
    assert label.by_cutoff["cutoff"].tolist() == ["fold 2"]


@pytest.mark.parametrize("name", ["origin", "cutoff"])
def test_accuracy_refuses_forecasts_without_an_origin_counting_and_naming_them(name):
    """Their rows were left out of the metrics without a word (a blank origin has no
    scale: series a's n 4 -> 2), where rnnlab score refuses blank cutoffs."""
    from rnnlab.io.errors import DataError
    from rnnlab.panel import accuracy

    df, dates = _quarters()
    fc = pd.DataFrame([{"unique_id": u, name: dates[c], "ds": dates[c + k], "mean": 20.0}
                       for u in "ab" for c in (15, 17) for k in (1, 2)])
    assert accuracy(fc, df)["n"].tolist() == [4, 4]
    fc.loc[[0, 1, 4], name] = None
    with pytest.raises(DataError, match=rf"accuracy: 3 of the 8 forecasts have no {name} "
                                        rf"\(a 2014-01-01, a 2014-04-01, b 2014-01-01\).*"
                                        rf"fill it in, or drop those rows"):
        accuracy(fc, df)
    kept = accuracy(fc.dropna(subset=[name]), df)  # (as it says: the rest are scored)
    assert kept["n"].tolist() == [2, 3]


def _two_models():
    """Two models' forecasts of series a's first three months, ets 1 2 3, naive 5 6 7."""
    dates = pd.date_range("2015-01-01", periods=3, freq="MS")
    return pd.concat([pd.DataFrame({"unique_id": "a", "ds": dates, "mean": base + np.arange(3.0),
                                    "model": m}) for m, base in (("ets", 1.0), ("naive", 5.0))],
                     ignore_index=True)


def test_nixtla_frame_refuses_rows_without_a_model():
    """A blank model's values had no column to go to: its row of naive's was left NaN (or
    dropped) without a word."""
    from rnnlab.io.errors import DataError
    from rnnlab.panel import nixtla_frame

    fc = _two_models()
    assert nixtla_frame(fc)["naive"].tolist() == [5.0, 6.0, 7.0]
    fc.loc[4, "model"] = None
    with pytest.raises(DataError, match=r"1 of the frame's 6 rows have no model .*series a "
                                        r"on 2015-02-01.*fillna\('LSTM'\)"):
        nixtla_frame(fc)
    with pytest.raises(DataError, match="have no model"):
        nixtla_frame(fc, name={"ets": "AutoETS"})


def test_nixtla_frame_keeps_one_cutoff_of_an_origin_equal_to_it_and_refuses_two_that_differ():
    """The rename of origin gave two 'cutoff' columns (pandas: "not unique")."""
    from rnnlab.io.errors import DataError
    from rnnlab.panel import nixtla_frame

    cut = pd.Timestamp("2014-12-01")
    fc = _two_models().assign(origin=cut, cutoff=cut)
    out = nixtla_frame(fc)
    assert list(out.columns) == ["unique_id", "ds", "cutoff", "ets", "naive"]
    assert (out["cutoff"] == cut).all() and out["naive"].tolist() == [5.0, 6.0, 7.0]
    fc.loc[1, "origin"] = pd.Timestamp("2014-11-01")
    with pytest.raises(DataError, match=r"both an 'origin' and a 'cutoff' column, which differ "
                                        r"on 1 rows \(series a on 2015-02-01: origin "
                                        r"2014-11-01, cutoff 2014-12-01\).*drop or rename"):
        nixtla_frame(fc)
