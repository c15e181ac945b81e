"""What ``rnnlab bench`` prints before its table: what runs where and how it is timed."""

from __future__ import annotations

import sys


def print_intro(args, torch, device, where: str, tf32, load, repeats: int) -> None:
    """What runs where and how it is timed (stdout), and on stderr what the options
    asked for does not do here."""
    print(f"rnnlab bench: torch {torch.__version__}, device {device} ({where}), dtype "
          f"{args.dtype}, lengths {args.lengths}, threads {torch.get_num_threads()}, "
          f"warmup {args.warmup}, "
          f"repeats {repeats} (median)" + ("" if tf32 is None else f", TF32 {'on' if tf32 else 'off'}")
          + ("" if load is None else f", load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"))
    rate = "steps/s = T*B" if args.lengths != "variable" else \
        "real steps/s = the sum of the lengths (padding not counted)"
    print(f"fwd: forward under no_grad; fwd+bwd: forward + backward of a scalar loss; medians, "
          f"timed round-robin; {rate} / median fwd+bwd seconds; ratios of medians "
          f"against anchors measured in this run\n")
    notes = device.type != "cuda" and not args.isolate  # (--isolate: its processes say them)
    if notes and not args.no_graphs:  # (said, not silently left out)
        print("rnnlab bench: no CUDA-graph rows: they need --device cuda", file=sys.stderr)
    if notes and args.tf32:
        print("rnnlab bench: --tf32 changes nothing on cpu (TF32 is a CUDA setting)",
              file=sys.stderr)
    if args.warmup == 0:
        print("rnnlab bench: --warmup 0: each row's first timed run pays one-time costs "
              "(allocation, kernel selection), so the ratios are not comparable; use 1 or "
              "more", file=sys.stderr)
