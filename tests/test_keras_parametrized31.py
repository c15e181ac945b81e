"""Keras' layout of a module whose weights are computed (session 31): ``to_keras_weights``
of a torch ``nn.LSTM`` under ``torch.nn.utils.parametrize`` or weight_norm was a bare
``KeyError: 'weight_hh_l0'``; it now gives the weights the module runs with, and
``from_keras_weights`` refuses such a module saying how to load."""

import warnings

import numpy as np
import pytest
import torch
from torch.nn.utils import parametrize

from rnnlab.io.errors import ConfigError
from rnnlab.nn import LSTMCell, Recurrent, from_keras_weights, to_keras_weights


class Double(torch.nn.Module):
    def forward(self, w):
        return 2 * w


def _plain_copy(module, name, weight):
    """A module of the same shape holding ``weight`` as ``name``, unparametrized."""
    plain = torch.nn.LSTM(3, 4)
    state = {k: v for k, v in module.state_dict().items() if "parametrizations" not in k
             and not k.endswith(("_g", "_v", "_orig", "_mask"))}
    plain.load_state_dict({**state, name: weight}, strict=True)
    return plain


def test_a_parametrized_torch_lstm_gives_the_weights_it_runs_with():
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(3, 4)
    raw = lstm.weight_hh_l0.detach().clone()
    parametrize.register_parametrization(lstm, "weight_hh_l0", Double())
    got = to_keras_weights(lstm)
    want = to_keras_weights(_plain_copy(lstm, "weight_hh_l0", 2 * raw))
    assert len(got) == 3 and all(np.array_equal(a, b) for a, b in zip(got, want))


def test_weight_norm_old_and_new_and_an_rnnlab_cell():
    torch.manual_seed(0)
    new = torch.nn.utils.parametrizations.weight_norm(torch.nn.LSTM(3, 4), "weight_ih_l0")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (torch.nn.utils.weight_norm is deprecated)
        old = torch.nn.utils.weight_norm(torch.nn.LSTM(3, 4), "weight_ih_l0")
    with torch.no_grad():
        old.weight_ih_l0_v.mul_(3)  # (after its last call: the hook's copy is stale)
    for lstm in (new, old):
        w = (old.weight_ih_l0_v * old.weight_ih_l0_g / old.weight_ih_l0_v.norm(dim=1, keepdim=True)
             if lstm is old else lstm.weight_ih_l0)
        want = to_keras_weights(_plain_copy(lstm, "weight_ih_l0", w.detach()))
        got = to_keras_weights(lstm)
        assert all(np.allclose(a, b, rtol=1e-6, atol=1e-7) for a, b in zip(got, want))
    layer = Recurrent(LSTMCell(3, 4))
    parametrize.register_parametrization(layer.cell, "weight_hh", Double())
    raw = layer.cell.parametrizations.weight_hh.original.detach()
    assert np.array_equal(to_keras_weights(layer)[1], (2 * raw).T.numpy())


def test_from_keras_weights_refuses_a_parametrized_module_saying_how_to_load():
    lstm = torch.nn.LSTM(3, 4)
    weights = to_keras_weights(lstm)
    parametrize.register_parametrization(lstm, "weight_hh_l0", Double())
    with pytest.raises(ConfigError, match=r"parametrize.*remove_parametrizations"):
        from_keras_weights(lstm, weights)


def _pruned(module, name):
    from torch.nn.utils import prune

    prune.l1_unstructured(module, name, amount=0.5)
    with torch.no_grad():  # (an optimizer step after the last call: the hook's copy is stale)
        getattr(module, name + "_orig").mul_(2.0)
    return (getattr(module, name + "_orig") * getattr(module, name + "_mask")).detach()


def test_a_pruned_weight_is_given_as_the_hook_computes_it_now():
    """prune's hook names its weight ``_tensor_name`` (weight_norm's and spectral_norm's
    ``name``): read by ``name`` alone, the pruned weight was the copy made at the last
    call, half the weight after an optimizer step: silently wrong arrays."""
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(3, 4)
    want = to_keras_weights(_plain_copy(lstm, "weight_hh_l0", _pruned(lstm, "weight_hh_l0")))
    assert all(np.array_equal(a, b) for a, b in zip(to_keras_weights(lstm), want))
    layer = Recurrent(LSTMCell(3, 4))
    w = _pruned(layer.cell, "weight_hh")
    assert np.array_equal(to_keras_weights(layer)[1], w.T.numpy())


@pytest.mark.parametrize("undo", ["prune.remove", "remove_weight_norm"])
def test_from_keras_weights_names_the_hooks_own_removal(undo):
    from rnnlab.nn import Stacked

    stack = Stacked([Recurrent(LSTMCell(3, 4)), Recurrent(LSTMCell(4, 4))])
    weights = to_keras_weights(stack)
    cell = stack.layers[1].cell
    if undo == "prune.remove":
        _pruned(cell, "weight_hh")
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (torch.nn.utils.weight_norm is deprecated)
            torch.nn.utils.weight_norm(cell, "weight_hh")
    with pytest.raises(ConfigError, match=rf"{undo}\(module.get_submodule\('layers.1.cell'\), "
                                          rf"'weight_hh'\)") as err:
        from_keras_weights(stack, weights)
    assert "remove_parametrizations" not in str(err.value)  # (parametrize's: not this one)
