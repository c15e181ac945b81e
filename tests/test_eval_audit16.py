"""Session 16's audit of the reported numbers: metrics against independent computations,
held-out values that must not reach anything fitted, backtest windows, reports."""

import warnings

import numpy as np
import pandas as pd
import pytest

from forecast_series import seasonal
from rnnlab.io.errors import DataError

TINY = dict(model="gru", hidden_size=4, epochs=2, ensemble=1, patience=None)


def _fit(values, index, **settings):
    from rnnlab.forecast import Forecaster

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Forecaster(**{**TINY, **settings}).fit(pd.Series(values, index=index))


def _fitted_state(f) -> dict:
    """What a fit produced from the training part: the pipeline, the choice, the weights,
    and the forecast from the training part's end."""
    return {"pipeline": f.pipeline.to_dict(), "choice": f.choice,
            "weights": [v.clone() for v in f.net.state_dict().values()],
            "forecast": f.forecast_from(f.series.values[:f.n_train], f.config.horizon),
            "train": f.series.values[:f.n_train].copy()}


def _same(a: dict, b: dict) -> None:
    assert a["pipeline"] == b["pipeline"]
    assert a["choice"] == b["choice"]
    assert all(bool((x == y).all()) for x, y in zip(a["weights"], b["weights"]))
    np.testing.assert_array_equal(a["train"], b["train"])
    np.testing.assert_array_equal(a["forecast"], b["forecast"])


# --------------------------------------------------------------- held-out values


def test_a_huge_test_part_changes_nothing_fitted():
    s = seasonal(72)
    alt = s.to_numpy().copy()
    alt[-12:] = 1e6
    _same(_fitted_state(_fit(s.to_numpy(), s.index)), _fitted_state(_fit(alt, s.index)))


def test_auto_transform_is_not_chosen_by_the_test_part():
    """transform='auto' ("log when every training value is > 0") turned the log off when a
    held-out value was 0: the test part chose the model (airline: its forecast of the test
    part moved by 44 passengers). Refused now, naming transform='none'."""
    s = seasonal(72)
    alt = s.to_numpy().copy()
    alt[-1] = 0.0
    with pytest.raises(DataError, match=r"test part.*transform='none'"):
        _fit(alt, s.index)
    # with the transform said, the held-out 0 changes nothing fitted
    _same(_fitted_state(_fit(s.to_numpy(), s.index, transform="none")),
          _fitted_state(_fit(alt, s.index, transform="none")))


def test_auto_transform_still_reads_the_validation_tail():
    """A 0 in the training part's validation tail (read as forecast histories there) still
    turns the log off, as before: it is part of the training data."""
    s = seasonal(72)
    alt = s.to_numpy().copy()
    alt[-14] = 0.0  # before the 12 test points, after the training windows
    f = _fit(alt, s.index)
    assert f.pipeline.log is False


@pytest.mark.parametrize("fill", ["bfill", "interpolate"])
def test_a_gap_before_the_test_part_is_filled_from_the_training_part(fill):
    """fill='bfill'/'interpolate' ran over the whole series before the split: a NaN just
    before the test part was filled from the held-out values (airline: the forecast of the
    test part moved by 2576 with bfill when the test values tripled)."""
    s = seasonal(72)
    v = s.to_numpy().copy()
    v[-13:-11] = np.nan  # the training part's last value and the test part's first
    alt = v.copy()
    alt[-11:] *= 3
    a, b = (_fit(x, s.index, fill=fill) for x in (v, alt))
    _same(_fitted_state(a), _fitted_state(b))
    assert a.series.values[a.n_train - 1] == v[-14]  # the last value before the gap
    assert a.series.filled.tolist() == [len(v) - 13, len(v) - 12]  # both said filled
    assert np.isfinite(a.series.values).all()


def _gappy_panel(later: float = 1.0):
    """Two monthly series of 30 points; series "a" misses the 2 values just before its
    last 6 (the held-out part, scaled by ``later``), with a past covariate missing there too."""
    idx = pd.date_range("2000-01-01", periods=30, freq="MS")
    rows = []
    for uid, base in (("a", 10.0), ("b", 50.0)):
        y = base + np.arange(30, dtype=float)
        x = np.arange(30, dtype=float)
        y[-6:] *= later
        x[-6:] *= later
        if uid == "a":
            y[-8:-6] = np.nan
            x[-8:-6] = np.nan
        rows.append(pd.DataFrame({"unique_id": uid, "ds": idx, "y": y, "x": x}))
    return pd.concat(rows, ignore_index=True)


@pytest.mark.parametrize("fill", ["bfill", "interpolate"])
def test_a_panel_cut_fills_its_gaps_from_before_the_cut(fill):
    """read_panel(fill=...) filled a gap just before a cut from the values after it, which
    the model fitted on the cut then read (a gap before the held-out part took its
    first value)."""
    from rnnlab.panel import read_panel

    cuts = [read_panel(_gappy_panel(k), fill=fill).cut(6).df for k in (1.0, 1000.0)]
    pd.testing.assert_frame_equal(cuts[0], cuts[1])
    a = cuts[0][cuts[0]["unique_id"] == "a"]
    assert a["y"].tolist()[-3:] == [31.0, 31.0, 31.0]  # 10 + 21, carried over the gap
    assert a["x"].tolist()[-3:] == [21.0, 21.0, 21.0]
    assert not cuts[0].isna().to_numpy().any()
    # the whole frame keeps the fill over all of it
    whole = read_panel(_gappy_panel(), fill=fill).df
    assert whole.loc[whole["unique_id"] == "a", "y"].iloc[-7] > 31.0


def test_a_panel_backtest_never_reads_after_its_origins_through_a_fill():
    from rnnlab.panel import read_panel
    from rnnlab.panel.backtest import backtest

    out = []
    for k in (1.0, 1000.0):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = backtest(None, read_panel(_gappy_panel(k), fill="bfill"), horizon=3,
                           first_origin=6, stride=3, baselines=("naive",), quantiles=())
        fc = res.forecasts
        out.append(fc[fc["origin"] == fc["origin"].min()])  # (the later one reads them)
    np.testing.assert_array_equal(out[0]["mean"], out[1]["mean"])
    np.testing.assert_array_equal(out[0]["scale"], out[1]["scale"])
    first = out[0][(out[0]["unique_id"] == "a") & (out[0]["step"] == 1)]
    assert first["mean"].iloc[0] == 31.0  # the naive from origin 6: the last value before the gap


def test_a_series_backtest_fills_each_origins_gaps_from_its_history():
    from rnnlab.forecast import Forecaster

    s = seasonal(72)
    v = s.to_numpy().copy()
    v[-8:-6] = np.nan
    out = []
    for k in (1.0, 3.0):
        x = v.copy()
        x[-6:] *= k
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = Forecaster(**TINY, fill="bfill", horizon=6).backtest(
                pd.Series(x, index=s.index), first_origin=12, stride=6, baselines=("naive",),
                quantiles=())
        out.append(res.forecasts)
    np.testing.assert_array_equal(out[0]["mean"], out[1]["mean"])
    naive = out[0][(out[0]["model"] == "naive")]
    assert naive["mean"].iloc[-1] == v[-9]  # from the origin 6 before the end


# --------------------------------------------------------------- the summary's windows


def test_a_models_nan_forecasts_leave_those_rows_out_for_every_model():
    """A model giving NaN for 3 of visnights' 20 series was scored (mean MASE, RMSE) over
    the other 17 beside baselines scored over all 20, under n_series 20: it read RMSE 0.531
    against the seasonal naive's 0.554 while forecasting exactly as the seasonal naive."""
    from rnnlab.panel.backtest import backtest
    from rnnlab.panel.baselines import make_baseline
    from rnnlab.panel.datasets import load_panel

    class Holes:
        name = "holes"

        def __init__(self):
            self.m = make_baseline("seasonal_naive", (0.1, 0.5, 0.9))

        def fit(self, panel, static=None):
            self.m.fit(panel)
            return self

        def predict(self, horizon, future=None, history=None):
            fc = self.m.predict(horizon, future=future, history=history)
            gone = fc["unique_id"].isin(fc["unique_id"].unique()[:3])
            fc.loc[gone, ["mean", "q0.1", "q0.5", "q0.9"]] = np.nan
            return fc

    res = backtest(Holes, load_panel("visnights"), horizon=4, first_origin=8, stride=4,
                   baselines=("seasonal_naive",), quantiles=(0.1, 0.5, 0.9), name="holes")
    with pytest.warns(UserWarning, match=r"24 forecasts are NaN.*holes"):
        s = res.summary().set_index("model")
    cols = ["mase", "rmse", "crps", "coverage80", "n_series", "n_forecasts"]
    pd.testing.assert_series_equal(s.loc["holes", cols], s.loc["seasonal_naive", cols],
                                   check_names=False)
    assert s.loc["holes", "n_series"] == 17


def test_a_nan_actual_counts_in_no_metric():
    """sMAPE counted a row whose actual is NaN as an error of 0, and coverage as a miss,
    where every other metric leaves it out."""
    from rnnlab.panel.metrics import per_series

    rng = np.random.default_rng(0)
    y = rng.normal(10, 2, 8)
    fc = pd.DataFrame({"model": "m", "unique_id": "s", "y": y, "mean": y + rng.normal(0, 1, 8),
                       "scale": 1.5})
    fc["q0.1"], fc["q0.5"], fc["q0.9"] = fc["mean"] - 1, fc["mean"], fc["mean"] + 1
    holed = fc.copy()
    holed.loc[3, "y"] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a, b = per_series(fc.drop(index=3)).iloc[0], per_series(holed).iloc[0]
    cols = ["mase", "rmse", "mae", "smape", "pinball", "crps", "coverage80", "width80"]
    assert a["width80"] == b["width80"] == 2.0
    np.testing.assert_allclose(a[cols].to_numpy(float), b[cols].to_numpy(float), rtol=1e-12)


def test_panel_metrics_match_an_independent_computation():
    """Per-series metrics of a backtest, recomputed here from the panel: the scale from
    each origin's own history (seasonal naive, period 4), properscoring's CRPS with the
    quantile weights (0.3, 0.4, 0.3)."""
    import properscoring as ps

    from rnnlab.panel.backtest import backtest
    from rnnlab.panel.datasets import load_panel

    panel = load_panel("visnights")
    res = backtest(None, panel, horizon=4, first_origin=8, stride=4, baselines=("naive",),
                   quantiles=(0.1, 0.5, 0.9))
    fc = res.forecasts
    got = res.per_series().set_index("unique_id")
    for uid in list(panel.ids)[:4]:
        y = panel.df.loc[panel.df["unique_id"] == uid, "y"].to_numpy()
        sae, se, crps, cov, sm = [], [], [], [], []
        mine = fc[fc["unique_id"] == uid].sort_values(["origin", "step"])
        for j, off in enumerate((8, 4)):  # origins, earliest first
            hist, truth = y[:len(y) - off], y[len(y) - off:len(y) - off + 4]
            scale = np.mean(np.abs(hist[4:] - hist[:-4]))
            rows = mine.iloc[4 * j:4 * j + 4]
            np.testing.assert_array_equal(rows["y"].to_numpy(), truth)
            np.testing.assert_array_equal(rows["mean"].to_numpy(), np.full(4, hist[-1]))
            e = hist[-1] - truth
            q = rows[["q0.1", "q0.5", "q0.9"]].to_numpy()
            sae += list(np.abs(e) / scale)
            se += list(e ** 2)
            sm += list(200 * np.abs(e) / (np.abs(truth) + np.abs(hist[-1])))
            cov += list((truth >= q[:, 0]) & (truth <= q[:, 2]))
            crps += list(ps.crps_ensemble(truth, q, weights=np.broadcast_to([.3, .4, .3],
                                                                               q.shape)))
        row = got.loc[uid]
        np.testing.assert_allclose([row["mase"], row["rmse"], row["smape"], row["crps"],
                                    row["coverage80"]],
                                   [np.mean(sae), np.sqrt(np.mean(se)), np.mean(sm),
                                    np.mean(crps), np.mean(cov)], rtol=1e-12)


def test_a_models_period_is_its_backtests_season():
    """GlobalForecaster(period=N).backtest(...) scaled MASE and ran the seasonal naive with
    the data's period (visnights: 4) where rnnlab backtest --period N and
    Forecaster.backtest use N."""
    from rnnlab.panel import GlobalForecaster
    from rnnlab.panel.metrics import mase_scale

    idx = pd.date_range("2000-01-01", periods=30, freq="MS")
    rng = np.random.default_rng(1)
    df = pd.concat([pd.DataFrame({"unique_id": u, "ds": idx,
                                  "y": 20 + 5 * np.sin(np.arange(30) * 2.1) + rng.normal(0, 1, 30)})
                    for u in ("a", "b")], ignore_index=True)
    model = GlobalForecaster("gru", lookback=6, horizon=3, hidden_size=4, head_size=4,
                             epochs=1, batches_per_epoch=2, period=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fc = model.backtest(df, first_origin=3, baselines=("seasonal_naive",)).forecasts
    hist = df.loc[df["unique_id"] == "a", "y"].to_numpy()[:-3]
    a = fc[fc["unique_id"] == "a"]
    assert np.allclose(a["scale"], mase_scale(hist, 3))
    np.testing.assert_array_equal(a.loc[a["model"] == "seasonal_naive", "mean"], hist[-3:])


def test_one_step_metrics_never_read_their_target_through_a_fill():
    """evaluate()'s one-step forecasts over the test part read values[:t] of the series
    filled as a whole: with fill='bfill' a gap just before t held y_t itself (the naive's
    one-step forecast of it was then exact)."""
    s = seasonal(72)
    v = s.to_numpy().copy()
    v[-6] = np.nan  # inside the test part
    f = _fit(v, s.index, fill="bfill")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pred = f.evaluate()
    naive_one_step_of_t = pred["one_step"]["naive"]["mae"]
    test = f.series.values[f.n_train:]
    hist = [v[-13]] + [test[i - 1] for i in range(1, 12)]  # the naive: the value before
    hist[7] = v[-7]  # the point after the gap: the value before the gap carried, not itself
    assert np.isclose(naive_one_step_of_t, np.mean(np.abs(np.array(hist) - test)))


def test_a_cut_inside_a_leading_gap_has_no_history_of_later_values():
    """A long table whose series "b" starts later (rows of NaN before it), read with
    fill='ffill': the leading gap took b's first value (from after a cut inside the gap),
    so a backtest origin there forecast b from its future. b is left out there now."""
    from rnnlab.panel import read_panel
    from rnnlab.panel.backtest import backtest

    idx = pd.date_range("2000-01-01", periods=12, freq="MS")
    df = pd.concat([pd.DataFrame({"unique_id": "a", "ds": idx, "y": np.arange(12.0) + 1}),
                    pd.DataFrame({"unique_id": "b", "ds": idx,
                                  "y": [np.nan] * 6 + list(np.arange(6.0) + 100)})])
    panel = read_panel(df, fill="ffill")
    with pytest.warns(UserWarning, match=r"fewer than 2 values before the origin 2000-04-01 \(8 steps.*\bb\b"):
        res = backtest(None, panel, horizon=2, first_origin=8, stride=2, baselines=("naive",),
                       quantiles=())
    fc = res.forecasts
    first = fc[fc["origin"] == fc["origin"].min()]
    assert set(first["unique_id"]) == {"a"}
    with pytest.warns(UserWarning, match=r"no value before the cut.*'b'"):
        assert panel.cut(8).df["unique_id"].unique().tolist() == ["a"]


@pytest.mark.parametrize("fill", ["ffill", "zero"])
def test_a_backtest_says_how_many_scored_values_were_filled_in(fill):
    """Held-out values that were missing and filled in were scored as if observed without
    a word (evaluate() of one series warns of them)."""
    from rnnlab.panel import read_panel
    from rnnlab.panel.backtest import backtest

    df = _gappy_panel()
    df.loc[(df["unique_id"] == "b") & (df.index % 30 == 27), "y"] = np.nan  # b's 3rd to last
    with pytest.warns(UserWarning, match=r"1 of the 12 held-out target values .* filled in"):
        backtest(None, read_panel(df, fill=fill), horizon=3, first_origin=6, stride=3,
                 baselines=("naive",), quantiles=())
    from rnnlab.data.outliers import OutlierWarning

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")  # the gap before the held-out part: no fill to say
        backtest(None, read_panel(_gappy_panel(), fill=fill), horizon=3, first_origin=6,
                 stride=3, baselines=("naive",), quantiles=())
    said = [str(w.message) for w in seen if not issubclass(w.category, OutlierWarning)]
    assert said == [], said
    # (fill='zero' puts two 0s among values near 32: since runs of two are judged, named as
    # the extreme values they are, with fill='interpolate' advised; ffill's are not extreme)
    spikes = [str(w.message) for w in seen if issubclass(w.category, OutlierWarning)]
    assert (spikes != []) == (fill == "zero"), spikes
    assert all("0 at 2001-11-01" in m and "0 at 2001-12-01" in m for m in spikes), spikes
