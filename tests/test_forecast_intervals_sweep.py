"""Prediction intervals of the single-series Forecaster used end to end (sweep): the
width formula against simulated futures, real data, old model folders and the CLI."""

from types import SimpleNamespace

import numpy as np
import pytest

from rnnlab.data.scalers import make_scaler
from rnnlab.forecast.arma import ARMA
from rnnlab.forecast.intervals import quantile_forecast
from rnnlab.forecast.transform import Pipeline


# ---------------------------------------------------------------- the width, simulated
def _simulate(rng, sims, steps, lag, phi, theta, sigma, start):
    """(sims, steps) paths of g(y): d_t an ARMA(phi, theta) of innovations N(0, sigma^2),
    g(y_t) = g(y_{t-lag}) + d_t from ``start`` (lag,) values."""
    a = rng.normal(0.0, sigma, (sims, steps))
    d = np.zeros((sims, steps))
    g = np.zeros((sims, steps))
    for t in range(steps):
        d[:, t] = a[:, t] + sum(theta[j] * a[:, t - 1 - j] for j in range(len(theta))
                                if t - 1 - j >= 0) + sum(
            phi[i] * d[:, t - 1 - i] for i in range(len(phi)) if t - 1 - i >= 0)
        g[:, t] = (start[t] if t < lag else g[:, t - lag]) + d[:, t]
    return g


@pytest.mark.parametrize("log, lag, phi, theta, sigma, level", [
    (True, 12, (0.5, -0.2), (0.4,), 0.03, np.log(100.0)),  # a seasonal ARIMA on logs
    (False, 1, (0.6,), (0.3,), 2.0, 100.0),  # a random walk of ARMA(1, 1) steps (ARIMA(1,1,1))
])
def test_the_80_and_95_percent_intervals_cover_80_and_95_percent_of_simulated_futures(
        log, lag, phi, theta, sigma, level):
    """Each simulated series: 100 burn-in steps, a history of 240 and 30 future values;
    the intervals come from quantile_forecast with the true coefficients (c = 1), around
    the ARMA's own forecast. Coverage per step over 800 series: a binomial spread of 0.014
    at 80% and 0.008 at 95%, so tolerances of 0.055 and 0.03 are about 4 of them. Leaving
    out the integration through the lag (Psi_j = psi_j) covers 0.71, then 0.54 of the
    seasonal series' second and third years at 80%, and 0.58 at the random walk's second
    step."""
    rng = np.random.default_rng(0)
    sims, burn, n, steps = 800, 100, 240, 30
    g = _simulate(rng, sims, burn + n + steps, lag, phi, theta, sigma,
                  level + rng.normal(0, 0.1 if log else 5.0, lag))
    y = np.exp(g) if log else g
    arma = ARMA(len(phi), len(theta))
    arma.coef = np.r_[phi, theta]
    pipe = Pipeline(log=log, lag=lag, scaler=make_scaler("standard"))
    pipe.scaler.fit(np.diff(pipe.transform(y[0, burn:burn + n])))
    f = SimpleNamespace(pipeline=pipe, arma=arma,
                        choice={"method": "arma", "scores": {"arma": 1.0}})
    inside = np.zeros((2, steps))
    for path in y:
        hist, future = path[burn:burn + n], path[burn + n:]
        gh = pipe.transform(hist)
        mean = pipe.from_model(pipe.scaler.transform(arma.forecast(gh[lag:] - gh[:-lag],
                                                                   steps)), hist)
        q = quantile_forecast(f, hist, mean, (0.025, 0.1, 0.9, 0.975))
        inside[0] += (q[:, 1] <= future) & (future <= q[:, 2])
        inside[1] += (q[:, 0] <= future) & (future <= q[:, 3])
    cover = inside / sims
    assert np.abs(cover[0] - 0.80).max() < 0.055, np.round(cover[0], 3)
    assert np.abs(cover[1] - 0.95).max() < 0.03, np.round(cover[1], 3)
    assert abs(cover[0].mean() - 0.80) < 0.02 and abs(cover[1].mean() - 0.95) < 0.01


@pytest.mark.parametrize("lag, steps", [(1, 1), (1, 30), (5, 7), (12, 12), (12, 31)])
def test_unit_sd_sums_psi_over_every_lag_back(lag, steps):
    """sd_h^2 = sum_{j<h} Psi_j^2 with Psi_j = psi_j + psi_{j-lag} + ... (the running sum
    by columns that replaced a sum per step must equal the definition)."""
    from rnnlab.forecast.intervals import psi_weights, unit_sd

    phi, theta = np.array([0.5, -0.2]), np.array([0.4])
    psi = psi_weights(phi, theta, steps)
    big = [sum(psi[j - k * lag] for k in range(j // lag + 1)) for j in range(steps)]
    np.testing.assert_allclose(unit_sd(phi, theta, lag, steps),
                               np.sqrt(np.cumsum(np.square(big))), rtol=1e-12)


# ---------------------------------------------------------------- real data
DATA = "/work/shared/data/"


def _visnights():
    import pandas as pd

    v = pd.read_csv(DATA + "panels/visnights.csv")
    v = v[v.Region == "NSWMetro"]
    return pd.Series(v.Nights.to_numpy(), pd.PeriodIndex(v.Quarter, freq="Q").to_timestamp(),
                     name="NSWMetro")


def _airline_with_gaps():
    import pandas as pd

    s = pd.read_csv(DATA + "airline_passengers.csv", parse_dates=["month"]).set_index(
        "month")["passengers"].astype(float)
    s.iloc[[30, 31, 90]] = np.nan
    return s


def _dji():
    import pandas as pd

    return pd.read_csv(DATA + "dji_stooq_2018-02-13_2023-02-10.csv", parse_dates=["Date"],
                       index_col="Date")["Close"]


def _elecdaily():
    import pandas as pd

    return pd.read_csv(DATA + "panels/elecdaily.csv", parse_dates=["Date"],
                       index_col="Date")["Demand"]


def _negative():
    import pandas as pd

    t = np.arange(120)
    v = 10 * np.sin(2 * np.pi * t / 12) - 3 - 0.1 * t + np.random.default_rng(0).normal(0, 1, 120)
    return pd.Series(v, pd.date_range("2000-01-01", periods=120, freq="MS"), name="neg")


@pytest.mark.parametrize("data, settings, lag, log, first", [
    (_visnights, dict(lookback=8, horizon=8), 4, True, "2017-01-01"),
    (_dji, dict(lookback=10, horizon=5), 5,
     True, "2023-02-13"),  # business days: Friday 2023-02-10, then Monday
    (_elecdaily, dict(lookback=14, horizon=14), 7, True, "2015-01-01"),
    (_airline_with_gaps, dict(lookback=12, horizon=12, fill="interpolate"), 12, True,
     "1961-01-01"),
    (_negative, dict(lookback=12, horizon=12), 12, False, "2010-01-01"),  # auto: no log
    (lambda: np.loadtxt(DATA + "airline_passengers.csv", delimiter=",", skiprows=1,
                        usecols=1), dict(lookback=12, horizon=12, period=12,
                                         transform="none", difference="first"), 1, False, 144),
])
def test_real_series_give_ordered_quantiles_past_the_period_and_after_newer_data(
        data, settings, lag, log, first):
    import pandas as pd

    from rnnlab.forecast import Forecaster

    series = data()
    f = Forecaster(**{**TINY, **settings}).fit(series)
    assert (f.pipeline.lag, f.pipeline.log) == (lag, log)
    steps = max(2 * f.period + 1, f.config.horizon + 3)  # past the config horizon and a period
    df = f.predict(steps, quantiles=(0.025, 0.1, 0.5, 0.9, 0.975))
    assert df.index[0] == (pd.Timestamp(first) if isinstance(first, str) else first)
    q = df[["q0.025", "q0.1", "q0.5", "q0.9", "q0.975"]].to_numpy()
    assert np.isfinite(q).all() and (np.diff(q, axis=1) > 0).all()
    np.testing.assert_array_equal(df["q0.5"], df["mean"])  # exactly: was exp(log(mean))
    g = np.log if log else (lambda v: v)
    width = (g(df["q0.9"]) - g(df["q0.1"])).to_numpy()  # in the modelled scale
    assert (np.diff(width) >= -1e-9).all() and width[-1] > width[0]
    newer = f.predict(3, history=series[:-lag - f.config.horizon], quantiles=(0.1, 0.9))
    assert (newer["q0.1"] < newer["mean"]).all() and (newer["mean"] < newer["q0.9"]).all()


# ---------------------------------------------------------------- saved model folders
TINY = dict(hidden_size=4, epochs=2, ensemble=1, progress=False, lookback=6, horizon=6)


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A tiny fitted forecaster's folder and its model.json without the checksum (as an
    older rnnlab wrote it, or a hand edit leaves it)."""
    import json

    from forecast_series import seasonal

    from rnnlab.forecast import Forecaster

    path = Forecaster(**TINY).fit(seasonal(120, noise=2.0)).save(
        tmp_path_factory.mktemp("ivl") / "m")
    meta = json.loads((path / "model.json").read_text())
    meta.pop("_sha256")
    return path, meta


def _edited(saved, tmp_path, edit):
    """The saved folder with ``edit(extra)`` applied to its model.json, loaded."""
    import copy
    import json
    import shutil

    from rnnlab.forecast import Forecaster

    path, meta = saved
    meta = copy.deepcopy(meta)
    edit(meta["extra"])
    shutil.copytree(path, tmp_path / "m")
    (tmp_path / "m" / "model.json").write_text(json.dumps(meta, indent=2))
    return Forecaster.load(tmp_path / "m")


def _set(key, value):
    return lambda extra: extra.update({key: value})


def _score(name, value):
    def edit(extra):
        extra["choice"]["scores"][extra["choice"]["method"] if name == "own" else name] = value
    return edit


def _no_arma(extra):  # a choice that needs no arma weights, and no arma model
    extra.update(arma=None, choice=dict(extra["choice"], method="network", weights=None))


@pytest.mark.parametrize("edit, says", [
    (_score("arma", "abc"), r"score of arma is 'abc', not a number >= 0"),  # was a TypeError
    (_set("choice", {"method": "network", "scores": [1, 2]}),
     r"mapping of method to score, and found list"),  # was an AttributeError
    (_score("own", -1.0), r"score of \w+ is -1.0, not a number >= 0"),  # was c = 0.1
    (_no_arma, r"this forecaster's is missing"),  # was "does not difference" at lag 12
    (_score("arma", float("nan")), r"not both .*or saved by an rnnlab from before the arma"),
    (_set("choice", {"method": "network"}), r"has none \(fitted with val_size=0"),
])
def test_an_edited_or_older_model_folder_says_why_it_has_no_quantiles(saved, tmp_path, edit,
                                                                       says):
    from rnnlab.io.errors import DataError

    f = _edited(saved, tmp_path, edit)
    assert np.isfinite(f.predict().to_numpy()).all()  # the point forecast still works
    with pytest.raises(DataError, match=says):
        f.predict(quantiles=(0.1, 0.9))


@pytest.mark.parametrize("coef, says", [
    ([1.5, 0.0, 0.0], r"AR \[1.5, 0.0\], MA \[0.0\] is not a stationary, invertible"),
    ([0.2, 0.1, -1.2], r"MA \[-1.2\] is not a stationary, invertible"),
])
def test_a_non_stationary_or_non_invertible_arma_is_refused_at_load(saved, tmp_path, coef,
                                                                    says):
    """Every coefficient a fit leaves passes; an edited one that would make the point
    forecast grow without bound (AR 1.5: the weighted forecast took in a change growing
    1.5-fold a step; 6 steps ahead 153 instead of 143 here) is refused when the folder is
    read, not at predict(quantiles=...) only."""
    from rnnlab.io.errors import CheckpointError

    with pytest.raises(CheckpointError, match=says):
        _edited(saved, tmp_path, _set("arma", coef))


def test_an_ma_root_inside_the_fits_margin_but_invertible_still_loads(saved, tmp_path):
    """rnnlab before the fit's margin (MA roots outside 1 / 0.95) saved MA parts between 1
    and that margin: invertible, so they load and forecast (the review found them refused)."""
    f = _edited(saved, tmp_path, _set("arma", [0.2, 0.1, -0.97]))
    assert np.isfinite(f.predict(quantiles=(0.1, 0.9)).to_numpy()).all()


def test_non_finite_arma_coefficients_are_refused_at_load_saying_how_many(saved, tmp_path):
    from rnnlab.io.errors import CheckpointError

    with pytest.raises(CheckpointError, match=r"expected 3 finite coefficients .*found 3, "
                                              r"1 not finite"):
        _edited(saved, tmp_path, _set("arma", [float("nan"), 0.0, 0.0]))


def test_an_older_folder_without_arma_coefficients_refits_them_and_gives_quantiles(saved,
                                                                                   tmp_path):
    from rnnlab.forecast import Forecaster

    f = _edited(saved, tmp_path, lambda extra: extra.pop("arma"))
    same = Forecaster.load(saved[0])
    np.testing.assert_allclose(f.arma.coef, same.arma.coef, rtol=1e-9, atol=1e-12)
    df = f.predict(quantiles=(0.1, 0.9))
    assert (df["q0.1"] < df["mean"]).all() and (df["mean"] < df["q0.9"]).all()


def test_quantiles_that_overflow_are_refused_not_returned_as_inf():
    from rnnlab.io.errors import DataError

    rng = np.random.default_rng(0)
    hist = np.exp(np.cumsum(rng.normal(0, 1.0, 200)))  # log changes of spread 1
    arma = ARMA(1, 0)
    arma.coef = np.zeros(1)
    f = SimpleNamespace(pipeline=Pipeline(log=True, lag=1, scaler=make_scaler("standard")),
                        arma=arma, choice={"method": "arma", "scores": {"arma": 1.0}})
    assert np.isfinite(quantile_forecast(f, hist, np.full(3, 1e300), (0.1, 0.9))).all()
    with pytest.raises(DataError, match="not finite from step 1 of 3"):
        quantile_forecast(f, hist, np.full(3, 1e308), (0.1, 0.9))


# ---------------------------------------------------------------- rnnlab forecast --run
def test_cli_run_with_quantiles_writes_the_forecasters_intervals(saved, tmp_path, capsys):
    """A single-series run given --quantiles used to warn 'ignored --quantiles' and write
    the point forecast only."""
    import shutil

    import pandas as pd

    from rnnlab.cli import main
    from rnnlab.forecast import Forecaster

    shutil.copytree(saved[0], tmp_path / "run" / "model")
    out = tmp_path / "out.csv"
    assert main(["forecast", "--run", str(tmp_path / "run"), "--horizon", "8", "--quantiles",
                 "0.1", "0.9", "--output", str(out)]) == 0
    assert "ignored" not in capsys.readouterr().err
    got = pd.read_csv(out)
    assert list(got.columns) == ["time", "forecast", "q0.1", "q0.9"]
    want = Forecaster.load(saved[0]).predict(8, quantiles=(0.1, 0.9))
    np.testing.assert_allclose(got[["forecast", "q0.1", "q0.9"]].to_numpy(), want.to_numpy(),
                               rtol=1e-12)
    assert list(got.time) == [d.strftime("%Y-%m-%d") for d in want.index]
    assert main(["forecast", "--run", str(tmp_path / "run"), "--horizon", "2"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "time,forecast"  # none asked: as before


def test_cli_run_with_quantiles_of_a_model_without_intervals_says_why(tmp_path, capsys):
    from forecast_series import seasonal

    from rnnlab.cli import main
    from rnnlab.forecast import Forecaster

    Forecaster(difference="none", **TINY).fit(seasonal(96)).save(tmp_path / "run" / "model")
    assert main(["forecast", "--run", str(tmp_path / "run"), "--quantiles", "0.1",
                 "0.9"]) != 0
    assert "does not difference" in capsys.readouterr().err


# ---------------------------------------------------------------- Forecaster.plot
def _drawn(monkeypatch, f, tmp_path, **kw):
    """The forecast plot's axes (lines, collections) as f.plot draws them."""
    from rnnlab.forecast import plots

    seen = {}
    real = plots._save

    def keep(fig, path):
        ax = fig.axes[0]
        seen.update(lines={ln.get_label(): ln for ln in ax.get_lines()},
                    bands=[c for c in ax.collections
                           if type(c).__name__ in ("PolyCollection", "FillBetweenPolyCollection")],
                    labels=ax.get_legend_handles_labels()[1])
        return real(fig, path)

    monkeypatch.setattr(plots, "_save", keep)
    assert f.plot(tmp_path / "f.png", **kw).stat().st_size > 1000
    return seen


def test_the_forecast_plot_draws_the_future_forecast_in_its_80_percent_band(saved, tmp_path,
                                                                            monkeypatch):
    from rnnlab.forecast import Forecaster

    f = Forecaster.load(saved[0])
    seen = _drawn(monkeypatch, f, tmp_path)
    past = [b for b in seen["bands"] if b.get_label() == "80% interval"]  # (the other one:
    assert len(past) == 1 and "80% interval" in seen["labels"]  # the test part's, since 14)
    want = f.predict(quantiles=(0.1, 0.9))
    top = past[0].get_paths()[0].vertices[:, 1]
    np.testing.assert_allclose([top.min(), top.max()], [want["q0.1"].min(), want["q0.9"].max()])
    line = seen["lines"]["forecast past the data"]
    np.testing.assert_allclose(line.get_ydata(), want["mean"].to_numpy())
    given = _drawn(monkeypatch, f, tmp_path, future=f.predict(3))  # a Series: no band
    assert not given["bands"] and len(given["lines"]["forecast past the data"].get_ydata()) == 3


def test_the_forecast_plot_of_a_model_without_intervals_draws_the_forecast_alone(tmp_path,
                                                                                 monkeypatch):
    from forecast_series import seasonal

    from rnnlab.forecast import Forecaster

    f = Forecaster(val_size=0, **TINY).fit(seasonal(96))
    seen = _drawn(monkeypatch, f, tmp_path)
    assert not seen["bands"]
    np.testing.assert_allclose(seen["lines"]["forecast past the data"].get_ydata(),
                               f.predict().to_numpy())


def test_a_backtest_on_trading_days_scores_the_models_quantiles_on_its_own_dates():
    """DJI's business days skip holidays: the backtest runs on a stand-in calendar and puts
    the dates back; the model's quantiles must come through, ordered, beside naive's."""
    from rnnlab.forecast import Forecaster

    dji = _dji()
    res = Forecaster(**{**TINY, "lookback": 10, "horizon": 5}).backtest(
        dji, first_origin=15, stride=5, baselines=("naive",), quantiles=(0.1, 0.5, 0.9))
    fc = res.forecasts
    model = fc[fc.model == "model"]
    assert len(model) == 15 and model["ds"].isin(dji.index).all()
    q = model[["q0.1", "q0.5", "q0.9"]].to_numpy()
    assert np.isfinite(q).all() and (np.diff(q, axis=1) > 0).all()
    np.testing.assert_array_equal(model["q0.5"], model["mean"])
    cover = res.summary().set_index("model").loc["model", "coverage80"]
    inside = ((model["q0.1"] <= model["y"]) & (model["y"] <= model["q0.9"])).mean()
    assert cover == pytest.approx(inside)


def test_an_undated_array_without_a_period_is_told_how_to_get_intervals():
    """'auto' on an array without dates has no period, so no differencing: the error used to
    say fit with difference='auto' (what it had) or 'seasonal' (refused without a period)."""
    from forecast_series import seasonal

    from rnnlab.forecast import Forecaster
    from rnnlab.io.errors import DataError

    f = Forecaster(**TINY).fit(seasonal(96).to_numpy())
    with pytest.raises(DataError, match=r"difference='auto', period None.*fit with "
                                        r"difference='first', or 'auto' or 'seasonal' with "
                                        r"a period \(period=N, or dated data\)"):
        f.predict(quantiles=(0.1, 0.9))
    g = Forecaster(difference="first", **TINY).fit(seasonal(96).to_numpy())
    assert g.predict(quantiles=(0.1, 0.9)).notna().all().all()  # as it says


@pytest.mark.parametrize("extra", [["--quantiles", "10", "90"],
                                   ["--quantiles", "0.1", "0.9", "--difference", "none"],
                                   ["--quantiles", "0.1", "0.9", "--val-size", "0"],
                                   ["--quantiles", "0.1", "0.9", "--select", "network"]])
def test_one_series_quantiles_refused_by_the_options_is_a_usage_error(extra, tmp_path, capsys):
    # README: exit 2 for a usage error (a value or options that do not go together); the
    # one-series --quantiles refusals exited 1 (a DataError), the panel commands' 2
    from rnnlab.cli import main

    out = tmp_path / "run"
    assert main(["forecast", "--data", "airline", "--out", str(out), *extra]) == 2
    assert "--quantiles" in capsys.readouterr().err and not out.exists()
