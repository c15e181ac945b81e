"""The ETS baseline's fit without statsmodels' results object (session 22): the same
specification, parameters, AICc and forecasts as through ``ETSModel.fit()``'s results,
without the numerical Hessian those computed on every fit (a quarter of ETS's time)."""

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("statsmodels")

from rnnlab.panel import ets as E  # noqa: E402
from rnnlab.panel.frame import read_panel  # noqa: E402


def _series():
    rng = np.random.default_rng(7)
    t = np.arange(40.0)
    return {"season": 50 + 5 * np.sin(2 * np.pi * t / 7) + rng.normal(0, 1, 40),
            "trend": 10 + 0.4 * t + rng.normal(0, 0.5, 40),
            "short": 3 + rng.normal(0, 0.3, 12),  # no season; estimated where heuristic fails
            "tiny": np.array([4.0, 5.0, 4.5, 6.0, 5.5])}


def _panel():
    rows = [pd.DataFrame({"unique_id": k, "ds": pd.date_range("2021-01-01", periods=len(y)),
                          "y": y}) for k, y in _series().items()]
    return read_panel(pd.concat(rows, ignore_index=True))


@pytest.mark.parametrize("initialization", ["heuristic", "estimated"])
def test_params_and_aicc_are_statsmodels_results_own(initialization):
    import warnings

    model = E.ETS(initialization=initialization)
    checked = 0
    for name, y in _series().items():
        for spec in model._specs(len(y), 7):
            s = dict(spec, initialization_method=initialization)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    res = E.ETS._model(y, s).fit(disp=False)
                except ValueError:  # (the heuristic on too short a series)
                    continue
                params, aicc = E._fitted(E.ETS._model(y, s))
            np.testing.assert_array_equal(params, np.asarray(res.params), err_msg=name)
            assert aicc == res.aicc or (np.isnan(aicc) and np.isnan(res.aicc)), name
            checked += 1
    assert checked >= 6


def test_fit_builds_no_results_and_forecasts_as_through_them(monkeypatch):
    """Was: every specification tried on every series built ETSResults, whose __init__
    computes a numerical Hessian; predict still builds one per series (its intervals)."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    panel = _panel()
    made = []
    hessian = ETSModel.hessian
    monkeypatch.setattr(ETSModel, "hessian", lambda self, *a, **k: (
        made.append(1), hessian(self, *a, **k))[1])
    fitted = E.ETS().fit(panel)
    assert made == []
    new = fitted.predict(5)
    assert len(made) == len(panel.ids)

    def through_results(model):  # what _fit_one read before: fit()'s results
        res = model.fit(disp=False)
        return np.asarray(res.params), res.aicc

    monkeypatch.setattr(E, "_fitted", through_results)
    old = E.ETS().fit(panel)
    assert {k: v[0] for k, v in old._fits.items()} == {k: v[0] for k, v in fitted._fits.items()}
    for uid in panel.ids:
        np.testing.assert_array_equal(old._fits[uid][1], fitted._fits[uid][1])
    pd.testing.assert_frame_equal(old.predict(5), new)


@pytest.mark.parametrize("n", [10, 11, 12])
def test_few_seasons_aicc_matches_statsmodels_also_where_it_is_infinite(n):
    """Two seasons and a little (period 4, 10-12 values): the heuristic cannot start, the
    initial states are estimated, and the damped seasonal model has as many parameters
    as values or more; statsmodels' AICc is then inf (no negative penalty that would pick
    the largest model), and the fit here says the same and keeps the model it can judge."""
    import warnings

    rng = np.random.default_rng(n)
    y = 10 + np.tile([1.0, -1.0, 2.0, -2.0], 4)[:n] + rng.normal(0, 0.5, n)
    model = E.ETS()
    aiccs = []
    for spec in model._specs(n, 4):
        assert spec.get("seasonal") == "add"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            s, params, aicc = model._fit_one(y, spec)
            res = E.ETS._model(y, s).fit(disp=False)
        assert "initialization_method" not in s  # (estimated: the heuristic needs 14)
        np.testing.assert_array_equal(params, np.asarray(res.params))
        assert aicc == res.aicc
        aiccs.append(aicc)
    assert np.isfinite(aiccs[0]) and aiccs[1] == np.inf  # (none: 8 parameters; damped: 11)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        spec, _ = model._fit_series("s", y, type("P", (), {"period": 4})())
    assert spec["trend"] is None
