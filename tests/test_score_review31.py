"""Review of session 31's scoring leftovers: what the refusals advise leads to a score,
and the cases beside the ones it mended."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from test_score_leftovers31 import _one_cutoff_lstm, _quarters


@pytest.mark.parametrize("name", ["origin", "cutoff"])
def test_accuracy_of_an_empty_origin_column_says_to_drop_the_column(name):
    """Every forecast without its origin: dropping those rows (as it said) left none, and
    the next refusal was "none of the forecasts' series () is in the data"."""
    from rnnlab.panel import accuracy

    df, dates = _quarters()
    fc = pd.DataFrame([{"unique_id": u, name: None, "ds": dates[c + k], "mean": 20.0}
                       for u in "ab" for c in (15, 17) for k in (1, 2)])
    with pytest.raises(DataError, match=rf"8 of the 8 forecasts have no {name} .*fill it "
                                        rf"in, or drop the column \(fc.drop\(columns="
                                        rf"'{name}'\)\)") as e:
        accuracy(fc, df)
    assert "dropna" not in str(e.value)
    got = accuracy(fc.drop(columns=name), df)  # (as it says)
    assert got["n"].tolist() == [4, 4] and got["mase"].notna().all()


def test_an_empty_cutoff_column_is_scored_as_none(tmp_path):
    """A cutoff column blank on every row (a CSV's empty column) names no cutoff: ours
    (mean) was scored as without it, NeuralForecast's columns refused, saying to fill it
    in "or drop those rows" (every row; with its intervals it was scored before)."""
    from rnnlab.forecast.scoring import score_forecast

    nf, df = _one_cutoff_lstm(True)
    blank = nf.assign(cutoff=np.nan)
    got = score_forecast(blank, df)
    want = score_forecast(nf.drop(columns="cutoff"), df)
    assert got.summary["model"].tolist() == want.summary["model"].tolist() == ["LSTM"]
    pd.testing.assert_frame_equal(got.summary, want.summary)
    blank.to_csv(tmp_path / "f.csv", index=False)  # (read back: an empty column)
    pd.testing.assert_frame_equal(score_forecast(tmp_path / "f.csv", df).summary,
                                  want.summary)
    ours = blank.rename(columns={"LSTM": "mean"})[["unique_id", "ds", "cutoff", "mean"]]
    np.testing.assert_allclose(score_forecast(ours, df).summary["mase"], got.summary["mase"])
    # the point column alone: as without the column, --model names it (not "drop the rows")
    bare = blank.drop(columns=["LSTM-lo-80", "LSTM-hi-80"])
    with pytest.raises(DataError, match=r"--model LSTM") as e:
        score_forecast(bare, df)
    assert "drop those rows" not in str(e.value)
    np.testing.assert_allclose(score_forecast(bare, df, model="LSTM").summary["mase"],
                               got.summary["mase"])


def test_telling_dates_with_utc_offsets_warns_nothing():
    """pandas warned "This pattern is interpreted as a regular expression, and has match
    groups" at each call (the scoring of cutoffs silenced every warning around it)."""
    import warnings

    from rnnlab.data.date_forms import with_offsets

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert with_offsets(pd.Series(["2020-03-28 00:00:00+01:00", "2020-04-10T00:00Z"]))
        assert not with_offsets(pd.Series(["2020-03-28 00:00:00", "2020-04-10"]))


def _berlin(cuts, h=3):
    """Daily actuals of Berlin's days across March 2020's change of daylight saving time,
    written as pandas writes them (each with its offset, +01:00 then +02:00), and a
    forecast of ``h`` days from each cutoff (day numbers), written so too."""
    rng = np.random.default_rng(5)
    days = pd.date_range("2020-03-01", periods=60, freq="D", tz="Europe/Berlin")
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": days.astype(str),
                                  "y": 10.0 + rng.random(60)}) for u in "ab"])
    fc = pd.DataFrame([{"unique_id": u, "cutoff": str(days[k]), "ds": str(days[k + s]),
                        "mean": 10.5 + s / 10} for u in "ab" for k in cuts
                       for s in range(1, h + 1)])
    return fc, df


def _clock(frame, *cols):
    """``frame`` with ``cols`` written as clock times, without their offsets."""
    return frame.assign(**{c: frame[c].str[:19] for c in cols})


@pytest.mark.parametrize("cuts", [[26], [20, 26]])
def test_cutoffs_of_one_offset_beside_dates_across_daylight_saving_are_their_clock_times(
        cuts):
    """A forecast from before the change (NeuralForecast's n_windows=1 of a Berlin frame):
    its dates, of two offsets, read as the days they name, its cutoff, of one, was read in
    UTC+01:00 and refused as "in UTC+01:00" beside dates "without a time zone" (the file's
    had offsets) and told to write both "with their UTC offset", as they were."""
    from rnnlab.forecast.scoring import score_forecast

    fc, df = _berlin(cuts)
    got = score_forecast(fc, df)
    want = score_forecast(_clock(fc, "cutoff", "ds"), _clock(df, "ds"))
    pd.testing.assert_frame_equal(got.summary, want.summary)
    pd.testing.assert_frame_equal(got.by_cutoff, want.by_cutoff)
    assert [str(c.date()) for c in got.by_cutoff["cutoff"]] == [
        f"2020-03-{k + 1:02d}" for k in cuts]


def test_a_cutoff_of_an_offset_none_of_the_dates_has_is_refused_naming_both():
    """A cutoff in UTC beside dates of Berlin's two offsets: which of its days it names is
    not known; the refusal said the dates were "without a time zone"."""
    from rnnlab.forecast.scoring import score_forecast

    fc, df = _berlin([26])
    utc = fc.assign(cutoff=pd.to_datetime(fc["cutoff"], utc=True).astype(str))
    with pytest.raises(DataError) as e:
        score_forecast(utc, df)
    said = str(e.value)
    assert "without a time zone" not in said
    assert "dates are written with 2 UTC offsets (+01:00, +02:00" in said
    assert "cutoffs with +00:00, 23:00:00, which none of the dates has" in said


@pytest.mark.parametrize("side", ["cutoff", "ds"])
def test_a_zone_beside_none_says_nothing_of_offsets_the_file_has_not(side):
    """Cutoffs written without an offset beside dates in UTC (or the other way round)
    were told "(cutoffs of several offsets are read without one)": they had none."""
    from rnnlab.forecast.scoring import score_forecast

    fc, df = _berlin([20, 26])
    fc, df = _clock(fc, "cutoff", "ds"), _clock(df, "ds")
    fc[side] = pd.to_datetime(fc[side]).dt.tz_localize("UTC").astype(str)
    if side == "ds":
        df = df.assign(ds=pd.to_datetime(df["ds"]).dt.tz_localize("UTC"))
    with pytest.raises(DataError, match=r"without a time zone .* in UTC|in UTC .* without a "
                                        r"time zone") as e:
        score_forecast(fc, df)
    assert "offsets are read" not in str(e.value)


def _two_origins_of_x():
    """Model x's forecasts of series a and b from two origins, two quarters each."""
    df, dates = _quarters()
    fc = pd.DataFrame([{"unique_id": u, "origin": dates[c], "ds": dates[c + k],
                        "mean": 20.0 + k, "model": "x"}
                       for u in "ab" for c in (15, 17) for k in (1, 2)])
    return fc, df


@pytest.mark.parametrize("origins", [2, 1, 0])
def test_score_refuses_forecast_rows_without_a_model(origins, tmp_path):
    """Rows whose model is blank beside model x's were left out (several cutoffs: 6 of 8
    scored), scored as x's (one cutoff, none), or all blank named "nan" (one cutoff) or
    pandas' "No objects to concatenate" (several), without a word; nixtla_frame refuses
    them so."""
    from rnnlab.cli import main
    from rnnlab.forecast.scoring import score_forecast

    fc, df = _two_origins_of_x()
    if origins < 2:
        fc = fc[fc["origin"] == fc["origin"].max()].reset_index(drop=True)
    if origins == 0:
        fc = fc.drop(columns="origin")
    some = fc.copy()
    some.loc[[0, 3], "model"] = np.nan
    with pytest.raises(DataError, match=r"2 of the forecast's \d rows have no model \(a "
                                        r"blank 'model': series a on 20\d\d-\d\d-01\).*"
                                        r"or drop them \(fc.dropna\(subset=\['model'\]\)\)"):
        score_forecast(some, df)
    with pytest.raises(DataError, match=r"drop the column \(fc.drop\(columns='model'\)\)"):
        score_forecast(fc.assign(model=np.nan), df)
    want = score_forecast(fc[~fc.index.isin([0, 3])], df).summary
    pd.testing.assert_frame_equal(score_forecast(some, df, model="x").summary, want)
    some.to_csv(tmp_path / "f.csv", index=False)
    df.to_csv(tmp_path / "d.csv", index=False)
    assert main(["score", str(tmp_path / "f.csv"), "--actuals", str(tmp_path / "d.csv")]) != 0


def test_accuracy_refuses_forecast_rows_without_a_model():
    """They were left out of the metrics per model (series a's n 4 -> 3), all of them an
    empty frame, without a word."""
    from rnnlab.panel import accuracy

    fc, df = _two_origins_of_x()
    some = fc.copy()
    some.loc[[0, 5], "model"] = np.nan
    with pytest.raises(DataError, match=r"accuracy: 2 of the forecasts' 8 rows have no model "
                                        r"\(a blank 'model': series a on 2014-01-01\)"):
        accuracy(some, df)
    with pytest.raises(DataError, match=r"drop the column"):
        accuracy(fc.assign(model=None), df, by=("model",))
    by_series = accuracy(some, df, by=("unique_id",))  # (no model in by: all rows scored)
    assert by_series["n"].tolist() == [4, 4]
    assert accuracy(some.dropna(subset=["model"]), df)["n"].tolist() == [3, 3]


def test_a_cutoff_at_another_time_of_day_than_the_dates_is_refused():
    """London's days across October's change (+01:00, then +00:00) and a cutoff written in
    UTC, at 23:00 (the summer's midnight): its offset is one of the dates', its clock time
    no day's of theirs; read as 23:00 it would scale by a day too few."""
    from rnnlab.forecast.scoring import score_forecast

    days = pd.date_range("2020-09-01", periods=80, freq="D", tz="Europe/London")
    rng = np.random.default_rng(3)
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": days.astype(str),
                                  "y": 10.0 + rng.random(80)}) for u in "ab"])
    fc = pd.DataFrame([{"unique_id": u, "cutoff": str(days[49].tz_convert("UTC")),
                        "ds": str(days[49 + s]), "mean": 10.5} for u in "ab"
                       for s in range(1, 9)])
    assert fc["cutoff"].iloc[0] == "2020-10-19 23:00:00+00:00"
    with pytest.raises(DataError, match=r"cutoffs with 23:00:00, which none of the dates has"):
        score_forecast(fc, df)
    ok = score_forecast(fc.assign(cutoff=str(days[49])), df)  # (as the dates are: +01:00)
    assert [str(c.date()) for c in ok.by_cutoff["cutoff"]] == ["2020-10-20"]
