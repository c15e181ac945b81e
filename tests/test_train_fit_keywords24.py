"""``rnnlab.train.fit(..., callbacks=[...])`` (a Keras user's first guess) was Python's bare
"fit() got an unexpected keyword argument 'callbacks'", with no word of ``on_epoch``; the
other peers' keywords and TrainConfig's settings given to fit are named the same way."""

import pytest
import torch

from rnnlab.io.errors import ConfigTypeError
from rnnlab.train import TensorTask, TrainConfig, fit


def _args():
    x, y = torch.randn(8, 3), torch.randn(8, 1)
    return torch.nn.Linear(3, 1), TensorTask(x, y), TrainConfig(epochs=1, progress=False)


def test_callbacks_point_to_on_epoch():
    with pytest.raises(ConfigTypeError, match=r"'callbacks' \(here: on_epoch=fn\(epoch, "
                                              r"record\).*patience"):
        fit(*_args(), callbacks=[lambda epoch, logs: None])


@pytest.mark.parametrize("key, ours", [
    ("validation_data", r"TensorTask\(x, y, val="),
    ("epochs", r"a setting of the config: cfg=TrainConfig\(epochs="),
    ("verbose", r"TrainConfig\(progress=False\)"),
    ("on_epochs", r"did you mean on_epoch\?")])
def test_other_keywords_named_with_ours(key, ours):
    with pytest.raises(TypeError, match=ours):
        fit(*_args(), **{key: 0})


def test_nothing_trains_before_the_refusal():
    model, task, cfg = _args()
    before = [p.detach().clone() for p in model.parameters()]
    with pytest.raises(ConfigTypeError, match="unexpected keyword arguments 'callbacks'.*'x'"):
        fit(model, task, cfg, callbacks=[], x=None)
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters()))


def test_on_epoch_still_runs():
    seen = []
    fit(*_args(), on_epoch=lambda epoch, record: seen.append(epoch))
    assert seen == [1]  # (epochs counted from 1, as in the history)
