"""When does running a padded batch whole beat torch's packed kernel on the CPU?

For each cell and fill (valid steps / T*B), times torch.nn.<X> on a PackedSequence
against rnnlab's Recurrent(<X>Cell) on the padded batch forced onto the padded route,
forward+backward and forward only; prints padded / packed. The thresholds in
rnnlab.nn.fast.fused (PAD_FILL_TRAIN, PAD_FILL_INFER_LSTM) come from this table.

    PYTHONPATH=src python benchmarks/pad_vs_pack.py [--size C3|C1-256] [--repeats 5]
"""

from __future__ import annotations

import statistics
import time
from unittest import mock

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from rnnlab.nn import GRUCell, LSTMCell, Recurrent, RNNCell
from rnnlab.nn.fast import fused

SIZES = {"C3": (168, 32, 8, 128), "C1-256": (100, 64, 256, 256)}
CELLS = {"lstm": (torch.nn.LSTM, LSTMCell), "gru": (torch.nn.GRU, GRUCell),
         "rnn": (torch.nn.RNN, RNNCell)}


def median_ms(fn, repeats: int) -> float:
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3


def main() -> None:
    from script_help import script_parser  # (no abbreviations)

    p = script_parser()
    p.add_argument("--size", default="C3", choices=sorted(SIZES))
    p.add_argument("--repeats", type=int, default=5)
    args = p.parse_args()
    T, B, I, H = SIZES[args.size]
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, size {args.size} "
          f"(T={T}, B={B}, I={I}, H={H}); ratios padded / packed, medians of {args.repeats}")
    for kind, (torch_cls, cell_cls) in CELLS.items():
        theirs, ours = torch_cls(I, H), Recurrent(cell_cls(I, H))
        for mean_fill in (0.1, 0.25, 0.5, 0.75):
            lengths = (torch.rand(B) * 2 * mean_fill * T).clamp(1, T).long()
            lengths[0] = T
            fill = float(lengths.sum()) / (T * B)
            x = torch.randn(T, B, I)

            def packed(train: bool):
                with torch.set_grad_enabled(train):
                    out, _ = theirs(pack_padded_sequence(x, lengths, enforce_sorted=False))
                    out, _ = pad_packed_sequence(out, total_length=T)
                    if train:
                        out.square().mean().backward()

            def padded(train: bool):
                with torch.set_grad_enabled(train), mock.patch.object(
                        fused, "pads", lambda *a, **k: True):
                    out, _ = ours(x, None, lengths)
                    if train:
                        out.square().mean().backward()

            cols = []
            for train in (True, False):
                a = median_ms(lambda: packed(train), args.repeats)
                b = median_ms(lambda: padded(train), args.repeats)
                cols.append(f"{'fwd+bwd' if train else 'fwd'} packed {a:6.1f} ms, padded "
                            f"{b:6.1f} ms ({b / a:.2f}x)")
            print(f"{kind:<4} fill {fill:.2f}: " + "; ".join(cols), flush=True)


if __name__ == "__main__":
    main()
