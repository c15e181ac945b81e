#!/usr/bin/env python
# Usage: python benchmarks/composed_overhead.py SRC_DIR [grad]  (SRC_DIR: the src/ to import rnnlab from)
"""Per-call time of a composed 2-layer LSTM stack against torch.nn.LSTM (tiny sizes:
the Python overhead), interleaved rounds, min of rounds; one thread."""
import sys, time, torch
sys.path.insert(0, __import__('os').path.dirname(__file__))
from script_help import answer_help  # noqa: E402

answer_help(__doc__)
sys.path.insert(0, sys.argv[1])
from rnnlab.nn import Stacked, Recurrent, LSTMCell
torch.set_num_threads(1)
torch.manual_seed(0)
I, H, B, T = 8, 8, 2, 3
ref = torch.nn.LSTM(I, H, num_layers=2, batch_first=True)
comp = Stacked([Recurrent(LSTMCell(I, H), batch_first=True), Recurrent(LSTMCell(H, H), batch_first=True)])
x = torch.randn(B, T, I)
grad = len(sys.argv) > 2
def run(m, n=500):
    t0 = time.perf_counter()
    for _ in range(n):
        if grad:
            m(x)[0].sum().backward()
        else:
            with torch.no_grad():
                m(x)
    return (time.perf_counter() - t0) / n * 1e6
ta, tb = [], []
for r in range(15):
    ta.append(run(ref)); tb.append(run(comp))
a, b = min(ta), min(tb)
print(f"{'fwd+bwd' if grad else 'fwd no_grad'}: torch.nn.LSTM {a:.1f} us, Stacked(Recurrent(LSTMCell)) {b:.1f} us, ratio {b/a:.2f}")
