"""rnnlab.nn.LSTM (fused path) against torch.nn.LSTM, 2 layers, T=100, B=64, I=H=256, CPU fp32.

Forward+backward, the two timed round-robin in one run so that load affects both alike.
usage: PYTHONPATH=src python benchmarks/lstm_overhead.py [--repeats 21]
"""

import statistics
import time

import torch

from rnnlab.nn import LSTM
from rnnlab.nn.registry import build_model


def main():
    from script_help import script_parser  # (no abbreviations)

    ap = script_parser()
    ap.add_argument("--repeats", type=int, default=21)
    a = ap.parse_args()
    torch.manual_seed(0)
    T, B, I, H = 100, 64, 256, 256
    ref = torch.nn.LSTM(I, H, num_layers=2, batch_first=True)
    ours = LSTM(I, H, num_layers=2, batch_first=True)
    ours.load_state_dict(ref.state_dict())
    reg = build_model("lstm", input_size=I, hidden_size=H, num_layers=2)
    reg.body.load_state_dict(ref.state_dict())
    x = torch.randn(B, T, I)
    models = {"torch.nn.LSTM": ref, "rnnlab.nn.LSTM": ours, "build_model('lstm')": reg}
    times = {k: [] for k in models}

    def step(m):
        out = m(x)[0]
        out.pow(2).mean().backward()

    for m in models.values():  # warm-up
        step(m)
    for _ in range(a.repeats):
        for k, m in models.items():
            t0 = time.perf_counter()
            step(m)
            times[k].append(time.perf_counter() - t0)
    base = statistics.median(times["torch.nn.LSTM"])
    print(f"2-layer LSTM, T={T}, B={B}, I=H={H}, fp32, CPU, {torch.get_num_threads()} threads, "
          f"fwd+bwd, median of {a.repeats}")
    for k, v in times.items():
        med = statistics.median(v)
        print(f"{k:<22} {1000 * med:8.1f} ms   ratio to torch.nn {med / base:.3f}")


if __name__ == "__main__":
    main()
