"""What :meth:`Forecaster.evaluate` returns: a DataFrame of metrics by method that still
answers the dict keys it had before.

    ev = f.evaluate()
    ev                         # rows: model, seasonal_naive, naive, drift, linear_ar
                               # columns: rmse, mae, mape, smape, mase, mse (one multi-step
                               # forecast from the end of the training part, original scale)
    ev.loc["model", "rmse"]    # a number
    ev["forecast"]["model"]    # the dict of before, as are ev["one_step"], ev["by_step"],
                               # ev["predictions"], ev["model"], ev["test_size"], ...
    ev.details                 # that whole dict (JSON-ready)
"""

from __future__ import annotations

import pandas as pd

COLUMNS = ("rmse", "mae", "mape", "smape", "mase", "mse")
ORDER = ("model", "seasonal_naive", "naive", "drift", "linear_ar")
# the keys of the dict evaluate() returned before it returned a DataFrame
KEYS = ("test_size", "n_train", "period", "forecast", "one_step", "by_step", "predictions",
        "model")


class Evaluation(pd.DataFrame):
    """Metrics by method (rows) of the multi-step forecast over the test part; the dict
    keys of :data:`KEYS` (never column names) return the evaluation's details."""

    _metadata = ["details"]

    @property
    def _constructor(self):  # a slice or a computed frame is a plain DataFrame
        return pd.DataFrame

    @classmethod
    def of(cls, details: dict) -> "Evaluation":
        names = [m for m in ORDER if m in details["forecast"]]
        names += [m for m in details["forecast"] if m not in names]
        rows = [[details["forecast"][m].get(c, float("nan")) for c in COLUMNS] for m in names]
        ev = cls(pd.DataFrame(rows, index=pd.Index(names, name="method"), columns=list(COLUMNS)))
        ev.details = details
        return ev

    def __getitem__(self, key):
        if isinstance(key, str) and key in KEYS and key not in self.columns:
            return self.details[key]
        return super().__getitem__(key)
