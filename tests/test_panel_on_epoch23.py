"""``GlobalForecaster.fit(panel, on_epoch=fn)``, as the one-series Forecaster's,
``rnnlab.train.fit``'s and ``CharLM.fit``'s (was: "unexpected keyword argument
'on_epoch'"); Keras' ``callbacks`` and ``validation_data`` named with what does it here."""

import pytest

from rnnlab.io.errors import ConfigTypeError
from rnnlab.panel import GlobalForecaster
from test_panel_train_options22 import TINY, _frame


@pytest.mark.parametrize("local", [False, True])
def test_on_epoch_runs_after_each_epoch_of_each_member(local):
    seen = []

    def hook(epoch, record):
        seen.append((record["member"], epoch))
        record["half"] = record["train_loss"] / 2

    f = GlobalForecaster(**{**TINY, "epochs": 2, "ensemble": 2}, local=local).fit(
        _frame(series=2), on_epoch=hook)
    per_model = [(0, 1), (0, 2), (1, 1), (1, 2)]
    assert seen == per_model * (2 if local else 1)
    histories = [h for m in f.local.values() for h in m.histories] if local else f.histories
    for h in histories:
        for e in h["epochs"]:
            assert e["half"] == e["train_loss"] / 2 and "member" not in e


def test_a_bad_on_epoch_is_refused_before_training():
    with pytest.raises(ConfigTypeError, match="on_epoch must be a function"):
        GlobalForecaster(**TINY).fit(_frame(), on_epoch="print")


@pytest.mark.parametrize("keras, ours", [("callbacks", "on_epoch=fn"),
                                         ("validation_data", "the last val_size points")])
def test_keras_names_say_what_does_it_here(keras, ours):
    with pytest.raises(ConfigTypeError, match=f"'{keras}' \\(here: {ours}"):
        GlobalForecaster(**TINY).fit(_frame(), **{keras: None})
