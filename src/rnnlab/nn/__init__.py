"""rnnlab.nn: cells from their equations, layers that run them, torch-compatible RNNs."""

from .architectures import Architecture, register_architecture
from .base import CellBase
from .errors import MismatchError, ShapeError
from .gru_form import GRUFormWarning
from .keras_weights import from_keras_weights, to_keras_weights
from .keras_init import keras_init_
from .bidirectional import Bidirectional
from . import dispatch  # noqa: F401  (re-exported: rnnlab.nn.dispatch, the impl table)
from .cells import GRUCell, LSTMCell, RNNCell
from .deep import DeepOutput, DTRNNCell
from .quantize import quantize_dynamic
from .registry import ModelSpec, SequenceModel, build_model, detach_state
from .recurrent import Recurrent
from .stacked import Stacked
from .summary import summary
from .torch_compat import GRU, LSTM, RNN
from .torch_keys import from_torch_state_dict, to_torch_state_dict

__all__ = [
    "CellBase", "RNNCell", "GRUCell", "LSTMCell", "DTRNNCell", "DeepOutput",
    "Recurrent", "Bidirectional", "Stacked",
    "RNN", "GRU", "LSTM", "ShapeError", "MismatchError", "Architecture",
    "register_architecture", "summary", "quantize_dynamic",
    "from_torch_state_dict", "to_torch_state_dict", "GRUFormWarning",
    "from_keras_weights", "to_keras_weights", "keras_init_", "detach_state",
    "build_model", "ModelSpec", "SequenceModel",
]


def _allow_in_weights_only_load() -> None:
    """A model holding rnnlab's modules loads as one of torch.nn's does, with
    ``torch.load(f, weights_only=True)`` (torch's default; ``safe_globals`` listing the
    user's own classes and torch's): rnnlab's module classes are safe globals from
    import on, and their pickled state holds only torch's types and plain values; so
    are the torch modules they hold inside (ModuleList, Dropout, Linear), which a user
    could not know to list."""
    import torch

    from .safe_globals import allow_in_weights_only_load

    allow_in_weights_only_load([
        RNN, GRU, LSTM, RNNCell, GRUCell, LSTMCell, DTRNNCell, DeepOutput, Recurrent,
        Bidirectional, Stacked, SequenceModel, ModelSpec,
        torch.nn.ModuleList, torch.nn.Dropout, torch.nn.Linear])


_allow_in_weights_only_load()
