"""Session 21: torch's module tools on rnnlab's layers (prune, weight_norm and friends),
in float64 against torch.nn or the cell stepped by hand."""

import warnings

import pytest
import torch
from torch import nn
from torch.nn.utils import prune

import rnnlab.nn as R

F64 = torch.float64


def _sgd_steps(model, run, x, steps=3):
    """Outputs of ``steps`` SGD steps on ``run(model, x)``'s squared sum, one per step."""
    opt = torch.optim.SGD(model.parameters(), lr=0.3)
    outs = []
    for _ in range(steps):
        opt.zero_grad()
        out = run(model, x)
        out.pow(2).sum().backward()
        opt.step()
        outs.append(out.detach())
    return outs


def _by_hand(cell, x):
    """The cell stepped by its own call (its hooks run at each step): (T, B, H)."""
    h = None
    outs = []
    for x_t in x:
        h = cell(x_t, h)
        outs.append(h[0] if isinstance(h, tuple) else h)
    return torch.stack(outs)


CELLS = {
    "lstm (torch's kernel)": lambda: R.LSTMCell(3, 4),
    "gru (torch's kernel)": lambda: R.GRUCell(3, 4),
    "rnn (torch's kernel)": lambda: R.RNNCell(3, 4),
    "gru-cho (rnnlab's kernel)": lambda: R.GRUCell(3, 4, reset_after=False),
    "dt(s) (rnnlab's kernel)": lambda: R.DTRNNCell(3, 4, depth=2, shortcut=True),
}


@pytest.mark.filterwarnings("ignore:.*weight_norm. is deprecated:FutureWarning")
@pytest.mark.parametrize("impl", ["auto", "reference"])
@pytest.mark.parametrize("how", ["prune", "weight_norm"])
@pytest.mark.parametrize("cell", sorted(CELLS))
def test_a_pruned_or_weight_normed_cell_trains_in_recurrent_as_stepped_by_hand(cell, how, impl):
    """Old: ``prune.l1_unstructured(layer.cell, "weight_hh", 0.5)`` on a cell torch has a
    kernel for died at the layer's call with ``KeyError: 'weight_hh'``; on the other paths
    the layer warned that the cell's hooks do not run and read the weight computed when
    the pruning was applied: stale after the first optimizer step, and the second backward
    died with "Trying to backward through the graph a second time" (the same with
    ``torch.nn.utils.weight_norm``). Now their hooks run once per layer call, as
    ``torch.nn.LSTM`` runs them: the layer trains as the cell stepped by hand does."""
    torch.manual_seed(0)
    x = torch.randn(5, 2, 3, dtype=F64)
    layers = []
    for _ in range(2):
        torch.manual_seed(1)
        layer = R.Recurrent(CELLS[cell](), impl=impl).double()
        if how == "prune":
            prune.l1_unstructured(layer.cell, "weight_hh", 0.4)
            prune.random_unstructured(layer.cell, "weight_ih", 0.3)  # (same draw: seeded)
        else:
            nn.utils.weight_norm(layer.cell, "weight_hh")
        layers.append(layer)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # torch's weight hooks run: nothing to warn about
        got = _sgd_steps(layers[0], lambda m, x: m(x)[0], x)
    want = _sgd_steps(layers[1], lambda m, x: _by_hand(m.cell, x), x)
    for g, w in zip(got, want):
        torch.testing.assert_close(g, w)
    assert not torch.equal(got[0], got[-1])  # (it trained)


def _two_layer_lstms(change):
    """An input, ``torch.nn.LSTM(num_layers=2)`` and a ``Stacked`` of two LSTM cells with
    its weights, ``change(theirs, k, cell)`` done to both at layer k."""
    torch.manual_seed(0)
    x = torch.randn(5, 2, 3, dtype=F64)
    theirs = nn.LSTM(3, 4, num_layers=2).double()
    ours = R.Stacked([R.Recurrent(R.LSTMCell(3, 4)), R.Recurrent(R.LSTMCell(4, 4))]).double()
    for k, layer in enumerate(ours.layers):
        layer.cell.load_state_dict({n[:-3]: v for n, v in theirs.state_dict().items()
                                    if n.endswith(f"_l{k}")})
        change(theirs, k, layer.cell)
    return x, theirs, ours


def test_a_stack_of_pruned_cells_trains_as_torchs_pruned_lstm():
    """The same through ``Stacked`` (hooked cells: layer by layer on torch's kernel) against
    ``torch.nn.LSTM(num_layers=2)`` pruned at the same weights with the same masks."""
    def pruned(theirs, k, cell):
        prune.l1_unstructured(theirs, f"weight_hh_l{k}", 0.5)
        prune.l1_unstructured(cell, "weight_hh", 0.5)
        assert torch.equal(cell.weight_hh_mask, getattr(theirs, f"weight_hh_l{k}_mask"))

    x, theirs, ours = _two_layer_lstms(pruned)
    got = _sgd_steps(ours, lambda m, x: m(x)[0], x)
    want = _sgd_steps(theirs, lambda m, x: m(x)[0], x)
    for g, w in zip(got, want):
        torch.testing.assert_close(g, w)


def test_other_hooks_on_a_cell_are_still_said_not_to_run():
    """A hook of the user's own on the cell cannot run (no per-step call): still warned,
    and a weight hook beside it still runs."""
    layer = R.Recurrent(R.RNNCell(3, 4)).double()
    prune.l1_unstructured(layer.cell, "weight_hh", 0.5)
    seen = []
    layer.cell.register_forward_pre_hook(lambda m, args: seen.append(args))
    with pytest.warns(UserWarning, match="hooks registered on the cell do not run"):
        out, _ = layer(torch.randn(4, 2, 3, dtype=F64))
    assert seen == []
    with torch.no_grad():
        layer.cell.weight_hh_orig.add_(1.0)  # (the weight the hook computes changes)
    plain = R.RNNCell(3, 4).double()
    plain.load_state_dict({"weight_hh": layer.cell.weight_hh_orig * layer.cell.weight_hh_mask,
                           **{n: getattr(layer.cell, n) for n in ("weight_ih", "bias_ih",
                                                                  "bias_hh")}})
    x = torch.randn(4, 2, 3, dtype=F64)
    with pytest.warns(UserWarning):
        out, _ = layer(x)
    torch.testing.assert_close(out, R.Recurrent(plain, impl="reference")(x)[0])


def _fullgraph(model, x):
    torch._dynamo.reset()
    return torch.compile(model, backend="eager", fullgraph=True)(x)


@pytest.mark.parametrize("make", [
    pytest.param(lambda: R.Recurrent(R.DTRNNCell(3, 4, depth=2)), id="dt-rnn",  # rnnlab's kernel
                 marks=pytest.mark.slow),  # (10 s on 2 cores)
    pytest.param(lambda: R.Stacked([R.Recurrent(R.LSTMCell(3, 4)),
                                    R.Recurrent(R.LSTMCell(4, 4))]), id="stacked-lstm"),  # torch's
])
def test_fullgraph_compile_says_why_it_cannot_hold_a_kernel_and_the_loop_compiles(make):
    """Old: ``torch.compile(layer, fullgraph=True)`` died with dynamo's "Attempted to call
    function marked as skipped ... the function `disable` in file torch/compiler/__init__.py",
    naming nothing of rnnlab's; then (the wrapper made by an earlier compile) with
    "wrapped with torch.compiler.disable (reason: None)". Now both say that the kernels run
    outside the graph and what to do; and what they say to do works: on the step loop,
    ``fullgraph=True`` compiles and gives the eager values."""
    from torch._dynamo.exc import Unsupported

    torch.manual_seed(0)
    model = make().double()
    x = torch.randn(4, 2, 3, dtype=F64)
    want = model(x)[0]
    said = r"outside torch.compile's graph.*fullgraph=False.*impl='reference'"
    with pytest.raises(Unsupported, match=said):
        _fullgraph(model, x)
    torch._dynamo.reset()
    torch.compile(model, backend="eager")(x)  # (the kernel's wrapper made, as it runs)
    with pytest.raises(Unsupported, match=said):
        _fullgraph(model, x)
    from rnnlab.nn.paths import set_impl

    set_impl(model, "reference")
    torch.testing.assert_close(_fullgraph(model, x)[0], want)


PARAMETRIZED = {  # cell, the weight and the parametrization, the path its layer runs
    "lstm": (lambda: R.LSTMCell(3, 4), "weight_hh", "orthogonal", "fused"),
    "gru": (lambda: R.GRUCell(3, 4), "weight_ih", "weight_norm", "fused"),
    "rnn": (lambda: R.RNNCell(3, 4), "weight_hh", "orthogonal", "fused"),
    "gru-cho": (lambda: R.GRUCell(3, 4, reset_after=False), "weight_hh", "orthogonal",
                "fast-torch"),
    "dt": (lambda: R.DTRNNCell(3, 4, depth=3, width=5), "weight_tl2", "orthogonal",
           "fast-torch"),
    "dt(s)": (lambda: R.DTRNNCell(3, 4, depth=2, shortcut=True), "weight_sh", "weight_norm",
              "fast-torch"),
}


def _parametrized(make, weight, how):
    from torch.nn.utils.parametrizations import orthogonal, weight_norm

    torch.manual_seed(1)
    cell = make().double()
    (orthogonal if how == "orthogonal" else weight_norm)(cell, weight)
    return cell


@pytest.mark.parametrize("lengths", [None, [5, 2]])
@pytest.mark.parametrize("name", sorted(PARAMETRIZED))
def test_a_parametrized_cell_runs_its_kernel_equal_to_the_step_loop(name, lengths):
    """Old: ``torch.nn.utils.parametrizations.orthogonal(cell, "weight_hh")`` (or weight_norm)
    made the cell a class of torch's making, which the kernel tables, keyed by exact type,
    did not know: the layer ran the Python step loop, computing the parametrization again at
    every step (path "reference"). The equation is the class's own: now its kernel runs,
    the weights computed once per call; values and gradients as the step loop's."""
    make, weight, how, path = PARAMETRIZED[name]
    x = torch.randn(5, 2, 3, dtype=F64, generator=torch.Generator().manual_seed(0))
    lengths = None if lengths is None else torch.tensor(lengths)
    fast = R.Recurrent(_parametrized(make, weight, how))
    loop = R.Recurrent(_parametrized(make, weight, how), impl="reference")
    assert fast.path_for(x, lengths) == path
    results = []
    for layer in (fast, loop):
        out, state = layer(x, lengths=lengths)
        loss = out.pow(2).sum() + sum(s.sum() for s in (state if isinstance(state, tuple)
                                                         else (state,)))
        results.append([out, *torch.autograd.grad(loss, list(layer.parameters()))])
    for got, want in zip(*results):
        torch.testing.assert_close(got, want)


def test_a_stack_of_parametrized_lstm_cells_equals_torchs_parametrized_lstm():
    """Through ``Stacked`` (one multi-layer call of torch's kernel) against
    ``torch.nn.LSTM(num_layers=2)`` with the same orthogonal recurrent weights."""
    from torch.nn.utils.parametrizations import orthogonal

    def made_orthogonal(theirs, k, cell):
        orthogonal(theirs, f"weight_hh_l{k}")
        orthogonal(cell, "weight_hh")

    x, theirs, ours = _two_layer_lstms(made_orthogonal)
    assert ours.path_for(x) == "fused"
    got = _sgd_steps(ours, lambda m, x: m(x)[0], x)
    want = _sgd_steps(theirs, lambda m, x: m(x)[0], x)
    for g, w in zip(got, want):
        torch.testing.assert_close(g, w)


def test_a_spectral_normed_cell_runs_one_power_iteration_per_call_as_torchs_lstm():
    """``torch.nn.utils.spectral_norm`` updates its power-iteration vectors at each call of
    the module it is on: once per layer call, a PackedSequence's too (not once more for
    the padded batch it runs), as on ``torch.nn.LSTM``."""
    from torch.nn.utils.rnn import pack_padded_sequence

    torch.manual_seed(0)
    theirs = nn.LSTM(3, 4).double()
    ours = R.Recurrent(R.LSTMCell(3, 4)).double()
    ours.cell.load_state_dict({n[:-3]: v for n, v in theirs.state_dict().items()})
    torch.manual_seed(1)
    nn.utils.spectral_norm(theirs, "weight_hh_l0")
    torch.manual_seed(1)
    nn.utils.spectral_norm(ours.cell, "weight_hh")
    x = torch.randn(5, 2, 3, dtype=F64)
    packed = pack_padded_sequence(x, torch.tensor([5, 3]))
    for _ in range(3):
        torch.testing.assert_close(ours(packed)[0].data, theirs(packed)[0].data)
    torch.testing.assert_close(ours.cell.weight_hh_u, theirs.weight_hh_l0_u)


@pytest.mark.parametrize("make", [lambda: R.LSTM(3, 4, num_layers=2, bidirectional=True),
                                  lambda: R.GRU(3, 4, reset_after=False),
                                  lambda: R.RNN(3, 4, impl="reference")],
                         ids=["lstm", "gru-cho", "rnn-reference"])
def test_a_parametrized_dropin_deepcopies_and_the_copy_is_its_own(make):
    """Old: ``copy.deepcopy`` of a drop-in with ``parametrizations.orthogonal`` on a weight
    died with "cannot pickle '_thread._local' object" (parametrize's class copies the
    ``__dict__``, the reference template's included), and after a call on torch's kernel
    with "Only Tensors created explicitly by the user ... support the deepcopy protocol"
    (``torch.nn.LSTM`` dies there too). Now the copy runs as the original and trains apart."""
    import copy

    from torch.nn.utils.parametrizations import orthogonal

    torch.manual_seed(0)
    model = make().double()
    orthogonal(model, "weight_hh_l0")
    x = torch.randn(5, 2, 3, dtype=F64)
    want = model(x)[0].detach()
    twin = copy.deepcopy(model)
    torch.testing.assert_close(twin(x)[0], want)
    assert type(twin) is type(model) and twin.path_for(x) == model.path_for(x)
    _sgd_steps(twin, lambda m, x: m(x)[0], x, steps=1)
    assert not torch.equal(twin(x)[0], want)
    torch.testing.assert_close(model(x)[0], want)  # (the original untouched)


def test_a_composed_stack_lists_its_parameters_in_torchs_order():
    """``Stacked([Bidirectional(Recurrent(LSTMCell), ...), ...])`` names its parameters by
    where they live (``layers.0.backward_layer.cell.weight_hh``), not torch's flat
    ``weight_hh_l0_reverse`` (the composition is the point), but lists them in torch's
    order: layer by layer, forward before backward, ``weight_ih, weight_hh, bias_ih,
    bias_hh``; so ``zip(ours.parameters(), torch_lstm.parameters())`` copies one into the
    other, and the outputs then agree."""
    torch.manual_seed(0)
    theirs = nn.LSTM(3, 4, num_layers=2, bidirectional=True).double()
    ours = R.Stacked([R.Bidirectional(R.Recurrent(R.LSTMCell(i, 4)),
                                      R.Recurrent(R.LSTMCell(i, 4), reverse=True))
                      for i in (3, 8)]).double()
    pairs = list(zip(ours.named_parameters(), theirs.named_parameters(), strict=True))
    for (n, p), (m, q) in pairs:
        layer, direction, leaf = n.split(".")[1], n.split(".")[2], n.split(".")[-1]
        assert m == f"{leaf}_l{layer}" + ("_reverse" if direction == "backward_layer" else "")
        with torch.no_grad():
            p.copy_(q)
    x = torch.randn(5, 2, 3, dtype=F64)
    torch.testing.assert_close(ours(x)[0], theirs(x)[0])


def _stacked_bigru():
    return R.Stacked([R.Bidirectional(R.Recurrent(R.GRUCell(i, 4)),
                                      R.Recurrent(R.GRUCell(i, 4), reverse=True))
                      for i in (3, 8)])


@pytest.mark.parametrize("make, strict", [
    pytest.param(lambda: R.Recurrent(R.LSTMCell(3, 4), reverse=True), True, id="lstm-strict"),
    pytest.param(lambda: R.Recurrent(R.LSTMCell(3, 4), reverse=True), False, id="lstm"),
    pytest.param(_stacked_bigru, True, id="stacked-bigru-strict", marks=pytest.mark.slow),
    pytest.param(_stacked_bigru, False, id="stacked-bigru"),
])
def test_layers_on_torchs_kernel_export_as_torchs_modules_do(make, strict):
    """Old: ``torch.export.export(Recurrent(LSTMCell(3, 4)), (x,), strict=True)`` died
    with "Attempted to call function marked as skipped ... `disable`" where
    ``torch.nn.LSTM`` (and rnnlab.nn.LSTM) exported: the layer's call of torch's kernel
    was kept out of the trace as for ``torch.compile``. Exporting, it is recorded, as
    torch.nn.LSTM's is: the program equals the layer, for another batch size too."""
    from torch.export import Dim

    torch.manual_seed(0)
    model = make().double().eval()
    x = torch.randn(5, 2, 3, dtype=F64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        program = torch.export.export(model, (x,), dynamic_shapes=({1: Dim("B", max=64)},),
                                      strict=strict)
    x2 = torch.randn(5, 3, 3, dtype=F64)
    torch.testing.assert_close(program.module()(x2)[0], model(x2)[0])
