"""from_torch_state_dict / to_torch_state_dict on layers that are no torch.nn RNN layer:
a Recurrent(reverse=True) alone took torch's forward weights without a word and ran them
backward in time (outputs other than torch's), and a Stacked holding a Stacked raised
AttributeError ('Stacked' object has no attribute 'cell')."""

import pytest
import torch

from rnnlab.io.errors import ConfigError, ConfigTypeError
from rnnlab.nn import (LSTMCell, Recurrent, Stacked, from_torch_state_dict,
                       to_torch_state_dict)


def test_a_reversed_layer_alone_is_refused_both_ways():
    ref = torch.nn.LSTM(4, 5)
    rec = Recurrent(LSTMCell(4, 5), reverse=True)
    with pytest.raises(ConfigError, match=r"reverse=True.*backward direction \(_reverse\).*"
                                          r"Bidirectional\(Recurrent\(cell\)"):
        from_torch_state_dict(rec, ref.state_dict())
    with pytest.raises(ConfigError, match="reverse=True"):
        to_torch_state_dict(Stacked([Recurrent(LSTMCell(4, 5)),
                                     Recurrent(LSTMCell(5, 5), reverse=True)]))
    # the same layer forward in time loads, and computes torch's outputs
    fwd = Recurrent(LSTMCell(4, 5))
    fwd.load_state_dict(from_torch_state_dict(fwd, ref.state_dict()))
    x = torch.randn(6, 2, 4)
    torch.testing.assert_close(fwd(x)[0], ref(x)[0])


def test_a_stack_in_a_stack_is_a_typed_error_naming_the_layer():
    nested = Stacked([Recurrent(LSTMCell(4, 5)), Stacked([Recurrent(LSTMCell(5, 5))])])
    with pytest.raises(ConfigTypeError, match=r"layer 1 of the Stacked is a Stacked; expected "
                                              r"a Recurrent or a Bidirectional"):
        from_torch_state_dict(nested, torch.nn.LSTM(4, 5, num_layers=2).state_dict())
