"""``module(x)`` is typed as ``module.forward(x)`` for rnnlab's layers and cells.

torch.nn.Module's ``__call__`` is ``Callable[..., Any]`` to mypy and pyright, so
``out, (h, c) = lstm(x)`` was Any throughout: ``return out`` from a function returning a
Tensor failed ``mypy --strict`` (no-any-return), and ``out, h, c = lstm(x)`` or
``lstm_cell(x, h)`` (hx is (h, c)) passed. Each public layer and cell declares, for
checkers only, a ``__call__`` with its forward's overloads."""

import ast
import inspect
import typing

import pytest
import torch
from torch import Tensor
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence

import rnnlab.nn as rnn
from rnnlab.lm import LMConfig, LMNet
from rnnlab.nn.registry import build_model

# the state a layer's module(x) gives: its forward's but for Recurrent, whose forward
# says the union of every cell's states (`out, h = layer(x)` then `h.sum()` would fail a
# checker for a cell whose state is one tensor): Any there
STATE_ANY = {"Recurrent"}
NAMES = {"Tensor": Tensor, "Tuple": typing.Tuple, "Optional": typing.Optional,
         "PackedSequence": PackedSequence, "Any": typing.Any, "List": typing.List,
         "Sequence": typing.Sequence, "State": typing.Union[Tensor, typing.Tuple[Tensor, ...]],
         "None": None}


def _defs(cls, name: str):
    """The ``def name`` of ``cls``'s own body, those under ``if TYPE_CHECKING:`` too, the
    overloads first (the implementation, last, left out when there are overloads)."""
    tree = ast.parse(inspect.getsource(cls).lstrip())
    (body,) = [n for n in tree.body if isinstance(n, ast.ClassDef)]
    found = [n for n in ast.walk(body) if isinstance(n, ast.FunctionDef) and n.name == name]
    overloads = [d for d in found if any(getattr(x, "id", None) == "overload"
                                         for x in d.decorator_list)]
    return overloads or found


def _hint(node):
    return None if node is None else eval(ast.unparse(node), NAMES)  # noqa: S307 (our source)


def _signature(d):
    args = d.args.args[1:] + d.args.kwonlyargs
    return [(a.arg, _hint(a.annotation)) for a in args], _hint(d.returns)


def _modules():
    lstm = rnn.Recurrent(rnn.LSTMCell(3, 4))
    return {"RNN": rnn.RNN(3, 4), "GRU": rnn.GRU(3, 4), "LSTM": rnn.LSTM(3, 4),
            "RNNCell": rnn.RNNCell(3, 4), "GRUCell": rnn.GRUCell(3, 4),
            "LSTMCell": rnn.LSTMCell(3, 4), "DTRNNCell": rnn.DTRNNCell(3, 4),
            "Recurrent": lstm,
            "Bidirectional": rnn.Bidirectional(rnn.Recurrent(rnn.GRUCell(3, 4)),
                                               rnn.Recurrent(rnn.GRUCell(3, 4), reverse=True)),
            "Stacked": rnn.Stacked([rnn.Recurrent(rnn.GRUCell(3, 4))]),
            "DeepOutput": rnn.DeepOutput(3, 5),
            "SequenceModel": build_model("gru", input_size=3, hidden_size=4),
            "LMNet": LMNet(LMConfig(hidden_size=4, num_layers=1, embedding=3), 7)}


@pytest.mark.parametrize("name", list(_modules()))
def test_call_is_typed_as_forward(name):
    cls = type(_modules()[name])
    calls, forwards = _defs(cls, "__call__"), _defs(cls, "forward")
    assert calls, f"{name}: no __call__ for checkers (module(x) is Any)"
    assert len(calls) == len(forwards)
    for call, forward in zip(calls, forwards):
        (call_args, call_ret), (fwd_args, fwd_ret) = _signature(call), _signature(forward)
        if name in STATE_ANY:
            assert [a for a, _ in call_args] == [a for a, _ in fwd_args]
            assert call_args[0] == fwd_args[0]  # the input
            assert typing.get_args(call_ret)[0] == typing.get_args(fwd_ret)[0]  # the output
            assert typing.get_args(call_ret)[1] is typing.Any
        else:
            assert (call_args, call_ret) == (fwd_args, fwd_ret), name


@pytest.mark.parametrize("name", list(_modules()))
def test_call_gives_what_its_annotation_says(name):
    from test_typing_returns import _conforms

    module = _modules()[name]
    calls = _defs(type(module), "__call__")
    is_cell = name.endswith("Cell")
    x = torch.randn(2, 3) if is_cell else torch.randn(5, 2, 3)
    if name == "LMNet":  # (token ids)
        x = torch.randint(0, 7, (5, 2))
    assert _conforms(module(x), _signature(calls[0])[1])
    if len(calls) > 1:  # a PackedSequence in, one out
        packed = pack_padded_sequence(x, torch.tensor([5, 3]))
        out = module(packed)
        returned = _signature(calls[1])[1]
        first = out if isinstance(out, PackedSequence) else out[0]  # (a layer: out, state)
        assert isinstance(first, PackedSequence) and _conforms(out, returned)
