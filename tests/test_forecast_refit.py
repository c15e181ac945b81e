"""Refitting the chosen model on the whole training part after the choice (config.refit)."""

import numpy as np
import pytest
import torch
from forecast_series import seasonal

from rnnlab.forecast import Forecaster, ForecastConfig
from rnnlab.forecast import forecaster as F
from rnnlab.forecast import refit as R  # (Forecaster._refit's: rnnlab.forecast.refit)
from rnnlab.io.errors import DataError

TINY = dict(hidden_size=4, epochs=4, ensemble=2, progress=False, lookback=6, horizon=6)


_seasonal = seasonal


def test_refit_trains_on_the_validation_tail_for_the_best_epoch_count(monkeypatch, tmp_path):
    s = _seasonal()
    seen = []
    real = R.refit_members

    def spy(payload, histories, x, y):
        seen.append((len(payload["x"]), len(x)))
        return real(payload, histories, x, y)

    monkeypatch.setattr(R, "refit_members", spy)
    kept = Forecaster(**TINY, select="network").fit(s)  # default: the linear AR alone refitted
    assert not seen and kept.choice["refit"] == ["linear_ar", "linear_ar0", "arma"]
    f = Forecaster(**TINY, select="network", refit=True).fit(s)
    n_fit_windows, n_all_windows = seen[0]
    assert n_all_windows - n_fit_windows == 6 + 3 * 1  # the tail: horizon + 3 * (6 // 4)
    # the choice and its scores are those of the validation (before the refit)
    assert f.choice["scores"] == kept.choice["scores"]
    assert f.choice["refit"] == ["linear_ar", "linear_ar0", "arma", "network"]
    for h in f.histories:
        assert h["refit"]["epochs"] == h["best_epoch"] >= 1
    for a, b in zip(f.net.members, kept.net.members):
        assert any(not torch.equal(p, q) for p, q in zip(a.state_dict().values(),
                                                         b.state_dict().values()))
    from rnnlab.forecast.baselines import LinearAR

    n_fit = f.n_train - 9  # the validation tail: 6 + 3 * 1
    before = LinearAR(6).fit(f.pipeline.to_model(s.values[:n_fit]))
    np.testing.assert_allclose(f.ar.coef, kept.ar.coef)  # both saw the tail (always refitted)
    assert not np.allclose(f.ar.coef, before.coef)
    # the reported choice is what predict() returns, also after save/load
    np.testing.assert_allclose(f.predict(6).values,
                               f.forecast_with(f.choice["method"], s.values, 6))
    g = Forecaster.load(f.save(tmp_path / "m"))
    np.testing.assert_allclose(g.predict(6).values, f.predict(6).values, rtol=1e-6)
    assert g.config.refit is True and g.choice["refit"] == ["linear_ar", "linear_ar0", "arma", "network"]


def test_refit_of_a_baseline_choice_leaves_the_network_alone():
    s = _seasonal()
    f = Forecaster(**{**TINY, "ensemble": 1}, select="drift", refit=True).fit(s)
    assert f.choice["method"] == "drift" and f.choice["refit"] == ["linear_ar", "linear_ar0", "arma"]
    assert all("refit" not in h for h in f.histories)
    g = Forecaster(**{**TINY, "ensemble": 1}, val_size=0, refit=True).fit(s)  # no validation: no refit
    assert "refit" not in g.choice


def test_refit_option_reaches_the_command_line_and_is_checked():
    from rnnlab.forecast.config import yes_no

    assert yes_no("no") is False and yes_no("Yes") is True
    with pytest.raises(Exception, match="yes or no"):
        yes_no("maybe")
    with pytest.raises(DataError, match="refit"):
        ForecastConfig(refit="no")
    assert ForecastConfig().refit is False  # off by default (see BENCHMARKS.md)


def test_cuda_graphs_option_reaches_each_members_training(monkeypatch):
    """--cuda-graphs / cuda_graphs= is handed to every member's TrainConfig; on the CPU
    "on" is refused saying why, "auto" trains eagerly."""
    from rnnlab.io.errors import RnnlabError

    seen = []
    real = F.run_training

    def spy(payload, dev_cfg):
        seen.append(payload["config"].cuda_graphs)
        return real(payload, dev_cfg)

    monkeypatch.setattr(F, "run_training", spy)
    s = _seasonal()
    f = Forecaster(**{**TINY, "ensemble": 1}, cuda_graphs="auto").fit(s)
    assert seen == ["auto"] and np.isfinite(f.predict(3).values).all()
    with pytest.raises(RnnlabError, match="cuda_graphs='on' cannot capture"):
        Forecaster(**{**TINY, "ensemble": 1}, cuda_graphs="on").fit(s)
    with pytest.raises(DataError, match="cuda_graphs"):
        ForecastConfig(cuda_graphs="always")
