"""Keras' recurrent-layer arguments, refused naming what does the same in rnnlab.

A Keras user writes ``LSTM(3, 32, return_sequences=True)``, ``Recurrent(cell,
go_backwards=True)`` or ``LSTMCell(3, 32, recurrent_dropout=0.2)``; these were Python's
bare "unexpected keyword argument 'return_sequences'", which said nothing of where the
sequence is (always returned) or of ``reverse=True``. Only names no rnnlab or torch.nn
layer takes are here, and ``dropout``, refused only where the owner has none (a cell,
``Recurrent``): it keeps torch's meaning, between layers, where it exists.
"""

from __future__ import annotations

import functools
import inspect
from typing import TYPE_CHECKING, Any, FrozenSet, Mapping, Optional, Sequence, Tuple, Type

from ..io.errors import ConfigTypeError

_OWN_CELL = "write a cell of your own (README: \"Writing your own cell\")"
_INIT = ("initialise after building: rnnlab.nn.keras_init_(layer) sets Keras' defaults "
         "(glorot_uniform kernels, orthogonal recurrent kernels, zero biases, an LSTM's "
         "forget-gate bias one) on every cell of a layer or stack")
# Keras' argument -> what does the same here
KERAS_ARGUMENTS = {
    "units": "the cell's hidden_size: Recurrent(LSTMCell(input_size, units))",
    "return_sequences": "every layer returns (outputs, final_state): outputs (B, T, H) is "
                        "return_sequences=True, outputs[:, -1] (batch_first) or the final h "
                        "is False; a bidirectional layer's False is its two final h side by "
                        "side, torch.cat([h_f, h_b], -1) of (h_f, h_b) = state (a drop-in's: "
                        "torch.cat([h_n[-2], h_n[-1]], -1)), not outputs[:, -1], whose "
                        "backward half has read only the last step",
    "return_state": "the final state is always returned: outputs, state = layer(x) "
                    "(state = (h, c) for an LSTM)",
    "go_backwards": "Recurrent(cell, reverse=True); its outputs stay in the input's time "
                    "order (Keras' go_backwards returns them reversed: outputs.flip(1))",
    "stateful": "pass the final state back in: out, state = layer(x1); out, state = "
                "layer(x2, state) (rnnlab.nn.detach_state(state) between batches ends "
                "backpropagation there)",
    "unroll": "no setting: the path is chosen per call (impl=, path_for(x)); "
              "torch.compile(layer) compiles it",
    "time_major": "batch_first=False (the default, torch's (T, B, F)); batch_first=True "
                  "is Keras' (B, T, F)",
    "use_bias": "bias=False",
    "recurrent_dropout": "the layer draws the mask, once per sequence: Recurrent(cell, "
                         "recurrent_dropout=p) (or LSTM(I, H, recurrent_dropout=p)); one "
                         "mask for all gates, where Keras 3's LSTM and GRU draw one per "
                         "gate (docs/keras.md)",
    # (only where the owner has no dropout of its own: torch's drop-ins and Stacked keep
    # theirs, between layers)
    "dropout": "Keras' cell dropout, a mask on x per sequence, is the layer's "
               "input_dropout: Recurrent(cell, input_dropout=p) (or LSTM(I, H, "
               "input_dropout=p)); between stacked layers, Stacked(layers, dropout=p)",
    "activation": "RNNCell(I, H, nonlinearity='relu' or 'tanh'); an LSTM's and GRU's "
                  "activations are torch's equations: for others, " + _OWN_CELL,
    "recurrent_activation": "the gates are sigmoids (torch's equations): for others, "
                            + _OWN_CELL,
    "unit_forget_bias": "set the forget gate's bias once built: with torch.no_grad(): "
                        "cell.bias_ih[H:2*H].fill_(1.0); cell.bias_hh[H:2*H].zero_(); or "
                        "rnnlab.nn.keras_init_(layer) for Keras' whole start (its default, "
                        "unit_forget_bias=True, included)",
    "reset_after": "GRUCell(I, H, reset_after=...) and GRU(I, H, reset_after=...) take it",
    "merge_mode": "Bidirectional(forward_layer, backward_layer, merge_mode='sum') (or "
                  "'concat', the default, 'mul', 'ave')",
    "kernel_initializer": _INIT, "recurrent_initializer": _INIT,
    "bias_initializer": "initialise after building: torch.nn.init.zeros_(cell.bias_ih) "
                        "and zeros_(cell.bias_hh), or rnnlab.nn.keras_init_(layer) for "
                        "Keras' whole start",
    "seed": "torch.manual_seed(seed) before building (or rnnlab.train.seed_everything)",
}
for _kind in ("kernel", "recurrent", "bias", "activity"):
    KERAS_ARGUMENTS[f"{_kind}_regularizer"] = (
        "weight decay is TrainConfig(weight_decay=...); a penalty of your own goes in "
        "the task's loss")
for _kind in ("kernel", "recurrent", "bias"):
    KERAS_ARGUMENTS[f"{_kind}_constraint"] = (
        "torch.nn.utils.parametrize.register_parametrization(cell, 'weight_hh', ...)")


# a layer's own option given to what holds layers (Stacked, Bidirectional) or to a cell
# -> where it goes (recurrent_dropout, Keras' name too, is said as Keras')
LAYER_OPTIONS = {
    "input_dropout": "a layer's option, given to each layer: Recurrent(cell, "
                     "input_dropout=p) (or LSTM(I, H, input_dropout=p)); Stacked and "
                     "Bidirectional hold layers built with it",
    # (torch.nn.RNN's, given to a cell or a layer: RNN(I, H, num_layers=2) takes it)
    "num_layers": "a cell, or Recurrent(cell), is one layer: stack layers with "
                  "Stacked([Recurrent(cell_1), Recurrent(cell_2)]), the second's "
                  "input_size the first's hidden_size, or build_model('dt-rnn', "
                  "input_size=I, hidden_size=H, num_layers=2) (rnnlab.nn; every "
                  "architecture by name takes num_layers)",
}


def refuse_keras_arguments(owner: str, given: Mapping, takes: str) -> None:
    """ConfigTypeError (a TypeError, as Python's) naming each keyword of ``given``:
    Keras' with what does the same here, a layer's option (:data:`LAYER_OPTIONS`) with
    where it goes, any other as unexpected; ``takes`` says the owner's own arguments.
    Nothing when ``given`` is empty."""
    if not given:
        return
    said = [f"{key!r} (Keras': here {KERAS_ARGUMENTS[key]})" if key in KERAS_ARGUMENTS
            else f"{key!r} ({LAYER_OPTIONS[key]})" if key in LAYER_OPTIONS
            else repr(key) for key in given]
    raise ConfigTypeError(
        f"{owner}() got unexpected keyword argument{'s' if len(said) > 1 else ''} "
        f"{'; '.join(said)}. {owner} takes {takes}")


class RefusesKerasArguments:
    """A base of rnnlab's cells and layers: a keyword their ``__init__`` does not take is
    refused before ``__init__`` binds it, Keras' (``LSTMCell(3, 32,
    recurrent_dropout=0.2)``) naming what does the same here, any other (``hiden_size=``)
    by name with the signature. In ``__new__``, not as a ``**keras`` catch-all of
    ``__init__``: the signature help(), inspect and type checkers read stays the class's
    own (a checker flags the misspelling), and ``LSTMCell(3, hiden_size=5)`` names it
    rather than "missing 1 required positional argument: 'hidden_size'". A subclass's
    ``__init__`` that takes ``**kwargs`` or a Keras name of its own gets it."""

    @classmethod
    def _check_call(cls, args: tuple, kwargs: dict) -> None:
        """A class's own check of its call before ``__init__`` binds it (none here)."""

    if not TYPE_CHECKING:  # (checkers read __init__ alone)
        def __new__(cls, *args, **kwargs):
            cls._check_call(args, kwargs)
            if kwargs:
                names, takes = _init_keywords(cls)
                if names is not None:
                    refuse_keras_arguments(
                        cls.__name__, {k: v for k, v in kwargs.items() if k not in names}, takes)
            return super().__new__(cls)


@functools.lru_cache(maxsize=None)
def _init_keywords(cls: Type[Any]) -> Tuple[Optional[FrozenSet[str]], str]:
    """The keywords ``cls.__init__`` takes (None: any, it has ``**kwargs``) and its
    signature as an error shows it; read once per class (a construction's cost)."""
    params = inspect.signature(cls.__init__).parameters
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):
        return None, ""
    own = [p.replace(annotation=p.empty) for n, p in params.items() if n != "self"]
    return frozenset(params), str(inspect.Signature(own))


# the keywords torch.nn's RNN, GRU and LSTM take (RNNBase's, and RNN's nonlinearity)
_TORCH_KEYWORDS = frozenset({"input_size", "hidden_size", "num_layers", "nonlinearity", "bias",
                             "batch_first", "dropout", "bidirectional", "proj_size", "device",
                             "dtype"})


def refuse_keras_in_kwargs(owner: str, kwargs: Mapping, takes: str,
                           args: Sequence = ()) -> None:
    """The same for an owner that hands ``args`` and ``kwargs`` on to torch.nn (the
    drop-ins): Keras' names are refused here, and so is Keras' ``LSTM(32)``, units alone
    (torch's said "RNNBase.__init__() missing 1 required positional argument"), unless
    a keyword is none of torch's (``hiden_size=``: torch's check names the misspelling,
    where "units alone" would advise a layer of the wrong width); the rest go on to
    torch's checks."""
    refuse_keras_arguments(owner, {k: v for k, v in kwargs.items()
                                   if k in KERAS_ARGUMENTS and k not in _TORCH_KEYWORDS}, takes)
    if set(kwargs) - _TORCH_KEYWORDS:  # (a misspelt keyword: torch's check names it)
        return
    if len(args) < 2 and "hidden_size" not in kwargs:
        got = (f"{owner}({args[0]!r}), Keras' units alone (Keras reads the input's features "
               f"from the data): here {owner}(input_size, {args[0]!r})" if len(args) == 1
               and "input_size" not in kwargs else "no hidden_size")
        raise ConfigTypeError(f"{owner} takes (input_size, hidden_size, ...), the input's "
                              f"features first, as torch.nn.{owner}; got {got}")


_MASK = ("lengths=(B,) valid lengths, the padding at each row's end: lengths = mask.sum(1) "
         "(outputs past each end are zero, the final state is each row's last valid step's); "
         "Keras' pad_sequences pads the start by default: pad with padding='post', as "
         "lengths= reads the first steps of each row")
_PACK = ("a PackedSequence: torch.nn.utils.rnn.pack_padded_sequence(x, mask.sum(1).cpu(), "
         "batch_first=True, enforce_sorted=False), or Recurrent / Stacked with lengths=")
# Keras' call arguments -> what does the same here (composed layers, drop-ins)
KERAS_CALL = {
    "initial_state": ("the state is the second argument: layer(x, state) (or hx=); an "
                      "LSTMCell's is the pair (h, c), a Bidirectional's (forward, backward)",
                      "hx, torch's: lstm(x, (h0, c0)), each (num_layers * directions, B, H)"),
    "mask": (_MASK, _PACK),
    "training": ("the module's mode: model.train() / model.eval()",) * 2,
}


class RefusesKerasCall:
    """A base of rnnlab's layers: a keyword their ``forward`` does not take (Keras'
    ``layer(x, initial_state=..., mask=..., training=...)``, a misspelling) is refused
    before torch's ``Module.__call__`` binds it, naming what does the same here
    (:func:`refuse_keras_call`). In ``__call__``, as :class:`RefusesKerasArguments` is in
    ``__new__``: ``forward``'s signature stays the call's own (``help``, ``inspect``, a
    type checker), where a ``**keras`` catch-all there read "any keyword". torch.fx
    still sees the call (``super().__call__`` is the ``Module.__call__`` it patches); a
    subclass's ``forward`` taking more keywords gets them. Nothing is refused where
    something other than the class's ``forward`` takes the call's keywords first: a forward
    pre-hook registered ``with_kwargs=True`` (torch runs it before ``forward``, and it may
    take or rewrite keywords: a keyword it consumed was refused before it ran) or a
    ``forward`` set on the module itself; a keyword left over then gets Python's error, as
    from torch.nn's own layers."""

    _dropin_call = False  # True: the drop-ins' words for the state and lengths (torch's)

    if not TYPE_CHECKING:  # (checkers read forward and the classes' own __call__ stubs)
        def __call__(self, *args, **kwargs):
            own = self.__dict__
            if kwargs and not own.get("_forward_pre_hooks_with_kwargs") and "forward" not in own:
                names = _forward_keywords(type(self))
                if names is not None:
                    refuse_keras_call(type(self).__name__, {
                        k: v for k, v in kwargs.items() if k not in names}, self._dropin_call)
            return super().__call__(*args, **kwargs)


@functools.lru_cache(maxsize=None)
def _forward_keywords(cls: Type[Any]) -> Optional[FrozenSet[str]]:
    """The keywords ``cls.forward`` takes (None: any, it has ``**kwargs``)."""
    params = inspect.signature(cls.forward).parameters
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):
        return None
    return frozenset(params)


def refuse_keras_call(owner: str, given: Mapping, dropin: bool = False) -> None:
    """The same as :func:`refuse_keras_arguments` for a layer's call: Keras'
    ``layer(x, initial_state=..., mask=..., training=...)``. (torch.fx tracing a layer as
    its root hands a proxy, not a dict: the layer's own refusal of that follows.)"""
    if type(given) is not dict or not given:
        return
    said = [f"{key!r} (Keras': here {KERAS_CALL[key][dropin]})" if key in KERAS_CALL
            else repr(key) for key in given]
    takes = "(input, hx=None)" if dropin else "(x, state=None, lengths=None, *, hx=None)"
    raise ConfigTypeError(
        f"{owner}() got unexpected keyword argument{'s' if len(said) > 1 else ''} "
        f"{'; '.join(said)}. Its call takes {takes}")
