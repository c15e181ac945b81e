"""A forecaster's fit that raises (a tuner's pruning exception from ``on_epoch``, here)
leaves the forecaster as it was before the call: was a mix of the two fits (the previous
network, series and choice beside the new data's period and linear AR: a forecast that
was neither's; a panel model's histories emptied beside its previous members)."""

import numpy as np
import pandas as pd
import pytest

from rnnlab import Forecaster, GlobalForecaster
from rnnlab.train.failed_fit import kept_unless_done
from test_panel_train_options22 import TINY, _frame

ONE = dict(model="gru", hidden_size=4, epochs=2, ensemble=1, progress=False, horizon=6,
           test_size=12)


class Pruned(Exception):
    pass


def _prune(epoch, record):
    raise Pruned(f"epoch {epoch}")


def _trend(n=96):
    t = np.arange(n)
    return pd.Series(1000 + 10 * t + 50 * np.sin(t * 2 * np.pi / 12), name="y",
                     index=pd.date_range("2000-01-01", periods=n, freq="MS"))


def test_a_pruned_refit_leaves_the_previous_fit_whole():
    f = Forecaster(**ONE).fit(_trend())
    before, text, hist = f.predict().to_numpy(), repr(f), f.histories
    with pytest.raises(Pruned):
        f.fit("airline", on_epoch=_prune)
    np.testing.assert_array_equal(f.predict().to_numpy(), before)  # (was airline's AR)
    assert repr(f) == text and f.histories is hist and f.period == 12


def test_a_pruned_first_fit_leaves_it_unfitted():
    f = Forecaster(**ONE)
    with pytest.raises(Pruned):
        f.fit(_trend(), on_epoch=_prune)
    assert f.period is None and f.ar is None and f.net is None and "not fitted" in repr(f)


def test_a_pruned_panel_refit_keeps_its_histories_and_data_identity():
    g = GlobalForecaster(**TINY).fit(_frame())
    before, hist, sha = g.predict(), g.histories, g.data_sha256
    with pytest.raises(Pruned):
        g.fit(_frame(seed=1), on_epoch=_prune)
    assert g.histories is hist and len(hist) == 1 and g.data_sha256 == sha  # (were [], new)
    pd.testing.assert_frame_equal(g.predict(), before)


def test_kept_unless_done_puts_back_added_and_replaced_attributes():
    class Thing:
        pass
    t = Thing()
    t.a = 1
    with pytest.raises(KeyboardInterrupt), kept_unless_done(t):
        t.a, t.b = 2, 3
        raise KeyboardInterrupt
    assert vars(t) == {"a": 1}
    with kept_unless_done(t):
        t.a = 4
    assert vars(t) == {"a": 4}
