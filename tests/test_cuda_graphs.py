"""CUDA graphs: a captured forward+backward, and a captured training step, compute what
they compute eagerly (on a GPU); the option is checked everywhere.

``rnnlab bench --device cuda`` times every fast path again under ``torch.cuda.graph``
(:func:`rnnlab.bench.measure.cuda_graphed`), and ``fit`` can capture its whole step
(``TrainConfig.cuda_graphs``, :mod:`rnnlab.train.graph_step`). On the H200 (see
``../shared/gpu``) the first version of these tests failed 12 of 12: each kept the eager
output, and with it the autograd graph, alive across the capture (its AccumulateGrad
nodes ran on the default stream and invalidated the capture), and a failed capture
left the CUDA generator in capture mode for every later test ("Offset increment outside
graph capture"). Outputs are detached here, gradients set to None outside the capture,
and every input is a static buffer.
"""

import pytest
import torch
from torch import nn

from rnnlab.bench.measure import cuda_graphed
from rnnlab.io.errors import RnnlabError
from rnnlab.nn.paths import set_impl
from rnnlab.nn.registry import build_model
from rnnlab.train import TrainConfig, fit, seed_everything
from rnnlab.train.graph_step import GraphedStep, graph_blockers, signature, use_graphs

needs_cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")


def _impls():
    from rnnlab.nn.fast.triton_common import triton

    return ["fast"] + ([] if triton is None else ["triton", "triton-split", "triton-resident"])


def _fwd_bwd(model, x, params, store):
    def no_grads():
        for p in params:
            p.grad = None

    def step():
        out, _ = model(x)
        out.square().mean().backward()
        store["out"] = out.detach()  # never the output itself: it holds the autograd graph

    return no_grads, step


@needs_cuda
@pytest.mark.parametrize("name", ["dt-rnn", "dts-rnn", "gru-cho", "lstm"])
@pytest.mark.parametrize("impl", _impls())
def test_graph_replay_equals_eager(name, impl):
    torch.manual_seed(0)
    model = build_model(name, input_size=8, hidden_size=32, num_layers=2, depth=3).cuda()
    if name != "lstm":
        set_impl(model, impl)
    x = torch.empty(4, 12, 8, device="cuda")  # the static input
    batches = [torch.randn(4, 12, 8, device="cuda") for _ in range(2)]
    params = list(model.parameters())
    store = {}
    no_grads, step = _fwd_bwd(model, x, params, store)

    def eager_on(batch):
        x.copy_(batch)
        no_grads()
        step()
        return [store["out"].clone()] + [p.grad.detach().clone() for p in params]

    wanted = [eager_on(b) for b in batches]
    replay = cuda_graphed(step, before=no_grads)
    for batch, want in zip(batches, wanted):  # a new batch copied into the static input
        x.copy_(batch)
        replay()
        torch.cuda.synchronize()
        got = [store["out"]] + [p.grad for p in params]
        for a, b in zip(want, got):
            torch.testing.assert_close(b, a, rtol=1e-5, atol=1e-6)


@needs_cuda
def test_char_lm_graph_replays_its_embedding_on_static_tokens():
    """The bench's C4 rows (embedding, recurrent body, head, cross-entropy) crashed on
    the H200 with an out-of-bounds gather at replay."""
    from rnnlab.bench.configs import BenchConfig
    from rnnlab.bench.measure import make_steps
    from rnnlab.bench.suite import build_torch

    cfg = BenchConfig("tiny-lm", T=7, B=3, I=5, H=6, layers=2, vocab=11)
    for graph in (False, True):
        torch.manual_seed(0)
        model = build_torch(nn.LSTM, cfg, 2)
        fwd, fwd_bwd = make_steps(model, cfg, torch.float32, torch.device("cuda"), graph=graph)
        fwd()
        fwd_bwd()
        torch.cuda.synchronize()
        grads = [p.grad.clone() for p in model.parameters()]
        if not graph:
            eager = grads
    for a, b in zip(eager, grads):
        torch.testing.assert_close(b, a, rtol=1e-5, atol=1e-6)
    assert torch.randn(2, device="cuda").shape == (2,)  # the generator is not left capturing


class _Task:
    """A sum-of-sequence regression with a short last batch (14 rows in batches of 4)."""

    def __init__(self, device):
        g = torch.Generator().manual_seed(0)
        self.x = torch.randn(14, 6, 2, generator=g)
        self.y = self.x.sum((1, 2)).unsqueeze(1)
        self.device = device

    def num_batches(self, epoch):
        return 4

    def get_batch(self, epoch, index):
        idx = torch.arange(index * 4, min(14, index * 4 + 4))
        return self.x[idx], self.y[idx]

    def initial_carry(self):
        return None

    def train_loss(self, model, batch, carry):
        x, y = (t.to(self.device) for t in batch)
        out, _ = model.rnn(x)
        return nn.functional.mse_loss(model.head(out[:, -1]), y), carry

    def validate(self, model):
        return None


def _trained(name, graphs, device, **cfg):
    seed_everything(0)
    m = nn.Module()
    m.rnn = build_model(name, input_size=2, hidden_size=8, depth=2)
    m.head = nn.Linear(8, 1)
    m.to(device)
    hist = fit(m, _Task(device), TrainConfig(epochs=4, lr=1e-2, progress=False,
                                             cuda_graphs=graphs, **cfg), device=device)
    return m, hist


@needs_cuda
@pytest.mark.parametrize("name", ["lstm", "gru-cho", "dt-rnn"])
def test_captured_training_step_trains_as_eager(name):
    dev = torch.device("cuda")
    eager, h_eager = _trained(name, "off", dev, lr_schedule="cosine")
    graphed, h_graphed = _trained(name, "on", dev, lr_schedule="cosine")
    assert h_graphed.steps == h_eager.steps == 16
    for a, b in zip(eager.state_dict().values(), graphed.state_dict().values()):
        torch.testing.assert_close(b, a, rtol=1e-4, atol=1e-5)
    assert [e["train_loss"] for e in h_graphed.epochs] == pytest.approx(
        [e["train_loss"] for e in h_eager.epochs], rel=1e-4)
    _same_norms(h_graphed, h_eager, rel=1e-4)


@needs_cuda
def test_a_captured_step_without_clipping_records_the_eager_norms():
    """clip_norm=None: the captured step's norm is get_total_norm's pass, not clipping's."""
    dev = torch.device("cuda")
    eager, h_eager = _trained("dt-rnn", "off", dev, clip_norm=None)
    graphed, h_graphed = _trained("dt-rnn", "on", dev, clip_norm=None)
    assert [e["clipped_steps"] for e in h_graphed.epochs] == [None] * 4
    _same_norms(h_graphed, h_eager, rel=1e-4)


def _same_norms(graphed, eager, rel):
    """Each epoch's gradient norms (grad_norms) the same from the graph as eagerly: the
    graph's fourth output, read from a static buffer that every replay rewrites."""
    for key in ("grad_norm_mean", "grad_norm_max"):
        got, want = [e[key] for e in graphed.epochs], [e[key] for e in eager.epochs]
        assert None not in want and got == pytest.approx(want, rel=rel), key
    assert [e["clipped_steps"] for e in graphed.epochs] == [
        e["clipped_steps"] for e in eager.epochs]


# -- everywhere: the option --------------------------------------------------------------------
def test_cuda_graphs_option_is_checked():
    with pytest.raises(ValueError, match="cuda_graphs must be one of"):
        TrainConfig(cuda_graphs="sometimes")
    cpu = torch.device("cpu")
    assert TrainConfig().cuda_graphs == "off"  # opt-in until measured on a GPU
    auto = TrainConfig(cuda_graphs="auto")
    assert not use_graphs(auto, cpu, False)  # auto: off on the CPU
    assert not use_graphs(TrainConfig(cuda_graphs="off"), torch.device("cuda"), False)
    with pytest.raises(RnnlabError, match="cuda_graphs='on' cannot.*not CUDA"):
        use_graphs(TrainConfig(cuda_graphs="on"), cpu, False)
    cuda = torch.device("cuda")
    assert use_graphs(auto, cuda, False)  # auto on CUDA: on where it can
    assert use_graphs(TrainConfig(lr_schedule="plateau", cuda_graphs="auto"), cuda, False)  # Adam
    blockers = graph_blockers(TrainConfig(precision="bf16-mixed", optimizer="sgd",
                                          lr_schedule="cosine", on_nonfinite="skip"), cuda, True)
    assert len(blockers) == 4 and not use_graphs(TrainConfig(precision="bf16-mixed"), cuda, False)
    lm = build_model("lstm", input_size=2, hidden_size=4, num_layers=2, dropout=0.2)
    assert not use_graphs(auto, cuda, False, lm)
    assert use_graphs(auto, cuda, False, build_model("lstm", input_size=2, hidden_size=4))


def test_auto_trains_eagerly_on_the_cpu_and_on_refuses():
    m, hist = _trained("lstm", "auto", torch.device("cpu"))
    assert hist.steps == 16
    with pytest.raises(RnnlabError, match="cannot capture"):
        _trained("lstm", "on", torch.device("cpu"))


def test_graphed_step_takes_full_batches_of_two_signatures_and_leaves_the_short_one():
    step = GraphedStep(nn.Linear(1, 1), None, None, [], TrainConfig(), torch.device("cpu"))
    full, short = (torch.zeros(4, 6, 2), torch.zeros(4, 1)), (torch.zeros(2, 6, 2), torch.zeros(2, 1))
    assert step.takes(full, None)
    step.seen[signature(full, None)] = 1
    assert not step.takes(short, None)  # the last, short batch: eager in the loop
    state = (torch.zeros(1, 4, 8),)
    assert step.takes(full, state)  # the carried state's signature: a second graph


def test_lm_cli_takes_cuda_graphs():
    import argparse

    from rnnlab.lm import cli as lm_cli

    p = argparse.ArgumentParser()
    lm_cli.register(p.add_subparsers(dest="command"))
    args = p.parse_args(["lm", "train", "--cuda-graphs", "off"])
    assert args.cuda_graphs == "off"


class _Replayed:
    """Stands in for a captured graph on the CPU: capture records nothing, each replay
    runs the captured function again on the same static buffers, gradients written
    afresh (as the captured backward, which found them None, writes them), and its
    outputs written into the same tensors each time, as a graph's are (an output the
    caller keeps without copying it, the step's gradient norm, held till the epoch's
    end, would read the last replay's value)."""

    def __init__(self, fn, before):
        self.fn, self.before, self.graph = fn, before, self
        self.static = None  # the first replay's outputs: the graph's static ones

    def replay(self):
        from rnnlab.train.graph_step import _copy_into

        self.before()
        outputs = self.fn()
        if self.static is None:
            self.static = list(outputs)
        else:
            _copy_into(self.static, list(outputs))
            outputs[:] = self.static

    def pool(self):
        return None


def test_graphed_step_logic_trains_as_eager_on_the_cpu(monkeypatch):
    """The machinery around the graph (warm-up steps, one graph per signature, copies
    into static buffers, outputs read after the replay, the short batch eager, the loop's
    branch) gives the eager run, with replay standing in for a graph."""
    import contextlib

    from rnnlab.train import graph_step, loop

    cpu = torch.device("cpu")
    eager, h_eager = _trained("dt-rnn", "off", cpu, lr_schedule="cosine")
    monkeypatch.setattr(loop, "use_graphs", lambda cfg, device, distributed, model: True)
    real_opt = loop.make_optimizer  # capturable Adam runs on CUDA only
    monkeypatch.setattr(loop, "make_optimizer", lambda p, cfg, capturable_on: real_opt(p, cfg))
    monkeypatch.setattr(graph_step, "capture", lambda fn, warmup, before, pool: _Replayed(fn, before))
    monkeypatch.setattr(graph_step.GraphedStep, "_side_stream", lambda self: contextlib.nullcontext())
    made = []
    real_init = graph_step.GraphedStep.__init__
    monkeypatch.setattr(graph_step.GraphedStep, "__init__",
                        lambda self, *a: (real_init(self, *a), made.append(self))[0])
    graphed, h_graphed = _trained("dt-rnn", "auto", cpu, lr_schedule="cosine")
    (step,) = made
    assert len(step.graphs) == 1 and step.seen == {s: graph_step.WARMUP for s in step.graphs}
    assert h_graphed.steps == h_eager.steps == 16
    for a, b in zip(eager.state_dict().values(), graphed.state_dict().values()):
        torch.testing.assert_close(b, a, rtol=1e-6, atol=1e-7)
    _same_norms(h_graphed, h_eager, rel=1e-6)  # (the replays' norms, each its own)
    assert len({e["grad_norm_max"] for e in h_eager.epochs}) > 1  # (they differ to tell)


def test_learning_rate_settles_after_a_resume_either_way():
    """A checkpoint of a captured run (rate as a tensor) resumes eagerly, and back."""
    from rnnlab.train.optim import settle_lr

    p = [nn.Parameter(torch.zeros(2))]
    opt = torch.optim.Adam(p, lr=torch.tensor(0.01))
    opt.param_groups[0]["capturable"] = True
    settle_lr(opt, None)
    assert opt.param_groups[0]["lr"] == pytest.approx(0.01) and not opt.param_groups[0]["capturable"]
    assert isinstance(opt.param_groups[0]["lr"], float)
    p[0].grad = torch.ones(2)
    opt.step()  # eager Adam runs with it
    sgd = torch.optim.SGD(p, lr=torch.tensor(0.1))
    settle_lr(sgd, torch.device("cpu"))  # SGD has no captured form: a float
    assert isinstance(sgd.param_groups[0]["lr"], float)


def test_a_captured_step_keeps_its_static_inputs_alive(monkeypatch):
    """The C4 crash: the bench kept only ``graph.replay``, so the batch its closure held
    was freed and its memory reused while every replay still read it (token ids out of
    range for the embedding at replay). With the CUDA calls faked on the CPU, the batch
    must outlive make_steps."""
    import contextlib
    import gc
    import weakref

    from rnnlab.bench import measure
    from rnnlab.bench.configs import BenchConfig
    from rnnlab.bench.suite import build_torch

    class Graph:
        def replay(self):
            pass

        def pool(self):
            return None

    fake = {"is_available": lambda: True, "Stream": lambda *a, **k: type(
                "S", (), {"wait_stream": lambda self, other: None})(),
            "stream": lambda s: contextlib.nullcontext(), "synchronize": lambda *a: None,
            "current_stream": lambda *a: type("S", (), {"wait_stream": lambda s, o: None})(),
            "CUDAGraph": Graph, "graph": lambda *a, **k: contextlib.nullcontext()}
    for name, value in fake.items():
        monkeypatch.setattr(torch.cuda, name, value)
    made = []
    real_batch = measure.make_batch
    monkeypatch.setattr(measure, "make_batch", lambda *a, **k: made.append(
        real_batch(*a, **k)) or made[-1])
    cfg = BenchConfig("tiny-lm", T=5, B=2, I=3, H=4, layers=1, vocab=7)
    model = build_torch(nn.LSTM, cfg, 1)
    steps = measure.make_steps(model, cfg, torch.float32, torch.device("cpu"), graph=True)
    refs = [weakref.ref(t) for t in made.pop()]
    gc.collect()
    assert all(r() is not None for r in refs), "the graph's static batch was freed"
    del steps
    gc.collect()
    assert all(r() is None for r in refs)  # and it goes with the graph


def test_a_failed_capture_under_auto_trains_on_eagerly(monkeypatch):
    """cuda_graphs='auto': a capture that raises costs nothing (no step was applied): a
    warning, then every batch eagerly, the same weights as without graphs; 'on' raises."""
    import contextlib

    from rnnlab.train import graph_step, loop

    cpu = torch.device("cpu")
    eager, _ = _trained("gru-cho", "off", cpu)
    monkeypatch.setattr(loop, "use_graphs", lambda cfg, device, distributed, model: True)
    real_opt = loop.make_optimizer
    monkeypatch.setattr(loop, "make_optimizer", lambda p, cfg, capturable_on: real_opt(p, cfg))

    def broken(*a, **k):
        raise RuntimeError("operation not permitted when stream is capturing")

    monkeypatch.setattr(graph_step, "capture", broken)
    monkeypatch.setattr(graph_step.GraphedStep, "_side_stream", lambda self: contextlib.nullcontext())
    with pytest.warns(UserWarning, match="capture of the training step failed"):
        fell_back, hist = _trained("gru-cho", "auto", cpu)
    assert hist.steps == 16
    for a, b in zip(eager.state_dict().values(), fell_back.state_dict().values()):
        torch.testing.assert_close(b, a, rtol=1e-6, atol=1e-7)
    with pytest.raises(RuntimeError, match="not permitted"):
        _trained("gru-cho", "on", cpu)
