"""What :meth:`Forecaster.evaluate` returns: a DataFrame of metrics by method that still
answers the dict keys it had before.

    ev = f.evaluate()
    ev                         # rows: model (what predict() uses), network, seasonal_naive,
                               # naive, drift, linear_ar
                               # columns: rmse, mae, mape, smape, mase, mse (one multi-step
                               # forecast from the end of the training part, original scale)
    ev.loc["model", "rmse"]    # a number
    ev["forecast"]["model"]    # the dict of before, as are ev["one_step"], ev["by_step"],
                               # ev["predictions"], ev["model"], ev["choice"], ...
    ev.details                 # that whole dict (JSON-ready)
"""

from __future__ import annotations

import pandas as pd

COLUMNS = ("rmse", "mae", "mape", "smape", "mase", "mse")
ORDER = ("model", "network", "seasonal_naive", "naive", "drift", "linear_ar")


class Evaluation(pd.DataFrame):
    """Metrics by method (rows) of the multi-step forecast over the test part; a key of the
    details dict that is not a column name (``"forecast"``, ``"choice"``, ...) returns that
    detail."""

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

    def _detail(self, key) -> bool:
        return isinstance(key, str) and key not in self.columns and key in self.details

    def __getitem__(self, key):
        if self._detail(key):
            return self.details[key]
        return super().__getitem__(key)

    def __contains__(self, key) -> bool:
        return self._detail(key) or super().__contains__(key)

    def get(self, key, default=None):
        if self._detail(key):
            return self.details[key]
        return super().get(key, default)
