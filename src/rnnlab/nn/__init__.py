"""rnnlab.nn: cells from their equations, layers that run them, torch-compatible RNNs."""

from .base import CellBase
from .bidirectional import Bidirectional
from . import dispatch
from .cells import GRUCell, LSTMCell, RNNCell
from .deep import DeepOutput, DTRNNCell
from .recurrent import Recurrent
from .stacked import Stacked
from .torch_compat import GRU, LSTM, RNN

__all__ = [
    "CellBase", "RNNCell", "GRUCell", "LSTMCell", "DTRNNCell", "DeepOutput",
    "Recurrent", "Bidirectional", "Stacked",
    "RNN", "GRU", "LSTM",
]
