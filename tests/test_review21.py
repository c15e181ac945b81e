"""Session 21 review: what the merged branches broke, found by reading them together."""

import importlib
import os

import pytest
import torch


def test_run_untraced_works_with_the_oldest_torch_its_floor_allows(monkeypatch):
    """torch 2.4.1 (pyproject's floor) has ``graph_break()`` and ``disable(fn=None,
    recursive=True)``: the reason passed to both (new in session 21) made every compiled
    call of a layer on a kernel die with "graph_break() got an unexpected keyword argument
    'msg'". Their signatures as torch 2.4.1 has them; the call goes through, untraced."""
    from rnnlab.nn.fast import common, dynamo_words

    dynamo = importlib.import_module("torch._dynamo")

    calls = []

    def graph_break():  # torch 2.4.1's
        calls.append("break")

    def disable(fn=None, recursive=True):  # torch 2.4.1's
        calls.append("disable")
        return fn

    monkeypatch.setattr(dynamo, "graph_break", graph_break)
    monkeypatch.setattr(torch.compiler, "disable", disable)
    monkeypatch.setattr(common, "_UNTRACED", {})
    try:
        importlib.reload(dynamo_words)
        assert dynamo_words.BREAK_WORDS == {} and dynamo_words.DISABLE_WORDS == {}
        assert common.run_untraced(torch.add, torch.ones(2), torch.ones(2)).tolist() == [2, 2]
        assert calls == ["break", "disable"]
    finally:
        monkeypatch.undo()
        importlib.reload(dynamo_words)
    assert dynamo_words.BREAK_WORDS == {"msg": dynamo_words.UNTRACED_REASON}  # (this torch's)


def test_fit_names_a_model_built_under_inference_mode():
    """fit trains out of the caller's ``torch.inference_mode()`` (session 21), but a model
    built inside it has inference tensors for parameters, which no optimizer may update:
    the fit died at its first step with torch's "Inplace update to inference tensor
    outside InferenceMode". Named before training, with what to do; the data made there
    is fine."""
    from rnnlab.io.errors import ConfigError
    from rnnlab.train import TensorTask, TrainConfig, fit

    with torch.inference_mode():
        x = torch.randn(16, 3, generator=torch.Generator().manual_seed(0))
        task = TensorTask(x, x.sum(1, keepdim=True), batch_size=8)
        with pytest.raises(ConfigError, match=r"2 of the model's 2 parameters were made under "
                                              r"torch.inference_mode\(\).*build the model outside"):
            fit(torch.nn.Linear(3, 1), task, TrainConfig(epochs=1, progress=False))
        with torch.inference_mode(False):
            model = torch.nn.Linear(3, 1)
        hist = fit(model, task, TrainConfig(epochs=1, progress=False))
    assert len(hist.epochs) == 1 and torch.isfinite(torch.tensor(hist.epochs[0]["train_loss"]))


def test_a_forecast_while_another_thread_fits_gives_the_callers_threads_back():
    """A service's thread fits (``threads_kept(0)``: torch's count as it is) while the main
    thread forecasts (``threads_kept(1)``, a Forecaster's ``threads=1``): the forecast's
    block ended while the fit's ran, so it left its 1 behind, and the fit, ending last,
    found the count it had begun with in its own thread and set nothing: the main thread
    ran on 1 thread after its forecast (session 20's per-call restore gave its 3 back)."""
    import threading

    from rnnlab.train.process_state import threads_kept

    before = torch.get_num_threads()
    torch.set_num_threads(3)
    began, forecast_done = threading.Event(), threading.Event()

    def fit_like():
        with threads_kept(0):
            began.set()
            forecast_done.wait(10)

    other = threading.Thread(target=fit_like)
    try:
        other.start()
        assert began.wait(10)
        with threads_kept(1):
            assert torch.get_num_threads() == 1
        forecast_done.set()
        other.join(10)
        assert torch.get_num_threads() == 3
    finally:
        forecast_done.set()
        torch.set_num_threads(before)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX fork")
def test_a_threads_block_begun_before_a_fork_ends_in_the_child():
    """A forked child gets a fresh list of running blocks (the parent's threads are not
    in it); a block it inherited mid-way still ends there without an error."""
    from rnnlab.train.process_state import threads_kept

    block = threads_kept(0)
    block.__enter__()
    pid = os.fork()
    if pid == 0:  # the child
        try:
            block.__exit__(None, None, None)
            os._exit(0)
        except BaseException:
            os._exit(1)
    block.__exit__(None, None, None)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
