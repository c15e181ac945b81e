"""Why E3's GRU trained ~4.7x slower than its LSTM (2,501 against 11,700 time steps/s in
benchmarks/results/articles-amd-epyc/e3-char-lm): forward+backward of the recurrent body at
E3's shapes (one-hot input of the Time Machine's 71 characters, hidden 256, 2 layers, batch 32,
35 steps; fp32, CPU, one thread as the recipe runs) on every path ``impl="auto"`` could choose
on the CPU, and torch.nn's modules beside them.

Paths: torch.nn.GRU / torch.nn.LSTM; rnnlab's layers (``build_model``) on "auto" (it picks
torch's kernel, path "fused"), "reference" (rnnlab's step loop); the LSTM also with oneDNN
turned off (``torch.backends.mkldnn.flags(enabled=False)``): torch runs its CPU LSTM on
oneDNN's kernel and its CPU GRU on ATen's own step loop (there is no oneDNN GRU in torch), so
that row says how much of the gap is oneDNN. ``gru-cho`` (``GRUCell(reset_after=False)``,
rnnlab's whole-sequence kernel, path "fast-torch") is another equation: shown for scale only.
Every variant is timed round-robin in one run, in CPU time (``time.process_time``: with one
thread, the time the process computed, which other work on a shared CPU changes far less than
the wall clock's); the printout is medians and ratios, not a test.

--train-steps N then trains E3's whole network (one-hot input, the body on "auto", the output
layer, cross-entropy, clipping at norm 0.01, Adam lr 1e-2) on The Time Machine, 32 streams
of 35 characters, state carried and detached, the LSTM and the GRU step for step in turn,
and prints the median CPU time of a step in the first and the last tenth of the steps and how
many subnormal floats (which slow a CPU's arithmetic) the GRU's gradients and state held at
the end: whether the GRU slows down as it trains.
usage: PYTHONPATH=src python benchmarks/e3_gru_speed.py [--repeats 21] [--threads 1]
       [--train-steps 0]
"""

import statistics
import time
from contextlib import nullcontext

import torch

from rnnlab.nn.paths import path_of
from rnnlab.nn.registry import ModelSpec, build_model

B, T, V, H, L = 32, 35, 71, 256, 2  # E3: batch, seq_len, vocabulary (one-hot), hidden, layers


def variants():
    """name -> (module, context manager factory): each runs ``module(x)`` fwd+bwd."""
    torch.manual_seed(0)
    out = {}
    for arch, cls in (("lstm", torch.nn.LSTM), ("gru", torch.nn.GRU)):
        out[f"torch.nn.{cls.__name__}"] = (cls(V, H, num_layers=L, batch_first=True), nullcontext)
        for impl in ("auto", "reference"):
            m = build_model(ModelSpec(arch, V, H, L, impl=impl))
            out[f"rnnlab {arch} impl={impl}"] = (m, nullcontext)
    out["torch.nn.LSTM, oneDNN off"] = (
        torch.nn.LSTM(V, H, num_layers=L, batch_first=True),
        lambda: torch.backends.mkldnn.flags(enabled=False))
    out["rnnlab gru-cho impl=auto (other eq.)"] = (
        build_model(ModelSpec("gru-cho", V, H, L)), nullcontext)
    return out


def step(module, x, ctx):
    with ctx():
        out = module(x)[0]
        out.pow(2).mean().backward()


def subnormals(tensors) -> int:
    """How many nonzero values of ``tensors`` are below float32's smallest normal."""
    tiny = torch.finfo(torch.float32).tiny
    return sum(int(((t != 0) & (t.abs() < tiny)).sum()) for t in tensors if t is not None)


def train_steps(n: int) -> None:
    """E3's training step for the LSTM and the GRU in turn, ``n`` each (see the docstring)."""
    from rnnlab.data.text import load_corpus
    from rnnlab.lm.config import LMConfig
    from rnnlab.lm.model import LMNet

    text = load_corpus("time-machine")
    vocab = {c: i for i, c in enumerate(sorted(set(text)))}
    ids = torch.tensor([vocab[c] for c in text])
    per = len(ids) // B
    streams = ids[: per * B].view(B, per)
    nets, opts, states, times = {}, {}, {}, {}
    for arch in ("lstm", "gru"):
        torch.manual_seed(1)
        nets[arch] = LMNet(LMConfig(model=arch, embedding=0, dropout=0.0), len(vocab))
        opts[arch] = torch.optim.Adam(nets[arch].parameters(), lr=1e-2)
        states[arch], times[arch] = None, []
    for i in range(n):
        start = (i * T) % (per - T - 1)
        x, y = streams[:, start:start + T], streams[:, start + 1:start + T + 1]
        for arch, net in nets.items():
            t0 = time.process_time()
            logits, state = net(x, states[arch])
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, len(vocab)), y.reshape(-1))
            opts[arch].zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 0.01)
            opts[arch].step()
            states[arch] = tuple(s.detach() for s in state) if isinstance(state, tuple) \
                else state.detach()
            times[arch].append(time.process_time() - t0)
    k = max(1, n // 10)
    print(f"\nE3's training step (body + output layer + loss + clipping + Adam), {n} steps each, "
          f"median CPU time:")
    for arch, v in times.items():
        first, last = statistics.median(v[:k]), statistics.median(v[-k:])
        print(f"{arch:<5} first {k}: {1000 * first:7.2f} ms ({B * T / first:6.0f} steps/s)   "
              f"last {k}: {1000 * last:7.2f} ms ({B * T / last:6.0f} steps/s)")
    print(f"GRU / LSTM per step, last {k}: "
          f"{statistics.median(times['gru'][-k:]) / statistics.median(times['lstm'][-k:]):.2f}")
    gru = nets["gru"]
    held = [p.grad for p in gru.parameters()] + list(gru.parameters()) + [states["gru"]]
    print(f"subnormal floats in the GRU's weights, gradients and state: {subnormals(held)}")


def main():
    from script_help import script_parser  # (no abbreviations)

    ap = script_parser()
    ap.add_argument("--repeats", type=int, default=21)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--train-steps", type=int, default=0)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    x = torch.nn.functional.one_hot(torch.randint(0, V, (B, T)), V).float()
    runs = variants()
    times = {k: [] for k in runs}
    for m, ctx in runs.values():  # warm-up
        step(m, x, ctx)
    for _ in range(a.repeats):
        for k, (m, ctx) in runs.items():
            t0 = time.process_time()
            step(m, x, ctx)
            times[k].append(time.process_time() - t0)
    med = {k: statistics.median(v) for k, v in times.items()}
    base = med["rnnlab lstm impl=auto"]
    print(f"E3 shapes: B={B}, T={T}, one-hot V={V}, H={H}, {L} layers, fp32, CPU "
          f"{torch.get_num_threads()} thread(s), fwd+bwd of the body, median CPU time of "
          f"{a.repeats}; torch {torch.__version__}, kernels "
          f"{torch.backends.cpu.get_cpu_capability()}")
    print(f"{'variant':<38} {'path':<12} {'ms':>8} {'steps/s':>9} {'/ lstm auto':>11}")
    for k, (m, _) in runs.items():
        path = path_of(m, x)
        print(f"{k:<38} {path:<12} {1000 * med[k]:8.2f} {B * T / med[k]:9.0f} "
              f"{med[k] / base:11.2f}")
    gru_auto = med["rnnlab gru impl=auto"]
    print(f"GRU / LSTM, torch.nn: {med['torch.nn.GRU'] / med['torch.nn.LSTM']:.2f}; "
          f"rnnlab auto: {gru_auto / base:.2f}; "
          f"GRU reference / auto: {med['rnnlab gru impl=reference'] / gru_auto:.2f}; "
          f"LSTM oneDNN off / on: {med['torch.nn.LSTM, oneDNN off'] / med['torch.nn.LSTM']:.2f}")
    if a.train_steps:
        train_steps(a.train_steps)


if __name__ == "__main__":
    main()
