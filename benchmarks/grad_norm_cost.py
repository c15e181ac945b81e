#!/usr/bin/env python
# Usage: PYTHONPATH=src python benchmarks/grad_norm_cost.py [--rounds 5] [--steps 400]
"""What recording each step's gradient norm costs ``fit`` (rnnlab.train.grad_norms): a
small GRU regression on one CPU thread, trained as it is now and with the recording taken
out (the step's norm replaced by a constant, no norm pass), with clipping on (the norm is
clipping's own: only the bookkeeping is new) and off (one get_total_norm pass is new), in
alternating rounds so that the machine's load falls on both alike. Prints the median
seconds of each and the ratio now / without, and whether the weights came out the same;
then the norm pass alone beside one step's forward and backward (the fastest of five
rounds of 200 each: steadier than whole fits on a shared machine)."""
import os
import statistics
import sys
import time


def main() -> None:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from script_help import script_parser  # (no abbreviations)

    ap = script_parser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--steps", type=int, default=400, help="optimizer steps per fit")
    ap.add_argument("--hidden-size", type=int, default=32)
    a = ap.parse_args()
    import torch
    from torch import nn

    from rnnlab.train import TensorTask, TrainConfig, fit, grad_norms, loop

    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(0)
    x = torch.randn(a.steps * 16, 24, 1, generator=g)
    y = x.sum(1)

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = nn.GRU(1, a.hidden_size, batch_first=True)
            self.head = nn.Linear(a.hidden_size, 1)

        def forward(self, v):
            return self.head(self.rnn(v)[0][:, -1])

    real = loop.clip_or_measure

    def unmeasured(params, clip_norm):  # (as before the recording: clip, no norm kept)
        if clip_norm is not None:
            nn.utils.clip_grad_norm_(params, clip_norm)
        return torch.zeros(())

    def run(clip, measure):
        loop.clip_or_measure = real if measure else unmeasured
        torch.manual_seed(0)
        net = Net()
        cfg = TrainConfig(epochs=1, lr=1e-3, clip_norm=clip, progress=False)
        t0 = time.perf_counter()
        fit(net, TensorTask(x, y, batch_size=16), cfg)
        loop.clip_or_measure = real
        return time.perf_counter() - t0, [p.detach().clone() for p in net.parameters()]

    for clip in (1.0, None):
        times = {True: [], False: []}
        same = True
        for _ in range(a.rounds):
            (t1, w1), (t0, w0) = run(clip, True), run(clip, False)
            times[True].append(t1)
            times[False].append(t0)
            same = same and all(torch.equal(p, q) for p, q in zip(w1, w0))
        now, without = statistics.median(times[True]), statistics.median(times[False])
        print(f"clip_norm={clip}: {a.steps} steps, recorded {now:.3f} s, without "
              f"{without:.3f} s, ratio {now / without:.3f}; same weights: {same}")
    net = Net()
    params = list(net.parameters())

    def step():
        net.zero_grad(set_to_none=True)
        nn.functional.mse_loss(net(x[:16]), y[:16]).backward()

    step()
    fastest = {}
    for name, f in (("step", step), ("norm", lambda: grad_norms.total_norm(params))):
        rounds = []
        for _ in range(5):
            t0 = time.perf_counter()
            for _ in range(200):
                f()
            rounds.append((time.perf_counter() - t0) / 200)
        fastest[name] = min(rounds)
    print(f"one step's forward and backward {fastest['step'] * 1e6:.0f} us, the norm pass "
          f"{fastest['norm'] * 1e6:.1f} us: ratio {fastest['norm'] / fastest['step']:.4f}")


if __name__ == "__main__":
    main()
