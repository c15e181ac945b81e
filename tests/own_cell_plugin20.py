"""An installed package's architecture, as tests/test_own_cells20.py fakes one: the
function its entry point names (``own_cell_plugin20:register``) registers it."""

import torch
from torch import Tensor

from rnnlab.nn import Architecture, CellBase, Recurrent, Stacked, register_architecture

NAME = "plugin-indrnn"


class IndRNNCell(CellBase):
    """IndRNN (Li et al., 2018): h_t = relu(x_t W_ih^T + b_ih + u * h_{t-1}), u (H,)."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True):
        super().__init__(input_size, hidden_size, bias, num_chunks=1)
        self.weight_hh = torch.nn.Parameter(torch.rand(hidden_size))  # one weight per unit
        self.bias_hh = None

    def recur(self, xp: Tensor, h: Tensor):
        h = torch.relu(xp + self.weight_hh * h)
        return h, h


def build(spec, num_layers: int):
    layers, size = [], spec.input_size
    for _ in range(num_layers):
        layers.append(Recurrent(IndRNNCell(size, spec.hidden_size), batch_first=True))
        size = spec.hidden_size
    return Stacked(layers, spec.dropout if num_layers > 1 else 0.0)


def register() -> None:
    register_architecture(Architecture(NAME, "IndRNN (Li et al., 2018)", build))
