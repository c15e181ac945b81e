"""A researcher's sweep of the deep recurrent architectures (Pascanu et al. 2014: stacked,
DT, DT(S), DOT; bidirectional compositions): what was still wrong after the numerics
(every path equal to the reference loop in float64) held, and checks that keep them so."""

from __future__ import annotations

import pytest
import torch

from rnnlab.nn import Bidirectional, DTRNNCell, GRUCell, Recurrent, Stacked
from rnnlab.nn.registry import build_model, count_parameters


def x64(*shape, seed=0):
    return torch.randn(*shape, dtype=torch.float64, generator=torch.Generator().manual_seed(seed))


# --- build_model: options it cannot take, said by name -------------------------------------


def test_a_dts_rnn_of_depth_one_says_what_to_give_build_model():
    """Old: ``build_model("dts-rnn", depth=1)`` (and ``rnnlab forecast --model dts-rnn
    --depth 1``) said "use shortcut=False", a cell argument no registry user sets."""
    with pytest.raises(ValueError, match=r"'dts-rnn'.*depth >= 2.*--depth.*'dt-rnn'"):
        build_model("dts-rnn", input_size=1, hidden_size=3, depth=1)


@pytest.mark.parametrize("kw,match", [
    (dict(bidirectional=True), r"unknown option\(s\) bidirectional.*brnn, bigru, bilstm.*"
                               r"Bidirectional\(Recurrent"),
    (dict(batch_first=False), r"unknown option\(s\) batch_first.*batch-first"),
    (dict(num_layers=2.5), r"num_layers must be a whole number.*2\.5"),
    (dict(num_layers="2"), r"num_layers must be a whole number.*'2'"),
])
def test_build_model_names_an_option_it_cannot_take(kw, match):
    """Old: "ModelSpec.__init__() got an unexpected keyword argument 'bidirectional'" (a
    researcher asking for a bidirectional DT-RNN was not told how to build one),
    "'float' object cannot be interpreted as an integer", "'<' not supported between
    instances of 'str' and 'int'"."""
    kw = dict(input_size=1, hidden_size=3, **kw)
    with pytest.raises((TypeError, ValueError), match=match):
        build_model("dt-rnn", **kw)


def test_build_model_without_sizes_says_which_to_give():
    with pytest.raises(TypeError, match=r"give input_size \(features per time step\), e\.g\."):
        build_model("lstm", hidden_size=3)


# --- hand-composed layers ----------------------------------------------------------------


def test_a_layers_repr_shows_its_direction_layout_and_impl():
    """Old: ``Recurrent(cell, reverse=True, batch_first=True, impl="reference")`` printed
    as ``Recurrent((cell): ...)``, the same as a forward, time-major, auto layer."""
    back = Recurrent(DTRNNCell(2, 3), reverse=True, batch_first=True, impl="reference")
    assert "reverse=True, batch_first=True, impl='reference'" in repr(back)
    fwd = Recurrent(DTRNNCell(2, 3))
    assert repr(fwd).splitlines()[1].strip().startswith("(cell)")  # defaults: nothing shown


def test_stacked_refuses_layers_whose_sizes_do_not_chain_naming_the_layer():
    """Old: accepted, and the call failed inside with "DTRNNCell: expected input with 3
    features (input_size), got 6", naming no layer (a bidirectional layer below writes
    both directions' features)."""
    bi = Bidirectional(Recurrent(DTRNNCell(2, 3)), Recurrent(DTRNNCell(2, 3), reverse=True))
    with pytest.raises(ValueError, match=r"layer 1 reads 3 features, but layer 0 outputs 6 "
                                         r"\(both directions\).*input_size=6"):
        Stacked([bi, Recurrent(DTRNNCell(3, 3))])
    Stacked([bi, Recurrent(DTRNNCell(6, 3))])  # the right size builds


def test_bidirectional_refuses_directions_that_read_different_inputs():
    with pytest.raises(ValueError, match=r"forward_layer's cell takes 2 features and "
                                         r"backward_layer's 3"):
        Bidirectional(Recurrent(DTRNNCell(2, 3)), Recurrent(DTRNNCell(3, 3), reverse=True))
