"""A backtest of a panel read on a week with a holidays clause ('Mon Tue Wed Thu Fri
holidays=US') cuts it at each origin with its clause (``week``), so a model fitted there
forecasts past the years its ``freq`` closes on the dates the panel's forecast draws
(2026-01-01 closed). An object of a PanelFrame's shape that is not a dataclass was rebuilt
bare at each origin (``type(panel)(df=, freq=, period=, ids=)``): its clause was lost, and
the cut's far forecast fell on New Year's Day 2026 where the panel's did not."""

import pandas as pd
import pytest

from rnnlab.panel import read_panel
from rnnlab.panel.backtest import backtest
from rnnlab.panel.baselines import Naive
from test_panel_week27 import NEW_YEAR, WEEK, _long

pytest.importorskip("holidays")
FAR = 540  # (open days after 2023-12: into 2026)


class Shaped:
    """A panel of a PanelFrame's shape (a user's own class), not a dataclass."""

    def __init__(self, df, freq, period, ids, week=None):
        self.df, self.freq, self.period, self.ids, self.week = df, freq, period, ids, week


def _far_dates_at_each_origin(panel) -> list:
    """The dates of a forecast FAR steps on from each origin's cut of ``panel``, and the
    cuts' clauses."""
    seen = []

    class Far(Naive):
        def fit(self, cut, static=None):
            seen.append((getattr(cut, "week", None), pd.DatetimeIndex(
                Naive().fit(cut).predict(FAR)["ds"])))
            return super().fit(cut, static)
    backtest(Far, panel, horizon=5, first_origin=10, stride=5, refit=1)
    return seen


def _panel():
    df = pd.concat([_long(), _long().assign(unique_id="b")], ignore_index=True)
    return read_panel(df, weekmask=WEEK)


@pytest.mark.parametrize("shape", ["PanelFrame", "not a dataclass"])
def test_each_origins_cut_forecasts_on_the_panels_dates(shape):
    panel = _panel()
    given = panel if shape == "PanelFrame" else Shaped(panel.df, panel.freq, panel.period,
                                                       panel.ids, panel.week)
    seen = _far_dates_at_each_origin(given)
    assert len(seen) == 2 and all(week == WEEK for week, _ in seen)
    for j, (_, ds) in enumerate(seen):  # (the forecast of the panel cut there: its dates)
        cut = panel.cut(10 - 5 * j)
        assert ds.equals(pd.DatetimeIndex(Naive().fit(cut).predict(FAR)["ds"]))
        assert NEW_YEAR not in ds and ds[-1].year == 2026


def test_a_class_without_a_week_is_rebuilt_as_before():
    class Bare:
        def __init__(self, df, freq, period, ids):
            self.df, self.freq, self.period, self.ids = df, freq, period, ids
    panel = _panel()
    shaped = Bare(panel.df, panel.freq, panel.period, panel.ids)
    shaped.week = WEEK  # (set on the object, not taken by its class: not passed)
    res = backtest(None, shaped, horizon=5, first_origin=10, stride=5, baselines=("naive",))
    assert len(res.forecasts) == 2 * 2 * 5
