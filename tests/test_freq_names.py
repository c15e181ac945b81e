"""A calendar named by one pandas is read by another: pandas 2.2 renamed the period-end
and sub-daily aliases (M -> ME, H -> h, ...), pandas 3 refuses the old names and the
floor (pandas 2.0) the new ones; pandas < 2.2 also names quarter starts QS-OCT."""

import json

import numpy as np
import pandas as pd
import pytest

from rnnlab.data.dates import infer_period
from rnnlab.data.freq_names import quarter_start_named_as_pandas_2_2, this_pandas_freq
from rnnlab.data.series import load_series
from rnnlab.forecast import Forecaster

MONTH_END = pd.offsets.MonthEnd().freqstr  # 'M' before pandas 2.2, 'ME' since
OTHER_MONTH_END = {"M": "ME", "ME": "M"}[MONTH_END]


@pytest.mark.parametrize("old,new,offset", [
    ("M", "ME", pd.offsets.MonthEnd()),
    ("Q-DEC", "QE-DEC", pd.offsets.QuarterEnd(startingMonth=12)),
    ("A-DEC", "YE-DEC", pd.offsets.YearEnd(month=12)),
    ("AS-JAN", "YS-JAN", pd.offsets.YearBegin(month=1)),
    ("2H", "2h", pd.offsets.Hour(2)), ("30T", "30min", pd.offsets.Minute(30)),
    ("BQ-DEC", "BQE-DEC", pd.offsets.BQuarterEnd(startingMonth=12))])
def test_both_spellings_are_this_pandas_name_of_the_same_step(old, new, offset):
    assert this_pandas_freq(old) == this_pandas_freq(new) == offset.freqstr
    assert pd.date_range("2000-01-01", periods=4, freq=this_pandas_freq(old)).equals(
        pd.date_range("2000-01-01", periods=4, freq=offset))
    assert this_pandas_freq("MS") == "MS" and this_pandas_freq(None) is None
    assert this_pandas_freq("bogus") == "bogus"  # left for its reader to refuse


def test_quarter_starts_are_named_by_the_first_month_of_their_cycle():
    assert [quarter_start_named_as_pandas_2_2(f) for f in
            ("QS-OCT", "QS-NOV", "QS-DEC", "QS-JAN", "BQS-JUL", "Q-DEC", None)] == \
        ["QS-JAN", "QS-FEB", "QS-MAR", "QS-JAN", "BQS-JAN", "Q-DEC", None]
    for start in ("2000-01-01", "2000-10-01"):  # pandas 2.0 named both QS-OCT
        s = load_series(pd.Series(np.arange(12.0), pd.date_range(start, periods=12,
                                                                 freq="QS-JAN")))
        assert s.freq == "QS-JAN" and infer_period(s.freq) == 4


def test_semi_month_end_has_a_period_under_both_names():
    assert infer_period("SM-15") == infer_period("SME-15") == 24  # SM-15 was None


def test_a_forecaster_saved_with_the_other_pandas_month_end_name_loads(tmp_path):
    """A model saved under pandas 2.0 ('M') read under pandas 3, or saved under pandas 3
    ('ME') read under 2.0: before, "the saved series is damaged: frequency 'ME' is not a
    pandas frequency"."""
    idx = pd.date_range("2000-01-31", periods=40, freq=pd.offsets.MonthEnd())
    y = pd.Series(10 + np.sin(np.arange(40) * 2 * np.pi / 12), idx)
    f = Forecaster(model="gru", hidden_size=4, epochs=1, ensemble=1, progress=False,
                   lookback=6, horizon=3).fit(y)
    assert f.series.freq == MONTH_END
    f.save(tmp_path / "m")
    path = tmp_path / "m" / "model.json"
    meta = json.loads(path.read_text())
    meta["extra"]["series"]["freq"] = OTHER_MONTH_END
    del meta["_sha256"]  # as if written by the other pandas' rnnlab
    path.write_text(json.dumps(meta))
    g = Forecaster.load(tmp_path / "m")
    assert g.series.freq == MONTH_END
    p = g.predict(3)
    assert list(p.index) == list(pd.date_range("2003-05-31", periods=3, freq=pd.offsets.MonthEnd()))
    assert np.array_equal(p.values, f.predict(3).values)
    assert len(g.predict(3, history=y).index) == 3  # the fitted calendar equals the new data's


def test_a_panel_model_saved_with_the_other_pandas_month_end_name_predicts_its_dates(tmp_path):
    from rnnlab.panel import GlobalForecaster

    ds = pd.date_range("2000-01-31", periods=30, freq=pd.offsets.MonthEnd())
    panel = pd.concat([pd.DataFrame({"unique_id": u, "ds": ds, "y": k + np.sin(np.arange(30.0))})
                       for k, u in enumerate(["a", "b"])])
    f = GlobalForecaster("gru", lookback=6, horizon=3, hidden_size=4, head_size=8, batch_size=8,
                         batches_per_epoch=1, epochs=1).fit(panel)
    f.save(tmp_path / "m")
    path = tmp_path / "m" / "model.json"
    meta = json.loads(path.read_text())
    assert meta["extra"]["features"]["freq"] == MONTH_END
    meta["extra"]["features"]["freq"] = OTHER_MONTH_END
    meta.pop("_sha256", None)  # as if written by the other pandas' rnnlab
    path.write_text(json.dumps(meta))
    got = GlobalForecaster.load(tmp_path / "m").predict(3)  # was: Invalid frequency
    want = pd.date_range("2002-07-31", periods=3, freq=pd.offsets.MonthEnd())
    assert list(got[got["unique_id"] == "a"]["ds"]) == list(want)
