"""An ``on_epoch`` that cannot be called as ``fn(epoch, record)`` is refused before any
training, as a ConfigTypeError (was: Python's TypeError after the first epoch had trained,
which a tuner catching RnnlabError did not catch)."""

import pytest

from rnnlab import CharLM, Forecaster, GlobalForecaster
from rnnlab.io.errors import ConfigTypeError
from rnnlab.train.checks import check_on_epoch
from test_panel_train_options22 import TINY, _frame


def one(epoch):
    return None


@pytest.mark.parametrize("fit", [
    lambda hook: Forecaster(epochs=1, ensemble=1, progress=False).fit("airline", on_epoch=hook),
    lambda hook: GlobalForecaster(**TINY).fit(_frame(), on_epoch=hook),
    lambda hook: CharLM(hidden_size=4).fit("abc " * 100, epochs=1, progress=False,
                                           on_epoch=hook)])
def test_a_hook_of_one_argument_is_refused_before_training(fit):
    with pytest.raises(ConfigTypeError, match=r"called as fn\(epoch, record\).*one\(epoch\)"):
        fit(one)


@pytest.mark.parametrize("hook", [lambda e, r: None, lambda e, logs=None: None,
                                  lambda *a: None, lambda e, r, **k: None, print])
def test_hooks_that_take_epoch_and_record_pass(hook):
    check_on_epoch(hook)
