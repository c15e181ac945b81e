"""Look-ahead leakage, checked by invariance (session 22's adversarial audit).

Everything after a cut-off (a Forecaster's test part, or each backtest origin) is replaced
by values that could not be forecast from the past (uniform noise at another level, or
1e6); every quantity fitted before the cut-off and every forecast made at it must then be
bit-identical: weights, the pipeline, the validation choice, its scores and weights, the
linear/ARMA baselines, the training and validation losses of every epoch, and the forecasts
and intervals. A leak shows up as a difference, however small. What this file pins that
the earlier leak tests (test_eval_audit16, test_forecast_selection, test_panel_backtest,
test_panel_covariate_leaks) did not: the other strategies and settings of the one-series
Forecaster and every fitted quantity of it, its own backtest, both ``rnnlab forecast``
runs (weights on disk, test-part forecasts), and the panel's likelihood, recursive and
intermittent-demand paths under a backtest.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
import torch

from cli_run import run
from forecast_series import seasonal
from rnnlab.forecast import Forecaster
from rnnlab.forecast.intervals import quantile_forecast
from rnnlab.panel.backtest import backtest
from rnnlab.panel.frame import read_panel
from rnnlab.panel.model import GlobalForecaster

TEST = 6  # the Forecaster's test part
ONE = dict(model="gru", hidden_size=4, epochs=3, ensemble=2, patience=None, horizon=4,
           test_size=TEST, progress=False)
PANEL = dict(hidden_size=4, head_size=4, epochs=2, batches_per_epoch=2, batch_size=16,
             lookback=8, horizon=4, patience=None)


def _noise_after(values: np.ndarray, cut: int, seed: int = 7) -> np.ndarray:
    """``values`` with everything from position ``cut`` on replaced by positive noise of
    another level (a model that reads it cannot miss it)."""
    out = np.array(values, dtype=np.float64)
    out[cut:] = np.random.default_rng(seed).uniform(500.0, 5000.0, len(out) - cut)
    return out


def _fit(values, index, **settings) -> Forecaster:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Forecaster(**{**ONE, **settings}).fit(pd.Series(values, index=index, name="y"))


def _losses(histories) -> list:
    """Each member's epochs without their clock readings (and the refit's loss)."""
    return [([{k: v for k, v in e.items() if "second" not in k and "time" not in k}
              for e in h["epochs"]], h.get("best_epoch"), (h.get("refit") or {}).get("train_loss"))
            for h in histories]


def _fitted(f: Forecaster) -> dict:
    """Every quantity a fit made from the training part, and what it forecasts from it."""
    train = f.series.values[:f.n_train]
    lin = {n: None if m is None else np.asarray(m.coef).tolist()
           for n, m in (("ar", f.ar), ("ar0", f.ar0), ("arma", f.arma))}
    out = {"pipeline": f.pipeline.to_dict(), "choice": repr(f.choice), "period": f.period,
           "n_train": f.n_train, "linear": lin, "losses": _losses(f.histories),
           "weights": [v.clone() for v in f.net.state_dict().values()],
           "forecasts": {m: f.forecast_with(m, train, f.config.horizon)
                         for m in f.candidates() if m != "weighted" or f.choice.get("weights")}}
    scores = f.choice.get("scores") or {}
    if f.pipeline.lag and f.arma is not None and {"arma", f.choice["method"]} <= set(scores):
        mean = f.forecast_from(train, TEST)
        out["intervals"] = quantile_forecast(f, train, mean, (0.1, 0.9))  # as the CLI's
    return out


def _assert_same(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for k in ("pipeline", "choice", "period", "n_train", "linear", "losses"):
        assert a[k] == b[k], k
    assert all(torch.equal(x, y) for x, y in zip(a["weights"], b["weights"]))
    assert a["forecasts"].keys() == b["forecasts"].keys()
    for m in a["forecasts"]:
        np.testing.assert_array_equal(a["forecasts"][m], b["forecasts"][m], err_msg=m)
    if "intervals" in a:
        np.testing.assert_array_equal(a["intervals"], b["intervals"])


@pytest.mark.parametrize("settings", [
    dict(strategy="direct"), dict(strategy="seq2seq"), dict(refit=True),
    dict(validation="one_step"), dict(difference="first", select="weighted"),
    dict(transform="none", scaler="minmax", select="network"), dict(select="arma"),
], ids=lambda s: ",".join(f"{k}={v}" for k, v in s.items()))
def test_the_test_part_reaches_nothing_fitted(settings):
    """The test part replaced by noise at another level: every fitted quantity, every
    candidate's forecast from the training part and the intervals around the model's are
    bit-identical, and so is what evaluate() reports as each method's test-part forecast."""
    s = seasonal(84)
    a = _fit(s.to_numpy(), s.index, **settings)
    b = _fit(_noise_after(s.to_numpy(), len(s) - TEST), s.index, **settings)
    _assert_same(_fitted(a), _fitted(b))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ea, eb = a.evaluate(), b.evaluate()
    assert ea["predictions"] == eb["predictions"]
    assert not np.allclose(ea.loc["model", "rmse"], eb.loc["model", "rmse"])  # (it scored them)


def test_no_method_forecasts_a_noise_test_part_impossibly_well():
    """A series whose test part is noise unrelated to its past (a random walk, then white
    noise around its last level): no honest forecast, one step or many ahead, comes near
    it. The best possible MASE here is about 0.6 (the in-sample naive MAE of a unit-step
    walk is 0.8, the noise's MAE about its own mean 0.8 x 0.6); one that read the test part
    would score near 0."""
    rng = np.random.default_rng(3)
    walk = np.cumsum(rng.standard_normal(96))
    values = np.r_[walk[:-24], walk[-25] + 0.6 * rng.standard_normal(24)]
    f = _fit(values, None, test_size=24, ensemble=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = f.evaluate()
    assert f.n_train == 72
    for part in ("forecast", "one_step"):
        scores = {m: r["mase"] for m, r in ev[part].items()}
        assert min(scores.values()) > 0.3, (part, scores)


def _forecaster_backtest(values, index, refit):
    f = Forecaster(**{**ONE, "ensemble": 1, "test_size": None})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return f.backtest(pd.Series(values, index=index, name="y"), horizon=4,
                          first_origin=8, stride=4, refit=refit).forecasts


@pytest.mark.slow
@pytest.mark.parametrize("refit", ["never", 1])
def test_forecaster_backtest_origin_sees_nothing_after_it(refit):
    """Forecaster.backtest (a fresh Forecaster per fit, behind the panel protocol): the
    values after the first origin replaced by noise change no forecast, quantile or MASE
    scale made at that origin; the later origin's do change (the noise is its history)."""
    s = seasonal(72)
    base = _forecaster_backtest(s.to_numpy(), s.index, refit)
    first = base["origin"].min()
    cut = int(np.searchsorted(s.index, first, side="right"))
    poisoned = _forecaster_backtest(_noise_after(s.to_numpy(), cut), s.index, refit)
    key = ["model", "origin", "step"]
    a, b = (t[t["origin"] == first].sort_values(key).reset_index(drop=True)
            for t in (base, poisoned))
    assert set(a["model"]) >= {"model", "naive", "seasonal_naive"}
    cols = [c for c in a.columns if c in ("mean", "scale", "rms_scale") or c.startswith("q")]
    pd.testing.assert_frame_equal(a[key + cols], b[key + cols], check_exact=True)
    later = (poisoned["origin"] > first) & (poisoned["model"] == "model")
    assert not np.allclose(poisoned.loc[later, "mean"], base.loc[later, "mean"])


def _panel(n=48, series=3, counts=False, seed=0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return pd.concat([pd.DataFrame({
        "unique_id": f"s{i}", "ds": pd.date_range("2000-01-01", periods=n, freq="D"),
        "y": (rng.poisson(0.8, n).astype(float) if counts
              else 20 + i + 3 * np.sin(2 * np.pi * t / 7) + rng.standard_normal(n))})
        for i in range(series)], ignore_index=True)


@pytest.mark.parametrize("settings,baselines,counts", [
    (dict(likelihood="studentt", samples=20), ("naive", "ets"), False),
    (dict(likelihood="gaussian", strategy="recursive", samples=10), ("naive",), False),
    (dict(likelihood="negbin", samples=20), ("croston", "sba", "tsb"), True),
], ids=["studentt", "recursive", "negbin-intermittent"])
def test_panel_backtest_likelihoods_see_nothing_after_the_origin(settings, baselines, counts):
    """The panel's sampled heads (a seed per series and member), the recursive strategy's
    joint paths, and the intermittent-demand baselines: values after the first origin set
    far away change nothing forecast at it, baselines included."""
    df = _panel(counts=counts)

    def run_once(frame):
        return backtest(lambda: GlobalForecaster(**PANEL, **settings), read_panel(frame),
                        horizon=4, first_origin=8, stride=4, baselines=baselines,
                        quantiles=(0.1, 0.5, 0.9)).forecasts

    base = run_once(df)
    first = base["origin"].min()
    poisoned = df.copy()
    poisoned.loc[poisoned["ds"] > first, "y"] = 60.0 if counts else 1e6
    fc = run_once(poisoned)
    key = ["model", "unique_id", "origin", "step"]
    a, b = (t[t["origin"] == first].sort_values(key).reset_index(drop=True)
            for t in (base, fc))
    assert set(a["model"]) == {"model", *baselines}
    cols = [c for c in a.columns if c in ("mean", "scale", "rms_scale") or c.startswith("q")]
    pd.testing.assert_frame_equal(a[key + cols], b[key + cols], check_exact=True)
    assert (fc.loc[fc["origin"] > first, "mean"] != base.loc[base["origin"] > first,
                                                              "mean"]).any()


def _forecast_run(tmp_path, name: str, frame: pd.DataFrame, options: list, capsys):
    data = tmp_path / f"{name}.csv"
    frame.to_csv(data, index=False)
    out = tmp_path / name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        code, err = run(["forecast", "--data", str(data), "--out", str(out), "--no-progress",
                         "--hidden-size", "4", "--epochs", "2", *options], capsys)
    assert code == 0, err
    return out


@pytest.mark.slow
def test_rnnlab_forecast_writes_the_same_model_whatever_the_test_part(tmp_path, capsys):
    """``rnnlab forecast`` on one series, and on the same file with the test part replaced
    by noise: the saved weights are the same bytes, and every method's test-part forecast
    and the model's interval there are equal (only ``actual`` differs)."""
    s = seasonal(72)
    frame = pd.DataFrame({"date": s.index.strftime("%Y-%m-%d"), "value": s.to_numpy()})
    opts = ["--horizon", "6", "--test-size", "6", "--ensemble", "2", "--quantiles", "0.1",
            "0.9"]
    a = _forecast_run(tmp_path, "clean", frame, opts, capsys)
    b = _forecast_run(tmp_path, "noisy", frame.assign(
        value=_noise_after(frame["value"].to_numpy(), len(frame) - 6)), opts, capsys)
    assert (a / "model" / "model.safetensors").read_bytes() == \
        (b / "model" / "model.safetensors").read_bytes()
    fa, fb = (pd.read_csv(d / "forecast.csv") for d in (a, b))
    part = fa.columns[1]  # test | future
    test = fa[part] == "test"
    assert int(test.sum()) == 6 and {"q0.1", "q0.9"} <= set(fa.columns)
    same = [c for c in fa.columns if c != "actual"]
    pd.testing.assert_frame_equal(fa.loc[test, same], fb.loc[test, same], check_exact=True)


@pytest.mark.slow
def test_rnnlab_forecast_on_a_panel_writes_the_same_model_whatever_the_test_part(
        tmp_path, capsys):
    """``rnnlab forecast`` on a panel (a global network, calibrated, two members, a past
    covariate equal to the next value of the target): the held-out horizon of every series
    replaced (target and covariate) leaves the weights' bytes and the test-part forecasts,
    quantiles and MASE scales equal."""
    df = _panel(n=40)
    df["x"] = df.groupby("unique_id")["y"].shift(-1).fillna(0.0)  # y one step ahead
    late = df.groupby("unique_id").cumcount(ascending=False) < 4
    noisy = df.assign(y=np.where(late, 1e6, df["y"]), x=np.where(late, -1e6, df["x"]))
    opts = ["--horizon", "4", "--lookback", "8", "--head-size", "4", "--batches-per-epoch",
            "2", "--ensemble", "2", "--calibrate", "conformal", "--past-covariates", "x"]
    a = _forecast_run(tmp_path, "clean", df.assign(ds=df["ds"].dt.strftime("%Y-%m-%d")), opts,
                      capsys)
    b = _forecast_run(tmp_path, "noisy", noisy.assign(ds=df["ds"].dt.strftime("%Y-%m-%d")),
                      opts, capsys)
    assert (a / "model" / "model.safetensors").read_bytes() == \
        (b / "model" / "model.safetensors").read_bytes()
    ta, tb = (pd.read_csv(d / "test_forecasts.csv") for d in (a, b))
    cols = [c for c in ta.columns if c in ("mean", "scale", "rms_scale") or c.startswith("q")]
    assert len(ta) and {"q0.1", "q0.9"} <= set(cols)
    pd.testing.assert_frame_equal(ta[cols], tb[cols], check_exact=True)
    assert (ta["y"] != tb["y"]).all()
