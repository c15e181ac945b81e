"""rnnlab's 'drift' carries the model-space target's mean forward: the drift method on a
differenced series, a flat line at the mean level without differencing. The table of
`rnnlab forecast` says which (it called both 'drift' with no word)."""

from pathlib import Path

import numpy as np
import pytest
from forecast_series import seasonal

from rnnlab.forecast import Forecaster
from rnnlab.forecast.report import format_metrics

TINY = dict(hidden_size=4, epochs=2, ensemble=1, progress=False, lookback=6, horizon=6,
            test_size=6)


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("difference, flat", [("none", True), ("first", False)])
def test_the_table_says_when_drift_is_the_mean_level(difference, flat):
    y = seasonal(96, noise=1.0)
    f = Forecaster(difference=difference, **TINY).fit(y)
    ev = f.evaluate()
    text = " ".join(format_metrics(ev, Path("runs/x")).split())  # (its lines ≤ 80 columns)
    assert ("rnnlab's 'drift' is a flat forecast" in text) is flat
    drift = np.asarray(ev["predictions"]["drift"])
    g = f.pipeline.transform(np.asarray(y, np.float64)[:f.n_train])  # (logs here)
    if flat:  # what the note says: one level, the training part's mean (of the logs)
        assert np.allclose(drift, drift[0])
        assert f.pipeline.transform(drift[:1])[0] == pytest.approx(g.mean(), rel=1e-9)
    else:  # the drift method: from the last value, the mean step per step (in logs)
        assert np.allclose(np.diff(f.pipeline.transform(drift)), np.diff(g).mean(), rtol=1e-6)
