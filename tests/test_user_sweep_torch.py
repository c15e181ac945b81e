"""A PyTorch user's sweep of rnnlab.nn and rnnlab.train: what a torch.nn user tries first.

Each test pins one problem the sweep found (the old behaviour is in its docstring);
torch.nn is the reference, compared in float64.
"""

from __future__ import annotations

import pytest
import torch
from torch import nn

import rnnlab.nn as R

KINDS = ("RNN", "GRU", "LSTM")


def pair(kind, *args, impl="auto", **kwargs):
    """(torch.nn module, rnnlab drop-in) of the same weights, float64."""
    ours = getattr(R, kind)(*args, impl=impl, **kwargs).double()
    theirs = getattr(nn, kind)(*args, **kwargs).double()
    theirs.load_state_dict(ours.state_dict(), strict=True)
    return theirs, ours


@pytest.mark.parametrize("kind", KINDS)
def test_a_dropin_on_torchs_kernel_runs_under_vmap(kind):
    """Old: ``torch.func.vmap(lambda x: rnnlab.nn.LSTM(...)(x)[0])`` raised "Batching rule
    not implemented for aten::lstm.input" (rnnlab's Recurrent gave way to its loop under
    torch.func transforms, the drop-ins did not). Per-sample gradients, vmap(grad), are
    the use: they equal torch.nn's, one sample at a time."""
    torch.manual_seed(0)
    theirs, ours = pair(kind, 2, 3, 2, bidirectional=True)
    xs = torch.randn(4, 5, 2, dtype=torch.float64)  # 4 unbatched sequences (T=5, I=2)
    seen = []

    def out(x):
        seen.append(ours.path_for(x))
        return ours(x)[0]

    batched = torch.func.vmap(out)(xs)
    assert seen == ["reference"] and ours.path_for(xs[0]) == "fused"
    torch.testing.assert_close(batched, torch.stack([theirs(x)[0] for x in xs]))

    params = {k: v.detach() for k, v in ours.named_parameters()}

    def loss(p, x):
        return torch.func.functional_call(ours, p, (x,))[0].pow(2).sum()

    per_sample = torch.func.vmap(torch.func.grad(loss), in_dims=(None, 0))(params, xs)
    for i, x in enumerate(xs):
        expected = torch.autograd.grad(theirs(x)[0].pow(2).sum(), list(theirs.parameters()))
        for name, e in zip(params, expected):
            torch.testing.assert_close(per_sample[name][i], e)


def _lstms():
    from rnnlab.nn.registry import build_model

    torch.manual_seed(1)
    yield "LSTM", R.LSTM(3, 4, 2, bidirectional=True)
    yield "Recurrent", R.Recurrent(R.LSTMCell(3, 4))
    yield "lstm", build_model("lstm", input_size=3, hidden_size=4, num_layers=2)


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
def test_lstms_run_under_a_cpu_autocast_whose_dtype_onednn_has_no_lstm_for(monkeypatch, dtype):
    """Old: under ``torch.autocast("cpu", torch.float16)`` (everywhere without AVX-512-FP16)
    or bf16 on an AVX2-only CPU, every rnnlab LSTM died with "could not create a primitive
    descriptor for the LSTM forward propagation primitive" (torch.nn.LSTM does too); the
    training loop had a fallback, the modules not. Now the LSTM runs torch's fp32 kernel
    there: the fp32 model's values, forward and backward, and fp32 out."""
    from torch.nn.utils.rnn import pack_padded_sequence

    from rnnlab.nn.fast import lowp_lstm

    x = torch.randn(5, 2, 3)
    lengths = torch.tensor([5, 3])
    if dtype is torch.float16:  # no fp16 oneDNN LSTM on most CPUs: the real thing, unpatched
        for name, m in _lstms():
            with torch.autocast("cpu", dtype=dtype):
                m(x if name != "lstm" else x.transpose(0, 1))[0].float().sum().backward()
    # this CPU may have the kernel: simulate one that has not (an AVX2-only CPU for bf16)
    monkeypatch.setattr(lowp_lstm, "lowp_lstm_supported", lambda d: False)
    for name, m in _lstms():
        xb = x if name != "lstm" else x.transpose(0, 1)  # (the registry's model: batch-first)
        out, _ = m(xb)
        grads = torch.autograd.grad(out.sum(), list(m.parameters()))
        with torch.autocast("cpu", dtype=dtype):
            got, _ = m(xb)
            got_grads = torch.autograd.grad(got.sum(), list(m.parameters()))
            if name == "LSTM":  # a PackedSequence that trains (runs padded, layer by layer)
                m(pack_padded_sequence(x, lengths))[0].data.sum().backward()
            else:
                m(xb, lengths=lengths)[0].sum().backward()
        assert got.dtype == torch.float32, name
        torch.testing.assert_close(got, out, msg=name)
        torch.testing.assert_close(got_grads, grads, msg=name)


AVX2_SCRIPT = """
import torch, rnnlab.nn as R
from rnnlab.nn.fast.lowp_lstm import lowp_lstm_supported
from rnnlab.nn.registry import build_model
print('bf16 lstm kernel:', lowp_lstm_supported(torch.bfloat16))
x = torch.randn(2, 5, 3)
for m in (R.LSTM(3, 4, 2, batch_first=True), build_model('lstm', input_size=3, hidden_size=4)):
    with torch.autocast('cpu', dtype=torch.bfloat16):
        m(x)[0].sum().backward()
    with torch.inference_mode(), torch.autocast('cpu', dtype=torch.bfloat16):
        m(x)
print('ran')
"""


def test_bf16_autocast_lstms_run_on_a_cpu_limited_to_avx2():
    """The AVX2-only CPU itself (oneDNN's ONEDNN_MAX_CPU_ISA=AVX2), in a fresh process:
    old, the drop-in and the registry's LSTM died under bf16 autocast."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    src = Path(__file__).resolve().parents[1] / "src"
    env = dict(os.environ, ONEDNN_MAX_CPU_ISA="AVX2", PYTHONPATH=str(src))
    r = subprocess.run([sys.executable, "-c", AVX2_SCRIPT], env=env, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    if "bf16 lstm kernel: True" in r.stdout:
        pytest.skip("this torch's oneDNN ignores ONEDNN_MAX_CPU_ISA: not reproducible here")
    assert r.stdout.strip().endswith("ran")


# -- rnnlab.train ------------------------------------------------------------------------
def _tiny_model(kind="LSTM"):
    m = nn.Module()
    m.rnn, m.head = getattr(R, kind)(1, 4, batch_first=True), nn.Linear(4, 1)
    return m


def _cfg(**kw):
    from rnnlab.train import TrainConfig

    return TrainConfig(**{"epochs": 1, "progress": False, **kw})


@pytest.mark.parametrize("first, then", [("adam", "sgd"), ("adam", "adamw"), ("sgd", "adam")])
def test_resuming_with_another_optimizer_is_refused_saying_which(tmp_path, first, then):
    """Old: a run checkpointed with Adam and resumed with optimizer='sgd' died at its
    first step with ``KeyError: 'momentum'``; resumed with 'adamw' it silently went on
    as Adam (torch's load_state_dict put back Adam's groups)."""
    from tiny_task import TinyTask

    from rnnlab.io.errors import RnnlabError
    from rnnlab.train import fit

    fit(_tiny_model(), TinyTask(), _cfg(optimizer=first), checkpoint_dir=tmp_path)
    with pytest.raises(RnnlabError, match=f"optimizer '{first}'.*asks for '{then}'.*"
                                          f"optimizer='{first}'"):
        fit(_tiny_model(), TinyTask(), _cfg(epochs=2, optimizer=then), checkpoint_dir=tmp_path,
            resume=True)
    hist = fit(_tiny_model(), TinyTask(), _cfg(epochs=2, optimizer=first),
               checkpoint_dir=tmp_path, resume=True)
    assert hist.steps == 4


class _Returns:
    """TinyTask whose train_loss returns what ``make(loss, carry)`` makes of the real one."""

    def __init__(self, make):
        from tiny_task import TinyTask

        self.inner, self.make = TinyTask(), make

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def train_loss(self, model, batch, carry):
        loss, carry = self.inner.train_loss(model, batch, carry)
        return self.make(loss, carry)


@pytest.mark.parametrize("make, match", [
    (lambda loss, carry: loss, r"must return \(loss, carry\), got one tensor"),
    (lambda loss, carry: (loss.item(), carry), r"one-element float tensor.*got float.*no \.item"),
    (lambda loss, carry: (loss.expand(3), carry), r"one-element float tensor.*shape \(3,\)"),
    (lambda loss, carry: (loss.detach(), carry), r"does not depend on any parameter"),
])
def test_fit_names_what_a_tasks_train_loss_returned(make, match):
    """Old: a train_loss returning the loss alone died with "TypeError: iteration over a
    0-d tensor", a float with "AttributeError: 'float' object has no attribute 'detach'",
    a non-scalar with "only one element tensors can be converted to Python scalars"."""
    from rnnlab.train import fit

    with pytest.raises((TypeError, ValueError), match=match):
        fit(_tiny_model(), _Returns(make), _cfg())


def test_fit_refuses_what_is_no_config_no_model_to_train_or_no_data():
    """Old: a dict as cfg: "AttributeError: 'dict' object has no attribute 'cuda_graphs'";
    a model without parameters: a bare StopIteration; a frozen one: torch's "optimizer
    got an empty parameter list"; a task of no batches trained nothing and reported a
    loss of NaN."""
    from tiny_task import TinyTask

    from rnnlab.train import fit

    with pytest.raises(TypeError, match=r"TrainConfig, got dict.*TrainConfig\(\*\*d\)"):
        fit(_tiny_model(), TinyTask(), {"epochs": 1})
    with pytest.raises(ValueError, match="has no parameters"):
        fit(nn.Identity(), TinyTask(), _cfg())
    frozen = _tiny_model().requires_grad_(False)
    with pytest.raises(ValueError, match=r"none of its 6 parameters requires grad"):
        fit(frozen, TinyTask(), _cfg())
    with pytest.raises(TypeError, match="the task has no initial_carry, validate"):
        half = TinyTask()
        fit(_tiny_model(), type("Half", (), {m: getattr(half, m) for m in
                                             ("num_batches", "get_batch", "train_loss")})(),
            _cfg())
    empty = TinyTask()
    empty.num_batches = lambda epoch: 0
    with pytest.raises(ValueError, match="no batches"):
        fit(_tiny_model(), empty, _cfg(epochs=2))


@pytest.mark.parametrize("field, value, match", [
    ("lr", "0.1", r"lr must be a number, got '0.1' \(str\)"),
    ("max_seconds", "5", r"max_seconds must be a number, got '5'"),
    ("epochs", 2.0, r"epochs must be a whole number \(an int\), got 2.0"),
    ("batch_size", True, r"batch_size must be a whole number"),
    ("seed", 1.5, r"seed must be a whole number"),
])
def test_train_config_names_a_value_of_the_wrong_type(field, value, match):
    """Old: lr='0.1' died with "TypeError: '<' not supported between instances of 'int'
    and 'str'"; epochs=2.0 was refused as "epochs must be >= 1, got 2.0"; batch_size=True
    (one sequence per step) and seed=1.5 were taken."""
    from rnnlab.train import TrainConfig

    with pytest.raises(ValueError, match=match):
        TrainConfig(**{field: value})
    import numpy as np

    TrainConfig(epochs=np.int64(2), lr=np.float32(0.01), seed=-3, clip_norm=None)  # still fine


def test_fit_does_not_ignore_the_configs_device():
    """Old: ``fit(cpu_model, task, TrainConfig(device="cuda"))`` trained on the CPU and
    said nothing (fit read the device from the model only; TrainConfig.device reached
    only the CLI's and the Forecaster's own set-up)."""
    from tiny_task import TinyTask

    from rnnlab.train import fit

    want = "cuda" if not torch.cuda.is_available() else "meta"
    with pytest.raises(ValueError, match=f"'{want}'"):
        fit(_tiny_model(), TinyTask(), _cfg(device=want))
    assert fit(_tiny_model(), TinyTask(), _cfg(device="cpu")).steps == 2


# -- LSTM(proj_size) ------------------------------------------------------------------------
@pytest.mark.parametrize("impl", ["auto", "reference"])
@pytest.mark.parametrize("batch_first, bidirectional", [(False, False), (True, True)])
def test_lstm_with_proj_size_equals_torchs(impl, batch_first, bidirectional):
    """Old: ``rnnlab.nn.LSTM(3, 5, proj_size=2)`` was refused ("proj_size is not supported
    by rnnlab"), with no hint of what to do. Now it runs as torch.nn.LSTM's, its reference
    path on ``LSTMCell(proj_size=P)``: outputs, (h_n (.., P), c_n (.., H)) and gradients
    equal torch's in float64, given states, packed sequences in any order, unbatched."""
    from torch.nn.utils.rnn import pack_padded_sequence

    torch.manual_seed(2)
    theirs, ours = pair("LSTM", 3, 5, 2, batch_first=batch_first, bidirectional=bidirectional,
                        proj_size=2, impl=impl)
    D = 2 if bidirectional else 1
    hx = (torch.randn(2 * D, 3, 2, dtype=torch.float64),
          torch.randn(2 * D, 3, 5, dtype=torch.float64))
    x = torch.randn(3, 4, 3, dtype=torch.float64)  # (B, T, I) or (T, B, I) with T = B = 3
    x = x[:, :3] if not batch_first else x
    for inp in (x, pack_padded_sequence(x, torch.tensor([2, 3, 1]), batch_first=batch_first,
                                        enforce_sorted=False)):
        results = []
        for m in (theirs, ours):
            out, (h, c) = m(inp, hx)
            out = out.data if not isinstance(out, torch.Tensor) else out
            loss = out.pow(2).sum() + h.sum() + c.pow(2).sum()
            results.append((out, h, c) + torch.autograd.grad(loss, list(m.parameters())))
        torch.testing.assert_close(results[1], results[0])
        assert results[1][1].shape[-1] == 2 and results[1][2].shape[-1] == 5
    torch.testing.assert_close(ours(x[0]), theirs(x[0]))  # unbatched
    assert "weight_hr_l0" in ours.state_dict()


def test_lstm_proj_size_states_of_the_wrong_shape_say_which_and_why():
    ours = R.LSTM(3, 5, proj_size=2)
    x = torch.zeros(4, 2, 3)
    with pytest.raises(ValueError, match=r"state of shape \(1, 2, 2\) \(num_layers\*num_directions"
                                         r", batch, proj_size\) for h_0, got \(1, 2, 5\)"):
        ours(x, (torch.zeros(1, 2, 5), torch.zeros(1, 2, 5)))
    with pytest.raises(ValueError, match=r"\(h_0, c_0\) of shapes \(1, 2, 2\) and \(1, 2, 5\)"):
        ours(x, torch.zeros(1, 2, 2))
    with pytest.raises(ValueError, match=r"LSTMCell: proj_size must be .* smaller than "
                                         r"hidden_size \(5\), got 5"):
        R.LSTMCell(3, 5, proj_size=5)
    assert ours(torch.zeros(4, 0, 3))[1][0].shape == (1, 0, 2)  # an empty batch, as torch's


def test_a_projecting_lstm_cell_steps_as_the_layer_runs():
    """``Recurrent(LSTMCell(proj_size=P))``: the step loop (no fused kernel for it) equals
    torch.nn.LSTM(proj_size=P) of the same weights."""
    torch.manual_seed(3)
    theirs = nn.LSTM(3, 5, proj_size=2).double()
    cell = R.LSTMCell(3, 5, proj_size=2).double()
    cell.load_state_dict({k[:-3]: v for k, v in theirs.state_dict().items()}, strict=True)
    layer = R.Recurrent(cell)
    x = torch.randn(6, 4, 3, dtype=torch.float64)
    assert layer.path_for(x) == "reference" and cell.output_size == 2
    out, (h, c) = layer(x)
    t_out, (t_h, t_c) = theirs(x)
    torch.testing.assert_close((out, h, c), (t_out, t_h[0], t_c[0]))


@pytest.mark.parametrize("kind, args", [("LSTMCell", (True,)), ("RNNCell", (True, "tanh"))])
def test_cells_take_device_and_dtype_by_position_as_torchs(kind, args):
    """Old: ``rnnlab.nn.LSTMCell(3, 4, True, "cpu", torch.float64)``, valid for
    torch.nn.LSTMCell, raised "takes from 3 to 4 positional arguments but 6 were given".
    (GRUCell too, since: tests/test_left_alone_lib.py.)"""
    cell = getattr(R, kind)(3, 4, *args, "cpu", torch.float64)
    theirs = getattr(nn, kind)(3, 4, *args, "cpu", torch.float64)
    assert cell.weight_ih.dtype == theirs.weight_ih.dtype == torch.float64


def test_fit_keeps_another_runs_checkpoint_and_checks_the_folder_first(tmp_path):
    """Old: a second ``fit(..., checkpoint_dir=d)`` without resume pruned the first run's
    checkpoint (ckpt-00000004 gone, ckpt-00000002 in its place), unasked; a checkpoint_dir
    that is a file failed with FileExistsError only after the first epoch's training;
    resume=True without a checkpoint_dir said "no checkpoint in None"."""
    from tiny_task import TinyTask

    from rnnlab.train import fit

    first = tmp_path / "run"
    fit(_tiny_model(), TinyTask(), _cfg(epochs=2), checkpoint_dir=first)
    before = sorted(p.name for p in first.iterdir())
    with pytest.raises(ValueError, match="holds another run's checkpoint; pass resume=True"):
        fit(_tiny_model(), TinyTask(), _cfg(), checkpoint_dir=first)
    assert sorted(p.name for p in first.iterdir()) == before == ["ckpt-00000004", "latest.json"]
    afile = tmp_path / "notes.txt"
    afile.write_text("mine")
    with pytest.raises(ValueError, match="is a file, not a folder"):
        fit(_tiny_model(), TinyTask(), _cfg(), checkpoint_dir=afile)
    assert afile.read_text() == "mine"
    with pytest.raises(ValueError, match="resume=True needs checkpoint_dir"):
        fit(_tiny_model(), TinyTask(), _cfg(), resume=True)


@pytest.mark.parametrize("kind", ["tensor", "numpy"])
def test_a_validation_loss_returned_as_a_tensor_is_taken_as_its_value(tmp_path, kind):
    """Old: a Task.validate returning ``F.mse_loss(...)`` as is (a 0-d tensor), or a numpy
    float, failed at the first checkpoint with "Object of type Tensor (float32) is not
    JSON serializable"; anything else not a number failed deep in the loop."""
    import numpy as np
    from tiny_task import TinyTask

    from rnnlab.train import fit

    class Validating(TinyTask):
        def validate(self, model):
            with torch.no_grad():
                out, _ = model.rnn(self.x)
                loss = nn.functional.mse_loss(model.head(out[:, -1]), self.y)
            return loss if kind == "tensor" else np.float32(loss.item())

    hist = fit(_tiny_model(), Validating(), _cfg(epochs=2), checkpoint_dir=tmp_path)
    assert isinstance(hist.best_val_loss, float) and hist.best_epoch in (1, 2)
    bad = Validating()
    bad.validate = lambda model: "low"
    with pytest.raises(TypeError, match="validate must return the validation loss as a number"
                                        r".*got str 'low'"):
        fit(_tiny_model(), bad, _cfg())


def test_a_carried_state_left_attached_is_detached_between_steps():
    """Old: a task carrying its LSTM state from batch to batch (truncated BPTT) and
    returning it undetached died at the second step with "Trying to backward through the
    graph a second time"; the loop now cuts the carry from the graph after each step,
    which changes nothing for a task that detaches it itself."""
    from tiny_task import TinyTask

    from rnnlab.train import fit

    class Carrying(TinyTask):
        def train_loss(self, model, batch, carry):
            out, carry = model.rnn(batch[0], carry)
            return nn.functional.mse_loss(model.head(out[:, -1]), batch[1]), carry

    class Detaching(Carrying):
        def train_loss(self, model, batch, carry):
            loss, carry = super().train_loss(model, batch, carry)
            return loss, tuple(c.detach() for c in carry)

    hists = []
    for task in (Carrying(), Detaching()):
        torch.manual_seed(0)
        hists.append(fit(_tiny_model(), task, _cfg(epochs=2)))
    assert hists[0].steps == 4
    assert [e["train_loss"] for e in hists[0].epochs] == [e["train_loss"] for e in hists[1].epochs]


def _layers():
    from rnnlab.nn.registry import build_model

    yield R.GRU(3, 4)
    yield R.Recurrent(R.GRUCell(3, 4))
    yield R.Bidirectional(R.Recurrent(R.GRUCell(3, 4)), R.Recurrent(R.GRUCell(3, 4), reverse=True))
    yield R.Stacked([R.Recurrent(R.GRUCell(3, 4))])
    yield build_model("dt-rnn", input_size=3, hidden_size=4)


@pytest.mark.parametrize("given", ["numpy", "list", "None"])
def test_an_input_that_is_no_tensor_is_named(given):
    """Old: a numpy array, a list or None given to any layer or cell died with
    "AttributeError: 'numpy.ndarray' object has no attribute 'dim'" (torch.nn's too)."""
    import numpy as np

    x = {"numpy": np.zeros((5, 2, 3), np.float32), "list": [[[0.0] * 3] * 2] * 5,
         "None": None}[given]
    kind = {"numpy": "numpy.ndarray", "list": "builtins.list", "None": "None"}[given]
    for layer in _layers():
        with pytest.raises(TypeError, match=rf"expected the input as a torch.Tensor or a "
                                            rf"PackedSequence, got {kind}; convert it"):
            layer(x)
    with pytest.raises(TypeError, match=rf"GRUCell: expected the input as a torch.Tensor, "
                                        rf"got {kind}"):
        R.GRUCell(3, 4)(x if given != "numpy" else x[0])


def test_the_low_precision_lstm_probe_leaves_the_rng_as_it_was():
    """Old: the probe (does oneDNN have a bf16 LSTM here?) built a ``torch.nn.LSTM(2, 2)``,
    whose initialisation drew from torch's RNG: the first bf16-mixed fit of a process (or
    the first LSTM call under autocast) shifted the random stream of a seeded run."""
    from rnnlab.nn.fast.lowp_lstm import lowp_lstm_supported

    lowp_lstm_supported.cache_clear()
    before = torch.get_rng_state()
    lowp_lstm_supported(torch.bfloat16)
    lowp_lstm_supported(torch.float16)
    assert torch.equal(torch.get_rng_state(), before)


def test_validate_sees_the_model_in_eval_mode_and_training_goes_on_in_train_mode():
    """Old: Task.validate ran with the model in training mode, so a user's validation
    (the built-in tasks call eval() themselves) ran with dropout on: a noisy validation
    loss choosing the best weights and the early stop."""
    from tiny_task import TinyTask

    from rnnlab.train import fit

    seen = []

    class Watching(TinyTask):
        def train_loss(self, model, batch, carry):
            seen.append(("train", model.training))
            return super().train_loss(model, batch, carry)

        def validate(self, model):
            seen.append(("validate", model.training))
            return 1.0

    m = _tiny_model()
    m.rnn = R.LSTM(1, 4, 2, dropout=0.5, batch_first=True)
    fit(m, Watching(), _cfg(epochs=2))
    assert seen == [("train", True)] * 2 + [("validate", False)] + [("train", True)] * 2 + \
        [("validate", False)]


def test_a_resume_with_no_epochs_left_says_it_trains_nothing(tmp_path):
    """Old: ``fit(..., resume=True)`` with ``epochs`` no more than the checkpoint's finished
    epochs trained nothing and said nothing (``lm train --resume RUN --epochs 1`` then
    rewrote the run's outputs from the same weights)."""
    import warnings

    from tiny_task import TinyTask

    from rnnlab.train import fit

    fit(_tiny_model(), TinyTask(), _cfg(epochs=2), checkpoint_dir=tmp_path)
    with pytest.warns(UserWarning, match="finished 2 epochs and cfg.epochs is 2, so nothing "
                                         "is trained"):
        fit(_tiny_model(), TinyTask(), _cfg(epochs=2), checkpoint_dir=tmp_path, resume=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # going on trains: no note
        hist = fit(_tiny_model(), TinyTask(), _cfg(epochs=3), checkpoint_dir=tmp_path,
                   resume=True)
    assert len(hist.epochs) == 3


@pytest.mark.parametrize("mode", [True, False])
def test_fit_gives_the_model_back_in_the_mode_it_came_in(mode):
    """Old: after ``fit`` the model was in eval mode, left by the last validation (a
    training-mode model came back with its dropout off)."""
    from tiny_task import TinyTask

    from rnnlab.train import fit

    m = _tiny_model().train(mode)
    fit(m, TinyTask(), _cfg(epochs=1))
    assert m.training is mode and all(c.training is mode for c in m.modules())
