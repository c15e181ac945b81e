"""Session 19's merged branches reviewed together: what each tested alone."""

import pytest
import torch

import rnnlab
from rnnlab.io.errors import RnnlabError


def test_shape_and_mismatch_errors_are_rnnlab_errors():
    """``except RnnlabError`` catches a wrong shape or dtype given to rnnlab.nn, as every
    other failure rnnlab raises (ShapeError and MismatchError were ValueError and
    RuntimeError only)."""
    from rnnlab.nn import LSTM

    lstm = LSTM(3, 4).double()
    with pytest.raises(RnnlabError) as err:
        lstm(torch.zeros(5, 2, 7, dtype=torch.float64))  # 7 features, not 3
    assert isinstance(err.value, rnnlab.ShapeError) and isinstance(err.value, RuntimeError)
    with pytest.raises(RnnlabError) as err:
        lstm(torch.zeros(5, 2, 3, dtype=torch.float32))  # float32 into a float64 LSTM
    assert isinstance(err.value, rnnlab.MismatchError) and isinstance(err.value, ValueError)


def test_not_fitted_error_at_the_top_level():
    """The error of a model used before fit is reachable where the models are."""
    with pytest.raises(rnnlab.NotFittedError):
        rnnlab.Forecaster().predict()
    assert issubclass(rnnlab.NotFittedError, RnnlabError)
    assert rnnlab.io.NotFittedError is rnnlab.NotFittedError


def test_a_char_lm_net_loads_with_weights_only(tmp_path):
    """A CharLM's network (an embedding, then rnnlab's layers) saved whole loads back
    with torch's default weights_only=True: its classes are safe globals on import."""
    from rnnlab.lm.config import LMConfig
    from rnnlab.lm.model import LMNet

    net = LMNet(LMConfig(embedding=4, hidden_size=5), vocab_size=7).eval()
    torch.save(net, tmp_path / "net.pt")
    back = torch.load(tmp_path / "net.pt", weights_only=True).eval()
    x = torch.tensor([[1, 2, 3]])
    torch.testing.assert_close(back(x)[0], net(x)[0])
