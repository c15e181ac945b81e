"""RWDrift's intervals are the drift's own, fpp3's (fable's RW(y ~ drift())): the quantiles
of ``N(yhat, sigma^2 h (1 + h / (n - 1)))``, ``sigma`` the spread of the one-step changes
about the drift. They were the naive's own (the empirical h-step differences), which leave
out the error in the estimated drift: on 24-step random walks the 80% interval 12 steps
ahead held the truth 35% of the time, a silently too-narrow interval."""

import math
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest

from rnnlab.panel import Naive, RWDrift, load_panel, read_panel


def _walks(n: int, h: int, k: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    y = 100 + np.cumsum(0.5 + rng.normal(size=(k, n + h)), axis=1)
    ds = pd.date_range("2000-01-01", periods=n + h, freq="MS")
    return read_panel(pd.DataFrame({"unique_id": np.repeat([f"s{i}" for i in range(k)], n + h),
                                    "ds": np.tile(ds, k), "y": y.ravel()}))


def test_the_quantiles_are_fables_drift_interval_by_hand():
    panel = load_panel("visnights")
    train, h = panel.cut(8), 8
    levels = (0.025, 0.1, 0.5, 0.9, 0.975)
    fc = RWDrift(quantiles=levels).fit(train).predict(h)
    for uid in panel.ids[:4]:
        y = train.series(uid)["y"].to_numpy()
        n = len(y)
        d = np.diff(y)
        b = d.mean()  # (y_n - y_1) / (n - 1)
        sigma = math.sqrt(((d - b) ** 2).sum() / (n - 2))  # lm(diff(y) ~ 1)'s sigma
        steps = np.arange(1, h + 1)
        se = sigma * np.sqrt(steps * (1 + steps / (n - 1)))
        mine = fc[fc["unique_id"] == uid]
        assert np.allclose(mine["mean"], y[-1] + b * steps)
        for t in levels:
            by_hand = y[-1] + b * steps + NormalDist().inv_cdf(t) * se
            assert np.allclose(mine[f"q{t}"], by_hand), t


def test_the_interval_is_wider_than_the_naives_by_the_drifts_own_error():
    panel = _walks(24, 12, 50)
    drift = RWDrift().fit(panel).predict(12)
    naive = Naive().fit(panel).predict(12)
    w_drift = (drift["q0.9"] - drift["q0.1"]).to_numpy().reshape(50, 12)
    w_naive = (naive["q0.9"] - naive["q0.1"]).to_numpy().reshape(50, 12)
    assert not np.allclose(w_drift, w_naive)  # (they were the naive's own)
    assert (w_drift[:, -1] > w_drift[:, 0]).all()


@pytest.mark.parametrize("n", [24, 120])
def test_the_80_interval_covers_a_short_random_walk_with_drift_at_every_step(n):
    h, k = 12, 400
    panel = _walks(n, h, k, seed=1)
    fc = RWDrift().fit(panel.cut(h)).predict(h)
    t = fc.merge(panel.df, on=["unique_id", "ds"])
    inside = ((t["y"] >= t["q0.1"]) & (t["y"] <= t["q0.9"])).groupby(t["step"]).mean()
    assert inside.min() >= 0.72 and inside.max() <= 0.88, inside.round(3).tolist()


def test_min_residuals_which_it_does_not_read_is_refused():
    from rnnlab.io.errors import ConfigTypeError

    with pytest.raises(ConfigTypeError, match="min_residuals"):
        RWDrift(min_residuals=5)


@pytest.mark.parametrize("data", ["airline", "visnights"])
def test_model_drift_names_rw_drift_and_the_one_series_drift_apart(data, capsys):
    # one series: --model drift was "unknown model 'drift'; known models: rnn, ..." (the
    # architectures), though its table has a drift row; a panel named rw_drift alone
    from rnnlab.cli import main

    assert main(["forecast", "--data", data, "--model", "drift"]) == 2  # (a usage error)
    err = " ".join(capsys.readouterr().err.split())
    assert "--model drift: not a model here; 'drift' is 'rw_drift' here" in err
    assert "--model rw_drift" in err and "seasonal naive grown" in err
    assert "known models" not in err


def test_model_snaive_on_one_series_names_seasonal_naive(capsys):
    from rnnlab.cli import main

    assert main(["forecast", "--data", "airline", "--model", "snaive"]) == 2
    assert "'snaive' is 'seasonal_naive' here" in capsys.readouterr().err
