"""``impl="fast"`` asks by name for a whole-sequence kernel, as the Triton impls do: on a
cell that has none (a cell of one's own, a subclass of a fast one, an LSTMCell with a
projection) it is refused naming the cell and what to use, where it silently ran the
step loop (while ``impl="triton"`` raised); ``impl="auto"`` runs the loop there, silently."""

import pytest
import torch

from rnnlab.nn import Architecture, CellBase, LSTMCell, Recurrent, Stacked, register_architecture
from rnnlab.nn.paths import describe_path, set_impl
from rnnlab.nn.registry import ARCHITECTURES, build_model


class Halved(LSTMCell):  # a subclass may change the equation: LSTMCell's kernels never run it
    def recur(self, xp, state):
        h, (_, c) = super().recur(xp, state)
        return h / 2, (h / 2, c)


class Elman(CellBase):  # a cell of one's own
    def __init__(self, input_size, hidden_size):
        super().__init__(input_size, hidden_size, num_chunks=1)

    def recur(self, xp, h):
        h = torch.tanh(xp + torch.nn.functional.linear(h, self.weight_hh, self.bias_hh))
        return h, h


CELLS = [lambda: Halved(2, 3), lambda: Elman(2, 3), lambda: LSTMCell(2, 3, proj_size=2)]


@pytest.mark.parametrize("make", CELLS)
def test_fast_on_a_cell_without_a_kernel_is_refused_saying_what_to_use(make):
    cell = make().double()
    x = torch.randn(5, 2, 2, dtype=torch.float64)
    layer = Recurrent(cell, impl="fast")
    for call in (lambda: layer(x), lambda: layer.path_for(x)):
        with pytest.raises(RuntimeError, match=rf"impl='fast' cannot run {type(cell).__name__}:"
                                               r" it has no whole-sequence kernel.*impl='auto'"):
            call()
    with pytest.raises(RuntimeError, match="no Triton kernel"):  # as the Triton impls were
        Recurrent(cell, impl="triton")(x)
    reference = Recurrent(cell, impl="reference")(x)[0]
    layer.impl = "auto"  # the loop, silently: auto picks what runs
    assert layer.path_for(x) == "reference"
    torch.testing.assert_close(layer(x)[0], reference)


def test_fast_still_runs_every_kernel_there_is():
    x = torch.randn(5, 2, 2)
    assert Recurrent(LSTMCell(2, 3), impl="fast").path_for(x) == "fused"  # torch's
    dt = build_model("dt-rnn", input_size=2, hidden_size=3, impl="fast")
    assert describe_path(dt) == "fast-torch"  # rnnlab's
    lstm = build_model("lstm", input_size=2, hidden_size=3)
    set_impl(lstm, "fast")  # a model's layers on torch's kernel keep it (paths.layer_impl)
    assert describe_path(lstm) == "fused"


def test_fast_under_a_torch_func_transform_gives_way_to_the_loop_as_before():
    layer = Recurrent(LSTMCell(2, 3).double(), impl="fast")
    x = torch.randn(4, 5, 1, 2, dtype=torch.float64)  # vmapped over the first dimension
    out = torch.func.vmap(lambda xi: layer(xi)[0])(x)
    torch.testing.assert_close(out[1], layer(x[1])[0])


def test_set_impl_fast_on_a_model_of_ones_own_cells_is_refused_at_its_first_call():
    def build(spec, layers):
        return Stacked([Recurrent(Elman(spec.input_size, spec.hidden_size), batch_first=True,
                                  impl=spec.impl)])

    before = dict(ARCHITECTURES)
    try:
        register_architecture(Architecture("elman-fast-test", "an Elman RNN", build))
        net = build_model("elman-fast-test", input_size=2, hidden_size=3)
        assert describe_path(net) == "reference"
        set_impl(net, "fast")
        with pytest.raises(RuntimeError, match="impl='fast' cannot run Elman"):
            describe_path(net)
        with pytest.raises(RuntimeError, match="impl='fast' cannot run Elman"):
            net(torch.randn(2, 4, 2))
    finally:
        ARCHITECTURES.clear()
        ARCHITECTURES.update(before)
