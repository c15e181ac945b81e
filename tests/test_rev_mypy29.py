"""Review of session 29's type hygiene (mypy29): what its asserts and narrowings claimed,
checked where a user's input reaches them."""

import pytest
import torch

from rnnlab.nn import DTRNNCell, Recurrent

# A DTRNNCell's layers share one bias setting as built (bias=True or False), and a user
# may drop one bias after (cell.bias_hh = None: a plain torch.nn pattern). The step loop
# reads each layer's bias or none; the whole-sequence kernel read the first layer's as the
# setting of all: a mixed cell gave another forward (bias_hh None with the shortcut: b_L
# dropped), no gradient for the biases left (bias_hh None), or an AssertionError (the last
# layer's dropped with the shortcut: mypy29's "one bias setting" assert). The other mixes
# ran alike on torch ops (pinned too; the Triton kernels stacked too few middle biases).
MIXED = [("bias_hh", 3, True), ("bias_hh", 3, False), ("bias_tl3", 3, True),
         ("bias_tl3", 3, False), ("bias_tl2", 4, True), ("bias_tl3", 4, False)]


def _mixed_cell(dropped: str, depth: int, shortcut: bool) -> DTRNNCell:
    torch.manual_seed(0)
    cell = DTRNNCell(3, 4, depth=depth, width=5, shortcut=shortcut).double()
    setattr(cell, dropped, None)
    return cell


def _run(cell, impl: str, x: torch.Tensor):
    for p in cell.parameters():
        p.grad = None
    out, h = Recurrent(cell, impl=impl)(x)
    (out.square().sum() + h.sum()).backward()
    return out.detach(), {n: None if p.grad is None else p.grad.clone()
                          for n, p in cell.named_parameters()}


@pytest.mark.parametrize("dropped,depth,shortcut", MIXED)
def test_a_dt_cell_of_mixed_biases_computes_as_its_step_loop(dropped, depth, shortcut):
    cell = _mixed_cell(dropped, depth, shortcut)
    x = torch.randn(6, 2, 3, dtype=torch.float64)
    ref_out, ref_grads = _run(cell, "reference", x)
    out, grads = _run(cell, "auto", x)  # (a kernel's path where it runs the cell alike)
    torch.testing.assert_close(out, ref_out)
    assert grads.keys() == ref_grads.keys()
    for name in ref_grads:
        assert grads[name] is not None, f"no gradient for {name}"
        torch.testing.assert_close(grads[name], ref_grads[name], msg=name)


@pytest.mark.parametrize("impl", ["fast", "triton"])
@pytest.mark.parametrize("dropped,depth,shortcut", MIXED[:3])
def test_a_dt_cell_of_mixed_biases_is_no_kernels(dropped, depth, shortcut, impl):
    # the step loop runs it; a kernel asked for by name is refused, saying why
    from rnnlab.io.errors import UnsupportedError

    cell = _mixed_cell(dropped, depth, shortcut)
    x = torch.randn(6, 2, 3, dtype=torch.float64)
    assert Recurrent(cell, impl="auto").path_for(x) == "reference"
    with pytest.raises(UnsupportedError, match=f"lacks {dropped} while its other layers"):
        Recurrent(cell, impl=impl)(x)


class _WithExtras(torch.nn.Module):
    """A model returning its prediction beside extras of no tensor (an empty tuple of
    hidden states, None, a dict of counts), as many models' outputs do."""

    def __init__(self, extras):
        super().__init__()
        self.lin = torch.nn.Linear(3, 1)
        self.extras = extras

    def forward(self, x):
        return (self.lin(x), self.extras)


@pytest.mark.parametrize("extras", [(), [], (None,), {}, {"n": 3}, {"h": ()}])
def test_empty_rank_share_reads_past_extras_with_no_tensor(extras):
    # mypy29's refusal of an output with no tensor fired on any part of it with none:
    # (pred, ()) trained before it (the empty part summed to 0) and was refused after
    from rnnlab.train import TensorTask

    torch.manual_seed(0)
    model = _WithExtras(extras)
    x, y = torch.randn(8, 3), torch.randn(8, 1)
    task = TensorTask(x, y, loss_fn=lambda out, t: torch.nn.functional.mse_loss(out[0], t),
                      batch_size=4)
    loss, _ = task.train_loss(model, (x[:0], y[:0]), None)
    assert isinstance(loss, torch.Tensor) and float(loss) == 0.0
    loss.backward()
    assert all(p.grad is not None for p in model.parameters())
