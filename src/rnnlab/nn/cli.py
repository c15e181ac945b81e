"""``rnnlab models``: the architectures of the registry with their parameter counts
(its parser: :mod:`rnnlab.models_cli`, torch-free)."""

from __future__ import annotations

import torch

from ..models_cli import register  # the command's parser
from .registry import ARCHITECTURES, build_model, count_parameters


def run(args) -> int:
    rows = []
    for name, arch in ARCHITECTURES.items():
        layers = args.num_layers if args.num_layers is not None else arch.default_layers
        layers = max(layers, arch.min_layers)
        with torch.device("meta"):  # shapes only: a count at hidden 100,000 allocated 160 GB
            model = build_model(name, input_size=args.input_size,
                                hidden_size=args.hidden_size, num_layers=layers)
        rows.append((name, layers, count_parameters(model), arch.description))
    print(f"architectures at input_size={args.input_size}, hidden_size={args.hidden_size}:")
    w = max(9, *(len(f"{n:,}") for _, _, n, _ in rows))  # (wider counts broke the columns)
    print(f"{'name':<15} {'layers':>6} {'params':>{w}}  description")
    for name, layers, n, desc in rows:
        print(f"{name:<15} {layers:>6} {n:>{w},}  {desc}")
    # (rnnlab compare's 'params' are larger: it counts the network its task trains)
    print("params: the recurrent layers only. A task adds its own layers (forecast: the "
          "linear head and the look-back skip; lm: the embedding and the output layer), "
          "and `rnnlab compare` counts that whole network.")
    return 0


__all__ = ["register", "run"]
