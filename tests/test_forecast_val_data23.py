"""``Forecaster.fit(data, val_data=..., on_epoch=...)``: a validation series of one's own
(Keras' ``validation_data``, CharLM's ``val_text``) and an epoch hook (``rnnlab.train.fit``'s
and ``CharLM.fit``'s ``on_epoch``).

Was: the one-series Forecaster validated only on the tail it cut from the training part, and
``fit(y, validation_data=...)``, ``fit(y, callbacks=...)`` and ``fit(y, on_epoch=...)`` were
each "unexpected keyword argument", with no word of what does it here."""

import numpy as np
import pandas as pd
import pytest
from forecast_series import seasonal

from rnnlab.forecast import Forecaster
from rnnlab.io.errors import ConfigTypeError, DataError

TINY = dict(hidden_size=4, epochs=3, ensemble=1, progress=False, lookback=6, horizon=6)


def test_val_data_is_the_validation_tail_of_data_and_val_data_joined():
    """fit(y[:-20], val_data=y[-20:]) is the fit of y with a validation tail of 20 and no
    test part: the same early stopping losses, choice scores and forecast."""
    s = seasonal()
    a = Forecaster(**TINY).fit(s[:-20], val_data=s[-20:])
    b = Forecaster(**TINY, val_size=20, test_size=0).fit(s)
    assert a.histories == [{**h, "seconds": a.histories[0]["seconds"],
                            "cpu_seconds": a.histories[0]["cpu_seconds"],
                            "epochs": [dict(e, seconds=r["seconds"],
                                            cpu_seconds=r["cpu_seconds"]) for e, r in
                                       zip(h["epochs"], a.histories[0]["epochs"])]}
                           for h in b.histories]
    assert a.choice["scores"] == b.choice["scores"] and a.choice["origins"] == 4
    pd.testing.assert_series_equal(a.predict(), b.predict())
    assert a.predict().index[0] == pd.Timestamp("2008-01-01")  # (after val_data's end)
    assert a.config.val_size is None and a.config.test_size is None  # (the next fit's)


def test_early_stopping_and_the_choice_see_val_data_and_training_does_not():
    """Other validation values change the validation losses and scores, not the first
    epoch's training loss (the network never trains on them)."""
    s = seasonal()
    a = Forecaster(**TINY).fit(s[:-20], val_data=s[-20:])
    other = s[-20:] + 50 * np.sin(np.arange(20))
    b = Forecaster(**TINY).fit(s[:-20], val_data=other)
    ea, eb = a.histories[0]["epochs"], b.histories[0]["epochs"]
    assert ea[0]["train_loss"] == eb[0]["train_loss"]
    assert ea[0]["val_loss"] != eb[0]["val_loss"]
    assert a.choice["scores"] != b.choice["scores"]


def test_arrays_follow_the_data_whatever_their_positions():
    y = seasonal().to_numpy()
    f = Forecaster(**TINY).fit(y[:80], val_data=y[80:])
    assert f.n_train == 96 and f.predict().index[0] == 96


@pytest.mark.parametrize("val, said", [
    (lambda s: s[70:], "before or at the end of the data's last"),  # (overlaps)
    (lambda s: s[82:], "a gap"),
    (lambda s: s[80:].to_numpy(), "data has dates and val_data none"),
    (lambda s: s[80:0], "val_data: series .y. is empty"),
])
def test_val_data_that_does_not_follow_the_data_is_refused(val, said):
    s = seasonal()
    with pytest.raises(DataError, match=said):
        Forecaster(**TINY).fit(s[:80], val_data=val(s))


def test_labelled_numbers_must_follow_too():
    y = pd.Series(seasonal().to_numpy())  # (labels 0 .. 95)
    with pytest.raises(DataError, match="labelled 70, before"):
        Forecaster(**TINY).fit(y[:80], val_data=y[70:])
    Forecaster(**{**TINY, "epochs": 1}).fit(y[:80], val_data=y[80:])


@pytest.mark.parametrize("setting", [dict(val_size=12), dict(test_size=6)])
def test_val_data_with_a_split_setting_is_refused(setting):
    s = seasonal()
    with pytest.raises(DataError, match=f"{next(iter(setting))}=.* would cut the series too"):
        Forecaster(**TINY, **setting).fit(s[:80], val_data=s[80:])


def test_evaluate_after_val_data_says_nothing_was_held_out():
    s = seasonal()
    f = Forecaster(**{**TINY, "epochs": 1}).fit(s[:80], val_data=s[80:])
    with pytest.raises(DataError, match="fit with val_data, after which nothing is held out"):
        f.evaluate()


def test_on_epoch_runs_for_each_member_and_its_fields_stay_in_the_history():
    seen = []

    def hook(epoch, record):
        seen.append((record["member"], epoch))
        record["twice"] = 2 * record["train_loss"]

    f = Forecaster(**{**TINY, "ensemble": 2, "patience": None}).fit(seasonal(), on_epoch=hook)
    assert seen == [(0, 1), (0, 2), (0, 3), (1, 1), (1, 2), (1, 3)]
    for h in f.histories:
        for e in h["epochs"]:
            assert e["twice"] == 2 * e["train_loss"] and "member" not in e


def test_a_bad_on_epoch_is_refused_before_the_data_is_read():
    with pytest.raises(ConfigTypeError, match="on_epoch must be a function"):
        Forecaster(**TINY).fit("no-such-file.csv", on_epoch=3)


@pytest.mark.parametrize("keras, ours", [("validation_data", "val_data="),
                                         ("callbacks", "on_epoch=fn")])
def test_keras_names_say_what_does_it_here(keras, ours):
    with pytest.raises(ConfigTypeError, match=f"'{keras}' \\(here: {ours}"):
        Forecaster(**TINY).fit(seasonal(), **{keras: None})


def test_keras_validation_split_is_named_as_val_size():
    """Was: "unknown setting 'validation_split' (did you mean validation?)": the rollout |
    one_step setting, not the validation tail's size."""
    with pytest.raises(ConfigTypeError, match=r"'validation_split' \(here: val_size=\)"):
        Forecaster(validation_split=0.2)
    with pytest.raises(ConfigTypeError, match=r"Forecaster\(val_size=\.\.\.\), not to fit"):
        Forecaster(**TINY).fit(seasonal(), validation_split=0.2)


def test_an_on_epoch_the_workers_cannot_receive_is_refused_before_the_data_is_read():
    from rnnlab.io.errors import OptionError

    with pytest.raises(OptionError, match="cannot be sent to the 2 training processes"):
        Forecaster(**TINY).fit("no-such-file.csv", devices=2, accelerator="cpu",
                               on_epoch=lambda epoch, record: None)


def test_data_too_short_before_val_data_is_said_as_such():
    """Was: "series has 20 points, too short ... use val_size=0", counting val_data in
    and offering what val_data refuses."""
    y = seasonal().to_numpy()
    with pytest.raises(DataError, match="the data before val_data has 5 points"):
        Forecaster(**TINY).fit(y[:5], val_data=y[5:20])
