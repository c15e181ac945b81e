"""torch.compile of one step, called in the Python time loop: is it a fast path on CPU?

PERF_NOTES found that compiling the *unrolled* loop does not scale with T; the other way
to use torch.compile is to compile the step (``cell.recur``) once and call it T times.
This script times that against the reference loop and torch.nn at C3's size, one layer,
fp32, forward+backward (median of 7 after a warm-up). Run:
``PYTHONPATH=src python benchmarks/compile_step.py`` (needs a C++ compiler for inductor).
"""

import time

import torch

from rnnlab.nn import LSTMCell, Recurrent

T, B, I, H = 168, 32, 8, 128


def median_ms(fn, x, n=7):
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        out, _ = fn(x)
        out.sum().backward()
        times.append(time.perf_counter() - t0)
    return sorted(times)[n // 2] * 1e3


def main():
    torch.manual_seed(0)
    cell = LSTMCell(I, H)
    step = torch.compile(cell.recur, dynamic=False, fullgraph=True)

    def compiled_loop(x):
        xp = cell.project_input(x)
        state = cell.initial_state(B, x.dtype, x.device)
        outs = []
        for t in range(T):
            out, state = step(xp[t], state)
            outs.append(out)
        return torch.stack(outs), state

    x = torch.randn(T, B, I, requires_grad=True)
    t0 = time.perf_counter()
    out, _ = compiled_loop(x)
    out.sum().backward()
    print(f"compile + first call: {time.perf_counter() - t0:.1f} s")
    lstm = torch.nn.LSTM(I, H)
    anchor = median_ms(lstm, x)
    ref = median_ms(Recurrent(cell, impl="reference"), x)
    comp = median_ms(compiled_loop, x)
    print(f"torch.nn.LSTM {anchor:.1f} ms | reference loop {ref:.1f} ms ({ref / anchor:.2f}x) | "
          f"compiled step in the loop {comp:.1f} ms ({comp / anchor:.2f}x)")


if __name__ == "__main__":
    from script_help import answer_help

    answer_help(__doc__)
    main()
