"""A student's and a researcher's sweep (session 14): rnnlab.nn as a torch.nn drop-in,
the deep architectures, CharLM and its checkpoints. Tiny and fast."""

from __future__ import annotations

import warnings

import pytest

from rnnlab.io.errors import DataError
from rnnlab.lm import CharLM

TINY_LM = dict(model="rnn", hidden_size=4, num_layers=1, embedding=0, dropout=0.0)
FAST_FIT = dict(epochs=1, batch_size=4, seq_len=8, progress=False)


def test_a_refused_fit_leaves_the_model_without_the_refused_texts_vocabulary():
    """A fit refused before training (a text too short) left the vocabulary of that text
    on the model: the corrected fit then kept it and trained 93% of its text as the
    unknown token, with only a warning."""
    lm = CharLM(**TINY_LM)
    with pytest.raises(DataError, match="training part of the corpus"):
        lm.fit("abcabc" * 3, **FAST_FIT)
    assert lm.vocab is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "not in the model's vocabulary" warning
        lm.fit("the quick brown fox jumps over the lazy dog. " * 40, **FAST_FIT)
    assert lm.vocab.encode("q") != [lm.vocab.unk_id]


@pytest.fixture(scope="module")
def tiny_lm():
    return CharLM(**TINY_LM).fit("the quick brown fox jumps over the lazy dog. " * 20, **FAST_FIT)


def test_nll_ids_takes_the_list_vocab_encode_gives(tiny_lm):
    """vocab.encode returns a list; nll_ids failed on it with numpy's "only integer scalar
    arrays can be converted to a scalar index"."""
    import torch

    text = "the lazy dog jumps"
    ids = tiny_lm.vocab.encode(text)
    assert tiny_lm.nll_ids(ids) == tiny_lm.nll_ids(torch.tensor(ids))
    assert tiny_lm.nll_ids(ids) == tiny_lm.nll(text)


def test_nll_ids_refuses_ids_that_are_no_token_of_the_model(tiny_lm):
    """Float ids were truncated to other tokens and scored; ids past the vocabulary or
    negative ended in torch's "Target 999 is out of bounds"."""
    import numpy as np
    import torch

    v = len(tiny_lm.vocab)
    with pytest.raises(TypeError, match="whole numbers"):
        tiny_lm.nll_ids(torch.tensor([1.5, 2.0, 3.0]))
    with pytest.raises(TypeError, match="whole numbers"):
        tiny_lm.nll_ids([1, 2.5, 3])
    with pytest.raises(ValueError, match=rf"token id {v} at position 2 is outside .*0\.\.{v - 1}"):
        tiny_lm.nll_ids(torch.tensor([1, 2, v, 3]))
    with pytest.raises(ValueError, match="token id -1 at position 0"):
        tiny_lm.nll_ids(np.array([-1, 2, 3]))
    with pytest.raises(ValueError, match="1-d"):
        tiny_lm.nll_ids(torch.ones(2, 3, dtype=torch.long))


class _RunsCode:
    def __reduce__(self):
        import os

        return (os.getcwd, ())


def test_a_train_state_pickle_of_code_is_refused_without_torchs_advice_to_load_it_anyway(
        tmp_path):
    """torch's refusal says "Re-running torch.load with weights_only set to False will
    likely succeed": the message rnnlab passed on told a user to run the file's code."""
    import hashlib
    import json
    import pickle

    import torch

    from rnnlab.io.errors import CheckpointError
    from rnnlab.train.checkpoint import CheckpointManager

    mgr = CheckpointManager(tmp_path)
    folder = mgr.save(1, {"w": torch.ones(1)}, {"x": 1}, {})
    evil = pickle.dumps({"x": _RunsCode()}, protocol=4)
    (folder / "train_state.pt").write_bytes(evil)
    meta = json.loads((folder / "meta.json").read_text())
    meta["files"]["train_state.pt"] = hashlib.sha256(evil).hexdigest()
    del meta["files"]["train_state.safetensors"]  # (laid out as an earlier rnnlab wrote it)
    meta.pop("_sha256")
    (folder / "meta.json").write_text(json.dumps(meta))
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="Detected pickle protocol")
        with pytest.raises(CheckpointError, match="never writes") as err:
            mgr.load()
    assert "weights_only" not in str(err.value) and "False" not in str(err.value)
    assert "Unsupported" in str(err.value)  # torch's own reason is kept


@pytest.mark.parametrize("name", ["dt-rnn", "dot-rnn", "gru-cho"])
def test_a_traced_model_on_rnnlabs_kernels_equals_the_reference_forward_and_backward(name):
    """torch.jit.trace of a deep-transition model failed on its first call ("addmm():
    functions with out=... arguments don't support automatic differentiation"): the
    trace recorded the kernel's forward ops, not its autograd node. Traced, the layers
    run the step loop (float64, against the reference path, other inputs than traced)."""
    import torch

    from rnnlab.nn.registry import build_model

    torch.manual_seed(0)
    model = build_model(name, input_size=3, hidden_size=4, depth=2) if name != "gru-cho" \
        else build_model(name, input_size=3, hidden_size=4)
    model = model.double()
    ref = build_model(name, input_size=3, hidden_size=4, impl="reference").double()
    ref.load_state_dict(model.state_dict())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tracer's notes on shape checks
        traced = torch.jit.trace(model, (torch.randn(2, 5, 3, dtype=torch.float64),),
                                 check_trace=False)
    x = torch.randn(2, 5, 3, dtype=torch.float64)
    out, ref_out = traced(x)[0], ref(x)[0]
    grads = torch.autograd.grad(out.pow(2).sum(), list(model.parameters()))
    ref_grads = torch.autograd.grad(ref_out.pow(2).sum(), list(ref.parameters()))
    assert torch.allclose(out, ref_out, atol=1e-12, rtol=0)
    for g, r in zip(grads, ref_grads):
        assert torch.allclose(g, r, atol=1e-12, rtol=0)


@pytest.mark.parametrize("field", ["patience", "clip_norm"])
def test_lm_train_config_takes_0_as_off_as_its_help_and_the_cli_say(field):
    """'0 / None: off' said the help; LMTrainConfig(patience=0) raised "TrainConfig:
    patience must be >= 1 or None, got 0" (the CLI turned 0 into None, Python did not)."""
    from rnnlab.lm.config import LMTrainConfig

    cfg = LMTrainConfig(**{field: 0})
    assert getattr(cfg, field) is None
    assert getattr(cfg.to_train_config("cpu"), field) is None
    with pytest.raises(ValueError, match=field):
        LMTrainConfig(**{field: -1})


def test_a_fit_stopped_by_a_signal_in_python_says_how_to_resume_in_python():
    """The message of a Python fit stopped by Ctrl-C said "Resume with --resume", a flag
    of the command line; a command still names its own exact command."""
    from rnnlab.train.stops import TrainingInterrupted

    stop = TrainingInterrupted(f"stopped at epoch 2; the checkpoint is written. "
                               f"{TrainingInterrupted.HINT}", 130)
    assert "resume=True" in str(stop) and "--resume" not in str(stop)
    cli = stop.with_resume_command("rnnlab lm train --resume runs/a")
    assert str(cli) == ("stopped at epoch 2; the checkpoint is written. "
                        "Resume with: rnnlab lm train --resume runs/a")


@pytest.mark.parametrize("dtype_name", ["float16", "bfloat16"])
def test_the_low_precision_lstm_probe_answers_for_training_whatever_the_callers_grad_mode(
        dtype_name):
    """The probe ran under no_grad, where oneDNN has an fp16 LSTM on some AVX-512 CPUs
    (this machine's): it answered yes, and every rnnlab LSTM under
    torch.autocast("cpu", torch.float16) then died in training with "could not create a
    primitive descriptor". The probe must say what a training call meets."""
    import torch

    from rnnlab.nn.fast import lowp_lstm

    dtype = getattr(torch, dtype_name)
    lowp_lstm.lowp_lstm_supported.cache_clear()
    try:
        with torch.no_grad():  # a first call from an evaluation must not decide for training
            said = lowp_lstm.lowp_lstm_supported(dtype)
        z = torch.zeros
        params = [z(8, 2, requires_grad=True), z(8, 2), z(8), z(8)]
        try:
            with torch.autocast("cpu", dtype=dtype):
                torch.lstm(z(2, 1, 2), (z(1, 1, 2), z(1, 1, 2)), params, True, 1, 0.0, True,
                           False, False)
            runs = True
        except RuntimeError:
            runs = False
        assert said == runs
    finally:
        lowp_lstm.lowp_lstm_supported.cache_clear()


def _stacks(make):
    import torch

    from rnnlab.nn import Recurrent, Stacked

    fast = Stacked([Recurrent(make(3, 4)), Recurrent(make(4, 4))]).double()
    ref = Stacked([Recurrent(make(3, 4), impl="reference"),
                   Recurrent(make(4, 4), impl="reference")]).double()
    ref.load_state_dict(fast.state_dict())
    fast(torch.randn(5, 2, 3, dtype=torch.float64))  # the one-call plan is made here
    return fast, ref


def _same_forward_backward(fast, ref):
    import torch

    x = torch.randn(5, 2, 3, dtype=torch.float64)
    xf, xr = x.clone().requires_grad_(), x.clone().requires_grad_()
    of, orf = fast(xf)[0], ref(xr)[0]
    of.pow(2).sum().backward()
    orf.pow(2).sum().backward()
    assert torch.allclose(of, orf, atol=1e-12, rtol=0)
    assert torch.allclose(xf.grad, xr.grad, atol=1e-12, rtol=0)
    for p, q in zip(fast.parameters(), ref.parameters()):
        assert torch.allclose(p.grad, q.grad, atol=1e-12, rtol=0)


def test_a_stack_whose_cells_change_after_its_first_call_runs_the_cells_as_they_are_now():
    """A hand-built stack checks once whether its cells can run as one kernel call, then
    only re-verified the objects: a cell's nonlinearity set to relu after the first call
    still ran the whole stack with the first cell's op (0.65 off the reference, silently),
    and a weight_norm added after it ended in KeyError: 'weight_hh'."""
    import torch
    from torch import nn

    from rnnlab.nn import GRUCell, LSTMCell, RNNCell

    fast, ref = _stacks(RNNCell)
    for s in (fast, ref):
        s.layers[0].cell.nonlinearity = "relu"
    _same_forward_backward(fast, ref)

    fast, ref = _stacks(GRUCell)
    for s in (fast, ref):
        s.layers[1].cell.reset_after = False
    _same_forward_backward(fast, ref)

    fast, ref = _stacks(LSTMCell)
    for s in (fast, ref):
        nn.utils.parametrizations.weight_norm(s.layers[1].cell, "weight_hh")
        with torch.no_grad():
            s.layers[1].cell.parametrizations.weight_hh.original0.mul_(3)
    _same_forward_backward(fast, ref)


@pytest.mark.parametrize("typed, meant", [("train", "rnnlab lm train"),
                                          ("generate", "rnnlab lm generate"),
                                          ("run", "rnnlab recipe run")])
def test_a_command_of_a_command_typed_alone_is_pointed_at_its_place(typed, meant, capsys):
    """`rnnlab train` answered "invalid choice: 'train'" with the top-level list only."""
    from rnnlab.cli import main

    assert main([typed, "--corpus", "x"]) == 2
    err = capsys.readouterr().err
    assert f"'{typed}' is not a command of its own" in err and f"`{meant}`" in err


def test_a_fit_in_a_worker_still_starting_up_says_to_guard_the_script(monkeypatch):
    """A script fitting on 2 CPU devices at its top level (no `if __name__ ==
    "__main__":`): each spawned worker ran the script again, trained every fit before
    that one once more, then died on multiprocessing's bootstrapping error; the parent said
    only "worker process(es) died: rank 0 exit code 1"."""
    import multiprocessing

    from rnnlab.io.errors import RnnlabError

    monkeypatch.setattr(multiprocessing.current_process(), "_inheriting", True, raising=False)
    with pytest.raises(RnnlabError, match=r'if __name__ == "__main__":'):
        CharLM(**TINY_LM).fit("the quick brown fox jumps over the lazy dog. " * 20, **FAST_FIT)


def test_an_on_epoch_that_is_no_function_is_refused_before_training():
    """on_epoch=3 trained a whole epoch, then failed with "'int' object is not callable"."""
    from rnnlab.train import TrainConfig, fit
    from tiny_task import TinyTask, tiny_model

    lm = CharLM(**TINY_LM)
    with pytest.raises(TypeError, match="on_epoch must be a function"):
        lm.fit("the quick brown fox jumps over the lazy dog. " * 20, on_epoch=3, **FAST_FIT)
    assert lm.net is None  # nothing was built or trained
    with pytest.raises(TypeError, match="on_epoch must be a function"):
        fit(tiny_model(), TinyTask(), TrainConfig(epochs=1), on_epoch="x")


def test_a_fit_whose_steps_were_skipped_as_non_finite_says_so_and_names_no_best_epoch():
    """on_nonfinite='skip' with every later step non-finite ended quietly, and info named
    epoch 1 (validation loss NaN) as the best: min() over NaN losses, where the loop had
    kept no best weights."""
    lm = CharLM(**dict(TINY_LM, nonlinearity="relu"))
    with pytest.warns(UserWarning, match=r"training step\(s\) had a non-finite loss .* "
                                         r"no epoch gave a finite validation loss"):
        lm.fit("the quick brown fox jumps over the lazy dog. " * 20, lr=1e30, optimizer="sgd",
               clip_norm=None, on_nonfinite="skip", **FAST_FIT)
    assert lm.info["skipped_steps"] > 0
    assert lm.info["best_epoch"] is None and lm.info["best_val_loss"] is None
