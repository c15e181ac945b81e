"""Calendar-aligned backtest origins (align='date', the default): every series cut at the
same dates, so no model fitted at an origin sees another series' values dated after it.
Was: origins counted from each series' own end, a cross-series look-ahead where the ends
differ (poisoning values after one origin date moved another series' forecasts)."""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from typing import Optional, Tuple

import numpy as np
import pandas as pd
import pytest

from rnnlab.cli import main
from rnnlab.panel import read_panel
from rnnlab.panel.backtest import backtest

TINY = dict(hidden_size=4, head_size=8, batch_size=16, batches_per_epoch=2, epochs=1, seed=3,
            transform="none", difference="none", calibrate="none", progress=False)
KEY = ["model", "unique_id", "origin", "step"]


def ragged(ends=(48, 48, 44), start_shift=(0, 3, 0), seed=0) -> pd.DataFrame:
    """Monthly series of about level 20; series i has ``ends[i]`` months from Jan 2016
    (its first ``start_shift[i]`` missing)."""
    rng = np.random.default_rng(seed)
    ds = pd.date_range("2016-01-01", periods=max(ends), freq="MS")
    rows = []
    for i, (n, s) in enumerate(zip(ends, start_shift)):
        t = np.arange(s, n)
        y = 20 + 3 * np.sin(2 * np.pi * t / 12 + i) + rng.normal(0, 0.5, len(t))
        rows.append(pd.DataFrame({"unique_id": f"s{i}", "ds": ds[t], "y": y}))
    return pd.concat(rows, ignore_index=True)


def quiet_backtest(*a, **k):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return backtest(*a, **k)


def _global(**over):
    from rnnlab.panel.model import GlobalForecaster

    return lambda: GlobalForecaster("gru", lookback=6, horizon=3, **{**TINY, **over})


@pytest.mark.parametrize("refit", [1, "never"])
def test_poisoning_other_series_after_an_origin_leaves_its_forecast_unchanged(refit):
    """s2 ends 4 months before s0 and s1. At each origin, values of s0 and s1 dated after
    it, poisoned, change none of s2's forecasts made there or before (fitted at each origin,
    or fitted once and predicting from the history up to it). Before: origins were counted
    from each series' end, so the model fitted at s2's first origin (2018-11) had read s0's
    and s1's values up to 2019-03 (align='end' still does: its forecasts move)."""
    df = ragged()
    kw = dict(horizon=3, first_origin=9, stride=3, refit=refit, baselines=())
    base = quiet_backtest(_global(), read_panel(df), **kw)
    assert base.align == "date"
    origins = sorted(pd.unique(base.forecasts["origin"]))
    assert [str(pd.Timestamp(d).date()) for d in origins] == [
        "2019-03-01", "2019-06-01", "2019-09-01"]

    def poisoned(after):
        bad = df.copy()
        bad.loc[(bad["unique_id"] != "s2") & (bad["ds"] > after), "y"] = 1e4
        return read_panel(bad)

    def s2_upto(f, d):
        return f[(f["unique_id"] == "s2") & (f["origin"] <= d)].sort_values(KEY)

    for d in origins[:2]:  # (s2 has no value after the last one)
        got = quiet_backtest(_global(), poisoned(d), **kw).forecasts
        a, b = s2_upto(base.forecasts, d), s2_upto(got, d)
        assert len(a) > 0 and len(a) == len(b)
        np.testing.assert_array_equal(a["mean"].to_numpy(), b["mean"].to_numpy())
        np.testing.assert_array_equal(a["q0.9"].to_numpy(), b["q0.9"].to_numpy())
    # the test can fail: the old origins do see the poison
    first = pd.Timestamp("2018-11-01")  # s2's first origin counted from its own end
    old = quiet_backtest(_global(), read_panel(df), align="end", **kw).forecasts
    old_bad = quiet_backtest(_global(), poisoned(first), align="end", **kw).forecasts
    a, b = s2_upto(old, first), s2_upto(old_bad, first)
    assert len(a) == 3 and not np.array_equal(a["mean"].to_numpy(), b["mean"].to_numpy())


class Recorder:
    """Last value forward; records the last date of each series it was fitted on, and of
    each it forecast from (once per origin)."""

    name = "rec"
    fits, views = [], []

    def __init__(self):
        self.quantiles = (0.1, 0.5, 0.9)

    def fit(self, panel, static=None):
        Recorder.fits.append(panel.df.groupby("unique_id")["ds"].max())
        self.panel = panel
        return self

    def predict(self, horizon, future=None, history=None):
        panel = history if history is not None else self.panel
        Recorder.views.append(panel.df.groupby("unique_id")["ds"].max())
        rows = []
        for uid, g in panel.df.groupby("unique_id", sort=False):
            ds = pd.date_range(g["ds"].iloc[-1], periods=horizon + 1, freq="MS")[1:]
            v = float(g["y"].iloc[-1])
            rows.append(pd.DataFrame({"unique_id": uid, "ds": ds, "step": np.arange(1, horizon + 1),
                                      "mean": v, "q0.1": v - 1, "q0.5": v, "q0.9": v + 1}))
        return pd.concat(rows, ignore_index=True)


@pytest.mark.parametrize("refit", [1, "never"])
def test_no_model_sees_any_series_after_the_origin_date(refit):
    Recorder.fits, Recorder.views = [], []
    panel = read_panel(ragged())
    res = quiet_backtest(Recorder, panel, horizon=3, first_origin=9, stride=3, refit=refit)
    dates = [pd.Timestamp(d) for d in ("2019-03-01", "2019-06-01", "2019-09-01")]
    assert res.origin_dates == dates and res.offsets == [9, 6, 3]
    assert len(Recorder.fits) == (3 if refit == 1 else 1) and len(Recorder.views) == 3
    for fitted, d in zip(Recorder.fits, dates):
        assert (fitted <= d).all() and fitted["s0"] == fitted["s1"] == d  # (cut at the date)
    if refit == 1:  # fitted at the last origin on all s2 has before it
        assert Recorder.fits[-1]["s2"] == pd.Timestamp("2019-08-01")
    for view, d in zip(Recorder.views, dates):
        assert (view <= d).all() and view["s0"] == view["s1"] == d
    # s2, with no value after the last origin, is not forecast there (the model took
    # history=: it forecasts the series scored)
    assert "s2" not in Recorder.views[-1].index


def test_a_series_ending_early_is_scored_on_what_it_has_and_said():
    panel = read_panel(ragged())
    with pytest.warns(UserWarning, match=r"align='date': 1 series ends before an origin or "
                                         r"less than a horizon \(3\) after it, so is scored "
                                         r".*: s2 \(2 after 2019-06-01, 0 after 2019-09-01\)"):
        res = backtest(Recorder, panel, horizon=3, first_origin=9, stride=3,
                       baselines=("naive",))
    fc = res.forecasts
    n = fc[fc["model"] == "model"].groupby(["unique_id", "origin"]).size()
    assert n["s0"].tolist() == n["s1"].tolist() == [3, 3, 3]
    assert n["s2"].to_dict() == {pd.Timestamp("2019-03-01"): 3, pd.Timestamp("2019-06-01"): 2}
    # every row's date is its step after the common origin, with the data's value there
    assert ((fc["ds"] - fc["origin"]).dt.days > 0).all()
    months = (fc["ds"].dt.year - fc["origin"].dt.year) * 12 + fc["ds"].dt.month \
        - fc["origin"].dt.month
    np.testing.assert_array_equal(months.to_numpy(), fc["step"].to_numpy())
    truth = panel.df.set_index(["unique_id", "ds"])["y"]
    np.testing.assert_array_equal(fc["y"].to_numpy(),
                                  truth.loc[list(zip(fc["unique_id"], fc["ds"]))].to_numpy())


class FutureReader(Recorder):
    """Reads the future covariate over the whole horizon of each series it forecasts."""

    future_covariates = ("x",)

    def predict(self, horizon, future=None, history=None):
        out = super().predict(horizon, future, history)
        got = future.groupby("unique_id").size()
        asked = set(out["unique_id"])
        assert set(got.index) == asked and (got == horizon).all(), (got, asked)
        return out


def test_a_model_reading_future_covariates_is_not_asked_for_a_short_series():
    df = ragged().assign(x=1.0)
    res = quiet_backtest(FutureReader, read_panel(df), horizon=3, first_origin=9, stride=3,
                         refit="never")
    n = res.forecasts.groupby(["unique_id", "origin"]).size()
    assert set(n["s2"].index) == {pd.Timestamp("2019-03-01")}  # (2 values after 2019-06)
    assert (n == 3).all()


@pytest.mark.parametrize("model", ["drift", "global"])
def test_a_common_end_gives_the_very_same_frames(model):
    """Every series ends 2019-12 (they start apart): the dates' cuts are each series' own,
    and the forecasts are bit-identical to the origins counted from each end (the code
    path of rnnlab before align=)."""
    panel = read_panel(ragged(ends=(48, 48, 48), start_shift=(0, 5, 9)))
    make = _global() if model == "global" else Recorder
    kw = dict(horizon=3, first_origin=9, stride=3, refit="never", baselines=("naive",))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (no note: nothing is left unscored)
        by_date = backtest(make, panel, **kw)
        default = backtest(make, panel, **{**kw, "refit": "never"})
    by_end = backtest(make, panel, align="end", **kw)
    pd.testing.assert_frame_equal(by_date.forecasts, by_end.forecasts, check_exact=True)
    pd.testing.assert_frame_equal(default.forecasts, by_end.forecasts, check_exact=True)
    assert by_date.align == "date" and by_end.align == "end"
    assert by_date.summary().drop(columns="seconds").equals(
        by_end.summary().drop(columns="seconds"))


def test_the_result_says_which_origins_ran(tmp_path):
    panel = read_panel(ragged())
    res = quiet_backtest(None, panel, horizon=3, first_origin=9, stride=3, baselines=("naive",))
    said = ("origins 2019-03-01, 2019-06-01, 2019-09-01 (9, 6, 3 steps before the panel's "
            "last date; every series cut at each, align='date')")
    assert res.origins_said() == said and said in repr(res)
    end = quiet_backtest(None, panel, horizon=3, first_origin=9, stride=3, baselines=("naive",),
                         align="end")
    assert end.origins_said() == "origins 9, 6, 3 steps before each series' end (align='end')"
    res.save(tmp_path / "bt")
    summary = json.loads((tmp_path / "bt" / "summary.json").read_text())
    assert summary["align"] == "date" and summary["origins"] == said
    assert summary["origin_dates"] == ["2019-03-01", "2019-06-01", "2019-09-01"]
    assert summary["origins_before_end"] == [9, 6, 3]


def test_integer_steps_are_aligned_and_said_as_steps():
    df = ragged().assign(ds=lambda d: d.groupby("unique_id").cumcount() + 1)
    df.loc[df["unique_id"] == "s1", "ds"] += 10  # s1 runs later on the shared axis
    res = quiet_backtest(None, read_panel(df), horizon=3, first_origin=6, stride=3,
                         baselines=("naive",))
    assert res.align == "date"
    assert res.origins_said().startswith("origins 49, 52 (6, 3 steps")
    fc = res.forecasts  # (s1 runs to 55; s0 and s2 end at 48 and 44, before the origins)
    assert fc["origin"].isin([49, 52]).all() and set(fc["unique_id"]) == {"s1"}


@dataclass(frozen=True)
class Panel:  # a PanelFrame-like panel (no ds_period)
    df: pd.DataFrame
    freq: str
    period: Optional[int]
    ids: Tuple[str, ...]


def test_dates_off_one_grid_fall_back_to_each_end_said_and_align_is_checked():
    days = pd.date_range("2020-01-01", periods=40, freq="2D")
    df = pd.concat([pd.DataFrame({"unique_id": "a", "ds": days, "y": np.arange(40.0)}),
                    pd.DataFrame({"unique_id": "b", "ds": days[:30] + pd.Timedelta(days=1),
                                  "y": np.arange(30.0)})], ignore_index=True)
    panel = Panel(df, "2D", None, ("a", "b"))
    with pytest.warns(UserWarning, match="do not lie on one '2D' grid.*align='end'"):
        res = backtest(None, panel, horizon=2, first_origin=4, baselines=("naive",))
    assert res.align == "end"
    with pytest.raises(ValueError, match="align='date': .*pass align='end'"):
        backtest(None, panel, horizon=2, first_origin=4, baselines=("naive",), align="date")
    with pytest.raises(ValueError, match="align must be 'date'.*got 'dates'"):
        backtest(None, panel, horizon=2, baselines=("naive",), align="dates")


def test_global_forecaster_backtest_takes_align():
    from rnnlab.panel.model import GlobalForecaster

    f = GlobalForecaster("gru", lookback=6, horizon=3, **TINY)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = f.backtest(read_panel(ragged()), first_origin=6, baselines=("naive",),
                         align="end")
    assert res.align == "end" and res.offsets == [6, 3]


def test_cli_align_option_and_its_line(tmp_path, capsys):
    data = tmp_path / "p.csv"
    ragged().to_csv(data, index=False)
    base = ["backtest", "--data", str(data), "--model", "naive", "--baselines", "none",
            "--horizon", "3", "--first-origin", "6", "--plot-series", "0"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(base + ["--out", str(tmp_path / "d")]) == 0
        out = capsys.readouterr().out
        assert main(base + ["--align", "end", "--out", str(tmp_path / "e")]) == 0
        out_end = capsys.readouterr().out
    assert "origins 2019-06-01, 2019-09-01 (6, 3 steps before the panel's last date; every " \
           "series cut at each, align='date')" in " ".join(out.split())  # (wrapped at 80)
    assert "origins 6, 3 steps before each series' end (align='end')" in out_end
    d = json.loads((tmp_path / "d" / "summary.json").read_text())
    e = json.loads((tmp_path / "e" / "summary.json").read_text())
    assert d["align"] == "date" and e["align"] == "end" and "origin_dates" not in e
    fd = pd.read_csv(tmp_path / "d" / "forecasts.csv")
    fe = pd.read_csv(tmp_path / "e" / "forecasts.csv")
    assert set(fd["origin"]) == {"2019-06-01", "2019-09-01"}
    assert set(fd.loc[fd["unique_id"] == "s2", "origin"]) == {"2019-06-01"}
    assert set(fe.loc[fe["unique_id"] == "s2", "origin"]) == {"2019-02-01", "2019-05-01"}
    assert main(base + ["--align", "dates", "--out", str(tmp_path / "x")]) == 2


def test_global_forecaster_fit_stopped_names_no_checkpoint_dir(monkeypatch):
    """Was: "this training keeps no checkpoints (checkpoint_dir=None), so it starts again
    from the beginning": the loop's words; GlobalForecaster.fit's own now, which take a
    checkpoint_dir since session 27."""
    from test_interrupt19 import stop_at_first_step

    from rnnlab.panel.model import GlobalForecaster
    from rnnlab.train.stops import TrainingInterrupted

    stop_at_first_step(monkeypatch)
    with pytest.raises(TrainingInterrupted) as stop:
        GlobalForecaster("gru", lookback=6, horizon=3, **TINY).fit(read_panel(ragged()))
    said = str(stop.value)
    assert "checkpoint_dir=None" not in said and stop.value.exit_code == 130
    assert said == ("stopped by a signal at epoch 1, step 1; GlobalForecaster.fit was given no "
                    "checkpoint_dir, so nothing is kept: call it again to train from the "
                    "beginning (with checkpoint_dir=DIR, a fit stopped later goes on with "
                    "resume=True)")


def test_a_panel_forecast_of_series_ending_on_other_dates_says_its_scores_look_ahead(tmp_path):
    """`rnnlab forecast` on a panel holds out each series' own last horizon (documented),
    so where the ends differ the model it scores read other series' values dated inside a
    held-out part: said once, naming the early series; nothing said for a common end."""
    base = ["forecast", "--model", "naive", "--horizon", "3"]
    for name, frame, said in (("ragged", ragged(), True),
                              ("common", ragged(ends=(48, 48, 48)), False)):
        data = tmp_path / f"{name}.csv"
        frame.to_csv(data, index=False)
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            assert main(base + ["--data", str(data), "--out", str(tmp_path / name)]) == 0
        notes = [str(w.message) for w in seen if "cross-series look-ahead" in str(w.message)]
        if said:
            assert len(notes) == 1 and notes[0].startswith(
                "1 of 3 series end before the panel's last date (s2); rnnlab forecast holds "
                "out each series' own last 3 values"), notes
            assert "rnnlab backtest --align date" in notes[0]
        else:
            assert notes == []
