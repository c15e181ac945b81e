"""A keyed panel's forecast (State, Zone beside ``unique_id``, as ``--id-column State,Zone``
runs write it) scored against the table it was made from, which has the keys and no
``unique_id``: ``rnnlab score`` needed ``--id-column State,Zone`` although the forecast
names them ("panel: no id column"), and a forecast of the keys alone (its unique_id dropped,
a fable frame) was refused ("the forecast has columns State, Zone, ds, ...")."""

import json

import numpy as np
import pandas as pd
import pytest

from rnnlab.cli import main
from rnnlab.forecast.scoring import score_forecast
from rnnlab.io.errors import DataError


def _tourism(n=20):
    q = pd.period_range("2000Q1", periods=n, freq="Q")
    t = np.arange(n, dtype=np.float64)
    return pd.concat([pd.DataFrame({"State": s, "Zone": z, "Quarter": q.astype(str),
                                    "Trips": 50 + i * 7 + t + 4 * np.sin(np.pi * t / 2)})
                      for i, (s, z) in enumerate([("NSW", "Metro"), ("NSW", "North"),
                                                  ("VIC", "Metro")])], ignore_index=True)


def _forecast(actuals, last=2, shift=1.0, with_id=True):
    """The last ``last`` quarters of each series as a keyed run writes its forecasts.csv."""
    fc = actuals.groupby(["State", "Zone"]).tail(last)
    out = pd.DataFrame({"unique_id": fc.State + "/" + fc.Zone, "State": fc.State,
                        "Zone": fc.Zone, "ds": fc.Quarter.str.replace(" ", ""),
                        "step": np.tile(np.arange(1, last + 1), 3),
                        "mean": fc.Trips + shift, "q0.1": fc.Trips - 2, "q0.9": fc.Trips + 2})
    return out if with_id else out.drop(columns="unique_id")


def test_a_keyed_forecast_is_scored_against_the_keyed_actuals_without_id_column(tmp_path,
                                                                                capsys):
    ys = _tourism()
    ys.to_csv(tmp_path / "a.csv", index=False)
    _forecast(ys).to_csv(tmp_path / "fc.csv", index=False)
    assert main(["score", str(tmp_path / "fc.csv"), "--actuals", str(tmp_path / "a.csv"),
                 "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["summary"]["n_forecasts"] == 6 and got["summary"]["mae"] == pytest.approx(1.0)
    assert [(r["unique_id"], r["State"], r["Zone"]) for r in got["per_series"]] == [
        ("NSW/Metro", "NSW", "Metro"), ("NSW/North", "NSW", "North"),
        ("VIC/Metro", "VIC", "Metro")]


def test_a_forecast_of_the_keys_alone_is_read_by_them(tmp_path):
    ys = _tourism()
    fc = _forecast(ys, with_id=False)
    fc.to_csv(tmp_path / "fc.csv", index=False)
    for given in (fc, tmp_path / "fc.csv"):
        s = score_forecast(given, ys)
        assert s.keys == ("State", "Zone") and s.summary.n_forecasts.iloc[0] == 6
        assert list(s.rows.columns[:3]) == ["unique_id", "State", "Zone"]
        np.testing.assert_allclose(s.rows["error"], 1.0)
    named = score_forecast(fc, ys, id_column="State,Zone")  # (as before: named, the same)
    assert named.summary.n_forecasts.iloc[0] == 6


def test_keys_that_do_not_join_to_the_forecasts_ids_are_not_read_as_them(tmp_path):
    """A text column beside unique_id that is no key of it (a region) is not taken for
    one: the actuals without an id are refused as before, naming --id-column."""
    ys = _tourism()
    fc = _forecast(ys).drop(columns="Zone").rename(columns={"State": "region"})
    with pytest.raises(DataError, match="no id column"):
        score_forecast(fc, ys.rename(columns={"State": "region"}).drop(columns="Zone"))


def test_zero_padded_key_codes_of_a_forecast_file_are_read_as_written(tmp_path):
    ys = _tourism().replace({"NSW": "007", "VIC": "012"})
    fc = _forecast(ys, with_id=False)
    fc.to_csv(tmp_path / "fc.csv", index=False)
    ys.to_csv(tmp_path / "a.csv", index=False)
    s = score_forecast(tmp_path / "fc.csv", tmp_path / "a.csv")
    assert sorted(s.per_series["unique_id"]) == ["007/Metro", "007/North", "012/Metro"]
