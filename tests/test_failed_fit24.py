"""A forecaster's fit that raises (a tuner's pruning exception from ``on_epoch``, here)
leaves the forecaster as it was before the call: was a mix of the two fits (the previous
network, series and choice beside the new data's period and linear AR: a forecast that
was neither's; a panel model's histories emptied beside its previous members)."""

import numpy as np
import pandas as pd
import pytest
import torch

from rnnlab import Forecaster, GlobalForecaster
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
    from rnnlab.train.failed_fit import kept_unless_done

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


LM = dict(seq_len=16, batch_size=8, progress=False)
TEXT = "the time traveller was expounding a recondite matter to us. " * 40


def _weights(lm):
    return {k: v.clone() for k, v in lm.net.state_dict().items()}


def test_a_pruned_charlm_refit_leaves_the_previous_fit_whole():
    from rnnlab import CharLM

    lm = CharLM(hidden_size=8).fit(TEXT, epochs=2, **LM)
    w, hist, info, base = _weights(lm), lm.history, lm.info, lm.baselines
    with pytest.raises(Pruned):  # (was: the last step's weights beside the old history)
        lm.fit(TEXT[300:], epochs=4, lr=0.05, on_epoch=lambda e, r: _prune(e, r) if e >= 2
               else None, **LM)
    assert all(torch.equal(w[k], v) for k, v in lm.net.state_dict().items())
    assert lm.history is hist and lm.info is info and lm.baselines is base
    assert lm.train_config.epochs == 2


def test_a_pruned_first_charlm_fit_leaves_it_untrained():
    from rnnlab import CharLM, NotFittedError

    lm = CharLM(hidden_size=8)
    with pytest.raises(Pruned):
        lm.fit(TEXT, epochs=2, on_epoch=_prune, **LM)
    assert lm.net is None and lm.vocab is None and lm.train_config is None
    with pytest.raises(NotFittedError):
        lm.generate("the", 5)


def test_a_stopped_charlm_refit_says_the_stopped_fit_in_its_info():
    # Ctrl-C (TrainingInterrupted) keeps the new fit's best weights and epochs; its info
    # was the previous fit's (the other text's SHA-256, 2 epochs, "epochs done"), which
    # save recorded beside the new weights
    import os
    import signal

    from rnnlab import CharLM
    from rnnlab.train.stops import TrainingInterrupted

    lm = CharLM(hidden_size=8).fit(TEXT, epochs=2, **LM)
    before = lm.info["data_sha256"]

    def stop(epoch, record):
        if epoch == 3:
            os.kill(os.getpid(), signal.SIGINT)
    with pytest.raises(TrainingInterrupted):
        lm.fit(TEXT[300:], epochs=5, on_epoch=stop, **LM)
    assert len(lm.history) == 3 and lm.info["epochs"] == 3
    assert lm.info["stopped_by"] == "interrupted" and lm.info["data_sha256"] != before


def test_a_stop_that_brings_no_epochs_back_leaves_the_previous_charlm_fit_whole():
    # spawned workers' stop (devices=2) comes back without a history: nothing of that fit
    # reached the model, yet the new text's baselines and settings were kept beside
    # the previous weights and history (simulated here by a stop raised from on_epoch)
    from rnnlab import CharLM
    from rnnlab.train.stops import TrainingInterrupted

    lm = CharLM(hidden_size=8).fit(TEXT, epochs=2, **LM)
    w, hist, info, base = _weights(lm), lm.history, lm.info, lm.baselines

    def stop(epoch, record):
        raise TrainingInterrupted("stopped by a signal in worker rank 0", 130)
    with pytest.raises(TrainingInterrupted):
        lm.fit(TEXT[200:], epochs=3, on_epoch=stop, **LM)
    assert all(torch.equal(w[k], v) for k, v in lm.net.state_dict().items())
    assert lm.history is hist and lm.info is info and lm.baselines is base
    assert lm.train_config.epochs == 2
