"""What the session-28 type-check pass changed where mypy found a real gap.

An unfitted LinearAR or ARMA forecast with ``coef`` None: a bare TypeError ("'NoneType'
object is not subscriptable") before; now rnnlab's NotFittedError, saying what to call.
And what it must not change: an annotation added for the checker that torch reads."""

import numpy as np
import pandas as pd
import pytest

from rnnlab.forecast.arma import ARMA
from rnnlab.forecast.baselines import LinearAR, seasonal_naive
from rnnlab.io.errors import DataError, NotFittedError


@pytest.mark.parametrize("call", [
    lambda: LinearAR(3).forecast(np.arange(10.0), 2),
    lambda: LinearAR(3, constant=False).radius(),
    lambda: ARMA().forecast(np.arange(10.0), 2),
    lambda: ARMA().innovations(np.arange(10.0)),
    lambda: ARMA().forecast_many([np.arange(10.0)], 2),
    lambda: ARMA().innovations_many([np.arange(10.0), np.arange(12.0)]),
])
def test_unfitted_linear_models_say_not_fitted(call):
    with pytest.raises(NotFittedError, match="not fitted; call fit"):
        call()


def test_fitted_linear_models_still_forecast():
    z = np.sin(np.arange(60) / 3.0)
    ar = LinearAR(4).fit(z)
    assert ar.forecast(z, 3).shape == (3,)
    arma = ARMA().fit(np.diff(z))
    assert arma.forecast(np.diff(z), 3).shape == (3,)


def test_seasonal_naive_reads_a_labelled_series_by_position():
    s = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0], index=[10, 20, 30, 40, 50])
    np.testing.assert_array_equal(seasonal_naive(s, 5, 2), [4.0, 5.0, 4.0, 5.0, 4.0])
    with pytest.raises(DataError, match="needs one period"):
        seasonal_naive(s, 1, 6)


@pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated:DeprecationWarning")
def test_quantile_head_still_compiles_with_torchscript():
    # a class annotation added for the checker (tau: Tensor) is read by torch.jit.script,
    # which could not resolve its string and refused the head, alone or inside a model
    # whose forward calls it, both of which it compiled before
    import torch

    from rnnlab.panel.heads import QuantileHead

    class Model(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.body = torch.nn.Linear(2, 3)
            self.head = QuantileHead((0.1, 0.5, 0.9))

        def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
            out = self.body(x)
            return self.head.quantiles(out) + self.head.loss(out, y, y)

    model = Model()
    scripted = torch.jit.script(model)
    x, y = torch.randn(4, 5, 2), torch.randn(4, 5)
    torch.testing.assert_close(scripted(x, y), model(x, y))
    torch.jit.script(QuantileHead((0.2, 0.8)))
